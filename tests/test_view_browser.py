"""`kgraph view` in a real browser: Debian's chromium, driven by Playwright, with the network cut off.

The page is opened from disk (file://); every request that is not a file is
recorded and refused, and each test asserts there was none. The browser is
Debian's (``/usr/bin/chromium``, or ``$KGRAPH_CHROMIUM``): nothing is
downloaded (never ``playwright install``). Without it or Playwright the tests
fail in CI and skip elsewhere (tests/export_support.py ``need``).

A screenshot of the page, searched and clicked, is saved to
``test-artifacts/view.png`` (or ``$KGRAPH_TEST_ARTIFACTS/view.png``).
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, REPO, MakeDataset
from export_support import need

import kgraph
from kgraph.view import write_view

CHROMIUM = os.environ.get("KGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}


def artifacts() -> Path:
    folder = Path(os.environ.get("KGRAPH_TEST_ARTIFACTS") or REPO / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need(importlib.util.find_spec("playwright") is not None, "Playwright for Python", "pip install -e '.[test]'")
    need(Path(CHROMIUM).is_file(), f"Debian's chromium ({CHROMIUM})", "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def kg() -> kgraph.KnowledgeGraph:
    return kgraph.load(BUNDLED)


@pytest.fixture(scope="module")
def page_file(kg: kgraph.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("view") / "kgraph-view.html"
    write_view(kg, path)
    return path


class Page:
    """One opened page, the requests it tried, and helpers reading its Bokeh document."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.context = browser.new_context(viewport=VIEWPORT, service_workers="block")
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function(
            "() => window.Bokeh !== undefined && Bokeh.documents.length > 0 && Bokeh.documents[0].is_idle"
            " && Bokeh.index.find_one(Bokeh.documents[0].get_model_by_name('kgraph-plot')) != null",
            timeout=30_000,
        )

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def js(self, body: str, arg: Any = None) -> Any:
        """Run ``body`` with ``doc`` (the Bokeh document), ``by`` (model by name) and ``arg`` in scope."""
        return self.page.evaluate(
            "(arg) => { const doc = Bokeh.documents[0]; const by = (n) => doc.get_model_by_name(n); " + body + " }", arg
        )

    def to_pixels(self, x: float, y: float) -> tuple[float, float]:
        """Page coordinates of the data point (x, y), from the plot's own scales."""
        px, py = self.js(
            """
            const v = Bokeh.index.find_one(by('kgraph-plot'));
            const r = v.canvas_view.el.getBoundingClientRect();
            return [r.left + v.frame.x_scale.compute(arg[0]), r.top + v.frame.y_scale.compute(arg[1])];""",
            [x, y],
        )
        return float(px), float(py)

    def edge(self, subject: str, obj: str) -> int:
        edges = self.js("return by('kgraph-edges').data")
        pairs = list(zip(edges["subject"], edges["object"], strict=True))
        return pairs.index((subject, obj))

    def click_edge(self, subject: str, obj: str) -> None:
        j = self.edge(subject, obj)
        mx, my = self.js("const d = by('kgraph-edges').data; return [d.mx[arg], d.my[arg]]", j)
        self.page.mouse.click(*self.to_pixels(mx, my))

    def panel(self) -> str:
        text: str = self.page.locator(".kg-panel").inner_text()
        return text

    def search(self, text: str) -> None:
        box = self.page.locator("input[placeholder^='Search an entity']")
        box.click()
        self.page.keyboard.type(text, delay=15)
        self.page.keyboard.press("Enter")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def page(browser: Any, page_file: Path) -> Iterator[Page]:
    opened = Page(browser, page_file)
    yield opened
    assert opened.requests == [], f"the page tried the network: {opened.requests}"
    assert opened.errors == []
    opened.close()


def test_graph_renders_every_node_offline(page: Page, kg: kgraph.KnowledgeGraph) -> None:
    from PIL import Image

    nodes = page.js("return by('kgraph-nodes').data")
    assert sorted(nodes["id"]) == sorted(kg.entities)
    assert page.js("return by('kgraph-node-filter').indices.length") == len(kg.entities) == 28
    assert page.js("return by('kgraph-node-glyphs').view.filter.indices.length") == 28
    shot = Image.open(io.BytesIO(page.page.screenshot())).convert("RGB")
    assert len(shot.getcolors(1 << 20) or []) > 50  # not a blank page
    # the canvas was drawn: Belarus's node has the country colour where the plot's scales put it
    i = nodes["id"].index("belarus")
    x, y = page.to_pixels(nodes["x"][i], nodes["y"][i])
    r, g, b = shot.getpixel((round(x), round(y)))  # type: ignore[misc]
    assert abs(r - 31) + abs(g - 119) + abs(b - 180) < 40, (r, g, b)
    assert page.requests == []


