"""What the export tests share: where the schemas and node readers are, and how to require them.

A reader that is missing makes a test FAIL when ``CI`` is set (CI must install it:
``npm ci --prefix tests/js``, the ``test`` extra, graphviz) and skip, with the
reason, on a developer's machine.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "tests" / "schemas"  # vendored: the suite needs nothing beside the repository
JS = REPO / "tests" / "js"
GRAPHML_XSD = SCHEMAS / "graphml" / "1.1" / "graphml.xsd"
GEXF_RNG = SCHEMAS / "gexf" / "1.3" / "gexf.rng"


def need(ok: bool, what: str, install: str) -> None:
    """Fail in CI, skip elsewhere, when a reader the test needs is not there."""
    if ok:
        return
    message = f"{what} is not available (install: {install})"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must provide it", pytrace=False)
    pytest.skip(message)


def need_module(name: str, install: str | None = None) -> None:
    need(importlib.util.find_spec(name) is not None, f"Python package {name!r}", install or "pip install -e '.[test]'")


def need_schemas() -> None:
    """The vendored schemas are part of the repository: missing ones are an error, never a skip."""
    missing = [str(p.relative_to(REPO)) for p in (GRAPHML_XSD, GEXF_RNG) if not p.is_file()]
    if missing:
        pytest.fail(f"vendored schemas missing from the repository: {', '.join(missing)}", pytrace=False)


def need_node(package: str) -> None:
    need(shutil.which("node") is not None, "Node.js (node)", "apt-get install nodejs")
    need(
        (JS / "node_modules" / package).is_dir(),
        f"npm package {package!r} in tests/js/node_modules",
        "npm ci --prefix tests/js",
    )


def need_dot() -> None:
    need(shutil.which("dot") is not None, "Graphviz (dot)", "apt-get install graphviz")


@functools.cache
def graphml_schema() -> Any:
    """The GraphML 1.1 XSD, loaded offline: its absolute schema URLs map to the vendored copies
    (what ``graphml/catalog.xml`` does for xmllint, done by an lxml resolver)."""
    need_module("lxml")
    need_schemas()
    from lxml import etree

    prefix = "http://graphml.graphdrawing.org/xmlns/1.1/"
    local = GRAPHML_XSD.parent

    class Vendored(etree.Resolver):  # type: ignore[misc]
        def resolve(self, url: str, pubid: str, context: Any) -> Any:
            if url.startswith(prefix):
                return self.resolve_filename(str(local / url[len(prefix) :]), context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Vendored())
    return etree.XMLSchema(etree.parse(str(GRAPHML_XSD), parser))


@functools.cache
def gexf_grammar() -> Any:
    """The GEXF 1.3 RELAX NG grammar."""
    need_module("lxml")
    need_schemas()
    from lxml import etree

    return etree.RelaxNG(etree.parse(str(GEXF_RNG)))


def validate_graphml(path: Path) -> None:
    from lxml import etree

    schema = graphml_schema()
    doc = etree.parse(str(path))
    assert schema.validate(doc), f"{path} is not valid GraphML 1.1: {schema.error_log}"


def validate_gexf(path: Path) -> None:
    from lxml import etree

    grammar = gexf_grammar()
    doc = etree.parse(str(path))
    assert grammar.validate(doc), f"{path} is not valid GEXF 1.3: {grammar.error_log}"


def node_read(fmt: str, *paths: Path) -> list[dict[str, Any]]:
    """Run tests/js/read.js: what the JavaScript reader saw in each file."""
    package = {
        "gexf": "graphology-gexf",
        "gexf-lite": "graphology-gexf",
        "graphml": "graphology-graphml",
        "cytoscape": "cytoscape",
    }[fmt]
    need_node(package)
    done = subprocess.run(
        ["node", str(JS / "read.js"), fmt, *map(str, paths)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result
