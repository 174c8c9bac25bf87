"""`kgraph view`: the HTML page, read without a browser (its models are parsed from the embedded JSON).

The browser tests (tests/test_view_browser.py) click through the same page.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, MakeDataset
from typer.testing import CliRunner, Result

import kgraph
from kgraph.cli import app
from kgraph.errors import MissingDependency
from kgraph.view import view_html, write_view

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KGRAPH_DATA", "KGRAPH_DEBUG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def kg() -> kgraph.KnowledgeGraph:
    return kgraph.load(BUNDLED)


@pytest.fixture(scope="module")
def page(kg: kgraph.KnowledgeGraph) -> tuple[str, dict[str, Any]]:
    return view_html(kg)


def run(*args: str) -> Result:
    return runner.invoke(app, list(args))


def as_json(*args: str) -> Any:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# -- reading the page ---------------------------------------------------------------


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def _plain(value: Any) -> Any:
    """Bokeh's serialised maps as dicts."""
    if isinstance(value, dict) and value.get("type") == "map":
        return {k: _plain(v) for k, v in value.get("entries", [])}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def models(page_html: str) -> dict[str, dict[str, Any]]:
    """The attributes of every named Bokeh model in the page."""
    m = re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', page_html, flags=re.DOTALL)
    assert m, "no Bokeh document in the page"
    doc = json.loads(html.unescape(m.group(1)))
    out: dict[str, dict[str, Any]] = {}
    for obj in _walk(doc):
        attrs = obj.get("attributes")
        if obj.get("type") == "object" and isinstance(attrs, dict) and isinstance(attrs.get("name"), str):
            out.setdefault(attrs["name"], attrs)
    return out


def columns(page_html: str, name: str) -> dict[str, list[Any]]:
    data = _plain(models(page_html)[name]["data"])
    assert isinstance(data, dict)
    return data