@pytest.mark.parametrize("typed", ["Lukashenko", "lukashénka"])
def test_search_focuses_the_entity(page: Page, typed: str, kg: kgraph.KnowledgeGraph) -> None:
    before = page.js("const p = by('kgraph-plot'); return p.x_range.end - p.x_range.start")
    page.search(typed)
    page.page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('kgraph-nodes').selected.indices.length")
    nodes = page.js("return by('kgraph-nodes').data")
    selected = page.js("return by('kgraph-nodes').selected.indices")
    assert [nodes["id"][i] for i in selected] == ["lukashenko"]
    x, y = nodes["x"][selected[0]], nodes["y"][selected[0]]
    (x0, x1), (y0, y1) = page.js(
        "const p = by('kgraph-plot'); return [[p.x_range.start, p.x_range.end], [p.y_range.start, p.y_range.end]]"
    )
    assert abs((x0 + x1) / 2 - x) < 1e-6 and abs((y0 + y1) / 2 - y) < 1e-6
    assert x1 - x0 != before  # zoomed: to fit his neighbours, each of which is in view
    neighbours = {f.object if f.subject == "lukashenko" else f.subject for f in kg.facts_of("lukashenko")}
    assert neighbours
    for e in neighbours:
        k = nodes["id"].index(e)
        assert x0 < nodes["x"][k] < x1 and y0 < nodes["y"][k] < y1, e
    # and he is drawn in the middle of the plot
    px, py = page.to_pixels(x, y)
    frame = page.js(
        "const v = Bokeh.index.find_one(by('kgraph-plot')); const r = v.canvas_view.el"
        ".getBoundingClientRect(); const b = v.frame.bbox; "
        "return [r.left + b.left + b.width / 2, r.top + b.top + b.height / 2]"
    )
    assert abs(px - frame[0]) < 2 and abs(py - frame[1]) < 2
    assert page.panel().startswith("Alexander Lukashenko")


def test_clicking_the_china_belarus_edge_shows_its_quotes(page: Page, kg: kgraph.KnowledgeGraph) -> None:
    from PIL import Image

    facts = [f for f in kg.facts if (f.subject, f.object) == ("china", "belarus")]
    assert len(facts) > 1
    page.search("Belarus")
    page.page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('kgraph-nodes').selected.indices.length")
    page.click_edge("china", "belarus")
    page.page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('kgraph-edges').selected.indices.length")
    assert page.js("return by('kgraph-edges').selected.indices") == [page.edge("china", "belarus")]
    text = page.panel()
    assert text.startswith("China → Belarus")
    for f in facts:  # every fact of the pair, with its quote, source and id
        assert f.quote in text
        assert f.id in text
    assert "Belarus turns to 'ironclad friend' China under Western sanctions" in text
    assert page.page.locator(".kg-fact").count() == len(facts)
    shot = artifacts() / "view.png"
    page.page.screenshot(path=str(shot))
    assert Image.open(shot).size == (VIEWPORT["width"], VIEWPORT["height"])


def test_clicking_a_node_lists_its_facts(page: Page, kg: kgraph.KnowledgeGraph) -> None:
    nodes = page.js("return by('kgraph-nodes').data")
    i = nodes["id"].index("xi-jinping")
    page.page.mouse.click(*page.to_pixels(nodes["x"][i], nodes["y"][i]))
    page.page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('kgraph-nodes').selected.indices.length")
    ids = [f.id for f in kg.facts_of("xi-jinping")]
    text = page.panel()
    assert text.startswith("Xi Jinping")
    assert page.page.locator(".kg-fact").count() == len(ids)
    assert all(i in text for i in ids)


def test_polarity_filter_hides_edges(page: Page, kg: kgraph.KnowledgeGraph) -> None:
    edges = page.js("return by('kgraph-edges').data")
    polarity = {f.id: f.polarity for f in kg.facts}
    fact_ids = page.js("return by('kgraph-facts-data').data.id")
    page.page.get_by_text("conflictual (", exact=False).click()
    assert page.js("return by('kgraph-polarity').active") == [0, 2]
    shown = page.js("return by('kgraph-edge-filter').indices")
    expected = [j for j, rows in enumerate(edges["facts"]) if any(polarity[fact_ids[r]] != -1 for r in rows)]
    assert shown == expected and len(shown) < len(edges["facts"])
    # an edge of conflictual facts only is gone: its marker no longer takes clicks
    page.click_edge("union-state", "belarus")
    page.page.wait_for_timeout(200)
    assert page.js("return by('kgraph-edges').selected.indices") == []


def test_relation_filter_hides_edges(page: Page, kg: kgraph.KnowledgeGraph) -> None:
    page.page.locator("input[placeholder^='all relations']").click()
    page.page.keyboard.type("imposes sanctions", delay=10)
    page.page.keyboard.press("Enter")
    page.page.keyboard.press("Escape")
    assert page.js("return by('kgraph-relations').value") == ["sanctions"]
    shown = page.js(
        "const d = by('kgraph-edges').data; return by('kgraph-edge-filter').indices"
        ".map((j) => [d.subject[j], d.object[j]])"
    )
    assert sorted(map(tuple, shown)) == sorted({(f.subject, f.object) for f in kg.facts if f.relation == "sanctions"})
    # entities left without facts are hidden, the others stay
    nodes = page.js("const d = by('kgraph-nodes').data; return by('kgraph-node-filter').indices.map((i) => d.id[i])")
    assert set(nodes) == {e for pair in shown for e in pair}


def test_escaped_text_in_the_panel(browser: Any, make_dataset: MakeDataset, tmp_path: Path) -> None:
    nasty = '<img src=x onerror="window.pwned=1"> & "Q" </div>'
    data = make_dataset(
        entities=f"""\
        entities:
          - id: alphaland
            name: {json.dumps(nasty)}
            type: country
            aliases: [Alpha]
            description: "<script>window.pwned=2</script>"
          - id: betaland
            name: Betaland
            type: country
            description: Another country.
          - id: gamma-leader
            name: Gamma Leader
            type: person
            description: Leader.
        """
    )
    path = tmp_path / "nasty.html"
    write_view(kgraph.load(data), path)
    opened = Page(browser, path)
    try:
        opened.search("alpha")
        opened.page.wait_for_function(
            "() => Bokeh.documents[0].get_model_by_name('kgraph-nodes').selected.indices.length"
        )
        text = opened.panel()
        assert text.startswith(nasty)
        assert "<script>window.pwned=2</script>" in text
        assert opened.page.evaluate("() => window.pwned") is None
        assert opened.requests == [] and opened.errors == []
    finally:
        opened.close()
