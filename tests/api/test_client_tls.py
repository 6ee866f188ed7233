"""The CA bundle is read once per process, and not at all by a client of plain-http servers
(the simulator): reading it is about 0.1 s of every start."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest

from pumptui.api.client import PumpClient, _verified_tls_context
from pumptui.config import ApiSettings
from pumptui.sim import SimServer
from tests.api.conftest import make_client

LOOPBACK = ApiSettings(
    frontend_url="http://127.0.0.1:9", swap_url="http://127.0.0.1:9", indexer_url="http://[::1]:9"
)


@pytest.fixture
def bundle_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every load of CA certificates in this process, while the test runs (from a cold start)."""
    reads: list[object] = []
    load = ssl.SSLContext.load_verify_locations

    def counted(self: ssl.SSLContext, *args: object, **kwargs: object) -> None:
        reads.append(args or kwargs)
        load(self, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counted)
    _verified_tls_context.cache_clear()
    yield reads
    _verified_tls_context.cache_clear()


async def test_a_client_of_plain_http_servers_reads_no_ca_bundle(
    bundle_reads: list[object], sim: SimServer
) -> None:
    async with make_client(sim) as client:
        await client.sol_price()
    async with PumpClient(LOOPBACK):
        pass

    assert bundle_reads == []


async def test_clients_of_https_servers_share_one_read_of_the_bundle(
    bundle_reads: list[object],
) -> None:
    async with PumpClient(ApiSettings()), PumpClient(ApiSettings()):
        pass

    assert len(bundle_reads) == 1
    context = _verified_tls_context()
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0
