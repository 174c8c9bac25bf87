"""The kgraph benchmark: start-up, cold and warm loads and queries at growing sizes, as whole processes.

    python bench/run.py                                   # 1k, 10k, 100k facts, 3 runs each
    python bench/run.py --sizes 1k,10k,100k,1m --repeat 3 # the full run behind the README table
    python bench/run.py --sizes 10k --repeat 1 --quick    # a smoke run

Every figure is the median wall time of ``--repeat`` runs of a separate
process (the real ``kgraph`` script, output piped, ``--format json``) and the
largest peak RSS among them (``wait4`` rusage of that child). Measures that
take longer than ``--slow`` seconds are run once.

What is measured, per size (datasets from ``bench/generate.py``, kept in
``--work`` and reused while the generator is unchanged):

floor    every YAML file parsed with PyYAML's C loader (``yaml.load(…, CSafeLoader)``), nothing else
by hand  what a user would write: ``yaml.safe_load`` of every file and a networkx MultiDiGraph of the facts
         (no validation at all); only up to ``--hand-max`` facts, it is slow
cold     ``kgraph stats`` with an empty cache: parse, validate every rule and quote, build, write the cache
no cache ``kgraph --no-cache stats``: the same without writing the cache
warm     ``kgraph stats`` from the cache (no fact is made: the store knows its length)
relations  ``kgraph relations``, warm (counted on the cache's relation column: no fact is made)
validate ``kgraph validate`` on unchanged data (its warnings are kept in the cache entry)
edit     on a copy of the dataset, one source file in the middle gets a new fact (and its quote in the
         text) before each run of ``who-supports`` (the entry is rebuilt from the parts kept in it:
         only that file is read); ``edit + validate`` the same before ``validate``
who-supports / path / neighbours  warm, on a typical well-covered entity (ranked 10 % from the top by facts) and,
         for who-supports, on the busiest entity too (its answer grows with the data)
explain hub  warm ``kgraph explain`` from the busiest entity to the next busiest: the heaviest explain
export   ``kgraph export graphml`` to a file, warm; only up to ``--export-max`` facts
rdf      ``kgraph export rdf --rdf-syntax nt`` to a file, warm (the streamed N-Triples); only up to ``--rdf-max``
push     ``kgraph push`` into a private, empty Virtuoso 7 (bench/servers.py, as the tests start it), warm cache:
         every graph sent; then ``push again``: the same data a second time (nothing to send); then
         ``--store who-supports``: ``kgraph --store URL who-supports`` on the probe entity and on the busiest
         one, warm (one run first caches the store's tables); only up to ``--push-max`` facts, and only where
         ``virtuoso-t`` is installed

Start-up: ``python -c "import networkx, typer, yaml"`` (the floor of any
Python CLI built on them) against ``kgraph --version``, ``kgraph --help``,
``kgraph who-supports belarus`` and ``kgraph path china russia`` on the
bundled data (warm cache), each run ``--startup-repeat`` times, interleaved.
These run as a user runs kgraph: in a fresh virtual environment
(``<work>/startup-venv``, made anew each run) where the code measured was
installed with ``pip install <folder>``, not editable, with the dependencies
pip chooses for a user (Typer 0.29 brings pydantic, for one); the floor is
timed with that environment's Python.

Children run with ``KGRAPH_CACHE_DIR`` in the work folder and without
``PYTHONDONTWRITEBYTECODE``, so they use compiled bytecode as an installed
kgraph does. Results: a table on stdout and JSON in ``bench/results/``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# bench/ is on sys.path as the folder of the script run (`python bench/run.py`)
from generate import generate, parse_size
from servers import ServerError, start_virtuoso

HERE = Path(__file__).resolve().parent

FLOOR_SCRIPT = """
import sys, yaml
from pathlib import Path
root = Path(sys.argv[1])
for f in [root / "relations.yaml", root / "entities.yaml", *sorted((root / "sources").glob("*.yaml"))]:
    yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)
"""

HAND_SCRIPT = """
import sys, yaml, networkx as nx
from pathlib import Path
root = Path(sys.argv[1])
g = nx.MultiDiGraph()
for e in yaml.safe_load((root / "entities.yaml").read_text(encoding="utf-8"))["entities"]:
    g.add_node(e["id"], **{k: v for k, v in e.items() if k != "id"})
