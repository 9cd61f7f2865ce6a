"""A real SMTP server in its own process (aiosmtpd), saving what it receives into a
Maildir, so tests hold a real SMTP conversation and can read what arrived."""

import mailbox
import os
import socket
import subprocess
import sys
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> "SmtpSink":
        self.process = subprocess.Popen(self._command(), stderr=subprocess.DEVNULL)
        self._wait_until_listening()
        return self

    def _command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{self.port}",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            str(self.folder),
        ]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def messages(self) -> list[EmailMessage]:
        if not (self.folder / "new").exists():
            return []
        box = mailbox.Maildir(self.folder, factory=None, create=False)
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(box.get_bytes(key)) for key in box.keys()]

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the SMTP sink did not start")


class SecureSmtpSink(SmtpSink):
    """The same, but mail is taken only over TLS (STARTTLS, or SMTPS with
    `mode="smtps"`) after a login, with a certificate from `tests.support.tls`."""

    def __init__(self, folder: Path, certificates, mode: str = "starttls"):
        super().__init__(folder)
        self.certificates, self.mode = certificates, mode
        self.user, self.password = "cydlynydd", "cyfrinair-prawf"

    @property
    def url(self) -> str:
        login = f"{self.user}:{self.password}@127.0.0.1:{self.port}"
        if self.mode == "smtps":
            return f"smtps://{login}"
        return f"smtp://{login}?starttls=true"

    def start(self) -> "SmtpSink":
        root = Path(__file__).parents[2]
        environment = {**os.environ, "PYTHONPATH": str(root)}
        self.process = subprocess.Popen(
            self._command(), cwd=root, env=environment, stderr=subprocess.DEVNULL
        )
        self._wait_until_listening()
        return self

    def _command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "tests.support.smtp_server",
            str(self.port),
            str(self.folder),
            self.certificates.cert_file,
            self.certificates.key_file,
            self.user,
            self.password,
            self.mode,
        ]


class RefusingSmtpSink(SmtpSink):
    """The same, but told to `refuse()` it answers 451 to every recipient until
    told to `accept()` again (tests.support.refusing_smtp)."""

    def __init__(self, folder: Path):
        super().__init__(folder)
        self.switch = folder.parent / f"{folder.name}.refusing"

    def start(self) -> "SmtpSink":
        root = Path(__file__).parents[2]
        environment = {**os.environ, "PYTHONPATH": str(root)}
        self.process = subprocess.Popen(
            self._command(), cwd=root, env=environment, stderr=subprocess.DEVNULL
        )
        self._wait_until_listening()
        return self

    def _command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "tests.support.refusing_smtp",
            str(self.port),
            str(self.folder),
            str(self.switch),
        ]

    def refuse(self) -> None:
        self.switch.touch()

    def accept(self) -> None:
        self.switch.unlink(missing_ok=True)
