"""Sending mail: over SMTP when `SMTP_URL` is set, else as .eml files in a folder.

`SMTP_URL` examples: `smtp://127.0.0.1:1025`,
`smtp://user:secret@mail.example:587?starttls=true`, `smtps://user:secret@mail.example:465`.
`SMTP_CA_FILE` names certificates to trust besides the system's (for a test server
with its own certificate authority; production leaves it empty).

`send` calls `before_data` after the server has accepted the sender and the
recipient and just before the message itself goes: the caller records there that
the message may now have left, which keeps the window in which a crash leaves us
unsure to the server's last reply."""

import logging
import smtplib
import ssl
import uuid
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from nameko.extensions import DependencyProvider

from services.notifications.exceptions import SendFailed

logger = logging.getLogger(__name__)

Hook = Callable[[], None]


def _nothing() -> None:
    return None


class SmtpPostbox:
    def __init__(self, url: str, ca_file: str | None = None, timeout: float = 30.0):
        self.parts = urlsplit(url)
        query = parse_qs(self.parts.query)
        self.starttls = query.get("starttls", ["false"])[0] == "true"
        self.context = ssl.create_default_context(cafile=ca_file or None)
        self.timeout = timeout

    def send(self, message: EmailMessage, before_data: Hook = _nothing) -> None:
        try:
            with self._connect() as smtp:
                self._login(smtp)
                self._transfer(smtp, message, before_data)
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            permanent = 500 <= error.smtp_code < 600
            detail = f"{type(error).__name__}: {error.smtp_code}"
            raise SendFailed(detail, permanent) from error
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise SendFailed(f"recipient refused {codes}", min(codes) >= 500) from error
        except (OSError, smtplib.SMTPException) as error:
            detail = f"{type(error).__name__}: {error}"
            raise SendFailed(detail, definite=False) from error

    def _connect(self) -> smtplib.SMTP:
        host = self.parts.hostname or "127.0.0.1"
        if self.parts.scheme == "smtps":
            return smtplib.SMTP_SSL(
                host, self.parts.port or 465, timeout=self.timeout, context=self.context
            )
        smtp = smtplib.SMTP(host, self.parts.port or 25, timeout=self.timeout)
        if self.starttls:
            smtp.starttls(context=self.context)
        return smtp

    def _login(self, smtp: smtplib.SMTP) -> None:
        if self.parts.username:
            user, password = self.parts.username, self.parts.password or ""
            smtp.login(unquote(user), unquote(password))

    def _transfer(self, smtp: smtplib.SMTP, message: EmailMessage, hook: Hook) -> None:
        sender = getaddresses([message["From"]])[0][1]
        recipients = [address for _, address in getaddresses(message.get_all("To"))]
        international = not all(a.isascii() for a in [sender, *recipients])
        options = ["SMTPUTF8", "BODY=8BITMIME"] if international else []
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(sender, options)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        for recipient in recipients:
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
        hook()
        chosen = policy.SMTPUTF8 if international else policy.SMTP
        code, reply = smtp.data(message.as_bytes(policy=chosen))
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)


class FolderPostbox:
    """The embedded default: each message becomes one .eml file."""

    def __init__(self, folder: str):
        self.folder = Path(folder)

    def send(self, message: EmailMessage, before_data: Hook = _nothing) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"{uuid.uuid4()}.eml"
            partial = self.folder / f".{name}.part"
            partial.write_bytes(message.as_bytes())
            before_data()
            partial.rename(self.folder / name)
        except OSError as error:
            raise SendFailed(f"{type(error).__name__}: {error}") from error


class Mailer(DependencyProvider):
    """Injects itself: `send(message, before_data)` with our From address."""

    def setup(self) -> None:
        config = self.container.config
        url = config.get("SMTP_URL") or ""
        timeout = float(config.get("SMTP_TIMEOUT") or 30)
        self.postbox = (
            SmtpPostbox(url, config.get("SMTP_CA_FILE"), timeout)
            if url
            else FolderPostbox(config.get("MAIL_DIR") or "var/mail")
        )
        self.sender = config.get("MAIL_FROM") or "hello@coprod.example.cymru"

    def get_dependency(self, worker_ctx) -> "Mailer":
        return self

    def send(self, message: EmailMessage, before_data: Hook = _nothing) -> None:
        message["From"] = self.sender
        self.postbox.send(message, before_data)
