"""`make test`: the whole suite as three pytest processes side by side. The
end-to-end tests (tests/e2e) spend most of their time waiting on the processes
they start, so they run beside the rest: the browser and API tests in one
process, the tests that stop brokers and kill services in another, each with
some of the integration tests, and everything else in a third. Each line a
process prints comes out whole, headed by its group; the exit status is the
worst of the three.

Arguments, when given, are passed to one plain pytest run instead:
`make test PYTEST_ARGS="tests/unit -x"`."""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

FAULTS = ["test_faults.py", "test_private_broker.py", "test_scaling.py"]
# Integration tests that run beside the end-to-end ones, chosen so that the
# three processes take about as long as each other.
BESIDE = {
    "e2e": ["test_gateway*.py", "test_coordinator_pages.py", "test_network_pages.py"],
    "faults": ["test_directory*.py", "test_membership*.py"],
}


def integration(patterns: list[str]) -> list[str]:
    folder = Path("tests/integration")
    return sorted(str(path) for pattern in patterns for path in folder.glob(pattern))


TIERS = {
    "e2e": [
        "tests/e2e",
        *(f"--ignore=tests/e2e/{name}" for name in FAULTS),
        *integration(BESIDE["e2e"]),
    ],
    "faults": [
        *(f"tests/e2e/{name}" for name in FAULTS),
        *integration(BESIDE["faults"]),
    ],
    "other": [
        "tests",
        "--ignore=tests/e2e",
        *(f"--ignore-glob=tests/integration/{p}" for ps in BESIDE.values() for p in ps),
    ],
}


def relay(name: str, stream, lock: threading.Lock, broken: threading.Event) -> None:
    """Copy a process's output line by line, as bytes (nothing to decode, so
    no locale can trip on a Welsh letter), each line headed by `name`. When
    our own output is gone (a closed pipe), go on reading and drop the lines,
    so that the process never blocks on a full pipe."""
    head = f"[{name}] ".encode()
    out = sys.stdout.buffer
    for line in stream:
        if broken.is_set():
            continue
        with lock:
            try:
                out.write(head + line)
                out.flush()
            except OSError:
                broken.set()


def worst(codes: list[int]) -> int:
    """One exit status for several: 0 only when every one is 0; a process
    killed by signal N (Popen's -N) counts as the shell's 128 + N."""
    failed = [128 - code if code < 0 else code for code in codes if code != 0]
    return max(failed, default=0)


PYTEST = [sys.executable, "-m", "pytest"]
LINGER = 10.0
"""Seconds a finished pytest's output may stay open (held by something a test
started and left running) before that is stopped."""


def main(arguments: list[str]) -> int:
    if arguments:
        return subprocess.call([*PYTEST, *arguments])
    lock, broken = threading.Lock(), threading.Event()
    running = {}
    stopping = []

    def pass_on(signum, _frame) -> None:
        stopping.append(signum)
        for process, _ in running.values():
            _signal_group(process, signum)

    # Set before any pytest starts: a runner that was itself started with
    # SIGINT ignored (a shell's background job) must not hand that on.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, pass_on)
    for name, paths in TIERS.items():
        if stopping:
            break
        # A session of its own: a signal for the suite reaches the whole of
        # each group (above), and what a test leaves running can be stopped.
        process = subprocess.Popen(
            [*PYTEST, *paths],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        reader = threading.Thread(
            target=relay, args=(name, process.stdout, lock, broken), daemon=True
        )
        reader.start()
        running[name] = (process, reader)
        if stopping:
            _signal_group(process, stopping[-1])
    codes = {}
    for name, (process, reader) in running.items():
        codes[name] = process.wait()
        # Whatever the tests started and left holding the output pipe is
        # stopped, so that a pytest that died cannot leave the suite waiting.
        reader.join(timeout=LINGER)
        if reader.is_alive():
            _signal_group(process, signal.SIGKILL)
            reader.join(timeout=LINGER)
    for name, code in codes.items():
        print(f"[{name}] pytest exited with {code}", flush=True)
    if stopping and not codes:
        return 128 + stopping[-1]
    return worst(list(codes.values())) or (1 if broken.is_set() else 0)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
