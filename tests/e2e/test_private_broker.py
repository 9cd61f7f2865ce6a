"""The fault tests' own RabbitMQ node: stopping and starting it loses neither
durable queues nor the persistent messages waiting in them; and a service
whose reply could not be sent while it was down goes on serving."""

import eventlet
from kombu import Connection, Exchange, Producer, Queue
from nameko.containers import ServiceContainer
from nameko.standalone.rpc import ServiceRpcProxy

from infra.rpc import rpc
from tests.support.waiting import eventually

EXCHANGE = Exchange("faults.check", type="direct", durable=True)
QUEUES = [
    Queue("check.classic", EXCHANGE, routing_key="classic", durable=True),
    Queue(
        "check.quorum",
        EXCHANGE,
        routing_key="quorum",
        durable=True,
        queue_arguments={"x-queue-type": "quorum"},
    ),
]


def publish(amqp_uri: str, routing_key: str, body: dict) -> None:
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        channel = conn.default_channel
        for queue in QUEUES:
            queue(channel).declare()
        Producer(channel).publish(
            body, exchange=EXCHANGE, routing_key=routing_key, delivery_mode=2
        )


def take_all(amqp_uri: str, queue: Queue) -> list[dict]:
    taken = []
    with Connection(amqp_uri) as conn:
        bound = queue(conn.default_channel)
        while message := bound.get(no_ack=False, accept=["json"]):
            taken.append(message.payload)
            message.ack()
    return taken


def test_waiting_messages_survive_a_stopped_app_and_a_restarted_node(
    private_broker,
):
    uri = private_broker.amqp_uri
    publish(uri, "classic", {"n": 1})
    publish(uri, "quorum", {"n": 1})

    private_broker.stop_app()
    private_broker.start_app()
    publish(uri, "classic", {"n": 2})
    publish(uri, "quorum", {"n": 2})
    private_broker.restart()

    assert take_all(uri, QUEUES[0]) == [{"n": 1}, {"n": 2}]
    assert take_all(uri, QUEUES[1]) == [{"n": 1}, {"n": 2}]


class Slowpoke:
    name = "slowpoke"

    @rpc
    def answer_later(self, seconds: float) -> str:
        eventlet.sleep(seconds)
        return "later"

    @rpc
    def ping(self) -> str:
        return "pong"


def test_a_service_whose_reply_is_lost_in_a_broker_restart_keeps_serving(
    private_broker,
):
    config = {"AMQP_URI": private_broker.amqp_uri}
    container = ServiceContainer(Slowpoke, config)
    container.start()
    with ServiceRpcProxy("slowpoke", config) as caller:
        caller.answer_later.call_async(2)
        eventually(lambda: container._worker_threads, timeout=10)

    private_broker.stop_app()
    eventually(lambda: not container._worker_threads, timeout=60, interval=0.5)
    private_broker.start_app()

    try:
        with ServiceRpcProxy("slowpoke", config, timeout=30) as caller:
            assert caller.ping() == "pong"
        assert not container._died.ready()
    finally:
        container.kill()
