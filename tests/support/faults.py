"""The fault test's people and the load they make through the gateway.

Newcomers join, confirm their address with the link they were sent and tell a
story; long-standing members, whose first feedback round is open, give
feedback. Each request is sent again, with the same body and the same
`Idempotency-Key`, as a patient client would, for as long as the platform
answers 503 or does not answer at all; any other answer is final. What the
platform accepted is recorded by e-mail address or member id, so the test can
compare sets, not just totals."""

import copy
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import eventlet
import requests
from kombu import Connection, Exchange, Producer
from tenacity import (
    Retrying,
    retry_if_exception_type,
    retry_if_result,
    stop_after_delay,
    wait_exponential,
)

from contracts.envelope import make_envelope
from contracts.events import lookup
from tests.support.members import snapshot
from tests.support.sessions import signed_in
from tests.support.signups import SIGNUPS, address, join_body

PATIENCE = 240.0  # seconds a client keeps trying one request
TRANSIENT = (502, 503, 504)
STORIES_VERIFIED_QUEUE = "evt-membership-MemberVerified--stories.on_member_verified"

STORY = {
    "title": "Cyfarfod cyntaf y grŵp",
    "language": "cy",
    "sharing": "members",
    "answers": {
        "prompt": "turning_point",
        "feeling": {"choice": "positive"},
        "about": {"choice": "community"},
        "role": {"choice": "volunteering"},
    },
}


def letters(n: int) -> str:
    """0 -> 'aaa', 1 -> 'aab' ...: a name part without digits, as names have."""
    code = ""
    for _ in range(3):
        n, rest = divmod(n, 26)
        code = chr(ord("a") + rest) + code
    return code


@dataclass
class Newcomer:
    n: int
    form: dict[str, Any]
    story_key: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def email(self) -> str:
        return address(self.form["email"])

    @property
    def name(self) -> str:
        return self.form["name"]

    @property
    def listed(self) -> bool:
        return bool(self.form["consents"]["listed"])

    def story(self) -> dict[str, Any]:
        return {**STORY, "text": f"Stori {self.name}: dechreuon ni gyfarfod."}


@dataclass
class Elder:
    """A member since long ago, known to the stories service only, whose first
    feedback round is due."""

    member_id: str
    name: str


def newcomers(count: int) -> list[Newcomer]:
    made = []
    for n in range(count):
        form = copy.deepcopy(join_body(SIGNUPS[n % len(SIGNUPS)]))
        code = letters(n)
        first = form["name"].split()[0]
        form["name"] = f"{first} Namprawf{code}"
        form["email"] = f"namprawf.{code}@example.cymru"
        made.append(Newcomer(n, form))
    return made


def elders(count: int) -> list[Elder]:
    return [
        Elder(str(uuid.uuid4()), f"Hynafol Namprawf{letters(n)}") for n in range(count)
    ]


def seed_elders(amqp_uri: str, found: list[Elder]) -> None:
    """Tell the stories service (only: straight to its queue) of members who
    confirmed two hundred days ago, so a feedback round is due for each."""
    long_ago = datetime.now(UTC) - timedelta(days=200)
    contract = lookup("MemberVerified")
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        producer = Producer(conn.default_channel)
        for elder in found:
            data = snapshot(
                elder.name,
                member_id=elder.member_id,
                listed=False,
                joined_at=long_ago,
                verified_at=long_ago,
            )
            envelope = make_envelope(
                contract.service,
                "MemberVerified",
                elder.member_id,
                contract.schema().dump(data),
            )
            producer.publish(
                envelope,
                exchange=Exchange(""),
                routing_key=STORIES_VERIFIED_QUEUE,
                serializer="json",
                delivery_mode=2,
            )


class Client:
    """Sends one request until the platform takes it or refuses it for good;
    counts every answer by kind and status."""

    def __init__(self, url: str):
        self.url = url
        self.answers: Counter = Counter()
        self.troubles: list[tuple[float, object]] = []  # (when, 5xx or error)
        self.lock = threading.Lock()

    def send(self, kind: str, method: str, path: str, **options) -> requests.Response:
        """The final answer; its `tries` says how many requests it took."""
        retrying = Retrying(
            retry=retry_if_exception_type(requests.RequestException)
            | retry_if_result(lambda r: r.status_code in TRANSIENT),
            wait=wait_exponential(multiplier=0.5, max=5),
            stop=stop_after_delay(PATIENCE),
            retry_error_callback=lambda state: state.outcome.result(),
        )
        answer = retrying(self._once, kind, method, path, **options)
        answer.tries = retrying.statistics["attempt_number"]
        return answer

    def _once(self, kind: str, method: str, path: str, *, browser=None, **options):
        try:
            response = (browser or requests).request(
                method, f"{self.url}{path}", timeout=30, **options
            )
        except requests.RequestException as error:
            self._count(kind, type(error).__name__)
            raise
        self._count(kind, response.status_code)
        return response

    def _count(self, kind: str, outcome) -> None:
        with self.lock:
            self.answers[(kind, outcome)] += 1
            if not isinstance(outcome, int) or outcome >= 500:
                self.troubles.append((time.monotonic(), outcome))

    def troubles_between(self, began: float, ended: float) -> Counter:
        return Counter(o for when, o in self.troubles if began <= when <= ended)


