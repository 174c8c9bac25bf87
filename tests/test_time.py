"""Time windows and timelines: how partial dates compare, what is kept, and the --as-of/--since/--until options."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kgraph import analysis, dates
from kgraph.cli import app
from kgraph.errors import UsageError
from kgraph.knowledge import KnowledgeGraph
from kgraph.model import Fact
from kgraph.timefilter import INSIDE, OUTSIDE, OVERLAPS, UNDATED, Window, classify, parse_date, window


def fact(date: str | None = None, start: str | None = None, end: str | None = None) -> Fact:
    return Fact("f", "a", "r", "b", 0, "q", "s", date=date, start=start, end=end)


# -- parsing window dates ---------------------------------------------------------


@pytest.mark.parametrize("text", ["2021", "2021-12", "2021-12-03", "2020-02-29"])
def test_valid_dates(text: str) -> None:
    assert parse_date(text) == text


@pytest.mark.parametrize(
    "text,hint",
    [
        ("2021/12/03", "2021-12-03"),
        ("2021.12", "2021-12"),
        ("03.12.2021", "2021-12-03"),
        ("2021-2-3", "2021-02-03"),
        ("2021-02-30", "2021-02"),
        ("2021-13", "2021"),
        ("december", None),
    ],
)
def test_bad_dates_suggest_a_fix(text: str, hint: str | None) -> None:
    with pytest.raises(UsageError) as err:
        parse_date(text, "--as-of")
    message = str(err.value)
    assert message.startswith(f"--as-of: {text!r} is not a date")
    if hint:
        assert f"did you mean {hint!r}" in message
    else:
        assert "did you mean" not in message


def test_inverted_windows_are_refused() -> None:
    with pytest.raises(UsageError, match="after --until"):
        Window(since="2022", until="2021-06")
    with pytest.raises(UsageError, match="after --as-of"):
        Window(since="2022", as_of="2021")
    Window(since="2021-06", until="2021")  # overlapping periods are fine


# -- classifying facts ---------------------------------------------------------------


@pytest.mark.parametrize(
    "f,w,expected",
    [
        # events: a partial date stands for its whole period
        (fact("2021"), Window(since="2021-06"), OVERLAPS),
        (fact("2021"), Window(since="2022"), OUTSIDE),
        (fact("2021-12-02"), Window(until="2021-11"), OUTSIDE),
        (fact("2021-12-02"), Window(until="2021-12"), INSIDE),
        (fact("2021-12"), Window(until="2021-12-02"), OVERLAPS),
        (fact("2021-12"), Window(since="2021", until="2021"), INSIDE),
        # as of: events stay history once they happened; intervals must still hold
        (fact("2020-08"), Window(as_of="2021"), INSIDE),
        (fact("2021"), Window(as_of="2021-06"), OVERLAPS),
        (fact("2022"), Window(as_of="2021"), OUTSIDE),
        (fact(start="2013"), Window(as_of="2020"), INSIDE),
        (fact(start="2013", end="2019"), Window(as_of="2020"), OUTSIDE),
        # as of a partial date = at some time during it
        (fact(start="2013", end="2020-03"), Window(as_of="2020"), INSIDE),
        (fact(start="2021-06"), Window(as_of="2021"), INSIDE),
        (fact(start="2021"), Window(as_of="2021-06"), OVERLAPS),
        (fact(start="2013", end="2021"), Window(as_of="2021-06"), OVERLAPS),
        (fact(end="2019"), Window(as_of="2018"), INSIDE),
        # intervals against since/until
        (fact(start="2013"), Window(until="2012"), OUTSIDE),
        (fact(start="2013", end="2015"), Window(since="2016"), OUTSIDE),
        (fact(start="2013", end="2015"), Window(since="2014", until="2014"), INSIDE),
        (fact(), Window(as_of="2021"), UNDATED),
        (fact(), Window(), UNDATED),
        (fact("2021"), Window(), INSIDE),
    ],
)
def test_classify(f: Fact, w: Window, expected: str) -> None:
    assert classify(f, w) == expected


def _days(text: str) -> list[dt.date]:
    first, last = dates.period(text)
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


partial_dates = st.builds(
    lambda y, m, d, p: f"{y}" if p == 0 else f"{y}-{m:02d}" if p == 1 else f"{y}-{m:02d}-{min(d, 28):02d}",
    st.integers(2019, 2022),
    st.integers(1, 12),
    st.integers(1, 31),
    st.integers(0, 2),
)


@settings(max_examples=150, deadline=None)
@given(when=partial_dates, since=st.none() | partial_dates, until=st.none() | partial_dates)
def test_events_against_day_by_day(when: str, since: str | None, until: str | None) -> None:
    """For an event, kept iff one of its possible days is in the window; inside iff all are."""
    try:
        w = Window(since=since, until=until)
    except UsageError:
        return
    lo = dates.period(since)[0] if since else dt.date.min
    hi = dates.period(until)[1] if until else dt.date.max
    days = _days(when)
    any_in = any(lo <= d <= hi for d in days)
    all_in = all(lo <= d <= hi for d in days)
    got = classify(fact(when), w)
    assert got == (INSIDE if all_in else OVERLAPS if any_in else OUTSIDE)


@settings(max_examples=150, deadline=None)
@given(
    coarse=partial_dates,
    extra=st.integers(1, 12),
    since=st.none() | partial_dates,
    until=st.none() | partial_dates,
    as_of=st.none() | partial_dates,
)
def test_more_precision_only_settles_overlaps(
    coarse: str, extra: int, since: str | None, until: str | None, as_of: str | None
) -> None:
    """Refining a date (2021 → 2021-05) never moves a fact from inside to outside or back."""
    try:
        w = Window(as_of=as_of, since=since, until=until)
    except UsageError:
        return
    if coarse.count("-") == 2:
        return
    fine = f"{coarse}-{extra:02d}" if coarse.count("-") == 0 else f"{coarse}-{min(extra, 28):02d}"
    before, after = classify(fact(coarse), w), classify(fact(fine), w)
    if before != OVERLAPS:
        assert after == before
    for f_coarse, f_fine in ((fact(start=coarse), fact(start=fine)), (fact(end=coarse), fact(end=fine))):
        b, a = classify(f_coarse, w), classify(f_fine, w)
        if b != OVERLAPS:
            assert a == b


# -- windows on a graph -----------------------------------------------------------------


def test_window_without_bounds_is_the_graph(bundled: KnowledgeGraph) -> None:
    assert window(bundled) is bundled


def test_window_keeps_undated_and_says_so(bundled: KnowledgeGraph) -> None:
    w = window(bundled, until="2021-12")  # the bundled article's publication: its undated facts were known by then
    info = w.window  # type: ignore[attr-defined]
    undated = {f.id for f in bundled.facts if f.when is None}
    kept = {f.id for f in w.facts}
    assert undated <= kept
    assert set(info["undated_facts"]) == undated and info["undated"] == len(undated)
    assert info["undated_dropped"] == 0


def test_window_before_publication_leaves_undated_out(bundled: KnowledgeGraph) -> None:
    w = window(bundled, until="2020")  # the bundled article was published in 2021-12
    info = w.window  # type: ignore[attr-defined]
    undated = {f.id for f in bundled.facts if f.when is None}
    kept = {f.id for f in w.facts}
    assert undated and not undated & kept
    assert info["undated"] == 0 and info["undated_facts"] == [] and info["undated_dropped"] == len(undated)
    assert info["kept"] == len(kept) and info["kept"] + info["dropped"] == len(bundled.facts)
    for f in bundled.facts:
        published = bundled.sources[f.source].published
        assert (f.id in kept) == (classify(f, Window(until="2020"), published) != OUTSIDE)
        assert classify(f, Window(until="2020")) != OUTSIDE or f.when is not None  # without it: kept
    assert all(dates.period(f.date)[0].year <= 2020 for f in w.facts if f.date)
    assert len(w.entities) == len(bundled.entities)  # entities stay: only facts are in time


def test_window_leaves_the_original_alone(bundled: KnowledgeGraph) -> None:
    n = len(bundled.facts)
    window(bundled, since="2021-12")
    assert len(bundled.facts) == n


# -- timeline ------------------------------------------------------------------------------


def test_timeline_order_and_dates_as_given(bundled: KnowledgeGraph) -> None:
    r = analysis.timeline(bundled, "belarus")
    events = r["events"]
    whens = [e["when"] for e in events]
    assert whens == [
        e["fact"]["date"]
        or (
            f"{e['fact']['start'] or '..'}/{e['fact']['end'] or '..'}"
            if (e["fact"]["start"] or e["fact"]["end"])
            else None
        )
        for e in events
    ]
    # an undated fact sorts at the date its source was published (known by then), after the facts dated then
    keys = [
        (dates.sort_key(e["fact"]["date"] or e["fact"]["start"] or e["fact"]["end"] or e["known_by"]), not e["dated"])
        for e in events
    ]
    assert keys == sorted(keys)
    dated = [e["dated"] for e in events]
    assert all(e["known_by"] == ("2021-12" if not e["dated"] else None) for e in events)
    assert r["undated"] == dated.count(False) > 0
    assert {e["precision"] for e in events} <= {"year", "month", "day", "interval", None}
    assert "2021" in whens and "2021-12-02" in whens  # as curated: no invented precision
    assert whens.index("2021") < whens.index("2021-12-02")
    assert all(e["entity"]["id"] == "belarus" for e in events)


def test_timeline_with_representatives(bundled: KnowledgeGraph) -> None:
    own = analysis.timeline(bundled, "belarus")["events"]
    more = analysis.timeline(bundled, "belarus", with_representatives=True)["events"]
    assert len(more) > len(own)
    from_luka = [e for e in more if e["entity"]["id"] == "lukashenko"]
    assert from_luka and all(e["via"]["relation"] == "leads" for e in from_luka)
    assert len({e["fact"]["id"] for e in more}) == len(more)


def test_timeline_in_a_window(bundled: KnowledgeGraph) -> None:
    r = analysis.timeline(window(bundled, since="2021-12"), "belarus")
    assert r["window"]["since"] == "2021-12"
    assert all(
        e["when"] is None or classify(_as_fact(e["fact"]), Window(since="2021-12")) != OUTSIDE for e in r["events"]
    )
    assert "2013/.." in [e["when"] for e in r["events"]]  # an open partnership still holds


def _as_fact(rec: dict[str, Any]) -> Fact:
    return fact(rec["date"], rec["start"], rec["end"])


# -- the command line ---------------------------------------------------------------------

runner = CliRunner()


@pytest.mark.parametrize(
    "command",
    [
        ["who-supports", "belarus"],
        ["who-opposes", "belarus"],
        ["path", "china", "russia"],
        ["neighbours", "china"],
        ["relations"],
        ["facts"],
        ["entity", "belarus"],
        ["stats"],
        ["explain", "china", "belarus"],
        ["timeline", "china"],
        ["blocs"],
        ["balance"],
        ["ambivalent"],
        ["rank"],
    ],
)
def test_every_query_takes_the_time_options(command: list[str], no_kgraph_env: None) -> None:
    result = runner.invoke(
        app, [*command, "--since", "2021", "--until", "2021-12", "--as-of", "2021-12", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)
    assert "undated" in result.stderr  # the note says undated facts were kept (published 2021-12: known by then)


def test_who_supports_until(no_kgraph_env: None) -> None:
    result = runner.invoke(app, ["who-supports", "belarus", "--until", "2020", "--format", "json"])
    assert result.exit_code == 0
    r = json.loads(result.stdout)
    facts = [f for x in r["results"] for f in x["evidence"]]
    assert facts
    assert all(classify(_as_fact(f), Window(until="2020")) != OUTSIDE for f in facts)
    assert not any(f["date"] and f["date"].startswith("2021") for f in facts)


def test_facts_since_drops_exactly_the_outside(no_kgraph_env: None, bundled: KnowledgeGraph) -> None:
    r = json.loads(runner.invoke(app, ["facts", "--since", "2021-12-02", "--format", "json"]).stdout)
    kept = {f["id"] for f in r["facts"]}
    expected = {f.id for f in bundled.facts if classify(f, Window(since="2021-12-02")) != OUTSIDE}
    assert kept == expected and len(kept) < len(bundled.facts)


@pytest.mark.parametrize("option", ["--as-of", "--since", "--until"])
def test_bad_date_on_the_command_line(option: str, no_kgraph_env: None) -> None:
    result = runner.invoke(app, ["who-supports", "belarus", option, "2021/12"])
    assert result.exit_code == 2
    assert (
        result.stderr == f"error: {option}: '2021/12' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD "
        f"(did you mean '2021-12'?)\n"
    )


def test_timeline_table_shows_dates_as_given(no_kgraph_env: None) -> None:
    result = runner.invoke(app, ["timeline", "belarus", "--format", "csv"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("when,precision,")
    whens = [line.split(",")[0] for line in lines[1:]]
    assert "2021" in whens and "2021-12-02" in whens and "by 2021-12" in whens and "undated" not in whens
    assert "2021-01-01" not in whens
