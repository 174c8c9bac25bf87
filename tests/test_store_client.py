"""The SPARQL store client against real servers (Oxigraph, Virtuoso 7) and, for faults, a stub server.

Real servers check what the protocols do (queries, updates, the Graph Store
Protocol, digest authentication, a result-set cap); the stub, a few lines of
``http.server``, makes the failures a real server will not make on demand:
transient 503s, a dropped connection, a silent server, basic authentication.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from stores import CAP, Store

from kgraph.errors import ExitCode, StoreError
from kgraph.store.client import Endpoints, StoreClient, nt_term

XSD = "http://www.w3.org/2001/XMLSchema#"
TRIPLES = [
    '<http://t.example/a> <http://t.example/p> "plain" .\n',
    '<http://t.example/a> <http://t.example/p> "Łukaszenka — «ok»" .\n',
    f'<http://t.example/a> <http://t.example/date> "2021-12"^^<{XSD}gYearMonth> .\n',
    f'<http://t.example/a> <http://t.example/n> "42"^^<{XSD}integer> .\n',
    '<http://t.example/a> <http://t.example/label> "Minsk"@be .\n',
    '<http://t.example/a> <http://t.example/q> "say \\"hi\\"\\nthen go" .\n',
    "<http://t.example/a> <http://t.example/to> <http://t.example/b%2Fc> .\n",
    f'<http://t.example/a> <http://t.example/flag> "true"^^<{XSD}boolean> .\n',
    f'<http://t.example/b> <http://t.example/flag> "false"^^<{XSD}boolean> .\n',
]


def graph_iri(store: Store, name: str) -> str:
    return store.new_base() + name


def triples_of(client: StoreClient, graph: str) -> set[str]:
    """The graph's triples as N-Triples lines, read back through a paged SELECT."""
    rows = client.select_all(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} ORDER BY ?s ?p ?o", terms=True
    )
    return {f"{r['s']} {r['p']} {r['o']} .\n" for r in rows}


def test_put_then_select_gives_back_every_term_exactly(store_server: Store) -> None:
    client = store_server.client()
    g = graph_iri(store_server, "terms")
    client.put(g, TRIPLES)
    assert triples_of(client, g) == set(TRIPLES)
    rows = client.select(f"SELECT ?o WHERE {{ GRAPH <{g}> {{ ?s <http://t.example/label> ?o }} }}")
    assert rows == [{"o": "Minsk"}]  # lexical values by default


