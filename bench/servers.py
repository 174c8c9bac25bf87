"""Start private SPARQL servers (Oxigraph, Virtuoso 7) on 127.0.0.1 for the tests and the benchmark.

Each server lives in a folder of its own (its database, its configuration, its
log) on free ports, and is stopped by :meth:`Server.stop`; nothing is shared
with a system-wide installation. The tests (``tests/stores.py``) and
``bench/run.py`` both start their servers through this module, so what the
benchmark measures is the set-up the tests check.

- Oxigraph: ``oxigraph serve --location DIR --bind 127.0.0.1:PORT`` (the PyPI
  ``oxigraph`` package installs the ``oxigraph`` command). No account.
- Virtuoso: Debian's ``virtuoso-opensource`` (``virtuoso-t``). Its packaged
  ``virtuoso.ini`` is copied with every database path moved into the folder,
  the SQL and HTTP ports set, and ``[SPARQL] ResultSetMaxRows`` set as asked
  (Virtuoso silently cuts longer answers at that many rows: a small cap makes
  the tests exercise paging). Account ``dba``/``dba``, as packaged.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Server", "ServerError", "free_port", "start_oxigraph", "start_virtuoso"]

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO_DB = "/var/lib/virtuoso-opensource-7/db"


class ServerError(Exception):
    """A server could not be started (missing program, or it did not answer in time)."""


@dataclass
class Server:
    """A running private server: where to reach it, with what account, and how to stop it."""

    kind: str  # "oxigraph" or "virtuoso"
    url: str  # base URL, e.g. http://127.0.0.1:7878
    user: str | None
    password: str | None
    folder: Path
    process: subprocess.Popen[bytes] = field(repr=False)
    log: Path | None = None
    max_rows: int | None = None  # Virtuoso's ResultSetMaxRows

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the server to stop (SIGTERM), and kill it if it has not within ``timeout`` seconds."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def kill(self) -> None:
        """Stop the server at once (SIGKILL), as a crash would."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 20) -> str:
        """The end of the server's log, to say why it did not start."""
        if self.log is None or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_until_ready(server: Server, probe: str, timeout: float) -> None:
    """Poll ``probe`` (a URL) until it answers 200; stop the server and raise if it dies or stays silent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerError(
                f"{server.kind} exited with code {server.process.returncode} while starting:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(probe, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    server.kill()
    raise ServerError(f"{server.kind} did not answer {probe} within {timeout:.0f} s:\n{server.log_tail()}")


def _program(name: str, hint: str) -> str:
    """The path of program ``name``: next to this Python first (a venv's scripts), then on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise ServerError(f"{name} is not installed ({hint})")
    return found


def start_oxigraph(folder: Path, *, timeout: float = 30.0) -> Server:
    """Start ``oxigraph serve`` on a free port with its store in ``folder``; return when it answers."""
    exe = _program("oxigraph", "pip install oxigraph")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [exe, "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = Server("oxigraph", f"http://127.0.0.1:{port}", None, None, folder, process, log)
    _wait_until_ready(server, f"{server.url}/query?query=ASK%7B%7D", timeout)
    return server


def virtuoso_ini(
    template: str, folder: Path, sql_port: int, http_port: int, settings: dict[str, dict[str, str]]
) -> str:
    """The packaged ini ``template`` with its database in ``folder``, the given ports, and ``settings`` applied.

    ``settings`` maps a section to ``{key: value}``; each key replaces the
    value of that key in that section (added at the section's end if absent).
    Comments and layout are kept; the file has repeated keys, so it is edited
    line by line rather than through configparser.
    """
    wanted: dict[str, dict[str, str]] = {
        "Parameters": {"ServerPort": f"127.0.0.1:{sql_port}", "DirsAllowed": f"., {folder}"},
        "HTTPServer": {"ServerPort": f"127.0.0.1:{http_port}"},
        "URIQA": {"DefaultHost": f"127.0.0.1:{http_port}"},
    }
    for section, values in settings.items():
        wanted.setdefault(section, {}).update(values)
    out: list[str] = []
    section = ""
    pending: dict[str, str] = {}

    def close_section() -> None:
        out.extend(f"{key} = {value}" for key, value in pending.items())

    for raw in template.replace(VIRTUOSO_DB, str(folder)).splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            close_section()
            section = line[1:-1]
            pending = dict(wanted.get(section, {}))
            out.append(raw)
            continue
        key = line.split("=", 1)[0].strip() if "=" in line and not line.startswith(";") else ""
        if key in pending:
            out.append(f"{key} = {pending.pop(key)}")
        elif key and key in wanted.get(section, {}):
            continue  # a repeated key already set above
        else:
            out.append(raw)
    close_section()
    return "\n".join(out) + "\n"


def start_virtuoso(
    folder: Path, *, max_rows: int = 10000, buffers: int | None = None, timeout: float = 120.0
) -> Server:
    """Start a private Virtuoso 7 (``virtuoso-t +foreground``) with its database in ``folder``.

    ``max_rows`` is ``[SPARQL] ResultSetMaxRows`` (the packaged default is
    10,000); ``buffers`` sets ``NumberOfBuffers`` (8 KiB pages of cache; the
    packaged 10,000 is 80 MB, small for a million facts). Returns when
    ``/sparql`` answers.
    """
    exe = _program("virtuoso-t", "apt-get install virtuoso-opensource")
    if not VIRTUOSO_INI.exists():
        raise ServerError(f"{VIRTUOSO_INI} is missing (apt-get install virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    settings: dict[str, dict[str, str]] = {"SPARQL": {"ResultSetMaxRows": str(max_rows)}}
    if buffers is not None:
        settings["Parameters"] = {"NumberOfBuffers": str(buffers), "MaxDirtyBuffers": str(buffers * 3 // 4)}
    ini = folder / "virtuoso.ini"
    ini.write_text(
        virtuoso_ini(VIRTUOSO_INI.read_text(encoding="utf-8"), folder, sql_port, http_port, settings),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [exe, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "HOME": str(folder)},
    )
    server = Server(
        "virtuoso", f"http://127.0.0.1:{http_port}", "dba", "dba", folder, process, folder / "virtuoso.log", max_rows
    )
    _wait_until_ready(server, f"{server.url}/sparql?query=ASK%7B%7D", timeout)
    return server
