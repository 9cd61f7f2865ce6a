"""The AsyncAPI 3.0 document of the events partners may subscribe to, generated
from contracts/events: each exchange and routing key, and each payload's schema
inside its CloudEvents envelope. Internal events are left out."""

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from contracts.events import CATALOGUE, EventType


def public_events() -> list[EventType]:
    return [event for event in CATALOGUE if not event.internal]


def payload_schemas(events: list[EventType]) -> dict[str, Any]:
    """JSON Schemas of each event's data, and of what they are made of."""
    spec = APISpec(
        title="events",
        version="1",
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
    )
    for event in events:
        spec.components.schema(_data_name(event), schema=event.schema)
    return spec.to_dict()["components"]["schemas"]


def envelope(event: EventType) -> dict[str, Any]:
    return {
        "type": "object",
        "description": "A CloudEvents 1.0 envelope in JSON.",
        "required": ["specversion", "id", "source", "type", "time", "data"],
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {"type": "string", "format": "uuid"},
            "source": {"const": f"/coprod/{event.service}"},
            "type": {"const": event.name},
            "subject": {"type": "string"},
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"const": "application/json"},
            "dataschema": {"const": f"urn:coprod:event:{event.name}:v{event.version}"},
            "data": {"$ref": f"#/components/schemas/{_data_name(event)}"},
        },
    }


def document(host: str = "127.0.0.1:5672", vhost: str = "/") -> dict[str, Any]:
    events = public_events()
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Co-production Network for Wales events",
            "version": "1",
            "description": (
                "Facts the platform publishes, as CloudEvents in JSON on RabbitMQ "
                "topic exchanges named `<service>.events`, with the event name as "
                "the routing key. Bind a durable queue of your own to the routing "
                "keys you want; see /api/events."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "broker": {"host": host, "protocol": "amqp", "protocolVersion": "0.9.1"}
        },
        "channels": {_channel(e): _channel_object(e, vhost) for e in events},
        "operations": {
            f"receive{event.name}": {
                "action": "receive",
                "summary": event.summary,
                "channel": {"$ref": f"#/channels/{_channel(event)}"},
                "messages": [
                    {"$ref": f"#/channels/{_channel(event)}/messages/{event.name}"}
                ],
            }
            for event in events
        },
        "components": {
            "messages": {event.name: _message(event) for event in events},
            "schemas": {
                **payload_schemas(events),
                **{f"{e.name}Envelope": envelope(e) for e in events},
            },
        },
    }


def _channel(event: EventType) -> str:
    return f"{event.service}.{event.name}"


def _data_name(event: EventType) -> str:
    return f"{event.name}V{event.version}"


def _channel_object(event: EventType, vhost: str) -> dict[str, Any]:
    return {
        "address": event.name,
        "description": f"Routing key `{event.name}` on exchange `{event.exchange}`.",
        "messages": {event.name: {"$ref": f"#/components/messages/{event.name}"}},
        "bindings": {
            "amqp": {
                "is": "routingKey",
                "exchange": {
                    "name": event.exchange,
                    "type": "topic",
                    "durable": True,
                    "autoDelete": False,
                    "vhost": vhost,
                },
                "bindingVersion": "0.3.0",
            }
        },
    }


def _message(event: EventType) -> dict[str, Any]:
    return {
        "name": event.name,
        "title": event.name,
        "summary": event.summary,
        "description": (event.schema.__doc__ or "").strip(),
        "contentType": "application/json",
        "payload": {"$ref": f"#/components/schemas/{event.name}Envelope"},
        "bindings": {"amqp": {"messageType": event.name, "bindingVersion": "0.3.0"}},
    }
