"""The development secret under var/: made once, whole, and the same for every
process that starts at the same moment."""

import stat
import subprocess
import sys
import time

from infra.devsecret import development_secret


def test_a_secret_is_made_once_and_kept(tmp_path):
    path = tmp_path / "var" / "gateway-secret"

    first = development_secret(path)

    assert len(first) >= 32 and development_secret(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["gateway-secret"]


def test_processes_starting_together_all_read_the_same_secret(tmp_path):
    path = tmp_path / "var" / "gateway-secret"
    start = time.time() + 2  # every process waits for the same moment
    program = (
        "import sys, time; from pathlib import Path;"
        "from infra.devsecret import development_secret;"
        "time.sleep(max(0, float(sys.argv[1]) - time.time()));"
        "print(development_secret(Path(sys.argv[2])))"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", program, str(start), str(path)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(12)
    ]
    found = {process.communicate(timeout=60)[0].strip() for process in processes}

    assert found == {path.read_text().strip()}
    assert [p.name for p in path.parent.iterdir()] == ["gateway-secret"]
