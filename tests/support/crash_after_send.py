"""Send one delivery with the real code and the real SMTP server, then die
before the service can record the result: `python -m tests.support.crash_after_send
DATABASE_URL SMTP_URL SECRET_KEY DELIVERY_ID before|after`. With `before` the
process dies as it is about to speak SMTP; with `after`, once the server has
accepted the message. The process exits without cleaning up, like a crash."""

import os
import sys

from sqlalchemy.orm import sessionmaker

from infra.db import make_engine
from services.notifications import sending
from services.notifications.mailer import SmtpPostbox
from services.notifications.settings import Settings


class DiesOnSend:
    def __init__(self, url: str, when: str):
        self.postbox, self.when = SmtpPostbox(url), when

    def send(self, message, before_data) -> None:
        message["From"] = "hello@coprod.example.cymru"
        if self.when == "before":
            os._exit(3)
        self.postbox.send(message, before_data)
        os._exit(4)


def main(database_url, smtp_url, secret_key, delivery_id, when) -> None:
    session = sessionmaker(make_engine(database_url), expire_on_commit=False)()
    settings = Settings(secret_key=secret_key)
    sending.deliver(session, DiesOnSend(smtp_url, when), settings, delivery_id)


if __name__ == "__main__":
    main(*sys.argv[1:])
