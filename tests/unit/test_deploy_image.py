"""The image definition: hadolint finds nothing, the base is pinned, the user is
not root, and what it installs is exactly what requirements.lock pins."""

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from tests.support.manifests import DEPLOY, ROOT

DOCKERFILE = DEPLOY / "Dockerfile"
HADOLINT = Path(sys.executable).parent / "hadolint"


def instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        tuple(line.split(None, 1))
        for line in lines
        if line and not line.startswith("#")
    ]


def lock() -> dict[str, str]:
    pins = (ROOT / "requirements.lock").read_text().split()
    return dict(
        (metadata_name(name), version)
        for name, version in (pin.split("==") for pin in pins)
    )


def metadata_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_closure() -> set[str]:
    """The runtime dependencies of pyproject.toml and everything they pull in."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    todo = [Requirement(line) for line in project["dependencies"]]
    seen: set[str] = set()
    while todo:
        requirement = todo.pop()
        name = metadata_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        for line in metadata.requires(requirement.name) or []:
            needed = Requirement(line)
            if needed.marker is None or needed.marker.evaluate({"extra": ""}):
                todo.append(needed)
    return seen


def test_hadolint_finds_nothing_to_fix():
    result = subprocess.run(
        [str(HADOLINT), str(DOCKERFILE)], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_base_image_is_pinned_to_an_exact_release_or_digest():
    (base,) = [argument for name, argument in instructions() if name == "FROM"]

    assert re.search(r":\d+\.\d+\.\d+[\w.-]*$|@sha256:[0-9a-f]{64}$", base), base


def test_the_processes_run_as_a_numeric_non_root_user():
    users = [argument for name, argument in instructions() if name == "USER"]

    assert users and re.fullmatch(r"[1-9]\d*:[1-9]\d*", users[-1])


def test_everything_the_image_installs_is_pinned_by_the_lock():
    pinned = lock()

    for name in sorted(runtime_closure()):
        assert name in pinned, f"{name} is needed at run time but not locked"
        assert metadata.version(name) == pinned[name], name


def test_the_build_context_holds_exactly_what_the_image_copies():
    copied = {
        source
        for name, argument in instructions()
        if name == "COPY"
        for source in argument.split()[:-1]
    }
    allowed = {
        line[1:]
        for line in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
        if line.startswith("!")
    }

    assert copied == allowed
    assert all((ROOT / source).exists() for source in copied)