def test_put_replaces_post_adds_delete_removes(store_server: Store) -> None:
    client = store_server.client()
    g = graph_iri(store_server, "crud")
    client.put(g, TRIPLES[:3])
    client.put(g, TRIPLES[3:5])
    assert triples_of(client, g) == set(TRIPLES[3:5])
    client.post(g, TRIPLES[5:])
    assert triples_of(client, g) == set(TRIPLES[3:])
    assert "<http://t.example/a>" in client.get(g)
    client.delete(g)
    assert triples_of(client, g) == set()
    assert not client.ask(f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
    client.delete(g)  # deleting a graph that is not there is no error


def test_update_runs_several_operations_in_one_request(store_server: Store) -> None:
    client = store_server.client()
    a, b = graph_iri(store_server, "a"), graph_iri(store_server, "b")
    client.put(a, TRIPLES[:2])
    before = dict(client.sent)
    client.update(
        f"MOVE SILENT <{a}> TO <{b}> ;\n"
        f'INSERT DATA {{ GRAPH <{a}> {{ <http://t.example/x> <http://t.example/p> "new" }} }}'
    )
    assert client.sent["update"] == before.get("update", 0) + 1
    assert triples_of(client, b) == set(TRIPLES[:2])
    assert triples_of(client, a) == {'<http://t.example/x> <http://t.example/p> "new" .\n'}


def test_select_all_pages_past_the_sort_limit(store_server: Store) -> None:
    """More rows than Virtuoso sorts for ``ORDER BY … LIMIT … OFFSET`` (10,000): still every row, in order."""
    client = store_server.client()
    g = graph_iri(store_server, "many")
    n = 10_050
    client.put(g, (f'<http://t.example/s{i:05d}> <http://t.example/p> "{i}" .\n' for i in range(n)))
    rows = list(client.select_all(f"SELECT ?s WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} ORDER BY DESC(?s)"))
    assert [r["s"] for r in rows] == [f"http://t.example/s{i:05d}" for i in reversed(range(n))]


def test_select_all_gives_every_row_when_the_server_caps_result_sets(virtuoso_capped: Store) -> None:
    client = virtuoso_capped.client()
    g = graph_iri(virtuoso_capped, "capped")
    client.put(g, (f'<http://t.example/s{i:03d}> <http://t.example/p> "{i}" .\n' for i in range(50)))
    query = f"SELECT ?s ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} ORDER BY ?s"
    assert len(client.select(query)) == CAP  # the cap is real: one request is cut short
    rows = list(client.select_all(query))
    assert [r["o"] for r in rows] == [str(i) for i in range(50)]
    assert client.sent["select"] >= 1 + 50 // CAP


def test_select_whole_says_when_one_answer_is_every_row(store_server: Store, virtuoso_capped: Store) -> None:
    """One request without an order is the answer only when it is short and not cut; a cut is told apart."""
    lines = [f'<http://t.example/s{i:02d}> <http://t.example/p> "{i}" .\n' for i in range(20)]
    for store in (store_server, virtuoso_capped):
        client = store.client()
        g = graph_iri(store, "whole")
        client.put(g, lines)
        query = f"SELECT ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"
        assert client.select_whole(query, 20) is None  # as many rows as asked: maybe more
        few = "FILTER(?s IN (<http://t.example/s00>, <http://t.example/s01>, <http://t.example/s02>))"
        small = client.select_whole(f"SELECT ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} {few} }}", 20)
        assert small is not None and sorted(r["o"] for r in small) == ["0", "1", "2"]  # under the cap too
        whole = client.select_whole(query, 100)
        if store is virtuoso_capped:
            assert whole is None  # Virtuoso cut it at CAP rows, and said so
        else:
            assert whole is not None and sorted(int(r["o"]) for r in whole) == list(range(20))
        sent = client.sent["select"]
        assert sorted(int(r["o"]) for r in client.select_all(query + " ORDER BY ?o")) == list(range(20))
        if store is not virtuoso_capped:
            assert client.sent["select"] == sent + 1  # a short page the store calls whole ends the paging


def test_plain_rows_give_the_same_strings_as_json_rows(store_server: Store) -> None:
    """CSV answers (what fact queries use) keep quotes, newlines and non-ASCII text exactly, as JSON answers do."""
    client = store_server.client()
    g = graph_iri(store_server, "plain")
    lines = [line for line in TRIPLES if "boolean" not in line]  # CSV writes a store's own boolean form
    client.put(g, lines)
    query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"
    plain = client.select_whole(query, 100, plain=True)
    assert plain is not None and len(plain) == len(lines)

    def key(r: dict[str, str]) -> tuple[str, str, str]:
        return (r["s"], r["p"], r["o"])

    assert sorted(map(key, plain)) == sorted(map(key, client.select(query)))
    assert any("\n" in r["o"] and '"' in r["o"] for r in plain)


def test_unbound_variables_are_absent(store_server: Store) -> None:
    client = store_server.client()
    g = graph_iri(store_server, "optional")
    client.put(g, TRIPLES[:1])
    rows = client.select(
        f"SELECT ?s ?missing WHERE {{ GRAPH <{g}> {{ ?s ?p ?o OPTIONAL {{ ?s <http://t.example/none> ?missing }} }} }}"
    )
    assert rows == [{"s": "http://t.example/a"}]


def test_the_kind_is_found_with_one_probe(store_server: Store) -> None:
    client = store_server.client()
    assert client.kind == store_server.kind
    assert client.sent == {"probe": 1}


def test_explicit_endpoints_skip_the_probe(oxigraph_server: Store) -> None:
    url = oxigraph_server.url
    endpoints = Endpoints.explicit(url, query="/query", update="/update", graph="/store")
    client = StoreClient(url, endpoints=endpoints)
    g = graph_iri(oxigraph_server, "explicit")
    client.put(g, TRIPLES[:1])
    assert client.ask(f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
    assert "probe" not in client.sent


def test_wrong_credentials_are_one_line_without_the_password(virtuoso_server: Store) -> None:
    secret = "not-the-Password-42"
    client = StoreClient(virtuoso_server.url, user="dba", password=secret)
    with pytest.raises(StoreError) as caught:
        client.put(graph_iri(virtuoso_server, "denied"), TRIPLES[:1])
    message = str(caught.value)
    assert "rejected the credentials (HTTP 401)" in message
    assert "\n" not in message and secret not in message and secret not in repr(client)
    assert caught.value.exit_code == ExitCode.STORE == 8


def test_missing_credentials_say_an_account_is_needed(virtuoso_server: Store) -> None:
    client = StoreClient(
        virtuoso_server.url, kind="virtuoso", endpoints=Endpoints.of_kind("virtuoso", virtuoso_server.url)
    )
    with pytest.raises(StoreError, match="asks for an account"):
        client.update("CLEAR SILENT GRAPH <http://t.example/none>")


def test_credentials_in_the_url_are_used_and_never_shown(virtuoso_server: Store) -> None:
    host = virtuoso_server.url.removeprefix("http://")
    client = StoreClient(f"http://dba:dba@{host}")
    assert "dba" not in client.url and "dba" not in repr(client)
    g = graph_iri(virtuoso_server, "userinfo")
    client.put(g, TRIPLES[:1])
    assert client.ask(f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")


def test_a_store_that_is_down_is_one_clear_line(unused_port: int) -> None:
    client = StoreClient(f"http://127.0.0.1:{unused_port}", kind="oxigraph")
    with pytest.raises(StoreError) as caught:
        client.select("SELECT * WHERE { ?s ?p ?o }")
    assert (
        str(caught.value)
        == f"cannot reach the store at http://127.0.0.1:{unused_port}: connection refused (is it running?)"
    )


def test_a_server_error_gives_its_first_line(store_server: Store) -> None:
    client = store_server.client()
    with pytest.raises(StoreError) as caught:
        client.update("THIS IS NOT SPARQL")
    message = str(caught.value)
    assert message.startswith(f"the store at {store_server.url} answered HTTP 400 to an update: ")
    assert "\n" not in message


def test_nt_term_writes_each_kind_of_term() -> None:
    assert nt_term({"type": "uri", "value": "http://x/a"}) == "<http://x/a>"
    assert nt_term({"type": "bnode", "value": "b0"}) == "_:b0"
    assert nt_term({"type": "literal", "value": 'a "b"\n'}) == '"a \\"b\\"\\n"'
    assert nt_term({"type": "literal", "value": "x", "xml:lang": "en"}) == '"x"@en'
    assert nt_term({"type": "typed-literal", "value": "1", "datatype": XSD + "integer"}) == f'"1"^^<{XSD}integer>'
    assert nt_term({"type": "literal", "value": "s", "datatype": XSD + "string"}) == '"s"'


# --- faults a real server does not make on demand: a stub -----------------------------------------------

Handler = Callable[[BaseHTTPRequestHandler, int], None]


@pytest.fixture
def stub() -> Iterator[Callable[[Handler], str]]:
    """Start an HTTP server whose answers ``handler(request, n)`` writes (n counts requests); yields its URL."""
    servers: list[ThreadingHTTPServer] = []

    def start(handler: Handler) -> str:
        count = {"n": 0}

        class H(BaseHTTPRequestHandler):
            def handle_one(self) -> None:
                count["n"] += 1
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                handler(self, count["n"])

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_one

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def answer(
    request: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: dict[str, str] | None = None
) -> None:
    request.send_response(status)
    for k, v in (headers or {}).items():
        request.send_header(k, v)
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    if request.command != "HEAD":
        request.wfile.write(body)


ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()


def stub_client(url: str, **kwargs: object) -> StoreClient:
    return StoreClient(url, endpoints=Endpoints.explicit(url, query="/q", update="/u", graph="/g"), **kwargs)  # type: ignore[arg-type]


def test_transient_failures_are_retried(stub: Callable[[Handler], str]) -> None:
    url = stub(lambda r, n: answer(r, 503 if n <= 2 else 200, b"busy" if n <= 2 else ASK_TRUE))
    client = stub_client(url, retries=3)
    assert client.ask("ASK {}") is True


def test_transient_failures_give_up_after_the_retries(stub: Callable[[Handler], str]) -> None:
    url = stub(lambda r, n: answer(r, 502, b"<html>\nBad gateway: upstream gone\n"))
    client = stub_client(url, retries=2)
    with pytest.raises(StoreError, match="answered HTTP 502 to an ask: Bad gateway: upstream gone$"):
        client.ask("ASK {}")


def test_a_dropped_connection_is_retried(stub: Callable[[Handler], str]) -> None:
    def handler(r: BaseHTTPRequestHandler, n: int) -> None:
        if n == 1:
            r.close_connection = True
            r.wfile.flush()
            r.connection.close()  # no answer at all: the client sees the connection closed
            return
        answer(r, 200, ASK_TRUE)

    client = stub_client(stub(handler))
    assert client.ask("ASK {}") is True


def test_a_silent_server_times_out(stub: Callable[[Handler], str]) -> None:
    def slow(r: BaseHTTPRequestHandler, n: int) -> None:
        time.sleep(2)
        answer(r, 200, ASK_TRUE)

    url = stub(slow)
    client = stub_client(url, timeout=0.3)
    with pytest.raises(StoreError, match=r"did not answer in time \(timeout\)$"):
        client.ask("ASK {}")


def test_basic_authentication_is_answered_after_the_challenge(stub: Callable[[Handler], str]) -> None:
    seen: list[str | None] = []
    good = "Basic " + base64.b64encode(b"ann:s3cret").decode()

    def handler(r: BaseHTTPRequestHandler, n: int) -> None:
        seen.append(r.headers.get("Authorization"))
        if r.headers.get("Authorization") != good:
            answer(r, 401, b"", {"WWW-Authenticate": 'Basic realm="store"'})
        else:
            answer(r, 200, ASK_TRUE)

    client = stub_client(stub(handler), user="ann", password="s3cret")
    assert client.ask("ASK {}") and client.ask("ASK {}")
    assert seen == [None, good, good]  # challenged once, then credentials up front


def test_an_unknown_server_asks_for_its_endpoints(stub: Callable[[Handler], str]) -> None:
    url = stub(lambda r, n: answer(r, 200, b"", {"Server": "SomeStore/1.0"}))
    with pytest.raises(StoreError, match="cannot tell which kind of store.*--query-endpoint"):
        StoreClient(url).select("SELECT * {}")


def test_the_url_must_be_http() -> None:
    from kgraph.errors import UsageError

    with pytest.raises(UsageError):
        StoreClient("ftp://example.org/")


def test_an_update_is_never_sent_twice(stub: Callable[[Handler], str]) -> None:
    """A retried ``MOVE`` whose first run was applied would clear its target: updates are not retried."""
    seen: list[int] = []

    def handler(r: BaseHTTPRequestHandler, n: int) -> None:
        seen.append(n)
        if n == 1:
            answer(r, 503, b"busy")
        else:
            r.close_connection = True
            r.connection.close()

    client = stub_client(stub(handler), retries=3)
    with pytest.raises(StoreError, match="answered HTTP 503 to an update: busy$"):
        client.update("MOVE SILENT <http://x/a> TO <http://x/b>")
    with pytest.raises(StoreError, match="dropped the connection during update: whether it was applied is unknown"):
        client.update("MOVE SILENT <http://x/a> TO <http://x/b>")
    assert seen == [1, 2]


def test_what_a_failing_update_request_leaves(store_server: Store) -> None:
    """What ``kgraph push``'s switch relies on (kgraph.store.push): Oxigraph undoes the earlier operations of a
    request when a later one fails; Virtuoso 7 keeps them, which is why the switch holds only SILENT operations."""
    client = store_server.client()
    g = graph_iri(store_server, "g")
    with pytest.raises(StoreError):
        client.update(
            f'INSERT DATA {{ GRAPH <{g}> {{ <http://t.example/a> <http://t.example/p> "x" }} }} ;\n'
            f"DROP GRAPH <{graph_iri(store_server, 'never-created')}>"
        )
    kept = client.ask(f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
    assert kept is (store_server.kind == "virtuoso")
