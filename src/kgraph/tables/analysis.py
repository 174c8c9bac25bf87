"""Table and CSV forms of the analysis answers (explain, timeline, blocs, balance, ambivalent, rank).

Each function flattens one answer of :mod:`kgraph.analysis` into rows, one per
fact of evidence where there is evidence, so the table can be read against
the article and the CSV loaded into a spreadsheet. CSV rows carry ids; the
table shows names. JSON output is the answer itself (see :mod:`kgraph.tables`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cells import FACT_CSV, caption, fact_cells, source_column, sources_note, statement, window_note
from .table import Row, Table

if TYPE_CHECKING:
    from ..answers import (
        AmbivalentAnswer,
        BalanceAnswer,
        BlocsAnswer,
        ExplainAnswer,
        FactRecord,
        RankAnswer,
        TieRecord,
        TimelineAnswer,
    )

__all__ = ["ambivalent_table", "balance_table", "blocs_table", "explain_table", "rank_table", "timeline_table"]

_SIGN = {1: "+", -1: "−", 0: "±"}


def _fact(f: FactRecord) -> Row:
    return fact_cells(f, undated="undated")


def _pair(t: TieRecord) -> str:
    a, b = t["entities"]
    return f"{a['name']} — {b['name']}"


# -- explain ------------------------------------------------------------------


def explain_table(result: ExplainAnswer) -> Table:
    """The evidence of the verdict, then each chain hop by hop; each fact quoted once."""
    a, b = result["from"], result["to"]
    ends = {a["id"], b["id"]}
    rows: list[Row] = []
    quoted: set[str] = set()  # the table quotes each fact once; CSV rows keep every quote

    def shown(f: FactRecord) -> str:
        if f["id"] in quoted:
            return "(quoted above)"
        quoted.add(f["id"])
        return str(_fact(f)["quoted"])

    for side, sign in ((result["stance"]["supports"], "+"), (result["stance"]["opposes"], "−")):
        for f in side["evidence"]:
            direct = {f["subject"]["id"], f["object"]["id"]} == ends
            cells = _fact(f)
            if len(f["sources"]) > 1:
                cells["statement"] += f" ({sources_note(f['sources'])})"
            rows.append(
                {
                    "part": f"evidence {sign}",
                    "chain": None,
                    "hop": None,
                    "how": "direct" if direct else "acts-for",
                    "acts_for": not direct,
                    "arrow": "",
                    "_group_cells": ("part",),
                    **cells,
                    "sources": f["sources"],
                    "shown_quote": shown(f),
                }
            )
    for n, d in enumerate(result["disputes"], start=1):
        for how, g in (("contested", d["disputed"]), ("disputes it", d["disputing"])):
            rows.append(
                {
                    "part": f"dispute {n}",
                    "chain": None,
                    "hop": None,
                    "how": how,
                    "acts_for": False,
                    "arrow": "",
                    "_group_cells": ("part",),
                    **_fact(g),
                    "statement": statement(g),
                    "shown_quote": shown(g),
                }
            )
    for n, c in enumerate(result["chains"], start=1):
        for i, h in enumerate(c["hops"], start=1):
            for x in h["facts"]:
                rows.append(
                    {
                        "part": f"chain {n}",
                        "chain": n,
                        "hop": i,
                        "from": h["from"]["id"],
                        "to": h["to"]["id"],
                        "direction": x["direction"],
                        "reads": x["relation"],
                        "arrow": "→" if x["direction"] == "forward" else "←",
                        "how": "acts-for" if x["acts_for"] else "",
                        "acts_for": x["acts_for"],
                        "_group_cells": ("part",),
                        **_fact(x["fact"]),
                        "shown_quote": shown(x["fact"]),
                    }
                )
    columns = [
        ("part", "part"),
        ("hop", "hop"),
        ("statement", "fact"),
        ("arrow", "dir"),
        ("how", "link"),
        ("date", "date"),
        ("shown_quote", "quote"),
    ]
    sources = sorted({r["source"] for r in rows})
    if len(sources) > 1:
        columns.append(("source", "source"))
    rev = result["reverse"]
    title = (
        f"Verdict: {result['verdict'].upper()} — {result['summary']}. "
        f"(Reverse, {b['name']} toward {a['name']}: {rev['verdict']}.)"
    )
    more = f", {result['total_chains']} in all (raise --limit)" if result["truncated"] else ""
    return Table(
        title=title,
        csv_columns=["part", "chain", "hop", "from", "to", "direction", "reads", "acts_for", *FACT_CSV, "sources"],
        table_columns=columns,
        rows=rows,
        group_key="part",
        caption=caption(
            f"chains of up to {result['max_hops']} facts{more}",
            f"source: {sources[0]}" if len(sources) == 1 else None,
            "acts-for: a leader or envoy counts for whom they act for",
            "evidence counted in claims: one per thing reported, however many sources report it",
            window_note(result.get("window")),
        ),
    )


# -- timeline -----------------------------------------------------------------


def timeline_table(result: TimelineAnswer) -> Table:
    """One row per event, in date order."""
    rows: list[Row] = []
    for r in result["events"]:
        via = r["via"]
        rows.append(
            {
                "when": r["when"] or (f"by {r['known_by']}" if r["known_by"] else "undated"),
                "precision": r["precision"],
                "known_by": r["known_by"],
                "entity": r["entity"]["id"],
                "direction": r["direction"],
                "reads": r["relation"],
                "other": r["other"]["id"],
                "via": via["id"] if via else None,
                "reading": f"{r['entity']['name']} {r['relation']} {r['other']['name']}",
                **_fact(r["fact"]),
            }
        )
    e = result["entity"]
    return Table(
        title=f"Timeline of {e['name']} ({len(rows)} facts, {result['undated']} undated)",
        csv_columns=["when", "precision", "known_by", "entity", "direction", "reads", "other", "via", *FACT_CSV],
        table_columns=[("when", "when"), ("statement", "fact"), ("quoted", "quote"), ("source", "source")],
        rows=rows,
        caption=caption(
            "dates as curated; an imprecise date sorts before precise ones of the same period",
            "by D: undated, known by its source's publication"
            if any(r["known_by"] for r in result["events"])
            else None,
            window_note(result.get("window")),
        ),
    )


# -- signed network -----------------------------------------------------------


def _tie_rows(t: TieRecord, part: str, extra: Row | None = None) -> list[Row]:
    """One row per fact of a tie, cooperative ones first."""
    rows: list[Row] = []
    for side, facts in (("+", t["cooperative"]), ("−", t["conflictual"])):
        for f in facts:
            rows.append(
                {
                    "part": part,
                    "pair": _pair(t),
                    "a": t["entities"][0]["id"],
                    "b": t["entities"][1]["id"],
                    "sign": t["sign"],
                    "side": side,
                    "group": f"{part}|{_pair(t)}",
                    "_group_cells": ("part", "pair"),
                    **(extra or {}),
                    **_fact(f),
                }
            )
    return rows


def _bloc_name(i: int | None) -> str:
    return "unaligned" if i is None else f"bloc {i}"


def blocs_table(result: BlocsAnswer) -> Table:
    """Each bloc's members, then the conflicts between blocs and the ties against the split."""
    rows: list[Row] = []
    for b in result["blocs"]:
        rows.append(
            {
                "part": f"bloc {b['bloc']}",
                "group": f"bloc {b['bloc']}",
                "bloc": b["bloc"],
                "kind": "members",
                "pair": ", ".join(m["name"] for m in b["members"]),
                "a": "; ".join(m["id"] for m in b["members"]),
                "statement": f"{b['cooperative_ties']} cooperative tie{'s' * (b['cooperative_ties'] != 1)}",
            }
        )
    if result["unaligned"]:
        rows.append(
            {
                "part": "unaligned",
                "group": "unaligned",
                "kind": "members",
                "pair": ", ".join(m["name"] for m in result["unaligned"]),
                "a": "; ".join(m["id"] for m in result["unaligned"]),
                "statement": "no cooperative tie",
            }
        )

    def order(blocs: list[int | None]) -> tuple[tuple[bool, int], ...]:
        return tuple(sorted((i is None, i or 0) for i in blocs))

    for t in sorted(result["between"], key=lambda t: order(t["blocs"])):
        x, y = sorted(t["blocs"], key=lambda i: (i is None, i or 0))
        rows.extend(_tie_rows(t, f"conflict {_bloc_name(x)} × {_bloc_name(y)}", {"kind": "between"}))
    for t in result["frustrated"]:
        rows.extend(_tie_rows(t, "against the split", {"kind": "frustrated"}))
    n_ties, bad = result["ties"], len(result["frustrated"])
    columns = [("part", "part"), ("pair", "who"), ("side", "±"), ("statement", "evidence"), ("date", "date")]
    one_source = source_column(columns, rows)
    return Table(
        title=f"Blocs: {len(result['blocs'])} blocs, {len(result['unaligned'])} unaligned actors",
        csv_columns=["kind", "bloc", "a", "b", "sign", "side", *FACT_CSV],
        table_columns=columns,
        rows=rows,
        group_key="group",
        caption=caption(
            f"modularity {result['modularity']}; consistency {result['consistency']} "
            f"({n_ties - bad} of {n_ties} signed ties agree with the split)",
            "quotes: --format csv or json",
            one_source,
            "persons folded into whom they act for" if result["fold"] else None,
            window_note(result.get("window")),
        ),
    )