class _Resources(HTMLParser):
    """Every URL the page would load by itself: script src, link href, img/iframe/source src, CSS url()."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("src", "href", "data", "poster", "srcset"):
            if a.get(key) and tag in (
                "script",
                "link",
                "img",
                "iframe",
                "source",
                "video",
                "audio",
                "embed",
                "object",
                "image",
                "use",
            ):
                self.urls.append(a[key] or "")
        if a.get("style"):
            self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", a["style"] or "")
        if tag == "script" and "src" not in a:
            self.inline_scripts += 1
        self._in = tag

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", data)
            self.urls += re.findall(r"@import\s+['\"]([^'\"]+)", data)


def external(urls: list[str]) -> list[str]:
    return [u for u in urls if re.match(r"\s*(https?:)?//", u, flags=re.IGNORECASE)]


# -- the page -----------------------------------------------------------------------


def test_page_is_self_contained(page: tuple[str, dict[str, Any]]) -> None:
    text, _ = page
    parser = _Resources()
    parser.feed(text)
    assert parser.urls == [] or external(parser.urls) == []
    assert "<script src" not in text.lower()
    # CSS inside the inlined bundles too: no url(http…) and no @import of a web font
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text, flags=re.IGNORECASE)
    assert not re.search(r"@import\s+(url\()?['\"]?(https?:)?//", text, flags=re.IGNORECASE)
    assert "fonts.googleapis" not in text and "cdn.bokeh.org" not in text


def test_page_holds_bokehjs_inline(page: tuple[str, dict[str, Any]]) -> None:
    import bokeh

    text, _ = page
    parser = _Resources()
    parser.feed(text)
    assert parser.inline_scripts >= 3  # BokehJS, its widgets, the document
    assert "/* BEGIN bokeh.min.js */" in text and "/* BEGIN bokeh-widgets.min.js */" in text
    assert f'"version":"{bokeh.__version__}"' in text
    assert len(text) > 1_000_000  # BokehJS itself is over a megabyte


def test_every_entity_and_fact_is_in_the_page(kg: kgraph.KnowledgeGraph, page: tuple[str, dict[str, Any]]) -> None:
    text, summary = page
    nodes = columns(text, "kgraph-nodes")
    facts = columns(text, "kgraph-facts-data")
    assert sorted(nodes["name"]) == sorted(e.name for e in kg.entities.values())
    assert sorted(facts["id"]) == sorted(f.id for f in kg.facts)
    assert sorted(facts["quote"]) == sorted(f.quote for f in kg.facts)
    assert (summary["entities"], summary["facts"], summary["capped"], summary["note"]) == (28, 61, False, None)
    # every node has a position, and the search completes every name and alias
    assert len(set(zip(nodes["x"], nodes["y"], strict=True))) == len(nodes["x"])
    completions = set(models(text)["kgraph-search"]["completions"])
    assert {n for e in kg.entities.values() for n in (e.name, *e.aliases)} <= completions


def test_parallel_facts_make_one_edge_that_keeps_them_all(
    kg: kgraph.KnowledgeGraph, page: tuple[str, dict[str, Any]]
) -> None:
    text, summary = page
    edges = columns(text, "kgraph-edges")
    facts = columns(text, "kgraph-facts-data")
    pairs = list(zip(edges["subject"], edges["object"], strict=True))
    assert len(pairs) == len(set(pairs)) == summary["edges"]
    j = pairs.index(("china", "belarus"))
    expected = [f["id"] for f in as_json("facts", "--subject", "china", "--object", "belarus")["facts"]]
    assert len(expected) > 1
    assert sorted(facts["id"][i] for i in edges["facts"][j]) == sorted(expected)
    assert edges["count"][j] == len(expected)
    # every fact sits on exactly one edge, the one of its subject and object
    by_id = kg.facts_by_id
    for i, fid in enumerate(facts["id"]):
        e = facts["edge"][i]
        assert (edges["subject"][e], edges["object"][e]) == (by_id[fid].subject, by_id[fid].object)
        assert i in edges["facts"][e]


def test_edges_are_coloured_by_polarity(page: tuple[str, dict[str, Any]]) -> None:
    from kgraph.palette import hex_colour, polarity_colour

    text, _ = page
    edges = columns(text, "kgraph-edges")
    facts = columns(text, "kgraph-facts-data")
    for j, rows in enumerate(edges["facts"]):
        signed = {facts["polarity"][i] for i in rows} - {0}
        if len(signed) == 1:
            assert edges["color"][j] == hex_colour(polarity_colour(signed.pop()))
        elif not signed:
            assert edges["color"][j] == hex_colour(polarity_colour(0))


def test_layout_is_deterministic(kg: kgraph.KnowledgeGraph, page: tuple[str, dict[str, Any]]) -> None:
    again, _ = view_html(kg)
    first, second = columns(page[0], "kgraph-nodes"), columns(again, "kgraph-nodes")
    assert (first["id"], first["x"], first["y"]) == (second["id"], second["x"], second["y"])


def test_text_is_escaped_in_the_page(make_dataset: MakeDataset) -> None:
    nasty = '</script><script>window.pwned=1</script> & "Q" <b>'
    data = make_dataset(
        entities=f"""\
        entities:
          - id: alphaland
            name: {json.dumps(nasty)}
            type: country
            description: "<img src=x onerror=alert(1)>"
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
    text, _ = view_html(kgraph.load(data), title="<i>T</i> & co")
    assert "<script>window.pwned" not in text
    assert "<img src=x" not in text
    assert "<h1>&lt;i&gt;T&lt;/i&gt; &amp; co</h1>" in columns_text(text, "kgraph-title")
    assert nasty in columns(text, "kgraph-nodes")["name"]  # the data itself is kept as written


def columns_text(page_html: str, name: str) -> str:
    return str(models(page_html)[name]["text"])


# -- the command ----------------------------------------------------------------------


def test_command_writes_the_page_and_says_where(tmp_path: Path) -> None:
    out = tmp_path / "g.html"
    result = run("view", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    size = out.stat().st_size
    assert result.stdout == ""
    assert re.fullmatch(
        rf"wrote {re.escape(str(out))} \({size / 1e6:.2f} MB\): 28 entities, \d+ edges, 61 facts\n", result.stderr
    )
    assert [p.name for p in tmp_path.iterdir()] == ["g.html"]  # no temporary file left behind


def test_default_output_is_in_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("view", "belarus")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "kgraph-view.html").is_file()
    assert result.stderr.startswith("wrote kgraph-view.html (")