relations = {r["id"]: r for r in yaml.safe_load((root / "relations.yaml").read_text(encoding="utf-8"))["relations"]}
for f in sorted((root / "sources").glob("*.yaml")):
    doc = yaml.safe_load(f.read_text(encoding="utf-8"))
    for i, fact in enumerate(doc.get("facts") or []):
        attrs = {k: v for k, v in fact.items() if k not in ("subject", "object")}
        attrs["source"] = doc["source"]["id"]
        attrs["polarity"] = relations[fact["relation"]]["polarity"]
        g.add_edge(fact["subject"], fact["object"], key=f"{f.stem}-{i}", **attrs)
print(g.number_of_nodes(), g.number_of_edges())
"""


def kgraph_cmd() -> list[str]:
    script = Path(sys.executable).with_name("kgraph")
    if script.is_file():
        return [str(script)]
    found = shutil.which("kgraph")
    return [found] if found else [sys.executable, "-m", "kgraph"]


def snapshot_code(work: Path) -> Path:
    """A copy of the kgraph package (and the bundled data) that the children import.

    The benchmark then measures one version of the code from start to end even
    while the working tree changes (a change to the loading code would
    otherwise invalidate the cache in the middle of the warm runs).
    """
    import kgraph

    src = Path(kgraph.__file__).resolve().parent
    snap = work / "snapshot"
    if snap.exists():
        shutil.rmtree(snap)
    shutil.copytree(src, snap / "src" / "kgraph", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(HERE.parent / "data", snap / "data")
    return snap / "src"


def child_env(cache: Path, pythonpath: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("KGRAPH_DATA", None)
    env.pop("KGRAPH_NO_CACHE", None)
    env["KGRAPH_CACHE_DIR"] = str(cache)
    return env


def run_once(cmd: list[str], env: dict[str, str], timeout: float) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in bytes and exit code of one process, output discarded."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = t0 + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.0005 if time.perf_counter() - t0 < 1 else 0.01)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode not in (0, 5):
        sys.stderr.write(f"  ! exit {proc.returncode}: {' '.join(cmd)}\n{err[-2000:]}\n")
    return wall, usage.ru_maxrss * 1024, proc.returncode


def measure(
    cmd: list[str], env: dict[str, str], repeat: int, *, slow: float, timeout: float, before: Any = None
) -> dict[str, Any]:
    """Median wall time and max peak RSS over ``repeat`` runs (once if a run takes over ``slow`` s)."""
    walls: list[float] = []
    peaks: list[int] = []
    codes: list[int] = []
    for _ in range(repeat):
        if before is not None:
            before()
        wall, rss, code = run_once(cmd, env, timeout)
        walls.append(wall)
        peaks.append(rss)
        codes.append(code)
        if wall > slow:
            break
    return {
        "seconds": statistics.median(walls),
        "runs": walls,
        "peak_rss_mb": max(peaks) / 2**20,
        "exit": max(codes),
        "cmd": cmd,
    }


def dataset(work: Path, n: int, seed: int) -> tuple[Path, dict[str, Any]]:
    """The generated dataset of n facts (made once, reused while bench/generate.py is unchanged)."""
    gen_hash = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:16]
    root = work / f"data-{n}"
    meta_file = work / f"data-{n}.json"
    if meta_file.is_file():
        meta = json.loads(meta_file.read_text())
        if meta.get("generator") == gen_hash and meta.get("seed") == seed and (root / "sources").is_dir():
            return root, meta
    print(f"generating {n:,} facts in {root} …", file=sys.stderr)
    t0 = time.perf_counter()
    meta = dict(generate(n, root, seed, quiet=True))
    meta.update({"generator": gen_hash, "seed": seed, "generate_seconds": time.perf_counter() - t0})
    meta_file.write_text(json.dumps(meta, indent=2))
    return root, meta


def exponent(sizes: list[int], seconds: list[float]) -> float | None:
    """Least-squares slope of log(time) against log(size): 1 is linear."""
    pts = [(math.log(n), math.log(t)) for n, t in zip(sizes, seconds, strict=True) if t and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def human(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def _arguments() -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default="1k,10k,100k", help="dataset sizes in facts, comma-separated (1k,10k,100k,1m)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measure (the median is reported)")
    ap.add_argument("--startup-repeat", type=int, default=15, help="runs per start-up measure")
    ap.add_argument("--hand-max", default="100k", help="largest size for the by-hand load (it is slow)")
    ap.add_argument("--export-max", default="1m", help="largest size for the GraphML export")
    ap.add_argument("--rdf-max", default="1m", help="largest size for the N-Triples export")
    ap.add_argument("--push-max", default="1m", help="largest size for the push into Virtuoso (0: none)")
    ap.add_argument("--slow", type=float, default=20.0, help="a measure whose first run takes longer runs once")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds before a run is killed")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "kgraph-bench",
        help="where datasets, cache and exports go (reused between runs)",
    )
    ap.add_argument("--out", type=Path, default=HERE / "results", help="folder for the JSON results")
    ap.add_argument("--quick", action="store_true", help="skip the start-up section")
    ap.add_argument(
        "--live", action="store_true", help="run the working tree's code instead of a snapshot of it taken at the start"
    )
    return ap.parse_args()


def user_install(work: Path, project: Path) -> Path:
    """A fresh virtual environment in ``work`` with ``project`` installed as a user installs it; its bin folder.

    ``pip install <folder>`` builds a wheel and installs it with every
    dependency, so start-up is measured with exactly the modules a user's
    kgraph imports (an editable install, or the developer's environment with
    its extra packages, would differ).
    """
    venv = work / "startup-venv"
    if venv.exists():
        shutil.rmtree(venv)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, str(project)], check=True, stdout=subprocess.DEVNULL)
    return venv / "bin"


def installable(work: Path, live: bool) -> Path:
    """The folder to ``pip install``: the working tree with --live, else a copy of the snapshot's code."""
    if live:
        return HERE.parent
    project = work / "startup-project"
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(work / "snapshot", project)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(HERE.parent / name, project / name)
    return project


