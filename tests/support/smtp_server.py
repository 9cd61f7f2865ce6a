"""An SMTP server for tests that need STARTTLS (or SMTPS) and a login, run as
`python -m tests.support.smtp_server PORT MAILDIR CERT KEY USER PASSWORD [smtps]`.
It refuses mail until the client has switched to TLS and logged in."""

import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword


class OnePassword:
    def __init__(self, user: str, password: str):
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        good = isinstance(auth_data, LoginPassword) and (
            auth_data.login == self.user and auth_data.password == self.password
        )
        return AuthResult(success=good, handled=False)


def main(port, maildir, cert, key, user, password, mode="starttls") -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    options = {
        "authenticator": OnePassword(user, password),
        "auth_required": True,
        "auth_require_tls": True,
    }
    if mode == "smtps":
        # the whole connection is TLS; aiosmtpd counts only STARTTLS as "tls"
        options.update(ssl_context=context, auth_require_tls=False)
    else:
        options.update(tls_context=context, require_starttls=True)
    controller = Controller(
        Mailbox(maildir), hostname="127.0.0.1", port=int(port), **options
    )
    controller.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main(*sys.argv[1:])
