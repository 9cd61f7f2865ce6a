# nameko's services run on eventlet; the patch must come before anything else
# imports socket, threading or time.
import os
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
# hypothesis would otherwise load trio's plugin after the patch below, and
# trio cannot be imported over eventlet's green sockets.
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")

import eventlet  # noqa: E402

eventlet.monkey_patch()

import signal  # noqa: E402


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def pytest_configure(config):
    # SIGTERM (make test's runner passes it on; so do CI and ops tools) is
    # taken as Ctrl-C, so that fixtures still tear down: a test's private
    # RabbitMQ node, in a session of its own, is stopped rather than left.
    signal.signal(signal.SIGTERM, _interrupt)