def startup(bin_dir: Path, env: dict[str, str], reps: int, timeout: float) -> dict[str, Any]:
    """Start-up times against the floor of any Python CLI built on networkx, Typer and PyYAML (see the module doc)."""
    kg = [str(bin_dir / "kgraph")]
    who = ["who-supports", "belarus", "--format", "json"]
    path = ["path", "china", "russia", "--format", "json"]
    for warm_up in (kg + ["--version"], kg + ["--help"], kg + who, kg + path):
        run_once(warm_up, env, timeout)  # compile bytecode, fill the cache of the bundled data
    # interleave the measures so that a burst of machine load hits all of them alike
    cmds = {
        "floor": [str(bin_dir / "python"), "-c", "import networkx, typer, yaml"],
        "version": kg + ["--version"],
        "help": kg + ["--help"],
        "who_supports_bundled": kg + who,
        "path_bundled": kg + path,
    }
    series: dict[str, list[float]] = {k: [] for k in cmds}
    peaks: dict[str, int] = {k: 0 for k in cmds}
    for _ in range(reps):
        for name, cmd in cmds.items():
            wall, rss, _code = run_once(cmd, env, timeout)
            series[name].append(wall)
            peaks[name] = max(peaks[name], rss)
    return {
        name: {
            "seconds": statistics.median(walls),
            "runs": walls,
            "peak_rss_mb": peaks[name] / 2**20,
            "cmd": cmds[name],
        }
        for name, walls in series.items()
    }


