"""`make test`'s runner: one exit status for three processes, and output
copied whole, line by line, with the process named."""

import io
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

from scripts import run_tests

ROOT = Path(__file__).resolve().parents[2]


def runner_command(pytest: list[str], tiers: dict, before: str = "", after: str = ""):
    """A Python command line that runs the runner with PYTEST and TIERS replaced."""
    program = (
        f"import signal, sys; from scripts import run_tests as r; {before}"
        f"r.PYTEST = {pytest!r}; r.TIERS = {tiers!r}; {after}"
        "sys.exit(r.main([]))"
    )
    return [sys.executable, "-c", program]


def test_the_suite_passes_only_when_every_process_passed():
    assert run_tests.worst([0, 0, 0]) == 0
    assert run_tests.worst([0, 1, 0]) == 1
    assert run_tests.worst([5, 0, 1]) == 5


def test_a_process_killed_by_a_signal_fails_the_suite():
    assert run_tests.worst([0, -9, 0]) == 137


def test_each_line_is_copied_as_bytes_headed_by_its_process(capsysbinary):
    stream = io.BytesIO("tests/unit ✓ ŵyr ŷd\n".encode() + b"\xff half\n")

    run_tests.relay("other", stream, threading.Lock(), threading.Event())

    assert capsysbinary.readouterr().out == (
        b"[other] tests/unit \xe2\x9c\x93 \xc5\xb5yr \xc5\xb7d\n[other] \xff half\n"
    )


class GoneOutput(io.RawIOBase):
    """Standard output whose reader has gone (a closed pipe)."""

    def write(self, _data):
        raise BrokenPipeError


def test_output_gone_still_drains_the_process_and_fails_the_suite(monkeypatch):
    stream = io.BytesIO(b"one\ntwo\nthree\n")
    broken = threading.Event()
    monkeypatch.setattr(sys, "stdout", SimpleNamespace(buffer=GoneOutput()))

    run_tests.relay("e2e", stream, threading.Lock(), broken)

    assert broken.is_set() and stream.read() == b""


def test_what_a_finished_process_left_running_cannot_hold_the_suite():
    """The pytest stand-in starts a sleeper that keeps its output open, and
    exits 3: the runner stops the sleeper and reports the 3."""
    stand_in = "import subprocess, sys; subprocess.Popen(['sleep', '600']); sys.exit(3)"
    runner = runner_command(
        [sys.executable, "-c", stand_in], {"left": []}, after="r.LINGER = 1.0;"
    )
    done = subprocess.run(runner, capture_output=True, text=True, timeout=60)

    assert done.returncode == 3
    assert "[left] pytest exited with 3" in done.stdout


def test_every_group_of_integration_tests_named_still_exists():
    for patterns in run_tests.BESIDE.values():
        for pattern in patterns:
            assert run_tests.integration([pattern]), pattern


def test_pytests_are_not_started_with_an_interrupt_ignored():
    """A runner started with SIGINT ignored (a shell's background job) sets
    its own handlers first, so each pytest can still be interrupted."""
    stand_in = (
        "import signal, sys;"
        "sys.exit(0 if signal.getsignal(signal.SIGINT) is signal.default_int_handler"
        " else 4)"
    )
    runner = runner_command(
        [sys.executable, "-c", stand_in],
        {"one": [], "two": []},
        before="signal.signal(signal.SIGINT, signal.SIG_IGN);",
    )
    done = subprocess.run(runner, capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stdout


def test_a_terminated_suite_still_tears_its_fixtures_down(tmp_path):
    """SIGTERM to the runner reaches each pytest, which takes it as Ctrl-C
    (tests/conftest.py): a fixture's teardown, such as stopping a private
    RabbitMQ node, still runs."""
    started, torn_down = tmp_path / "started", tmp_path / "torn-down"
    test_file = tmp_path / "test_held.py"
    test_file.write_text(
        "import pathlib, time, pytest\n"
        "@pytest.fixture\n"
        "def held():\n"
        "    yield\n"
        f"    pathlib.Path({str(torn_down)!r}).write_text('done')\n"
        "def test_waits(held):\n"
        f"    pathlib.Path({str(started)!r}).write_text('yes')\n"
        "    time.sleep(120)\n"
    )
    settings = str(ROOT / "pyproject.toml")
    pytest = [sys.executable, "-m", "pytest", "-c", settings, "-p", "tests.conftest"]
    runner = runner_command(pytest, {"held": [str(test_file)]})
    process = subprocess.Popen(runner, stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(600):
            if started.exists():
                break
            time.sleep(0.1)
        assert started.exists(), "the test never started"
        process.terminate()
        output, _ = process.communicate(timeout=60)
    finally:
        process.kill()

    assert torn_down.read_text() == "done"
    assert process.returncode != 0, output