def balance_table(result: BalanceAnswer) -> Table:
    """Each unbalanced triad with its ties' facts, then the balanced triads and the unsigned ties."""
    rows: list[Row] = []
    for n, tri in enumerate(result["unbalanced"], start=1):
        names = " · ".join(e["name"] for e in tri["entities"])
        for t in tri.get("ties", []):
            rows.extend(_tie_rows(t, f"unbalanced {n}: {names}", {"kind": "unbalanced", "triad": n}))
    for tri in result["balanced"]:
        names = " · ".join(e["name"] for e in tri["entities"])
        rows.append(
            {
                "part": "balanced",
                "group": f"balanced|{names}",
                "kind": "balanced",
                "pair": names,
                "a": "; ".join(e["id"] for e in tri["entities"]),
                "statement": "signs " + " ".join(_SIGN[s] for s in tri["signs"]),
            }
        )
    for t in result["unsigned"]:
        rows.extend(_tie_rows(t, "unsigned tie (not counted)", {"kind": "unsigned"}))
    share = result["share_balanced"]
    pct = "no triads" if share is None else f"{share:.0%} balanced"
    columns = [
        ("part", "triad"),
        ("pair", "tie"),
        ("side", "±"),
        ("statement", "evidence"),
        ("date", "date"),
        ("quoted", "quote"),
    ]
    one_source = source_column(columns, rows)
    return Table(
        title=(
            f"Structural balance: {result['balanced_count']} of {result['triads']} triads balanced ({pct}), "
            f"{result['unbalanced_count']} unbalanced"
        ),
        csv_columns=["kind", "triad", "a", "b", "sign", "side", *FACT_CSV],
        table_columns=columns,
        rows=rows,
        group_key="group",
        caption=caption(
            "a triad balances when the product of its three signs is +",
            one_source,
            "persons folded into whom they act for" if result["fold"] else None,
            window_note(result.get("window")),
        ),
    )