def size_row(n: int, args: argparse.Namespace, kg: list[str], env: dict[str, str], has_export: bool) -> dict[str, Any]:
    """Every measure at one dataset size (the cache is in ``args.work``/cache)."""
    work: Path = args.work
    cache = work / "cache"
    root, meta = dataset(work, n, args.seed)
    print(f"{human(n)} facts …", file=sys.stderr)
    d = ["--data", str(root)]
    py = [sys.executable]
    opts = {"slow": args.slow, "timeout": args.timeout}
    row: dict[str, Any] = {"dataset": meta}

    def drop_entry() -> None:
        for p in cache.glob("*.kgc") if cache.is_dir() else []:
            p.unlink()
        for p in cache.glob("*.parts") if cache.is_dir() else []:  # (part files kept by an edit: a cold load has none)
            shutil.rmtree(p)

    def measure_kg(*argv: str, before: Any = None) -> dict[str, Any]:
        return measure(kg + list(argv), env, args.repeat, before=before, **opts)

    row["floor"] = measure(py + ["-c", FLOOR_SCRIPT, str(root)], env, args.repeat, **opts)
    if n <= parse_size(args.hand_max):
        row["by_hand"] = measure(py + ["-c", HAND_SCRIPT, str(root)], env, args.repeat, **opts)
    row["cold"] = measure_kg(*d, "stats", "--format", "json", before=drop_entry)
    row["no_cache"] = measure_kg("--no-cache", *d, "stats", "--format", "json")
    run_once(kg + d + ["stats", "--format", "json"], env, args.timeout)  # make sure the entry exists
    row["cache_mb"] = sum(p.stat().st_size for p in sorted(cache.glob("*.kgc"))) / 1e6
    row["warm"] = measure_kg(*d, "stats", "--format", "json")
    row["relations"] = measure_kg(*d, "relations", "--format", "json")
    row["validate"] = measure_kg(*d, "validate", "--format", "json")
    probe, probe2, hub = str(meta["probe"]), str(meta["probe2"]), str(meta["hub"])
    row.update(
        edit_measures(
            root, work / f"edit-{n}", probe, hub, measure_kg, lambda *a: run_once(kg + list(a), env, args.timeout)
        )
    )
    row["who_supports"] = measure_kg(*d, "who-supports", probe, "--format", "json")
    row["who_supports_hub"] = measure_kg(*d, "who-supports", hub, "--format", "json")
    row["explain_hub"] = measure_kg(*d, "explain", hub, str(meta.get("hub2", probe)), "--format", "json")
    row["path"] = measure_kg(*d, "path", probe, probe2, "--format", "json")
    row["neighbours"] = measure_kg(*d, "neighbours", probe, "--format", "json")
    row["entity"] = measure_kg(*d, "entity", probe, "--format", "json")
    if has_export and n <= parse_size(args.export_max):
        target = work / f"export-{n}.graphml"
        row["export_graphml"] = measure_kg(*d, "export", "graphml", "-o", str(target))
        if target.exists():
            row["export_mb"] = target.stat().st_size / 1e6
            target.unlink()
    if has_export and n <= parse_size(args.rdf_max):
        target = work / f"export-{n}.nt"
        row["export_rdf_nt"] = measure_kg(*d, "export", "rdf", "--rdf-syntax", "nt", "-o", str(target))
        if target.exists():
            row["export_rdf_mb"] = target.stat().st_size / 1e6
            target.unlink()
    if n <= parse_size(args.push_max) and shutil.which("virtuoso-t"):
        row.update(push_row(n, d, kg, env, args, meta))
    return row


def push_row(
    n: int, d: list[str], kg: list[str], env: dict[str, str], args: argparse.Namespace, meta: dict[str, Any]
) -> dict[str, Any]:
    """``kgraph push`` of the dataset into an empty private Virtuoso, then again with nothing changed; then
    ``kgraph --store URL who-supports`` on the probe and the busiest entity, warm (the store's tables cached)."""
    folder = args.work / f"virtuoso-{n}"
    if folder.exists():
        shutil.rmtree(folder)
    try:
        # page cache (8 KiB buffers): the packaged 80 MB is for tiny data; 1M facts (13.9M triples) grow the
        # database past 1.3 GB, which made its first push 15.5 min instead of 12.9 min with 5.3 GB
        buffers = 680_000 if n > 100_000 else 170_000
        server = start_virtuoso(folder, buffers=buffers)
    except ServerError as e:
        sys.stderr.write(f"  ! push not measured: {e}\n")
        return {}
    try:
        push_env = {**env, "KGRAPH_STORE_USER": server.user or "", "KGRAPH_STORE_PASSWORD": server.password or ""}
        cmd = kg + [*d, "push", server.url]
        out: dict[str, Any] = {"push": measure(cmd, push_env, 1, slow=args.slow, timeout=args.timeout)}
        out["push_again"] = measure(cmd, push_env, args.repeat, slow=args.slow, timeout=args.timeout)
        for key, entity in (("store_who_supports", meta["probe"]), ("store_who_supports_hub", meta["hub"])):
            query = kg + ["--store", server.url, "who-supports", str(entity), "--format", "json"]
            run_once(query, env, args.timeout)  # the first reads the store's tables into the cache
            out[key] = measure(query, env, args.repeat, slow=args.slow, timeout=args.timeout)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return out


