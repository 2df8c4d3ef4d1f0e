"""The client commands run against the same real server as the SDK tests."""

from tests.sdk.conftest import acme, catalog, server, server_settings

__all__ = ["acme", "catalog", "server", "server_settings"]
