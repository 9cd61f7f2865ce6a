"""`make test`'s runner: one exit status for three processes, and output
copied whole, line by line, with the process named."""

import io
import threading

from scripts import run_tests


def test_the_suite_passes_only_when_every_process_passed():
    assert run_tests.worst([0, 0, 0]) == 0
    assert run_tests.worst([0, 1, 0]) == 1
    assert run_tests.worst([5, 0, 1]) == 5


def test_a_process_killed_by_a_signal_fails_the_suite():
    assert run_tests.worst([0, -9, 0]) == 137


def test_each_line_is_copied_as_bytes_headed_by_its_process(capsysbinary):
    stream = io.BytesIO("tests/unit ✓ ŵyr ŷd\n".encode() + b"\xff half\n")

    run_tests.relay("other", stream, threading.Lock())

    assert capsysbinary.readouterr().out == (
        b"[other] tests/unit \xe2\x9c\x93 \xc5\xb5yr \xc5\xb7d\n[other] \xff half\n"
    )


def test_every_group_of_integration_tests_named_still_exists():
    for patterns in run_tests.BESIDE.values():
        for pattern in patterns:
            assert run_tests.integration([pattern]), pattern
