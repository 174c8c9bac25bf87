"""A small SPARQL 1.1 client on the standard library: queries, updates and the Graph Store Protocol.

One ``STORE_URL`` names a server; the client finds its endpoints:

- **explicit endpoints** (``endpoints=`` here; ``--query-endpoint``,
  ``--update-endpoint``, ``--graph-endpoint`` or ``KGRAPH_STORE_QUERY``,
  ``KGRAPH_STORE_UPDATE``, ``KGRAPH_STORE_GRAPH`` on the command line) are used
  as given, for any store (QLever, GraphDB, Fuseki, Stardog, Neptune …); a
  relative one is joined to ``STORE_URL``;
- otherwise ``kind=`` (``KGRAPH_STORE_KIND``) names a known layout, or one
  ``HEAD STORE_URL/`` asks the server's ``Server:`` header:

  ============  ============  =========================  ===================================
  kind          query         update                     Graph Store Protocol
  ============  ============  =========================  ===================================
  ``oxigraph``  ``/query``    ``/update``                ``/store?graph=IRI``
  ``virtuoso``  ``/sparql``   ``/sparql-auth``           ``/sparql-graph-crud-auth?graph-uri=IRI``
  ============  ============  =========================  ===================================

  (Virtuoso without an account: ``/sparql`` and ``/sparql-graph-crud``, which
  need the ``SPARQL_UPDATE`` role for the anonymous user.)

Credentials come from the arguments, else from the URL's user-info
(``http://user:pw@host:8890``, removed from the URL the client keeps). HTTP
basic and digest authentication are both spoken: the client sends none until
a server asks (``401`` with ``WWW-Authenticate``), then answers every later
request of that endpoint up front. Virtuoso's authenticated endpoints use
digest. No message, ``repr`` or exception of this module contains the user
or the password.

Every request sends its whole body with a ``Content-Length`` (Virtuoso 7
answers ``201`` to a chunked-encoded upload yet stores nothing of it); big
bodies are held as a list of ~1 MiB pieces and written piece by piece. One
keep-alive connection per thread. Transient failures (connection reset or
closed, HTTP 502/503/504) are retried ``retries`` times with exponential
backoff; a refused connection, a timeout, a ``4xx`` or another ``5xx`` is
not, and becomes a :class:`~kgraph.errors.StoreError` of one line.

Results: :meth:`StoreClient.select` returns each row as ``{variable: lexical
value}`` (unbound variables absent); ``terms=True`` gives N-Triples terms
instead (``<iri>``, ``"text"^^<datatype>``, ``"text"@lang``, ``_:b``), for
comparing graphs exactly. :meth:`StoreClient.select_all` pages a query whose
``ORDER BY`` is total with ``LIMIT``/``OFFSET``, so a server that caps
result sets (Virtuoso's ``ResultSetMaxRows``) still gives every row. A page
shorter than asked ends the paging when the store is known to tell a cut
(Virtuoso adds ``X-SPARQL-MaxRows`` to an answer it cut; Oxigraph never
cuts); for any other store only an empty page does.
:meth:`StoreClient.select_whole` asks once, without any order, and says
whether that one answer was the whole result: the cheap way for the many
small answers (an entity's facts).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import http.client
import io
import json
import os
import re
import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import StoreError, UsageError

__all__ = ["KINDS", "Endpoints", "StoreClient", "connect", "nt_term"]

#: Known layouts: kind -> (query path, update path, graph store path, graph parameter).
KINDS: dict[str, tuple[str, str, str, str]] = {
    "oxigraph": ("/query", "/update", "/store", "graph"),
    "virtuoso": ("/sparql", "/sparql-auth", "/sparql-graph-crud-auth", "graph-uri"),
}
_VIRTUOSO_ANONYMOUS = ("/sparql", "/sparql", "/sparql-graph-crud", "graph-uri")

JSON_RESULTS = "application/sparql-results+json"
CSV_RESULTS = "text/csv"
NTRIPLES = "application/n-triples"
PIECE = 1 << 20  # bytes per piece of a request body
#: The header Virtuoso adds to an answer it cut at its ``ResultSetMaxRows``.
CUT_HEADER = "x-sparql-maxrows"
TRANSIENT_STATUS = frozenset({502, 503, 504})
_TRANSIENT_ERRORS = (ConnectionResetError, BrokenPipeError, ConnectionAbortedError, http.client.RemoteDisconnected)


@dataclass(frozen=True)
class Endpoints:
    """Where a store answers: the query, update and Graph Store Protocol URLs, and the GSP graph parameter."""

    query: str
    update: str
    graph: str
    graph_param: str = "graph"
    kind: str = "sparql"

    @classmethod
    def of_kind(cls, kind: str, url: str, *, authenticated: bool = True) -> Endpoints:
        """The endpoints of a known ``kind`` of server at base ``url``."""
        if kind not in KINDS:
            raise UsageError(f"unknown store kind {kind!r}; known: {', '.join(sorted(KINDS))}")
        paths = _VIRTUOSO_ANONYMOUS if kind == "virtuoso" and not authenticated else KINDS[kind]
        root = url.rstrip("/")
        query, update, graph, param = paths
        return cls(root + query, root + update, root + graph, param, kind)

    @classmethod
    def explicit(
        cls, url: str, *, query: str | None, update: str | None, graph: str | None, graph_param: str | None = None
    ) -> Endpoints:
        """Endpoints given by the user; relative ones are joined to ``url``; a missing one falls back to ``query``."""
        root = url.rstrip("/") + "/"
        q = urllib.parse.urljoin(root, query) if query else url
        u = urllib.parse.urljoin(root, update) if update else q
        g = urllib.parse.urljoin(root, graph) if graph else u
        return cls(q, u, g, graph_param or "graph", "sparql")


@dataclass
class _Challenge:
    """What a server asked for on one endpoint: ``basic`` or ``digest`` (with the digest's parameters)."""

    scheme: str
    params: dict[str, str] = field(default_factory=dict)
    count: int = 0


def _split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """``url`` without its user-info, and the user and password it held (percent-decoded)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError("the store URL must be http:// or https:// and name a host, e.g. http://127.0.0.1:7878")
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    user = urllib.parse.unquote(parts.username) if parts.username is not None else None
    password = urllib.parse.unquote(parts.password) if parts.password is not None else None
    return clean, user, password


_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_CANONICAL_BOOLEAN = {"1": "true", "0": "false"}


def lexical(binding: Mapping[str, str]) -> str:
    """The lexical value of a binding; a boolean in its canonical form (Virtuoso answers ``1`` for ``true``)."""
    value = binding.get("value", "")
    if binding.get("datatype") == _BOOLEAN:
        return _CANONICAL_BOOLEAN.get(value, value)
    return value


def nt_term(binding: Mapping[str, str]) -> str:
    """One SPARQL JSON result binding as an N-Triples term."""
    kind, value = binding.get("type"), lexical(binding)
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    text = json.dumps(value, ensure_ascii=False)
    if "xml:lang" in binding:
        return f"{text}@{binding['xml:lang']}"
    datatype = binding.get("datatype")
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return f"{text}^^<{datatype}>"
    return text


_PROLOGUE = re.compile(r"\A(?:\s*(?:#[^\n]*\n|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>))*", re.IGNORECASE)


def _page(query: str, size: int, offset: int, *, wrap: bool) -> str:
    """``query`` limited to one page; ``wrap`` sorts in a sub-query and pages outside it.

    Virtuoso refuses to sort more than ``MaxSortedTopRows`` (10,000) rows
    for ``ORDER BY … LIMIT n OFFSET k`` once ``n + k`` passes it; sorting in
    a sub-query without a limit and paging the sorted rows outside has no such
    bound (Virtuoso's own advice), and keeps the order.
    """
    if not wrap:
        return f"{query}\nLIMIT {size} OFFSET {offset}"
    prologue = _PROLOGUE.match(query)
    head = prologue.group(0) if prologue else ""
    return f"{head}\nSELECT * WHERE {{\n{query[len(head) :]}\n}}\nLIMIT {size} OFFSET {offset}"


def _pieces(lines: Iterable[str]) -> list[bytes]:
    """``lines`` encoded as UTF-8, gathered in pieces of about :data:`PIECE` bytes."""
    out: list[bytes] = []
    buf: list[bytes] = []
    size = 0
    for line in lines:
        b = line.encode("utf-8")
        buf.append(b)
        size += len(b)
        if size >= PIECE:
            out.append(b"".join(buf))
            buf, size = [], 0
    if buf:
        out.append(b"".join(buf))
    return out


def _first_line(body: bytes) -> str:
    """The first non-blank line of an error body, without markup, at most 200 characters."""
    text = body.decode("utf-8", errors="replace")
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("<"):
            return line[:200]
    return ""


class StoreClient:
    """A SPARQL 1.1 store: queries, updates, and whole graphs through the Graph Store Protocol.

    ``url`` is the server's base URL (see the module docstring for how the
    endpoints are found); ``timeout`` is per request, in seconds; ``retries``
    is how many times a transient failure is retried. ``sent`` counts the
    requests made, by operation (``select``, ``ask``, ``update``, ``put``,
    ``post``, ``delete``, ``get``), so callers and tests can tell what was sent.
    """

    def __init__(
        self,
        url: str,
        *,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        retries: int = 3,
        endpoints: Endpoints | None = None,
        kind: str | None = None,
    ) -> None:
        clean, url_user, url_password = _split_credentials(url)
        self.url = clean.rstrip("/")
        self._user = user if user is not None else url_user
        self._password = password if password is not None else url_password
        self.timeout = timeout
        self.retries = retries
        self._endpoints = endpoints
        self._kind = kind
        self._challenges: dict[str, _Challenge] = {}
        self._local = threading.local()
        self._lock = threading.Lock()
        self.sent: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"StoreClient({self.url!r}, kind={self._kind or (self._endpoints.kind if self._endpoints else None)!r})"

    # --- endpoints -------------------------------------------------------------------------------------

    @property
    def endpoints(self) -> Endpoints:
        """The store's endpoints, found on first use (one ``HEAD`` request unless given or the kind is known)."""
        if self._endpoints is None:
            kind = self._kind or self._probe_kind()
            self._endpoints = Endpoints.of_kind(kind, self.url, authenticated=self._user is not None)
        return self._endpoints

    @property
    def kind(self) -> str:
        """``oxigraph``, ``virtuoso``, or ``sparql`` for explicitly given endpoints."""
        return self.endpoints.kind

    def _probe_kind(self) -> str:
        status, headers, _ = self._request("HEAD", self.url + "/", None, {}, op="probe")
        server = headers.get("server", "")
        for kind in KINDS:
            if kind in server.lower():
                return kind
        raise StoreError(
            f"cannot tell which kind of store answers at {self.url} (HTTP {status}, server {server or 'unnamed'!r}):"
            " give its endpoints (--query-endpoint, --update-endpoint, --graph-endpoint) or its kind"
            f" (KGRAPH_STORE_KIND: {', '.join(sorted(KINDS))})"
        )

    # --- queries ---------------------------------------------------------------------------------------

    def _results(self, query: str, op: str) -> dict[str, Any]:
        parsed: dict[str, Any] = self._answer(query, op)[0]
        return parsed

    def _answer(self, query: str, op: str, accept: str = JSON_RESULTS) -> tuple[Any, bool]:
        """The results of ``query`` (parsed JSON, or CSV text), and whether the store says it cut them."""
        body = urllib.parse.urlencode({"query": query}).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        _, answer_headers, data = self._request("POST", self.endpoints.query, [body], headers, op=op)
        cut = CUT_HEADER in answer_headers
        if accept == CSV_RESULTS:
            return data.decode("utf-8", errors="replace"), cut
        try:
            parsed: dict[str, Any] = json.loads(data)
        except ValueError as e:
            raise StoreError(f"the store at {self.url} answered a query with something that is not JSON") from e
        return parsed, cut

    def _fetch(self, query: str, terms: bool, plain: bool) -> tuple[list[dict[str, str]], bool]:
        """The rows of ``query`` and whether they were cut: as :meth:`select` gives them, or ``plain`` (CSV)."""
        if plain:
            text, cut = self._answer(query, "select", CSV_RESULTS)
            return list(csv.DictReader(io.StringIO(text, newline=""))), cut
        parsed, cut = self._answer(query, "select")
        bindings = parsed.get("results", {}).get("bindings", [])
        if terms:
            return [{k: nt_term(v) for k, v in row.items()} for row in bindings], cut
        return [{k: lexical(v) for k, v in row.items()} for row in bindings], cut

    def select(self, query: str, *, terms: bool = False) -> list[dict[str, str]]:
        """The rows of a SELECT query: each maps a bound variable to its lexical value (or N-Triples term).

        Booleans come back canonical (``true``/``false``) from every store.
        """
        return self._fetch(query, terms, False)[0]

    def _whole(self, rows: int, limit: int, cut: bool) -> bool:
        """Whether an answer of ``rows`` rows to a query limited to ``limit`` is the whole result.

        Fewer rows than asked is the whole result unless the store cut it:
        Virtuoso says so (``X-SPARQL-MaxRows``), Oxigraph never cuts; of any
        other store nothing is known, so only an empty page ends its results.
        """
        if rows >= limit or cut:
            return False
        return self.kind in ("virtuoso", "oxigraph")

    def select_whole(self, query: str, limit: int, *, plain: bool = False) -> list[dict[str, str]] | None:
        """The rows of ``query`` (no ORDER BY needed) in one request when they are fewer than ``limit``; else None.

        None means the answer may be incomplete (``limit`` rows or more, a
        cut, or a store that cannot say): page it with :meth:`select_all`.
        ``plain``: the rows come as SPARQL CSV results, half the bytes of JSON
        for a store to write and about half its time on long answers; every
        variable is then in every row (an unbound one as ``""``) and values
        are as the store writes them (a boolean may be ``1``), so it is for
        queries whose variables are always bound to IRIs and strings.
        """
        rows, cut = self._fetch(f"{query}\nLIMIT {limit}", False, plain)
        return rows if self._whole(len(rows), limit, cut) else None

    def select_all(
        self, query: str, page_size: int | None = None, *, terms: bool = False, plain: bool = False
    ) -> Iterator[dict[str, str]]:
        """Every row of ``query`` (whose ORDER BY must be total), fetched page by page (``plain``: as CSV).

        The offset advances by the rows actually received, so a server that
        returns fewer rows than asked (a result-set cap) is simply asked again;
        the pages end with a short page the store says is whole, else with an
        empty page.
        """
        size = page_size or 10000
        offset = 0
        wrap = self.kind == "virtuoso"
        while True:
            rows, cut = self._fetch(_page(query, size, offset, wrap=wrap), terms, plain)
            if not rows:
                return
            yield from rows
            if self._whole(len(rows), size, cut):
                return
            offset += len(rows)

    def ask(self, query: str) -> bool:
        """The answer of an ASK query."""
        return bool(self._results(query, "ask").get("boolean"))

    def update(self, text: str) -> None:
        """Run a SPARQL Update request (one request, however many operations it holds).

        Never re-sent after a transient failure: an update is not always safe to
        run twice (``MOVE`` from a graph the first run emptied clears the
        target), and a lost answer does not say whether the store applied it.
        It goes out on a fresh connection, so an idle keep-alive connection the
        server closed meanwhile cannot fail it.
        """
        headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
        self._request("POST", self.endpoints.update, _pieces([text]), headers, op="update", once=True)

    # --- Graph Store Protocol ----------------------------------------------------------------------------

    def _graph_url(self, graph: str) -> str:
        e = self.endpoints
        sep = "&" if "?" in e.graph else "?"
        return f"{e.graph}{sep}{urllib.parse.urlencode({e.graph_param: graph})}"

    def put(self, graph: str, lines: Iterable[str], *, media_type: str = NTRIPLES) -> None:
        """Replace the named ``graph`` by ``lines``: N-Triples, or text of another ``media_type`` (Turtle)."""
        headers = {"Content-Type": media_type + "; charset=utf-8"}
        self._request("PUT", self._graph_url(graph), _pieces(lines), headers, op="put")

    def post(self, graph: str, lines: Iterable[str], *, media_type: str = NTRIPLES) -> None:
        """Add ``lines`` (N-Triples, or text of another ``media_type``) to the named ``graph``."""
        headers = {"Content-Type": media_type + "; charset=utf-8"}
        self._request("POST", self._graph_url(graph), _pieces(lines), headers, op="post")

    def delete(self, graph: str) -> None:
        """Remove the named ``graph`` (a graph that does not exist is no error)."""
        self._request("DELETE", self._graph_url(graph), None, {}, op="delete", missing_ok=True)

    def get(self, graph: str) -> str:
        """The named ``graph`` as N-Triples text (empty when it does not exist)."""
        _, _, data = self._request("GET", self._graph_url(graph), None, {"Accept": NTRIPLES}, op="get", missing_ok=True)
        return data.decode("utf-8")

    # --- HTTP --------------------------------------------------------------------------------------------

    def _connection(self, scheme: str, netloc: str) -> http.client.HTTPConnection:
        pool: dict[tuple[str, str], http.client.HTTPConnection] = getattr(self._local, "pool", None) or {}
        self._local.pool = pool
        conn = pool.get((scheme, netloc))
        if conn is None:
            cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
            conn = cls(netloc, timeout=self.timeout)
            pool[(scheme, netloc)] = conn
        return conn

    def close(self) -> None:
        """Close this thread's connections."""
        pool: dict[tuple[str, str], http.client.HTTPConnection] = getattr(self._local, "pool", None) or {}
        for conn in pool.values():
            conn.close()
        pool.clear()

    def _authorization(self, method: str, target: str, path: str) -> str | None:
        """The ``Authorization`` header for a request to ``path``, once the server has asked for one."""
        if self._user is None:
            return None
        with self._lock:
            challenge = self._challenges.get(path)
            if challenge is None:
                return None
            if challenge.scheme == "basic":
                token = base64.b64encode(f"{self._user}:{self._password or ''}".encode()).decode("ascii")
                return f"Basic {token}"
            challenge.count += 1
            return _digest(challenge, self._user, self._password or "", method, target)

    def _learn(self, path: str, header: str, had_auth: bool) -> bool:
        """Record the challenge of a ``401``; True when a retry with (new) credentials makes sense."""
        if self._user is None or not header:
            return False
        scheme, _, rest = header.strip().partition(" ")
        scheme = scheme.lower()
        if scheme not in ("basic", "digest"):
            return False
        params = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest)) if rest else {}
        stale = params.get("stale", "").lower() == "true"
        with self._lock:
            known = self._challenges.get(path)
            self._challenges[path] = _Challenge(scheme, params)
        return not had_auth or stale or known is None or known.scheme != scheme

    def _request(
        self,
        method: str,
        url: str,
        body: list[bytes] | None,
        headers: Mapping[str, str],
        *,
        op: str,
        missing_ok: bool = False,
        once: bool = False,
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request (re-sent on an auth challenge, and unless ``once`` on a transient failure).

        Returns the status, the headers (names in lower case) and the body.
        """
        with self._lock:
            self.sent[op] = self.sent.get(op, 0) + 1
        parts = urllib.parse.urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        attempt = auth_tries = 0
        if body is not None and self._user is not None and sum(map(len, body)) > 65536:
            self._ask_challenge(parts, target)
        retries = 0 if once else self.retries
        if once:
            self.close()
        while True:
            auth = self._authorization(method, target, parts.path or "/")
            try:
                status, answer_headers, data = self._send(parts, method, target, body, headers, auth)
            except _TRANSIENT_ERRORS as e:
                self.close()
                if attempt >= retries:
                    unknown = f" during {op}: whether it was applied is unknown" if once else ""
                    raise StoreError(
                        f"the store at {self.url} dropped the connection{unknown} ({type(e).__name__})"
                    ) from None
                attempt += 1
                time.sleep(0.25 * 2**attempt)
                continue
            except OSError as e:
                self.close()
                raise StoreError(_unreachable(self.url, e)) from None
            if (
                status == 401
                and auth_tries < 2
                and self._learn(parts.path or "/", answer_headers.get("www-authenticate", ""), auth is not None)
            ):
                auth_tries += 1
                continue
            if status in TRANSIENT_STATUS and attempt < retries:
                attempt += 1
                time.sleep(0.25 * 2**attempt)
                continue
            if status < 300 or (missing_ok and status == 404) or method == "HEAD":
                return status, answer_headers, data
            raise StoreError(self._http_error(status, op, data))

    def _ask_challenge(self, parts: urllib.parse.SplitResult, target: str) -> None:
        """Learn how ``parts`` wants credentials with a body-less ``HEAD``, before sending a big body."""
        path = parts.path or "/"
        with self._lock:
            if path in self._challenges:
                return
        try:
            status, headers, _ = self._send(parts, "HEAD", target, None, {}, None)
        except OSError:
            self.close()
            return  # the real request will report it
        if status == 401:
            self._learn(path, headers.get("www-authenticate", ""), False)

    def _send(
        self,
        parts: urllib.parse.SplitResult,
        method: str,
        target: str,
        body: list[bytes] | None,
        headers: Mapping[str, str],
        auth: str | None,
    ) -> tuple[int, dict[str, str], bytes]:
        conn = self._connection(parts.scheme, parts.netloc)
        conn.putrequest(method, target, skip_accept_encoding=True)
        all_headers = dict(headers)
        if auth is not None:
            all_headers["Authorization"] = auth
        if body is not None:
            all_headers["Content-Length"] = str(sum(len(piece) for piece in body))
        for name, value in all_headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        for piece in body or ():
            conn.send(piece)
        response = conn.getresponse()
        data = response.read()
        answer_headers = {k.lower(): v for k, v in response.getheaders()}
        if response.will_close:
            conn.close()
        return response.status, answer_headers, data

    def _http_error(self, status: int, op: str, data: bytes) -> str:
        if status == 401:
            if self._user is None:
                return f"the store at {self.url} asks for an account (HTTP 401): give --user and a password"
            return f"the store at {self.url} rejected the credentials (HTTP 401)"
        if status == 403:
            return f"the store at {self.url} refused the {op} to this account (HTTP 403)"
        line = _first_line(data)
        article = "an" if op[:1] in "aeiou" else "a"
        return f"the store at {self.url} answered HTTP {status} to {article} {op}" + (f": {line}" if line else "")


def _unreachable(url: str, e: OSError) -> str:
    if isinstance(e, ConnectionRefusedError):
        return f"cannot reach the store at {url}: connection refused (is it running?)"
    if isinstance(e, socket.timeout | TimeoutError):
        return f"the store at {url} did not answer in time (timeout)"
    if isinstance(e, socket.gaierror):
        return f"cannot reach the store at {url}: unknown host"
    reason = e.strerror or type(e).__name__
    return f"cannot reach the store at {url}: {reason}"


def _digest(challenge: _Challenge, user: str, password: str, method: str, target: str) -> str:
    """The ``Authorization: Digest …`` value answering ``challenge`` (RFC 7616: MD5 or SHA-256, qop auth)."""
    p = challenge.params
    algorithm = p.get("algorithm", "MD5")
    name = {"md5": "md5", "sha-256": "sha256"}.get(algorithm.lower().removesuffix("-sess"))
    if name is None:
        raise StoreError(f"the store asks for digest authentication with {algorithm}, which kgraph does not speak")

    def h(text: str) -> str:
        return hashlib.new(name, text.encode("utf-8")).hexdigest()

    realm, nonce = p.get("realm", ""), p.get("nonce", "")
    cnonce = os.urandom(8).hex()
    nc = f"{challenge.count:08x}"
    ha1 = h(f"{user}:{realm}:{password}")
    if algorithm.lower().endswith("-sess"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{target}")
    qops = [q.strip() for q in p.get("qop", "").split(",") if q.strip()]
    fields = [f'username="{user}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{target}"']
    if "auth" in qops:
        response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
        fields += ["qop=auth", f"nc={nc}", f'cnonce="{cnonce}"']
    else:
        response = h(f"{ha1}:{nonce}:{ha2}")
    fields.append(f'response="{response}"')
    if "opaque" in p:
        fields.append(f'opaque="{p["opaque"]}"')
    fields.append(f"algorithm={algorithm}")
    return "Digest " + ", ".join(fields)


def connect(
    url: str,
    *,
    user: str | None = None,
    password: str | None = None,
    query: str | None = None,
    update: str | None = None,
    graph: str | None = None,
    kind: str | None = None,
    timeout: float = 30.0,
    retries: int = 3,
) -> StoreClient:
    """A client for ``url``, each setting not given taken from the environment.

    ``KGRAPH_STORE_USER`` and ``KGRAPH_STORE_PASSWORD`` (else the URL's
    user-info), ``KGRAPH_STORE_QUERY``, ``KGRAPH_STORE_UPDATE`` and
    ``KGRAPH_STORE_GRAPH`` (explicit endpoints, for stores other than Oxigraph
    and Virtuoso) and ``KGRAPH_STORE_KIND`` (a known layout, skipping the probe).
    """
    env = os.environ
    user = user if user is not None else env.get("KGRAPH_STORE_USER") or None
    password = password if password is not None else env.get("KGRAPH_STORE_PASSWORD") or None
    query = query or env.get("KGRAPH_STORE_QUERY") or None
    update = update or env.get("KGRAPH_STORE_UPDATE") or None
    graph = graph or env.get("KGRAPH_STORE_GRAPH") or None
    kind = kind or env.get("KGRAPH_STORE_KIND") or None
    endpoints = None
    if query or update or graph:
        clean, _, _ = _split_credentials(url)
        endpoints = Endpoints.explicit(clean, query=query, update=update, graph=graph)
    return StoreClient(
        url, user=user, password=password, timeout=timeout, retries=retries, endpoints=endpoints, kind=kind
    )