def edit_measures(
    root: Path, copy: Path, probe: str, hub: str, measure_kg: Any, once: Any
) -> dict[str, dict[str, Any]]:
    """A curator's loop on a copy of the dataset: one source file edited (a fact appended, its quote added to
    the text), then ``who-supports`` (the entry rebuilt from the parts) or ``validate`` (every problem)."""
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(root, copy)
    e = ["--data", str(copy)]
    once(*e, "stats", "--format", "json")  # the entry of the copy (a cold load, not measured)
    files = sorted((copy / "sources").glob("*.yaml"))
    target = files[len(files) // 2]
    text = target.with_suffix(".txt")
    rounds = iter(range(1_000_000))

    def edit_one() -> None:
        i = next(rounds)
        sentence = f"In round {i} {hub} backed {probe} again."
        fact = f'\n  - subject: {hub}\n    relation: supports\n    object: {probe}\n    quote: "{sentence}"\n'
        with open(text, "a", encoding="utf-8") as fh:
            fh.write(f"\n{sentence}\n")
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(fact)

    out = {
        "edit": measure_kg(*e, "who-supports", probe, "--format", "json", before=edit_one),
        "validate_edited": measure_kg(*e, "validate", "--format", "json", before=edit_one),
    }
    shutil.rmtree(copy)
    return out


FITTED = (
    "floor",
    "by_hand",
    "cold",
    "no_cache",
    "warm",
    "relations",
    "validate",
    "validate_edited",
    "edit",
    "who_supports",
    "who_supports_hub",
    "explain_hub",
    "path",
    "neighbours",
    "export_graphml",
    "export_rdf_nt",
    "push",
    "store_who_supports",
    "store_who_supports_hub",
)


def exponents(sizes: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    """For each measure, how its time grows with the size, fitted on the sizes of 10k facts and more."""
    measured = [int(n) for n in sizes]
    fit_sizes = [n for n in measured if n >= 10_000] or measured
    out: dict[str, float | None] = {}
    for key in FITTED:
        pts = [(n, sizes[str(n)][key]["seconds"]) for n in fit_sizes if key in sizes[str(n)]]
        if len(pts) >= 2:
            out[key] = exponent([p[0] for p in pts], [p[1] for p in pts])
    return out


def main() -> None:
    args = _arguments()
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    cache = work / "cache"
    if cache.exists():
        shutil.rmtree(cache)
    env = child_env(cache, None if args.live else snapshot_code(work))
    kg = kgraph_cmd()
    has_export = subprocess.run(kg + ["export", "--help"], env=env, capture_output=True, check=False).returncode == 0

    results: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
        },
        "kgraph": kg,
        "repeat": args.repeat,
        "startup": {},
        "sizes": {},
    }
    if not args.quick:
        print("start-up …", file=sys.stderr)
        bin_dir = user_install(work, installable(work, args.live))
        user_env = child_env(cache)
        user_env.pop("PYTHONPATH", None)  # the installed kgraph, nothing else
        results["startup"] = startup(bin_dir, user_env, args.startup_repeat, args.timeout)
    for n in sizes:
        results["sizes"][str(n)] = size_row(n, args, kg, env, has_export)
    results["exponents"] = exponents(results["sizes"])
    results["targets"] = targets(results)

    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2))
    print(report(results))
    print(f"\nJSON: {out}", file=sys.stderr)


def _seconds(row: dict[str, Any], key: str) -> float | None:
    """The median time of measure ``key`` of a size's row, or None when it was not measured."""
    return float(row[key]["seconds"]) if key in row else None


