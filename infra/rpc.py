"""nameko's RPC entrypoint, made to ride out a broker restart.

nameko acknowledges a request only after publishing its reply. When the broker
goes away mid-request, publishing the reply fails, and the error escapes the
worker: nameko takes it for a bug and kills the whole container, so one
restart of RabbitMQ stops the service for good. Here the reply is given up
instead: the caller has its own deadline (the gateway answers 503), and a
request whose connection is gone is handed out again by the broker once the
consumer has reconnected, unless it expired meanwhile. Acknowledging on a
connection that is already gone is likewise skipped rather than fatal."""

import logging

from nameko.rpc import Rpc, RpcConsumer

from infra.broker import BROKER_ERRORS, ResilientQueueConsumer

logger = logging.getLogger(__name__)


class ResilientRpcConsumer(RpcConsumer):
    queue_consumer = ResilientQueueConsumer()

    def handle_result(self, message, result, exc_info):
        try:
            return super().handle_result(message, result, exc_info)
        except BROKER_ERRORS as error:
            logger.warning(
                "rpc.reply_lost routing_key=%s error=%s",
                message.delivery_info.get("routing_key"),
                type(error).__name__,
            )
            # The work is done and committed; only its answer is lost. On a
            # live connection the request is acknowledged, so that it does not
            # hold a prefetch slot for ever; on a dead one this is skipped and
            # the broker hands the request out again after the reconnect.
            self.queue_consumer.ack_message(message)
            return result, exc_info


class ResilientRpc(Rpc):
    rpc_consumer = ResilientRpcConsumer()


rpc = ResilientRpc.decorator
