"""Sending mail: over SMTP when `SMTP_URL` is set, else as .eml files in a folder.

`SMTP_URL` examples: `smtp://127.0.0.1:1025`, `smtp://user:secret@mail.example:587?starttls=true`,
`smtps://user:secret@mail.example:465`."""

import logging
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from nameko.extensions import DependencyProvider

from services.notifications.exceptions import SendFailed

logger = logging.getLogger(__name__)


class SmtpPostbox:
    def __init__(self, url: str, timeout: float = 30.0):
        self.parts = urlsplit(url)
        self.starttls = (
            parse_qs(self.parts.query).get("starttls", ["false"])[0] == "true"
        )
        self.timeout = timeout

    def send(self, message: EmailMessage) -> None:
        try:
            with self._connect() as smtp:
                if self.parts.username:
                    smtp.login(
                        unquote(self.parts.username), unquote(self.parts.password or "")
                    )
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise SendFailed(f"{type(error).__name__}: {error}") from error

    def _connect(self) -> smtplib.SMTP:
        host, context = self.parts.hostname or "127.0.0.1", ssl.create_default_context()
        if self.parts.scheme == "smtps":
            return smtplib.SMTP_SSL(
                host, self.parts.port or 465, timeout=self.timeout, context=context
            )
        smtp = smtplib.SMTP(host, self.parts.port or 25, timeout=self.timeout)
        if self.starttls:
            smtp.starttls(context=context)
        return smtp


class FolderPostbox:
    """The embedded default: each message becomes one .eml file."""

    def __init__(self, folder: str):
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{uuid.uuid4()}.eml"
        partial = self.folder / f".{name}.part"
        partial.write_bytes(message.as_bytes())
        partial.rename(self.folder / name)


class Mailer(DependencyProvider):
    def setup(self) -> None:
        config = self.container.config
        url = config.get("SMTP_URL") or ""
        self.postbox = (
            SmtpPostbox(url)
            if url
            else FolderPostbox(config.get("MAIL_DIR", "var/mail"))
        )
        self.sender = config.get("MAIL_FROM", "hello@coprod.example.cymru")

    def get_dependency(self, worker_ctx) -> "Mailer":
        return self

    def send(self, message: EmailMessage) -> None:
        message["From"] = self.sender
        self.postbox.send(message)
