"""Shared by the dataset tests: no test here may reach the internet.

``_network_guard`` (autouse) makes any connection to a non-loopback host fail the test
with an AssertionError; ``test_guard_blocks_internet`` in test_datasets_download.py proves
that it works.
"""

import socket

import pytest

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(autouse=True)
def _network_guard(monkeypatch):
    """Fail the test on any attempt to connect to a non-loopback host."""
    real_create_connection = socket.create_connection
    real_connect = socket.socket.connect

    def create_connection(address, *args, **kwargs):
        if address[0] not in LOOPBACK:
            raise AssertionError(f"test tried to reach the internet: {address!r}")
        return real_create_connection(address, *args, **kwargs)

    def connect(self, address):
        if isinstance(address, tuple) and address[0] not in LOOPBACK:
            raise AssertionError(f"test tried to reach the internet: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket.socket, "connect", connect)
