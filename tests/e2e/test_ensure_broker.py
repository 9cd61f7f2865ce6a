"""`make`'s broker step (scripts/ensure_broker.py) brings back a local
RabbitMQ that does not answer, on a node of the test's own: one that is up but
refuses every client, and one that is not running at all."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.broker import script

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("rabbitmqctl", "rabbitmq-server", "rabbitmq-upgrade")


@pytest.fixture
def environment(private_broker, tmp_path):
    """The script's environment: the private node's, with wrappers of RabbitMQ's
    commands first on PATH, so that every command the script runs
    reaches the private node and never the machine's."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in TOOLS:
        wrapper = tools / name
        wrapper.write_text(f'#!/bin/sh\nexec "{script(name)}" "$@"\n')
        wrapper.chmod(0o755)
    return {
        **private_broker.environment,
        "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
        "AMQP_URI": private_broker.amqp_uri,
    }


def ensure_broker(environment) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "ensure_broker.py")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_node_that_refuses_every_client_has_its_application_restarted(
    private_broker, environment
):
    subprocess.run(
        [script("rabbitmq-upgrade"), "-n", private_broker.node, "drain"],
        env=private_broker.environment,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert not private_broker._answers()

    done = ensure_broker(environment)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "restarting its application" in done.stdout
    assert "restarting its node" not in done.stdout
    assert private_broker._answers()
    assert "Is under maintenance?: false" in private_broker.ctl("status")


def test_a_node_that_is_not_running_is_started(private_broker, environment):
    private_broker.stop()
    try:
        done = ensure_broker(environment)

        assert done.returncode == 0, done.stdout + done.stderr
        assert "starting it" in done.stdout
        assert private_broker._answers()
    finally:
        # Started detached by the script, so not the fixture's to stop.
        subprocess.run(
            [script("rabbitmqctl"), "-n", private_broker.node, "shutdown"],
            env=private_broker.environment,
            capture_output=True,
            timeout=120,
        )
