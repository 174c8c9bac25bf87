"""A pytest plugin (loaded by conftest.py): real SPARQL servers on 127.0.0.1, started once per session.

- ``oxigraph_server``: ``oxigraph serve`` (PyPI ``oxigraph``, in the test extra);
- ``virtuoso_server``: a private Virtuoso 7 (Debian ``virtuoso-opensource``) with
  the packaged ``ResultSetMaxRows`` of 10,000, the setting users' servers have;
- ``virtuoso_capped``: another private Virtuoso whose ``ResultSetMaxRows`` is
  :data:`CAP` (7), so that any answer longer than 7 rows is cut by the server
  and only paging gives it whole;
- ``store_server``: parametrised over Oxigraph and Virtuoso, for tests that
  must hold on both.

Each yields a :class:`Store` (``.url``, ``.user``, ``.password``, ``.kind``).
The servers are shared by the whole session: a test keeps to graphs of its
own by pushing under a base IRI of its own (``store.new_base()``). Starting
them is bench/servers.py's job, so the benchmark measures what the tests check.

A server that cannot start skips its tests with the reason (never a reason
starting "this machine": CI installs both, so there the skip fails the run).
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kgraph.store.client import StoreClient

REPO = Path(__file__).resolve().parent.parent
CAP = 7  # the capped Virtuoso's ResultSetMaxRows


def _servers_module() -> Any:
    name = "kgraph_bench_servers"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "servers.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # registered before it runs, as dataclasses look their module up there
        spec.loader.exec_module(module)
    return module


_counter = itertools.count(1)


@dataclass
class Store:
    """A running server as the tests see it: where it is, its account, and a fresh base IRI per push."""

    kind: str
    url: str
    user: str | None
    password: str | None
    max_rows: int | None = None
    server: Any = field(default=None, repr=False)

    def client(self, **kwargs: Any) -> StoreClient:
        """A client logged in with the server's account."""
        return StoreClient(self.url, user=self.user, password=self.password, **kwargs)

    def new_base(self) -> str:
        """A base IRI no other test uses, so graphs pushed under it are this test's alone."""
        return f"https://example.org/t{next(_counter)}/kgraph/"

    def cli_env(self) -> dict[str, str]:
        """Environment variables giving ``kgraph push`` this server's account."""
        env: dict[str, str] = {}
        if self.user is not None:
            env["KGRAPH_STORE_USER"] = self.user
        if self.password is not None:
            env["KGRAPH_STORE_PASSWORD"] = self.password
        return env


def _start(kind: str, folder: Path, **options: Any) -> Iterator[Store]:
    servers = _servers_module()
    try:
        server = servers.start_oxigraph(folder) if kind == "oxigraph" else servers.start_virtuoso(folder, **options)
    except servers.ServerError as e:
        pytest.skip(f"{kind} could not start: {e}")
    try:
        yield Store(server.kind, server.url, server.user, server.password, server.max_rows, server)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """An Oxigraph server with an empty on-disk store, for the session."""
    yield from _start("oxigraph", tmp_path_factory.mktemp("oxigraph"))


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A private Virtuoso 7 with the packaged settings (ResultSetMaxRows 10,000), for the session."""
    yield from _start("virtuoso", tmp_path_factory.mktemp("virtuoso"))


@pytest.fixture(scope="session")
def virtuoso_capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A private Virtuoso 7 that cuts every result set at :data:`CAP` rows, for the session."""
    yield from _start("virtuoso", tmp_path_factory.mktemp("virtuoso-capped"), max_rows=CAP)


@pytest.fixture(params=["oxigraph", "virtuoso"])
def store_server(request: pytest.FixtureRequest) -> Store:
    """Each real server in turn (Oxigraph, then Virtuoso)."""
    store: Store = request.getfixturevalue(f"{request.param}_server")
    return store


@pytest.fixture
def unused_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (a store that is down)."""
    port: int = _servers_module().free_port()
    return port
