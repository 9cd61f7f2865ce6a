"""The gateway's routes, one module per area; `gateway.service` puts them together."""
