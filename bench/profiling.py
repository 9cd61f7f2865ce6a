"""Where the time goes: py-spy samples chosen processes during one extra
measured run (`python -m bench --profile gateway,membership`), and each
profile is boiled down to the functions that hold the most samples, by their
own time and with what they call. Raw profiles stay in var/bench/profiles/ for
`py-spy`'s own viewers (speedscope, flame graphs)."""

import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.processes import ROOT, Process

RATE = 250
TOP = 25
_LINE = re.compile(r"^(?P<stack>.*) (?P<count>\d+)$")


def py_spy() -> str:
    found = shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if not found:
        raise RuntimeError("py-spy is not installed in the virtual environment")
    return found


@contextmanager
def recording(
    processes: dict[str, Process], seconds: float, folder: Path
) -> Iterator[None]:
    """Sample each process for `seconds` while the body runs its load."""
    folder.mkdir(parents=True, exist_ok=True)
    spies = {
        name: subprocess.Popen(
            [
                py_spy(), "record", "--pid", str(process.pid), "--rate", str(RATE),
                "--duration", str(max(1, round(seconds))), "--format", "raw",
                "--nonblocking", "--output", str(folder / f"{name}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, process in processes.items()
    }  # fmt: skip
    try:
        yield
    finally:
        for name, spy in spies.items():
            spy.wait(seconds + 30)
            raw = folder / f"{name}.txt"
            if raw.exists():
                (folder / f"{name}.summary.txt").write_text(summarise(raw.read_text()))


def summarise(collapsed: str, top: int = TOP) -> str:
    """The functions holding the most samples in a collapsed-stack profile:
    by their own time, then with everything they call."""
    own, inclusive, total = Counter(), Counter(), 0
    for line in collapsed.splitlines():
        match = _LINE.match(line.strip())
        if not match:
            continue
        frames, count = match["stack"].split(";"), int(match["count"])
        total += count
        own[_short(frames[-1])] += count
        for frame in {_short(f) for f in frames}:
            inclusive[frame] += count
    return "\n".join(
        [f"{total} samples", "", "own time:"]
        + _lines(own, total, top)
        + ["", "with what it calls:"]
        + _lines(inclusive, total, top)
    )


def _short(frame: str) -> str:
    """`handle (nameko/web/server.py)`: without the line number, and with the
    path cut to where the package starts."""
    frame = re.sub(r":\d+\)$", ")", frame.strip())
    if "site-packages/" in frame:
        return re.sub(r"\(.*site-packages/", "(", frame)
    return frame.replace(f"({ROOT}/", "(")


def _lines(counter: Counter, total: int, top: int) -> list[str]:
    return [
        f"{count / total:6.1%}  {frame}" for frame, count in counter.most_common(top)
    ]