def ambivalent_table(result: AmbivalentAnswer) -> Table:
    """Both sides of each ambivalent pair."""
    rows: list[Row] = []
    for t in result["pairs"]:
        rows.extend(_tie_rows(t, _pair(t), {"net": t["net"]}))
    columns = [
        ("part", "pair"),
        ("side", "±"),
        ("statement", "evidence"),
        ("date", "date"),
        ("quoted", "quote"),
    ]
    one_source = source_column(columns, rows)
    return Table(
        title=f"Ambivalent pairs: {len(result['pairs'])} tied by both cooperative and conflictual facts",
        csv_columns=["a", "b", "net", "side", *FACT_CSV],
        table_columns=columns,
        rows=rows,
        group_key="part",
        caption=caption(
            "persons folded into whom they act for" if result["fold"] else None,
            one_source,
            window_note(result.get("window")),
        ),
    )


def rank_table(result: RankAnswer) -> Table:
    """The top entities with their scores (their facts: in JSON)."""
    rows: list[Row] = [
        {
            "rank": r["rank"],
            "entity": r["entity"]["id"],
            "name": r["entity"]["name"],
            "type": r["entity"]["type"],
            "score": r["score"],
            "degree": r["degree"],
            "neighbours": r["neighbours"],
        }
        for r in result["results"]
    ]
    kinds: dict[int | None, str] = {
        None: "all facts",
        1: "cooperative facts",
        -1: "conflictual facts",
        0: "structural facts",
    }
    pol = kinds[result["polarity"]]
    return Table(
        title=f"Most central by {result['by']} ({pol}; top {len(rows)} of {result['total']})",
        csv_columns=["rank", "entity", "type", "score", "degree", "neighbours"],
        table_columns=[
            ("rank", "#"),
            ("name", "entity"),
            ("type", "type"),
            ("score", result["by"]),
            ("degree", "facts"),
            ("neighbours", "neighbours"),
        ],
        rows=rows,
        caption=caption(
            "evidence: the facts of each entity, in --format json",
            "persons folded into whom they act for" if result["fold"] else None,
            window_note(result.get("window")),
        ),
    )
