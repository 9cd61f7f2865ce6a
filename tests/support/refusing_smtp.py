"""An SMTP server that keeps what it takes in a Maildir, and answers every
recipient with 451 (try again later) while a switch file exists, as a mail
relay that is overloaded or being mended does. Run as
`python -m tests.support.refusing_smtp PORT MAILDIR SWITCH_FILE`."""

import signal
import sys
import threading
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox

REFUSAL = "451 4.3.0 Not taking mail just now, try again later"


class RefusingMailbox(Mailbox):
    def __init__(self, maildir: str, switch: Path):
        super().__init__(maildir)
        self.switch = switch

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.switch.exists():
            return REFUSAL
        envelope.rcpt_tos.append(address)
        return "250 OK"


def main(port: str, maildir: str, switch: str) -> None:
    handler = RefusingMailbox(maildir, Path(switch))
    controller = Controller(handler, hostname="127.0.0.1", port=int(port))
    controller.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main(*sys.argv[1:])