def targets(r: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each with the figure measured and whether it is met."""
    out: list[dict[str, Any]] = []

    def add(name: str, value: float | None, limit: float, unit: str) -> None:
        if value is not None:
            out.append({"target": name, "value": value, "limit": limit, "unit": unit, "met": value <= limit})

    s = r["startup"]
    if s:
        floor = s["floor"]["seconds"]
        add("--help <= 0.4 x start-up floor", s["help"]["seconds"] / floor, 0.4, "x")
        add("--version <= 0.4 x start-up floor", s["version"]["seconds"] / floor, 0.4, "x")
        add("who-supports (bundled) <= 0.9 x start-up floor", s["who_supports_bundled"]["seconds"] / floor, 0.9, "x")
        add("path (bundled) <= 0.9 x start-up floor", s["path_bundled"]["seconds"] / floor, 0.9, "x")
    sizes = r["sizes"]
    if "100000" in sizes:
        row = sizes["100000"]
        add("cold load 100k <= 1.5 x C-loader parse floor", row["cold"]["seconds"] / row["floor"]["seconds"], 1.5, "x")
        if "by_hand" in row:
            out.append(
                {
                    "target": "cold load 100k >= 5 x faster than by hand",
                    "value": row["by_hand"]["seconds"] / row["cold"]["seconds"],
                    "limit": 5.0,
                    "unit": "x",
                    "met": row["by_hand"]["seconds"] / row["cold"]["seconds"] >= 5.0,
                }
            )
        add("warm who-supports 100k < 0.5 s", row["who_supports"]["seconds"], 0.5, "s")
        if "export_rdf_nt" in row:
            add("export rdf (N-Triples) 100k <= 5 s", row["export_rdf_nt"]["seconds"], 5.0, "s")
            add("export rdf (N-Triples) 100k peak memory <= 400 MB", row["export_rdf_nt"]["peak_rss_mb"], 400, "MB")
    if "1000000" in sizes:
        row = sizes["1000000"]
        add("warm who-supports 1M < 3 s", row["who_supports"]["seconds"], 3.0, "s")
        add("warm who-supports 1M peak memory < 3 GB", row["who_supports"]["peak_rss_mb"] / 1024, 3.0, "GB")
        if "export_rdf_nt" in row:
            add("export rdf (N-Triples) 1M <= 60 s", row["export_rdf_nt"]["seconds"], 60.0, "s")
            add("export rdf (N-Triples) 1M peak memory <= 1 GB", row["export_rdf_nt"]["peak_rss_mb"] / 1024, 1.0, "GB")
        add("warm who-supports on the busiest entity 1M <= 1.5 s", _seconds(row, "who_supports_hub"), 1.5, "s")
        add("warm explain on the busiest entity 1M <= 2.0 s", _seconds(row, "explain_hub"), 2.0, "s")
    cache_targets(sizes, add)
    store_targets(sizes, add)
    for key in ("cold", "warm", "who_supports"):
        e = r["exponents"].get(key)
        if e is not None:
            add(f"{key.replace('_', '-')} grows linearly (exponent, sizes >= 10k)", e, 1.15, "")
    return out


def store_targets(sizes: dict[str, dict[str, Any]], add: Any) -> None:
    """The store's targets at 1M: the push into Virtuoso, and who-supports through it."""
    row = sizes.get("1000000", {})
    if "push" in row:
        add("push 1M into Virtuoso <= 3 min", row["push"]["seconds"], 180.0, "s")
    if "store_who_supports" in row:
        add("--store who-supports 1M (Virtuoso, warm) <= 0.5 s", row["store_who_supports"]["seconds"], 0.5, "s")


def cache_targets(sizes: dict[str, dict[str, Any]], add: Any) -> None:
    """The second speed issue's targets: an edit and path at 100k; an ordinary entity, path, stats, relations,
    validate and the GraphML export at 1M."""
    row = sizes.get("100000", {})
    if "edit" in row:
        add("edit one source 100k, then who-supports <= 1.0 s", row["edit"]["seconds"], 1.0, "s")
        add("edit one source 100k <= 0.15 x cold load", row["edit"]["seconds"] / row["cold"]["seconds"], 0.15, "x")
    if "path" in row:
        add("path 100k, warm <= 0.5 s", row["path"]["seconds"], 0.5, "s")
    row = sizes.get("1000000", {})
    for key in ("who_supports", "neighbours", "entity"):
        if key in row:
            name = key.replace("_", "-")
            add(f"{name} (ordinary entity) 1M, warm <= 0.5 s", row[key]["seconds"], 0.5, "s")
            add(f"{name} (ordinary entity) 1M, peak memory <= 200 MB", row[key]["peak_rss_mb"], 200, "MB")
    if "export_graphml" in row:
        add("export graphml 1M <= 25 s", row["export_graphml"]["seconds"], 25.0, "s")
        add("export graphml 1M peak memory <= 1.5 GB", row["export_graphml"]["peak_rss_mb"] / 1024, 1.5, "GB")
    for key, label, limit in (
        ("path", "path 1M, warm <= 1.0 s", 1.0),
        ("warm", "stats 1M, warm <= 0.5 s", 0.5),
        ("relations", "relations 1M, warm <= 0.5 s", 0.5),
        ("validate", "validate 1M, unchanged <= 5 s", 5.0),
        ("validate_edited", "validate 1M, one source edited <= 8 s", 8.0),
    ):
        if key in row:
            add(label, row[key]["seconds"], limit, "s")


def report(r: dict[str, Any]) -> str:
    lines: list[str] = []
    m = r["machine"]
    lines.append(f"kgraph benchmark, {r['when']}, Python {m['python']}, {m['cpus']} CPUs, {m['platform']}")
    lines.append(
        f"median of {r['repeat']} runs per measure (one run when it takes over the --slow limit); peak RSS in MB"
    )
    s = r["startup"]
    if s:
        floor = s["floor"]["seconds"]
        lines += ["", "| start-up | wall (quartiles) | × floor | peak RSS |", "|---|---:|---:|---:|"]
        names = {
            "floor": '`python -c "import networkx, typer, yaml"`',
            "version": "`kgraph --version`",
            "help": "`kgraph --help` (piped)",
            "who_supports_bundled": "`kgraph who-supports belarus` (bundled)",
            "path_bundled": "`kgraph path china russia` (bundled)",
        }
        for key, label in names.items():
            v = s[key]
            low, _, high = statistics.quantiles(v["runs"], n=4) if len(v["runs"]) > 1 else [v["seconds"]] * 3
            lines.append(
                f"| {label} | {v['seconds'] * 1000:.0f} ms ({low * 1000:.0f}–{high * 1000:.0f}) "
                f"| {v['seconds'] / floor:.2f} | {v['peak_rss_mb']:.0f} |"
            )
    cols = [
        ("floor", "C-loader floor"),
        ("by_hand", "by hand"),
        ("cold", "cold"),
        ("no_cache", "--no-cache"),
        ("warm", "warm (stats)"),
        ("relations", "relations"),
        ("validate", "validate"),
        ("edit", "edit + who-supports"),
        ("validate_edited", "edit + validate"),
        ("who_supports", "who-supports"),
        ("who_supports_hub", "who-supports hub"),
        ("explain_hub", "explain hub"),
        ("path", "path"),
        ("neighbours", "neighbours"),
        ("entity", "entity"),
        ("export_graphml", "export graphml"),
        ("export_rdf_nt", "export rdf (nt)"),
        ("push", "push (Virtuoso)"),
        ("push_again", "push again"),
        ("store_who_supports", "--store who-supports"),
        ("store_who_supports_hub", "--store who-supports hub"),
    ]
    present = [(k, label) for k, label in cols if any(k in row for row in r["sizes"].values())]
    if r["sizes"]:
        lines += [
            "",
            "| facts | " + " | ".join(label for _, label in present) + " |",
            "|---:|" + "---:|" * len(present),
        ]
        for n, row in r["sizes"].items():
            cells = []
            for k, _ in present:
                v = row.get(k)
                cells.append("—" if v is None else f"{_secs(v['seconds'])} · {v['peak_rss_mb']:.0f} MB")
            lines.append(f"| {human(int(n))} | " + " | ".join(cells) + " |")
        ex = r.get("exponents", {})
        if ex:
            lines.append(
                "| exponent | "
                + " | ".join(f"{ex[k]:.2f}" if ex.get(k) is not None else "—" for k, _ in present)
                + " |"
            )
        lines += [
            "",
            (
                "| facts | sources | entities | data MB | cache MB | cold ÷ floor | by hand ÷ cold | "
                "probe (its facts) | hub (its facts) |"
            ),
            "|---:|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        for n, row in r["sizes"].items():
            ds = row["dataset"]
            hand = f"{row['by_hand']['seconds'] / row['cold']['seconds']:.1f}" if "by_hand" in row else "—"
            lines.append(
                f"| {human(int(n))} | {ds['sources']:,} | {ds['entities']:,} | {ds['bytes'] / 1e6:.0f} | "
                f"{row.get('cache_mb', 0):.0f} | {row['cold']['seconds'] / row['floor']['seconds']:.2f} | {hand} | "
                f"{ds['probe']} ({ds['probe_facts']}) | {ds['hub']} ({ds['hub_facts']}) |"
            )
    if r.get("targets"):
        lines += ["", "| target | measured | met |", "|---|---:|:---:|"]
        for t in r["targets"]:
            unit = t["unit"]
            value = f"{t['value']:.2f}{' ' + unit if unit in ('s', 'GB', 'MB') else unit}"
            lines.append(f"| {t['target']} | {value} | {'yes' if t['met'] else '**no**'} |")
    return "\n".join(lines)


def _secs(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


if __name__ == "__main__":
    main()
