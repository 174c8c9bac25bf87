"""`kgraph draw`: pictures of the graph, checked as a user would look at them.

The SVG keeps its text as text, so the tests read the node labels back from
it (each label is a ``<g id="label-…">`` group of ``<text>`` lines); the
layout promise (no two labels overlap, no label covers another entity's
marker) is checked on the renderer's own text bounding boxes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, MakeDataset
from typer.testing import CliRunner, Result

import kgraph
from kgraph.cli import app
from kgraph.errors import MissingDependency
from kgraph.exporters.xmltext import nmtoken
from kgraph.knowledge import KnowledgeGraph
from kgraph.model import Entity, Fact, Relation, Source
from kgraph.palette import hex_colour, polarity_colour

pytest.importorskip("matplotlib")  # the test extra installs it; without it only the missing-extra test applies

runner = CliRunner()
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("KGRAPH_DATA", "KGRAPH_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    yield


def run(*args: str) -> Result:
    return runner.invoke(app, list(args))


def labels_in_svg(path: Path) -> dict[str, str]:
    """{label group id: the label's text, its lines joined by spaces} for every node label in an SVG."""
    root = ET.parse(path).getroot()
    out: dict[str, str] = {}
    for g in root.iter(f"{SVG}g"):
        gid = g.get("id", "")
        if gid.startswith("label-"):
            out[gid] = " ".join("".join(t.itertext()) for t in g.iter(f"{SVG}text"))
    return out


def all_svg_text(path: Path) -> list[str]:
    return ["".join(t.itertext()) for t in ET.parse(path).getroot().iter(f"{SVG}text")]


def folded(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return kgraph.load(BUNDLED)


# -- the whole graph and a neighbourhood ---------------------------------------------


def test_svg_of_the_bundled_data_names_every_entity(tmp_path: Path, kg: KnowledgeGraph) -> None:
    out = tmp_path / "graph.svg"
    result = run("draw", "--data", str(BUNDLED), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"drew {len(kg.entities)} entities and {len(kg.facts)} facts to {out} (svg)\n"
    assert out.stat().st_size > 20_000
    labels = labels_in_svg(out)
    assert set(labels) == {f"label-{nmtoken(e)}" for e in kg.entities}
    assert sorted(map(folded, labels.values())) == sorted(folded(e.name) for e in kg.entities.values())
    texts = all_svg_text(out)
    # the title, the legends and the aggregated edge label of China's four facts toward Belarus
    source = next(iter(kg.sources.values()))
    assert source.title in texts
    assert {"Entity type", "Facts", "cooperative", "conflictual"} <= set(texts)
    assert "is a partner of ×2" in texts  # two partners_with facts drawn as one arrow


def test_neighbourhood_shows_the_entity_and_its_neighbours_only(tmp_path: Path, kg: KnowledgeGraph) -> None:
    out = tmp_path / "luka.svg"
    result = run("draw", "Lukashenka", "--depth", "1", "--data", str(BUNDLED), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    near = {"lukashenko"} | {f.object if f.subject == "lukashenko" else f.subject for f in kg.facts_of("lukashenko")}
    shown = {folded(t) for t in labels_in_svg(out).values()}
    assert shown == {folded(kg.entities[e].name) for e in near}
    assert "Lanzhou University" not in shown and "Canada" not in shown  # two facts away or more
    assert out.stat().st_size > 10_000
    assert any(t.startswith("Around Alexander Lukashenko") for t in all_svg_text(out))

    wider = tmp_path / "luka2.svg"
    assert run("draw", "lukashenko", "--depth", "2", "--data", str(BUNDLED), "-o", str(wider)).exit_code == 0
    assert len(labels_in_svg(wider)) > len(shown)


def test_relation_filter_draws_only_those_facts(tmp_path: Path, kg: KnowledgeGraph) -> None:
    out = tmp_path / "sanctions.svg"
    result = run("draw", "--relation", "sanctions", "--data", str(BUNDLED), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    chosen = [f for f in kg.facts if kg.is_a(f.relation, "sanctions")]
    ends = {e for f in chosen for e in (f.subject, f.object)}
    assert {folded(t) for t in labels_in_svg(out).values()} == {kg.entities[e].name for e in ends}
    assert result.stderr.endswith(f"drew {len(ends)} entities and {len(chosen)} facts to {out} (svg)\n")


def test_png_and_pdf_have_their_magic_bytes(tmp_path: Path) -> None:
    png, pdf = tmp_path / "g.png", tmp_path / "g.PDF"
    assert run("draw", "--data", str(BUNDLED), "-o", str(png)).exit_code == 0
    assert run("draw", "belarus", "--data", str(BUNDLED), "-o", str(pdf)).exit_code == 0
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(head[16:20], "big") == 1600  # 10 in at 160 dpi: the README picture's width
    assert png.stat().st_size > 50_000
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 5_000


def test_stdout_gets_svg(kg: KnowledgeGraph) -> None:
    result = run("draw", "china", "--data", str(BUNDLED), "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith(b"<?xml")
    assert b"<text" in result.stdout_bytes and b"China" in result.stdout_bytes


def test_same_data_same_svg_bytes(kg: KnowledgeGraph) -> None:
    from kgraph.draw import render

    first, _ = render(kg, "svg")
    second, _ = render(kgraph.load(BUNDLED), "svg")
    assert first == second


# -- layout: labels never overlap --------------------------------------------------------


def _check_no_overlap(fig: Any, info: dict[str, Any], ids: list[str]) -> int:
    """Assert that no two node labels overlap and no label covers another entity's marker; returns labels seen."""
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()
    labels = {
        t.get_gid()[len("label-") :]: t.get_window_extent(renderer)
        for t in fig.findobj(Text)
        if (t.get_gid() or "").startswith("label-") and t.get_visible() and t.figure is not None
    }
    for (a, box_a), (b, box_b) in combinations(sorted(labels.items()), 2):
        assert not box_a.overlaps(box_b), f"the labels of {a!r} and {b!r} overlap"
    # markers: one scatter; offsets in entity id order; sizes in points² (the figure is at 72 dpi: points = pixels)
    ax = fig.axes[0]
    scatter = ax.collections[0]
    centres = ax.transData.transform(scatter.get_offsets())
    radii = [s**0.5 / 2 * fig.dpi / 72 for s in scatter.get_sizes()]
    assert len(centres) == len(ids) == info["nodes"]
    for i, e in enumerate(ids):
        (x, y), r = centres[i], radii[i]
        for other, box in labels.items():
            if other == nmtoken(e):
                continue
            # the circle's nearest point to the box is outside it
            nx, ny = min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1)
            assert (nx - x) ** 2 + (ny - y) ** 2 >= r * r, f"the label of {other!r} covers the marker of {e!r}"
    return len(labels)


def test_no_label_overlaps_another_or_a_marker(kg: KnowledgeGraph) -> None:
    from kgraph.draw import figure

    fig, info = figure(kg)
    assert info["labels_hidden"] == 0
    assert _check_no_overlap(fig, info, sorted(kg.entities)) == len(kg.entities)  # every label drawn, none overlap


def test_crowded_pictures_leave_labels_out_rather_than_overlap(make_dataset: MakeDataset) -> None:
    from kgraph.draw import figure

    data = make_dataset(**synthetic(80, hub_every=3))
    big = kgraph.load(data)
    fig, info = figure(big, size=(4.0, 3.0))
    seen = _check_no_overlap(fig, info, sorted(big.entities))
    assert info["labels_hidden"] > 0
    assert seen == info["nodes"] - info["labels_hidden"]


# -- arrows: aggregated, coloured by polarity, curved when both ways -----------------------


def _tiny(facts: list[tuple[str, str, str]]) -> KnowledgeGraph:
    relations = [
        Relation("supports", "supports", 1, "Backs."),
        Relation("sanctions", "sanctions", -1, "Punishes."),
        Relation("leads", "leads", 0, "Leads."),
    ]
    entities = [Entity("a", "Aland", "country", "A."), Entity("b", "Beland", "country", "B.")]
    source = Source("s", "S", "2021", "/nonexistent.txt", "/nonexistent.yaml")
    polarity = {r.id: r.polarity for r in relations}
    return KnowledgeGraph(
        relations,
        entities,
        [source],
        [Fact(f"f{i}", s, r, o, polarity[r], f"quote {i}", "s") for i, (s, r, o) in enumerate(facts)],
    )


def _arrows(fig: Any) -> list[Any]:
    from matplotlib.patches import FancyArrowPatch

    return [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]


def test_parallel_facts_are_one_arrow_with_a_counted_label() -> None:
    from matplotlib.colors import to_hex

    from kgraph.draw import figure

    fig, info = figure(_tiny([("a", "supports", "b")] * 3))
    (arrow,) = _arrows(fig)
    assert (info["facts"], info["edges"], info["edge_labels"]) == (3, 1, 1)
    assert to_hex(arrow.get_edgecolor()) == hex_colour(polarity_colour(1))
    assert arrow.get_connectionstyle().rad == 0  # one arrow between the two: straight
    texts = [t.get_text() for t in fig.axes[0].texts if t.figure is not None]
    assert "supports ×3" in texts


def test_facts_both_ways_curve_apart_in_their_colours() -> None:
    from matplotlib.colors import to_hex

    from kgraph.draw import figure

    fig, info = figure(_tiny([("a", "supports", "b"), ("b", "sanctions", "a")]))
    arrows = _arrows(fig)
    assert info["edges"] == len(arrows) == 2
    assert {to_hex(a.get_edgecolor()) for a in arrows} == {
        hex_colour(polarity_colour(1)),
        hex_colour(polarity_colour(-1)),
    }
    assert all(a.get_connectionstyle().rad != 0 for a in arrows)


# -- large data: capped, and said so ----------------------------------------------------------


def synthetic(n: int, hub_every: int = 5) -> dict[str, str]:
    """A dataset of ``n`` entities: a chain e0 → e1 → …, and every ``hub_every``-th one also linked from e0."""
    entities = ["entities:"]
    for i in range(n):
        entities += [
            f"  - id: e{i}",
            f"    name: Entity number {i}",
            f"    type: {'country' if i % 2 else 'person'}",
            f"    description: Entity {i}.",
        ]
    pairs = [(i, i + 1) for i in range(n - 1)] + [(0, i) for i in range(2, n, hub_every)]
    facts, text = [], []
    for s, o in pairs:
        quote = f"Entity {s} backs entity {o}."
        facts.append(f"- subject: e{s}\n  relation: supports\n  object: e{o}\n  quote: {quote}\n")
        text.append(quote)
    return {"entities": "\n".join(entities) + "\n", "facts": "".join(facts), "text": "\n".join(text) + "\n"}


def test_large_selection_keeps_the_most_connected_and_says_so(make_dataset: MakeDataset, tmp_path: Path) -> None:
    data = make_dataset(**synthetic(40))
    big = kgraph.load(data)
    out = tmp_path / "big.svg"
    result = run("draw", "--data", str(data), "--max-nodes", "10", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    note = "the 10 most connected of 40 entities"
    assert result.stderr.splitlines()[0] == (
        f"note: drawing {note}; draw one with `kgraph draw X --depth N`, or raise --max-nodes"
    )
    degree = {e: sum(1 for _ in big.facts_of(e)) for e in big.entities}
    expected = sorted(big.entities, key=lambda e: (-degree[e], e))[:10]
    shown = {folded(t) for t in labels_in_svg(out).values()}
    assert shown == {big.entities[e].name for e in expected}
    assert any(note in t for t in all_svg_text(out))  # the picture says it too

    small = tmp_path / "all.svg"
    result = run("draw", "--data", str(data), "-o", str(small))
    assert result.exit_code == 0 and "note:" not in result.stderr
    assert len(labels_in_svg(small)) == 40


def test_library_reports_the_cap(make_dataset: MakeDataset) -> None:
    from kgraph.draw import MAX_NODES_LIMIT
    from kgraph.selection import neighbourhood

    big = kgraph.load(make_dataset(**synthetic(40)))
    part = neighbourhood(big, center="e39", depth=2, max_nodes=2, max_nodes_limit=MAX_NODES_LIMIT, command="draw")
    assert part.center == "e39" and "e39" in part.kg.entities  # the centre is kept even if little connected
    assert (len(part.kg.entities), part.total_entities, part.capped) == (2, 3, True)
    assert all(f.subject in part.kg.entities and f.object in part.kg.entities for f in part.kg.facts)


# -- errors ------------------------------------------------------------------------------------


def test_unknown_entity_exits_4_with_a_suggestion(tmp_path: Path) -> None:
    result = run("draw", "lukashenk", "--data", str(BUNDLED), "-o", str(tmp_path / "x.svg"))
    assert result.exit_code == 4
    assert result.stderr == (
        "error: unknown entity 'lukashenk'; did you mean "
        "'lukashenko' (person: Leader (president) of Belarus, in power since 1994)?\n"
    )
    assert not (tmp_path / "x.svg").exists()


@pytest.mark.parametrize("name", ["graph.gif", "graph", "graph.svg.txt"])
def test_bad_suffix_is_a_usage_error(tmp_path: Path, name: str) -> None:
    result = run("draw", "--data", str(BUNDLED), "-o", str(tmp_path / name))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: cannot draw to {str(tmp_path / name)!r}: the file name must end in .svg, .png, .pdf\n"
    )


@pytest.mark.parametrize(
    "args,message",
    [
        (["--depth", "2"], "--depth needs an entity to start from (kgraph draw X --depth N)"),
        (["--size", "big"], "--size must be WIDTHxHEIGHT in inches, like 12x8 (got 'big')"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = run("draw", *args, "--data", str(BUNDLED), "-o", str(tmp_path / "x.svg"))
    assert (result.exit_code, result.stderr) == (2, f"error: {message}\n")


def test_without_matplotlib_the_command_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now raises ImportError
    out = tmp_path / "g.svg"
    out.write_bytes(b"old picture")
    result = run("draw", "--data", str(BUNDLED), "-o", str(out))
    assert result.exit_code == 7
    assert result.stderr == "error: drawing needs matplotlib, which is not installed: pip install 'kgraph[draw]'\n"
    assert out.read_bytes() == b"old picture"
    from kgraph.draw import render

    with pytest.raises(MissingDependency, match=r"pip install 'kgraph\[draw\]'"):
        render(kgraph.load(BUNDLED))


def test_a_failed_drawing_leaves_the_existing_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from matplotlib.figure import Figure

    out = tmp_path / "g.png"
    out.write_bytes(b"old picture")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(Figure, "savefig", broken)
    result = run("draw", "--data", str(BUNDLED), "-o", str(out))
    assert result.exit_code == 1 and "the renderer broke" in result.stderr
    assert out.read_bytes() == b"old picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.png"]  # no temporary file left behind


def test_draw_help_imports_no_matplotlib(tmp_path: Path) -> None:
    probe = (
        "import json, sys\nfrom kgraph.cli import main\n"
        "try:\n    main(['draw', '--help'])\nexcept SystemExit as e:\n    code = e.code\n"
        "sys.stderr.write('\\nMODULES ' + json.dumps([code, 'matplotlib' in sys.modules]))\n"
    )
    env = {**os.environ, "KGRAPH_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    code, imported = json.loads(done.stderr.rsplit("MODULES ", 1)[1])
    assert (code, imported) == (0, False)
    assert "-o, --output" in done.stdout and "--max-nodes" in done.stdout


# -- any text, any selection ---------------------------------------------------------------


def test_names_are_drawn_as_written(tmp_path: Path) -> None:
    """Dollar signs are not TeX, markup is escaped, characters XML cannot hold become U+FFFD."""
    from kgraph.draw import draw

    relations = [Relation("supports", "supports", 1, "Backs."), Relation("unused", "unused", 0, "No facts.")]
    names = {"a": "$x^2$ & <b>", "b": "Ünïcødé — עברית", "c": "Bell\x07 Corp"}
    entities = [Entity(i, name, "org $type$", f"{i}.") for i, name in names.items()]
    source = Source("s", "Costs $5 & <more>", "2021", "/nonexistent.txt", "/nonexistent.yaml")
    facts = [Fact("f1", "a", "supports", "b", 1, "q", "s"), Fact("f2", "b", "supports", "c", 1, "q", "s")]
    nasty = KnowledgeGraph(relations, entities, [source], facts)
    out = tmp_path / "nasty.svg"
    info = draw(nasty, out)
    assert info["nodes"] == 3
    assert sorted(labels_in_svg(out).values()) == sorted(["$x^2$ & <b>", "Ünïcødé — עברית", "Bell\ufffd Corp"])
    texts = all_svg_text(out)
    assert "Costs $5 & <more>" in texts and "org $type$ (3)" in texts

    empty = tmp_path / "empty.svg"
    info = draw(nasty, empty, relations=["unused"])
    assert (info["nodes"], info["facts"]) == (0, 0)
    assert "nothing to draw: no entity in the selection" in all_svg_text(empty)
