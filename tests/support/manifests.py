"""The deploy/ files as data: kustomize overlays rendered by the pinned kubectl
in this virtual environment, every object checked against the Kubernetes
schemas (kubernetes-validate) or, for the operators' custom resources, against
the schemas in deploy/kubernetes/schemas."""

import shlex
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import jsonschema
import kubernetes_validate
import yaml
from nameko.cli.run import import_service
from nameko.containers import ServiceContainer
from nameko.events import EventHandler
from nameko.rpc import Rpc
from referencing import Registry, Resource

ROOT = Path(__file__).parents[2]
DEPLOY = ROOT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
KUBECTL = Path(sys.executable).parent / "kubectl"
# The oldest Kubernetes the manifests are meant for, and the newest schemas known.
_NEWEST = kubernetes_validate.utils.latest_version()
KUBERNETES_VERSIONS = ("1.30", kubernetes_validate.utils.major_minor(_NEWEST))
DEFINITIONS = "https://kubernetes.io/api/_definitions.json"


def overlays() -> list[Path]:
    return sorted(p.parent for p in KUBERNETES.glob("overlays/*/kustomization.yaml"))


def render(folder: Path) -> list[dict]:
    if not KUBECTL.exists():
        raise RuntimeError(f"{KUBECTL} is missing: install requirements.lock")
    result = subprocess.run(
        [str(KUBECTL), "kustomize", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise AssertionError(f"kustomize failed for {folder}:\n{result.stderr}")
    return [item for item in yaml.safe_load_all(result.stdout) if item]


@cache
def rendered(folder: Path) -> tuple[dict, ...]:
    return tuple(render(folder))


def of_kind(objects, kind: str) -> list[dict]:
    return [item for item in objects if item["kind"] == kind]


def named(objects, kind: str, name: str) -> dict:
    matches = [o for o in of_kind(objects, kind) if o["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind}/{name}, found {len(matches)}"
    return matches[0]


def procfile() -> dict[str, list[str]]:
    lines = (DEPLOY / "Procfile").read_text().splitlines()
    return {
        name: shlex.split(command)
        for name, command in (line.split(": ", 1) for line in lines if line.strip())
    }


def pod_spec(workload: dict) -> dict:
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]


def containers(workload: dict, init: bool = True) -> list[dict]:
    spec = pod_spec(workload)
    return spec["containers"] + (spec.get("initContainers", []) if init else [])


def consumed_queues(module: str) -> set[str]:
    """The queues nameko gives the service's entrypoints, named by nameko itself."""
    (service,) = import_service(module)
    container = ServiceContainer(service, config={"AMQP_URI": "memory://"})
    names = set()
    for entrypoint in container.entrypoints:
        if isinstance(entrypoint, EventHandler):
            EventHandler.setup(entrypoint)  # names the queue; ours would declare it
            names.add(entrypoint.queue.name)
        elif isinstance(entrypoint, Rpc):
            entrypoint.rpc_consumer.setup()
            names.add(entrypoint.rpc_consumer.queue.name)
    return names


# --- custom resources ---------------------------------------------------------


@cache
def _crd_schemas() -> tuple[dict[tuple[str, str], dict], Registry]:
    definitions = kubernetes_validate.utils.schema_contents(
        f"kubernetes-json-schema/v{_NEWEST}-local-strict/_definitions.json", _NEWEST
    )
    registry = Registry().with_resource(
        DEFINITIONS, Resource.from_contents(definitions)
    )
    schemas = {}
    for path in sorted((KUBERNETES / "schemas").glob("*.yaml")):
        schema = yaml.safe_load(path.read_text())
        registry = registry.with_resource(schema["$id"], Resource.from_contents(schema))
        if "kind" in schema.get("properties", {}):
            key = (
                schema["properties"]["apiVersion"]["const"],
                schema["properties"]["kind"]["const"],
            )
            schemas[key] = schema
    return schemas, registry


def custom_kinds() -> set[tuple[str, str]]:
    return set(_crd_schemas()[0])


def _crd_errors(item: dict) -> Iterator[str]:
    schemas, registry = _crd_schemas()
    validator = jsonschema.Draft202012Validator(
        schemas[(item["apiVersion"], item["kind"])], registry=registry
    )
    for error in validator.iter_errors(item):
        yield f"{'.'.join(map(str, error.absolute_path))}: {error.message}"


def _kubernetes_errors(item: dict) -> Iterator[str]:
    for version in KUBERNETES_VERSIONS:
        try:
            kubernetes_validate.validate(item, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            path = ".".join(map(str, error.path))
            yield f"Kubernetes {version}: {path}: {error.message}"
        except kubernetes_validate.SchemaNotFoundError:
            yield f"no schema for {item['apiVersion']} {item['kind']} in {version}"


def problems(item: dict) -> list[str]:
    """Every way `item` breaks its schema; empty when it is valid."""
    if (item["apiVersion"], item["kind"]) in custom_kinds():
        found = list(_crd_errors(item))
    else:
        found = list(_kubernetes_errors(item))
    name = f"{item['kind']}/{item.get('metadata', {}).get('name')}"
    return [f"{name}: {problem}" for problem in found]
