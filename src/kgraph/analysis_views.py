"""Table and CSV forms of the analysis answers (explain, timeline, blocs, balance, ambivalent, rank).

Each view flattens one result of :mod:`kgraph.analysis` into rows, one per
fact of evidence where there is evidence, so the table can be read against
the article and the CSV loaded into a spreadsheet. CSV rows carry ids; the
table shows names. JSON output is the result itself (see :mod:`kgraph.render`).
"""

from __future__ import annotations

from typing import Any

from .render import View, register_view

__all__: list[str] = []

Row = dict[str, Any]

_SIGN = {1: "+", -1: "−", 0: "±"}

_FACT_CSV = ["fact_id", "subject", "relation", "object", "polarity", "date", "source", "quote"]


def _when(f: Row) -> str:
    if f.get("date"):
        return str(f["date"])
    if f.get("start") or f.get("end"):
        return f"{f.get('start') or '..'}/{f.get('end') or '..'}"
    return "undated"


def _fact(f: Row) -> Row:
    return {
        "fact_id": f["id"],
        "subject": f["subject"]["id"],
        "relation": f["relation"],
        "object": f["object"]["id"],
        "polarity": f["polarity"],
        "date": _when(f),
        "source": f["source"],
        "quote": f["quote"],
        "statement": f"{f['subject']['name']} {f['relation']} {f['object']['name']}",
    }


def _window_note(result: Row) -> str | None:
    w = result.get("window")
    if not w:
        return None
    bounds = ", ".join(f"{k.replace('_', ' ')} {w[k]}" for k in ("as_of", "since", "until") if w.get(k))
    return f"time window ({bounds}): {w['kept']} facts kept, {w['undated']} of them undated"


def _caption(*parts: str | None) -> str | None:
    text = "; ".join(p for p in parts if p)
    return text or None


def _pair(t: Row) -> str:
    a, b = t["entities"]
    return f"{a['name']} — {b['name']}"


# -- explain ------------------------------------------------------------------


@register_view("explain")
def _explain_view(result: Row) -> View:
    a, b = result["from"], result["to"]
    ends = {a["id"], b["id"]}
    rows: list[Row] = []
    quoted: set[str] = set()  # the table quotes each fact once; CSV rows keep every quote

    def shown(f: Row) -> str:
        if f["id"] in quoted:
            return "(quoted above)"
        quoted.add(f["id"])
        return str(f["quote"])

    for key, sign in (("supports", "+"), ("opposes", "−")):
        for f in result["stance"][key]["evidence"]:
            direct = {f["subject"]["id"], f["object"]["id"]} == ends
            rows.append(
                {
                    "part": f"evidence {sign}",
                    "chain": None,
                    "hop": None,
                    "how": "direct" if direct else "acts-for",
                    "acts_for": not direct,
                    "arrow": "",
                    "_group_cells": ("part",),
                    **_fact(f),
                    "shown_quote": shown(f),
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
    return View(
        title=title,
        csv_columns=["part", "chain", "hop", "from", "to", "direction", "reads", "acts_for", *_FACT_CSV],
        table_columns=columns,
        rows=rows,
        group_key="part",
        caption=_caption(
            f"chains of up to {result['max_hops']} facts{more}",
            f"source: {sources[0]}" if len(sources) == 1 else None,
            "acts-for: a leader or envoy counts for whom they act for",
            _window_note(result),
        ),
    )


# -- timeline -----------------------------------------------------------------


@register_view("timeline")
def _timeline_view(result: Row) -> View:
    rows = []
    for r in result["events"]:
        via = r.get("via")
        rows.append(
            {
                "when": r["when"] or "undated",
                "precision": r["precision"],
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
    return View(
        title=f"Timeline of {e['name']} ({len(rows)} facts, {result['undated']} undated)",
        csv_columns=["when", "precision", "entity", "direction", "reads", "other", "via", *_FACT_CSV],
        table_columns=[("when", "when"), ("statement", "fact"), ("quote", "quote"), ("source", "source")],
        rows=rows,
        caption=_caption(
            "dates as curated; an imprecise date sorts before precise ones of the same period", _window_note(result)
        ),
    )


# -- signed network -----------------------------------------------------------


def _tie_rows(t: Row, part: str, extra: Row | None = None) -> list[Row]:
    rows = []
    for side, key in (("+", "cooperative"), ("−", "conflictual")):
        for f in t[key]:
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


@register_view("blocs")
def _blocs_view(result: Row) -> View:
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
    return View(
        title=f"Blocs: {len(result['blocs'])} blocs, {len(result['unaligned'])} unaligned actors",
        csv_columns=["kind", "bloc", "a", "b", "sign", "side", *_FACT_CSV],
        table_columns=[("part", "part"), ("pair", "who"), ("side", "±"), ("statement", "evidence"), ("date", "date")],
        rows=rows,
        group_key="group",
        caption=_caption(
            f"modularity {result['modularity']}; consistency {result['consistency']} "
            f"({n_ties - bad} of {n_ties} signed ties agree with the split)",
            "quotes: --format csv or json",
            "persons folded into whom they act for" if result["fold"] else None,
            _window_note(result),
        ),
    )


@register_view("balance")
def _balance_view(result: Row) -> View:
    rows: list[Row] = []
    for n, tri in enumerate(result["unbalanced"], start=1):
        names = " · ".join(e["name"] for e in tri["entities"])
        for t in tri["ties"]:
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
    return View(
        title=(
            f"Structural balance: {result['balanced_count']} of {result['triads']} triads balanced ({pct}), "
            f"{result['unbalanced_count']} unbalanced"
        ),
        csv_columns=["kind", "triad", "a", "b", "sign", "side", *_FACT_CSV],
        table_columns=[
            ("part", "triad"),
            ("pair", "tie"),
            ("side", "±"),
            ("statement", "evidence"),
            ("date", "date"),
            ("quote", "quote"),
        ],
        rows=rows,
        group_key="group",
        caption=_caption(
            "a triad balances when the product of its three signs is +",
            "persons folded into whom they act for" if result["fold"] else None,
            _window_note(result),
        ),
    )


@register_view("ambivalent")
def _ambivalent_view(result: Row) -> View:
    rows: list[Row] = []
    for t in result["pairs"]:
        rows.extend(_tie_rows(t, _pair(t), {"net": t["net"]}))
    return View(
        title=f"Ambivalent pairs: {len(result['pairs'])} tied by both cooperative and conflictual facts",
        csv_columns=["a", "b", "net", "side", *_FACT_CSV],
        table_columns=[
            ("part", "pair"),
            ("side", "±"),
            ("statement", "evidence"),
            ("date", "date"),
            ("quote", "quote"),
        ],
        rows=rows,
        group_key="part",
        caption=_caption("persons folded into whom they act for" if result["fold"] else None, _window_note(result)),
    )


@register_view("rank")
def _rank_view(result: Row) -> View:
    rows = [
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
    kinds = {None: "all facts", 1: "cooperative facts", -1: "conflictual facts", 0: "structural facts"}
    pol = kinds[result["polarity"]]
    return View(
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
        caption=_caption(
            "evidence: the facts of each entity, in --format json",
            "persons folded into whom they act for" if result["fold"] else None,
            _window_note(result),
        ),
    )