@dataclass
class Accepted:
    joins: set[str] = field(default_factory=set)
    confirmed: set[str] = field(default_factory=set)
    stories: set[str] = field(default_factory=set)
    feedback: set[str] = field(default_factory=set)
    member_ids: dict[str, str] = field(default_factory=dict)
    listed: dict[str, bool] = field(default_factory=dict)
    refused: list[tuple[str, str, int]] = field(default_factory=list)


class Load:
    """Drives the newcomers and elders through the gateway over `seconds`."""

    def __init__(self, url: str, links, seconds: float):
        self.client = Client(url)
        self.links = links
        self.seconds = seconds
        self.accepted = Accepted()

    def run(self, people: list[Newcomer], old: list[Elder]) -> Accepted:
        pool = eventlet.GreenPool(64)
        everyone = [*people, *old]
        gap = self.seconds / max(len(everyone), 1)
        started = time.monotonic()
        for i, someone in enumerate(_interleave(people, old)):
            eventlet.sleep(max(0.0, started + i * gap - time.monotonic()))
            act = self.newcomer if isinstance(someone, Newcomer) else self.elder
            pool.spawn_n(act, someone)
        pool.waitall()
        return self.accepted

    def newcomer(self, person: Newcomer) -> None:
        joined = self.client.send("join", "POST", "/api/v1/members", json=person.form)
        if not self._took(joined, "join", person.email, 202):
            return
        self.accepted.joins.add(person.email)
        self.accepted.listed[person.email] = person.listed
        link = self._link(person.email)
        if link is None:
            return
        self.accepted.member_ids[person.email] = link["member_id"]
        if self._confirm(person, link["token"]):
            self.accepted.confirmed.add(person.email)
        self._tell(person, link["member_id"])

    def _tell(self, person: Newcomer, member_id: str) -> None:
        told = self.client.send(
            "story",
            "POST",
            "/api/v1/stories",
            json=person.story(),
            cookies=signed_in(member_id),
            headers={"Idempotency-Key": person.story_key},
        )
        if self._took(told, "story", person.email, 201):
            self.accepted.stories.add(member_id)

    def _confirm(self, person: Newcomer, token: str) -> bool:
        """Open the link and press its button, as a browser would. A press whose
        answer was lost finds the link used on the next try: that counts as
        confirmed here, and the test checks it against the member's status."""
        browser, path = requests.Session(), f"/confirm/{token}"
        page = self.client.send("confirm", "GET", path, browser=browser)
        if page.status_code != 200:
            return self._took(page, "confirm", person.email, 200)
        pressed = self.client.send(
            "confirm",
            "POST",
            path,
            browser=browser,
            data={"csrf_token": _form_token(page.text)},
        )
        if pressed.status_code != 200 and pressed.tries > 1:
            return True
        return self._took(pressed, "confirm", person.email, 200)

    def elder(self, elder: Elder) -> None:
        given = self.client.send(
            "feedback",
            "POST",
            "/api/v1/feedback",
            json={"rating": 4, "progress": "Rydym yn cyfarfod bob mis."},
            cookies=signed_in(elder.member_id),
        )
        # 409 on a later try: an earlier try was kept and its answer was lost.
        if given.status_code == 201 or (given.status_code == 409 and given.tries > 1):
            self.accepted.feedback.add(elder.member_id)
        else:
            self._took(given, "feedback", elder.member_id, 201)

    def _took(self, answer, kind: str, who: str, wanted: int) -> bool:
        if answer.status_code == wanted:
            return True
        self.accepted.refused.append((kind, who, answer.status_code))
        return False

    def _link(self, email: str, timeout: float = PATIENCE) -> dict | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for envelope in reversed(self.links.seen):
                data = envelope["data"]
                if data["purpose"] == "confirm" and address(data["email"]) == email:
                    return data
            eventlet.sleep(0.5)
        self.accepted.refused.append(("link", email, 0))
        return None


def _interleave(people: list, old: list) -> list:
    """Newcomers with an elder every few of them, so feedback comes throughout."""
    mixed, every = [], max(1, len(people) // max(len(old), 1))
    old = list(old)
    for i, person in enumerate(people):
        mixed.append(person)
        if old and i % every == every - 1:
            mixed.append(old.pop(0))
    return mixed + old


def _form_token(page: str) -> str:
    marker = 'name="csrf_token" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]