def test_dash_writes_to_stdout() -> None:
    result = run("view", "xi-jinping", "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert "Xi Jinping" in columns(result.stdout, "kgraph-nodes")["name"]


def test_neighbourhood(tmp_path: Path) -> None:
    for depth in ("1", "2"):
        out = tmp_path / f"n{depth}.html"
        result = run("view", "Lukashenka", "--depth", depth, "-o", str(out))
        assert result.exit_code == 0, result.stderr
        nodes = columns(out.read_text(encoding="utf-8"), "kgraph-nodes")
        near = as_json("neighbours", "lukashenko", "--depth", depth)["neighbours"]
        assert set(nodes["id"]) == {n["entity"]["id"] for n in near} | {"lukashenko"}
        assert "around Alexander Lukashenko" in columns_text(out.read_text(encoding="utf-8"), "kgraph-title")


def test_relation_option_keeps_those_facts(tmp_path: Path) -> None:
    out = tmp_path / "s.html"
    assert run("view", "--relation", "sanctions", "-o", str(out)).exit_code == 0
    facts = columns(out.read_text(encoding="utf-8"), "kgraph-facts-data")
    expected = as_json("facts", "--relation", "sanctions")["facts"]
    assert sorted(facts["id"]) == sorted(f["id"] for f in expected)


def test_time_window(tmp_path: Path, kg: kgraph.KnowledgeGraph) -> None:
    from kgraph.timefilter import window

    out = tmp_path / "t.html"
    result = run("view", "--since", "2021-12", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("note: time window kept ")
    facts = columns(out.read_text(encoding="utf-8"), "kgraph-facts-data")
    assert 0 < len(facts["id"]) < 61
    assert sorted(facts["id"]) == sorted(f.id for f in window(kg, since="2021-12").facts)


def test_unknown_entity_exits_4_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "x.html"
    result = run("view", "lukashenkoo", "-o", str(out))
    assert result.exit_code == 4
    assert result.stderr == (
        "error: unknown entity 'lukashenkoo'; did you mean "
        "'lukashenko' (person: Leader (president) of Belarus, in power since 1994)?\n"
    )
    assert not out.exists()


def test_depth_needs_an_entity() -> None:
    result = run("view", "--depth", "2", "-o", "-")
    assert result.exit_code == 2
    assert result.stderr == "error: --depth needs an entity to start from (kgraph view X --depth N)\n"


def test_missing_folder_is_an_export_error(tmp_path: Path) -> None:
    result = run("view", "-o", str(tmp_path / "no" / "such" / "x.html"))
    assert result.exit_code == 6
    assert result.stderr.startswith("error: cannot write ")


def test_cap_keeps_the_most_connected_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "c.html"
    result = run("view", "--max-nodes", "5", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    note = (
        "Showing the 5 most connected of 28 entities, and the {} of 61 facts among them "
        "(kgraph view --max-nodes N, or name an entity to see its neighbourhood)."
    )
    text = out.read_text(encoding="utf-8")
    nodes = columns(text, "kgraph-nodes")
    facts = columns(text, "kgraph-facts-data")
    assert result.stderr.startswith("note: " + note.format(len(facts["id"])) + "\n")
    assert html.escape(note.format(len(facts["id"])), quote=False) in columns_text(text, "kgraph-note")
    degree: dict[str, int] = {}
    for f in as_json("facts")["facts"]:
        for e in (f["subject"]["id"], f["object"]["id"]):
            degree[e] = degree.get(e, 0) + 1
    fifth = sorted(degree.values(), reverse=True)[4]
    assert len(nodes["id"]) == 5
    assert all(degree[e] >= fifth for e in nodes["id"])
    assert all(degree[e] <= fifth for e in set(degree) - set(nodes["id"]))


def test_cap_around_keeps_the_nearest(kg: kgraph.KnowledgeGraph) -> None:
    text, summary = view_html(kg, "china", depth=3, max_nodes=6)
    nodes = columns(text, "kgraph-nodes")
    near = {n["entity"]["id"] for n in as_json("neighbours", "china")["neighbours"]}
    assert summary["capped"] and summary["note"].startswith("Showing the 6 nearest to China of ")
    assert "china" in nodes["id"] and set(nodes["id"]) - {"china"} <= near


def test_max_nodes_range() -> None:
    result = run("view", "--max-nodes", "0", "-o", "-")
    assert result.exit_code == 2


def test_write_view_summary(kg: kgraph.KnowledgeGraph, tmp_path: Path) -> None:
    summary = write_view(kg, tmp_path / "w.html", "belarus")
    assert summary["bytes"] == (tmp_path / "w.html").stat().st_size
    assert summary["around"] == "belarus" and summary["path"] == str(tmp_path / "w.html")


def test_without_bokeh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kg: kgraph.KnowledgeGraph) -> None:
    monkeypatch.setitem(sys.modules, "bokeh", None)  # `import bokeh` now raises ImportError
    with pytest.raises(MissingDependency, match=re.escape("pip install 'kgraph[view]'")):
        view_html(kg)
    result = run("view", "-o", str(tmp_path / "v.html"))
    assert result.exit_code == 7
    assert result.stderr == "error: kgraph view needs Bokeh, which is not installed: pip install 'kgraph[view]'\n"
    assert not (tmp_path / "v.html").exists()


def test_help_does_not_import_bokeh(tmp_path: Path) -> None:
    probe = (
        "import sys\nfrom kgraph.cli import main\nsys.argv = ['kgraph', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('\\nBOKEH ' + str(any(m.split('.')[0] == 'bokeh' for m in sys.modules)))\n"
    )
    env = {**os.environ, "KGRAPH_CACHE_DIR": str(tmp_path)}
    for args in (["--help"], ["view", "--help"]):
        done = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env, timeout=60, check=False
        )
        assert done.stderr.rsplit("BOKEH ", 1)[1] == "False", args
        assert "view" in done.stdout


def test_open_hands_the_file_to_the_web_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import webbrowser

    opened: list[str] = []

    def fake_open(url: str, *args: Any, **kwargs: Any) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    out = tmp_path / "o.html"
    result = run("view", "china", "-o", str(out), "--open")
    assert result.exit_code == 0, result.stderr
    assert opened == [out.resolve().as_uri()]


def test_nothing_to_show_is_still_a_page(kg: kgraph.KnowledgeGraph) -> None:
    from kgraph.knowledge import KnowledgeGraph

    empty = KnowledgeGraph(list(kg.relations.values()), [], [], [])
    text, summary = view_html(empty)
    assert (summary["entities"], summary["facts"], summary["edges"]) == (0, 0, 0)
    assert columns(text, "kgraph-nodes")["id"] == []
    text, summary = view_html(kg, "lanzhou-university", relations=["sanctions"])  # one entity, no facts
    assert columns(text, "kgraph-nodes")["id"] == ["lanzhou-university"] and summary["facts"] == 0


# -- the page's JavaScript ------------------------------------------------------------------------------------

TRICKY_NAMES = [
    "Lukashenka",
    "Alyaksandr Lukashenka",
    "ALEXANDER LUKASHENKO",
    "Łukaszenka",  # a stroked letter no decomposition removes
    "Ægir Øresund Đorđe Ħamrun Ŧ ıstanbul Œuvre",  # ligatures and the other stroked letters
    "Zürich-Straße",  # ß folds to ss
    "GROẞE STRASSE",  # the capital sharp s too
    "Côte d’Ivoire",  # a curly apostrophe
    "Cote d'Ivoire",
    "N’Djamena ʼokina `grave´ acute",
    "U.S.A.",  # dots inside an abbreviation vanish
    "St. Petersburg",  # a dot before a space becomes the space
    "Александр Лукашенко",  # Cyrillic
    "Беларусь Йошкар-Ола Ёлка",  # Cyrillic letters with a breve or a diaeresis
    "ΟΔΥΣΣΕΑΣ Ἀθῆναι",  # Greek: a final sigma and the tonos and breathings
    "İstanbul",  # a capital I with a dot
    "ＦＵＬＬ ｗｉｄｔｈ ﬁ ²",  # compatibility forms
    "  --spaces, punctuation & symbols!?  ",
    "snake_case 1,000",
    "北京 東京",
    "",
    "...",
]


def test_the_page_folds_names_as_kgraph_suggest_fold_does() -> None:
    """The search box folds what is typed in JavaScript; the keys it looks up were folded by Python."""
    import shutil

    from export_support import need

    from kgraph.suggest import fold
    from kgraph.viewpage.document import page_resource

    need(shutil.which("node") is not None, "Node.js (node)", "apt-get install nodejs")
    script = (
        "const m = {pol_colours: {}};\n"  # the models the page's top level reads
        + page_resource("page.js")
        + "\nconst names = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        + "\nprocess.stdout.write(JSON.stringify(names.map(fold)));\n"
    )
    done = subprocess.run(
        ["node", "-e", script],
        input=json.dumps(TRICKY_NAMES),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    folded = json.loads(done.stdout)
    assert dict(zip(TRICKY_NAMES, folded, strict=True)) == {name: fold(name) for name in TRICKY_NAMES}
    assert fold("Zürich-Straße") == "zurich strasse"  # (the comparison is not of two empty results)


def test_the_page_resources_are_in_the_page(page: tuple[str, dict[str, Any]]) -> None:
    from kgraph.viewpage.document import page_resource

    html_text = page[0]
    css = page_resource("page.css")
    assert ".kg-panel" in css or ".kg-head" in css
    for line in ("function apply_filters()", "function run_search()"):
        assert line in page_resource("page.js")
        assert line in html_text


def test_no_function_of_the_page_takes_the_name_of_a_model(page: tuple[str, dict[str, Any]]) -> None:
    """Each callback gets the models as plain names too: a function of the same name would replace one in ``m``."""
    from kgraph.viewpage.document import page_resource

    functions = set(re.findall(r"^function (\w+)\(", page_resource("page.js"), re.M))
    found = re.search(r"const m = \{([^}]*)\}", page[0])
    assert found and "apply_filters" in functions
    models = {part.split(":")[0].strip() for part in found.group(1).split(",")}
    assert {"nodes", "search", "panel"} <= models
    assert not functions & models
