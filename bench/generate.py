"""Synthetic kgraph datasets in the real format, at any size, for the benchmark.

    python bench/generate.py 100k /tmp/kg-100k          # 100,000 facts
    python bench/generate.py 1m /tmp/kg-1m --seed 7

What a generated dataset looks like, and why:

- ``relations.yaml`` is the bundled vocabulary, copied as is; facts use its
  relations in the proportions the bundled article uses them.
- ``entities.yaml`` holds people (with transliterated spellings, initials and
  titles as aliases), real countries (capital and official name as aliases),
  organisations (acronyms), groups, events, initiatives and places, about one
  entity per 20 facts. Every name and alias leads to one entity only, as the
  loader requires. How often an entity appears follows a long tail (a few
  countries and leaders in many facts, most entities in a handful), as in news.
- ``sources/src-NNNNNN.yaml`` + ``.txt``: one "article" per 40-80 facts. Each
  fact's quote is one sentence of the article text; the text also has
  sentences no fact quotes, curly quotes and dashes where the YAML has
  straight ones (the loader compares after normalising), and line wrapping.
- dates are years, months, days or ``start``/``end`` intervals no later than
  the article's publication; some facts carry ``qualifiers`` or
  ``according_to``.

The output is deterministic for a given size and seed. Every dataset loads
without errors or warnings (``kgraph --data DIR validate --strict``).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUNDLED = HERE.parent / "data"

__all__ = ["generate", "parse_size"]


def parse_size(text: str) -> int:
    """``"1k"`` → 1000, ``"2.5m"`` → 2500000, ``"300"`` → 300."""
    t = text.strip().lower().replace("_", "")
    mult = 1
    if t.endswith("k"):
        mult, t = 1000, t[:-1]
    elif t.endswith("m"):
        mult, t = 1_000_000, t[:-1]
    return int(float(t) * mult)


# -- names ---------------------------------------------------------------------

COUNTRIES = [  # (id, name, aliases)
    ("china", "China", ["Beijing", "People's Republic of China", "PRC"]),
    ("belarus", "Belarus", ["Minsk", "Republic of Belarus", "Byelorussia"]),
    ("russia", "Russia", ["Moscow", "Russian Federation"]),
    ("united-states", "United States", ["Washington", "USA", "United States of America"]),
    ("united-kingdom", "United Kingdom", ["London", "Britain", "UK"]),
    ("lithuania", "Lithuania", ["Vilnius", "Republic of Lithuania"]),
    ("poland", "Poland", ["Warsaw", "Republic of Poland"]),
    ("ukraine", "Ukraine", ["Kyiv", "Kiev"]),
    ("germany", "Germany", ["Berlin", "Federal Republic of Germany"]),
    ("france", "France", ["Paris", "French Republic"]),
    ("kazakhstan", "Kazakhstan", ["Astana", "Republic of Kazakhstan"]),
    ("uzbekistan", "Uzbekistan", ["Tashkent"]),
    ("kyrgyzstan", "Kyrgyzstan", ["Bishkek"]),
    ("tajikistan", "Tajikistan", ["Dushanbe"]),
    ("turkmenistan", "Turkmenistan", ["Ashgabat"]),
    ("armenia", "Armenia", ["Yerevan"]),
    ("azerbaijan", "Azerbaijan", ["Baku"]),
    ("georgia", "Georgia", ["Tbilisi"]),
    ("moldova", "Moldova", ["Chisinau", "Chișinău"]),
    ("latvia", "Latvia", ["Riga"]),
    ("estonia", "Estonia", ["Tallinn"]),
    ("finland", "Finland", ["Helsinki"]),
    ("sweden", "Sweden", ["Stockholm"]),
    ("norway", "Norway", ["Oslo"]),
    ("japan", "Japan", ["Tokyo"]),
    ("south-korea", "South Korea", ["Seoul", "Republic of Korea"]),
    ("north-korea", "North Korea", ["Pyongyang", "DPRK"]),
    ("india", "India", ["New Delhi", "Republic of India"]),
    ("pakistan", "Pakistan", ["Islamabad"]),
    ("iran", "Iran", ["Tehran", "Islamic Republic of Iran"]),
    ("turkey", "Turkey", ["Ankara", "Türkiye"]),
    ("serbia", "Serbia", ["Belgrade"]),
    ("hungary", "Hungary", ["Budapest"]),
    ("italy", "Italy", ["Rome"]),
    ("spain", "Spain", ["Madrid"]),
    ("canada", "Canada", ["Ottawa"]),
    ("brazil", "Brazil", ["Brasília", "Federative Republic of Brazil"]),
    ("mexico", "Mexico", ["Mexico City"]),
    ("south-africa", "South Africa", ["Pretoria"]),
    ("egypt", "Egypt", ["Cairo"]),
    ("ethiopia", "Ethiopia", ["Addis Ababa"]),
    ("nigeria", "Nigeria", ["Abuja"]),
    ("vietnam", "Vietnam", ["Hanoi", "Viet Nam"]),
    ("indonesia", "Indonesia", ["Jakarta"]),
    ("mongolia", "Mongolia", ["Ulaanbaatar"]),
    ("venezuela", "Venezuela", ["Caracas"]),
    ("cuba", "Cuba", ["Havana"]),
    ("saudi-arabia", "Saudi Arabia", ["Riyadh"]),
    ("israel", "Israel", ["Jerusalem"]),
    ("australia", "Australia", ["Canberra"]),
]
DEMONYM = {
    "china": "Chinese",
    "belarus": "Belarusian",
    "russia": "Russian",
    "united-states": "American",
    "united-kingdom": "British",
    "lithuania": "Lithuanian",
    "poland": "Polish",
    "ukraine": "Ukrainian",
    "germany": "German",
    "france": "French",
    "kazakhstan": "Kazakh",
    "japan": "Japanese",
    "india": "Indian",
    "iran": "Iranian",
    "turkey": "Turkish",
    "serbia": "Serbian",
    "hungary": "Hungarian",
}

FIRST = [
    "Alexander",
    "Sergei",
    "Vladimir",
    "Dmitry",
    "Andrei",
    "Mikhail",
    "Nikolai",
    "Pavel",
    "Yuri",
    "Ivan",
    "Oleg",
    "Viktor",
    "Igor",
    "Roman",
    "Anton",
    "Maria",
    "Anna",
    "Olga",
    "Elena",
    "Natalia",
    "Irina",
    "Svetlana",
    "Tatiana",
    "Yulia",
    "Daria",
    "Ksenia",
    "Veronika",
    "Alina",
    "Sofia",
    "Yana",
    "Wei",
    "Li",
    "Ming",
    "Jun",
    "Hui",
    "Lei",
    "Tao",
    "Yan",
    "Ping",
    "Qiang",
    "Hong",
    "Bo",
    "Xin",
    "Yu",
    "Lan",
    "Mei",
    "Jing",
    "James",
    "Robert",
    "John",
    "Michael",
    "David",
    "Thomas",
    "Peter",
    "Mark",
    "Daniel",
    "Paul",
    "Laura",
    "Emma",
    "Claire",
    "Sarah",
    "Helen",
    "Ahmed",
    "Omar",
    "Karim",
    "Farid",
    "Leyla",
    "Aisha",
    "Timur",
    "Ruslan",
    "Aibek",
    "Nursultan",
    "Gulnara",
    "Dilnoza",
    "Arman",
    "Bakhyt",
    "Jan",
    "Piotr",
    "Tomasz",
    "Marek",
    "Agnieszka",
    "Katarzyna",
    "Lukas",
    "Jonas",
    "Ruta",
    "Inga",
    "Janis",
    "Liga",
    "Mart",
    "Kadri",
]
SYL_A = [
    "ka",
    "ko",
    "la",
    "lu",
    "ma",
    "me",
    "mi",
    "na",
    "no",
    "pe",
    "po",
    "ra",
    "re",
    "ro",
    "sa",
    "se",
    "si",
    "ta",
    "te",
    "to",
    "va",
    "ve",
    "vi",
    "za",
    "zo",
    "bo",
    "da",
    "de",
    "di",
    "ga",
    "go",
]
SYL_B = [
    "ren",
    "lin",
    "mar",
    "sen",
    "tov",
    "kov",
    "nev",
    "rov",
    "lev",
    "dan",
    "bor",
    "gan",
    "tin",
    "nik",
    "lash",
    "shen",
    "vich",
    "vin",
    "zar",
    "mir",
]
SUFFIX = [
    "ov",
    "ova",
    "ev",
    "eva",
    "enko",
    "ko",
    "sky",
    "skaya",
    "ski",
    "ska",
    "uk",
    "yuk",
    "vich",
    "ich",
    "in",
    "ina",
    "an",
    "yan",
    "idze",
    "shvili",
]
HAN = [
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Sun",
    "Ma",
    "Zhu",
    "Hu",
    "Guo",
    "He",
    "Gao",
    "Lin",
    "Luo",
    "Zheng",
    "Liang",
    "Xie",
    "Song",
]
ROLES = ["President", "Minister", "Ambassador", "Professor", "General", "Senator", "Deputy", "Governor"]
ADJ = [
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "Baltic",
    "Pacific",
    "Atlantic",
    "Continental",
    "Silk",
    "Iron",
    "Golden",
    "Green",
    "Blue",
    "National",
    "United",
    "Free",
    "Democratic",
    "Strategic",
    "Eurasian",
    "Danube",
    "Volga",
    "Caspian",
    "Amber",
    "Arctic",
    "Steppe",
    "Polar",
]
NOUN = [
    "Grain",
    "Rail",
    "Energy",
    "Steel",
    "Potash",
    "Gas",
    "Oil",
    "Textile",
    "Machinery",
    "Logistics",
    "Data",
    "Port",
    "Freight",
    "Trade",
    "Credit",
    "Development",
    "Investment",
    "Security",
    "Research",
    "Transit",
    "Water",
    "Cotton",
    "Timber",
    "Cargo",
    "Aviation",
    "Shipping",
]
ORG_KIND = [
    "Holding",
    "Council",
    "Bank",
    "Agency",
    "Corporation",
    "Institute",
    "Fund",
    "Association",
    "Committee",
    "Authority",
    "Group",
    "Company",
    "Foundation",
    "Commission",
]
GROUP_KIND = ["Movement", "Union", "Front", "Alliance", "Coalition", "Party", "Network", "Bloc"]
EVENT_KIND = ["summit", "election", "forum", "crisis", "protests", "talks", "exercises", "referendum", "conference"]
INIT_KIND = ["Initiative", "Corridor", "Programme", "Partnership", "Road Map", "Agreement", "Pact", "Strategy"]

# How each relation reads in a sentence (subject … object).
VERBS: dict[str, list[str]] = {
    "cooperates": ["cooperated with", "worked together with"],
    "supports": ["offered support to", "backed", "voiced support for", "stood by"],
    "congratulates": ["congratulated", "sent congratulations to"],
    "welcomes": ["welcomed", "publicly welcomed the overtures of"],
    "seeks_support_from": ["turned to", "asked for help from", "sought backing from"],
    "seeks_closer_ties": ["wants closer ties with", "sought to deepen relations with"],
    "concedes_to": ["made concessions to", "yielded to"],
    "partners_with": ["signed a strategic partnership with", "is a partner of"],
    "trades_with": ["expanded trade with", "signed a trade deal with"],
    "meets_with": ["met", "held talks with"],
    "integrates_with": ["deepened integration with", "moved to integrate with"],
    "opposes": ["opposed", "spoke out against"],
    "accuses": ["accused", "blamed"],
    "pressures": ["put pressure on", "pressed"],
    "sanctions": ["imposed sanctions on", "announced fresh sanctions against"],
    "represses": ["cracked down on", "suppressed"],
    "jails": ["jailed", "sentenced to prison"],
    "counterbalances": ["sought to counterbalance", "hedged against"],
    "undermines": ["undermined", "weakened the position of"],
    "at_odds_with": ["is at odds with", "clashed with"],
    "structural": ["is linked to", "has ties to"],
    "leads": ["leads", "heads"],
    "represents": ["represents", "speaks for"],
    "affiliated_with": ["is affiliated with", "works for"],
    "part_of": ["is part of", "belongs to"],
    "participates_in": ["took part in", "joined"],
    "signs": ["signed", "put its name to"],
    "accused_of": ["was accused of involvement in", "was blamed for"],
    "comments_on": ["commented on", "spoke about"],
    "warns": ["warned", "cautioned"],
    "borders": ["borders", "shares a border with"],
}
TAILS = [
    "",
    "",
    "",
    " on Tuesday",
    " last month",
    " earlier this year",
    " in a statement",
    " during talks in {place}",
    ", officials said",
    ", according to state media",
    " at a meeting in {place}",
    " despite Western criticism",
    " over the crisis on the border",
    " in a deal worth ${n} million",
    " for the {ord} time this year",
    " amid mounting pressure from the West",
    " in a phone call",
    " at the {ord} session of the forum",
]
FILLER = [
    "The move drew criticism from observers in {place}.",
    "Analysts said the decision reflected a broader shift in the region.",
    "Details of the agreement were not made public.",
    "The ministry did not respond to a request for comment.",
    "Trade between the two sides rose by {n} per cent last year.",
    "Some diplomats warned that the relationship could become a burden.",
    "The talks lasted {n} hours, according to people familiar with the matter.",
]
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]


def _fold(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = re.sub(r"['’ʼ`´]", "", s)
    return re.sub(r"[\W_]+", " ", s).strip()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _fold(name)).strip("-") or "x"


Entity = dict[str, object]


class _Names:
    """Hands out entity ids and names, refusing any name that would lead to two entities."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.ids: set[str] = set()

    def claim(self, name: str) -> bool:
        key = _fold(name)
        if not key or key in self.taken:
            return False
        self.taken.add(key)
        return True

    def ident(self, name: str) -> str:
        base = _slug(name)
        ident, n = base, 2
        while ident in self.ids or (_fold(ident) in self.taken and _fold(ident) != _fold(name)):
            ident, n = f"{base}-{n}", n + 1
        self.ids.add(ident)
        self.taken.add(_fold(ident))
        return ident

    def entity(
        self, name: str, etype: str, aliases: list[str], description: str, ident: str | None = None
    ) -> Entity | None:
        """The entity, with the aliases no other entity has, or None when its name is taken already."""
        if not self.claim(name):
            return None
        if ident is not None:
            self.ids.add(ident)
            self.taken.add(_fold(ident))
        else:
            ident = self.ident(name)
        kept = [a for a in dict.fromkeys(aliases) if self.claim(a)]
        return {"id": ident, "name": name, "type": etype, "aliases": kept, "description": description}


# Each maker draws one entity of its type: (name, aliases, description), from the country it is
# placed in (its name and demonym). The draws' order is part of the output: changing it changes
# every generated dataset, and with it the benchmark's probes.
Made = tuple[str, list[str], str]


def _person(rng: random.Random, country: str, demonym: str) -> Made:
    if rng.random() < 0.25:
        last = rng.choice(HAN)
        first = rng.choice(SYL_A).capitalize() + rng.choice(SYL_B)
        name = f"{last} {first}"
        aliases = [f"{rng.choice(ROLES)} {name}", f"{last} {first.replace('ei', 'ey')}"]
    else:
        last = (rng.choice(SYL_A) + rng.choice(SYL_A) + rng.choice(SUFFIX)).capitalize()
        first = rng.choice(FIRST)
        middle = f" {chr(65 + rng.randrange(26))}." if rng.random() < 0.5 else ""
        name = f"{first}{middle} {last}"
        variant = last.replace("v", "w").replace("y", "i").replace("sky", "ski") if rng.random() < 0.6 else last + "a"
        aliases = [f"{first[0]}. {last}", f"{first} {variant}", f"{rng.choice(ROLES)} {last}"]
        if rng.random() < 0.3:
            aliases.append(last)
    return name, aliases, f"{demonym} public figure."


def _organisation(rng: random.Random, country: str, demonym: str) -> Made:
    words = [rng.choice(ADJ), rng.choice(NOUN), rng.choice(ORG_KIND)]
    name = f"{demonym} {' '.join(words)}" if rng.random() < 0.5 else " ".join(words)
    acronym = "".join(w[0] for w in name.split())
    return name, [acronym, f"the {words[1]} {words[2]}"], f"An organisation based in {country}."


def _group(rng: random.Random, country: str, demonym: str) -> Made:
    name = f"{rng.choice(ADJ)} {rng.choice(NOUN)} {rng.choice(GROUP_KIND)}"
    return name, [f"{demonym} {name}"], f"A political group in {country}."


def _event(rng: random.Random, country: str, demonym: str) -> Made:
    year = rng.randrange(1995, 2025)
    name = f"{year} {demonym} {rng.choice(EVENT_KIND)}"
    if rng.random() < 0.5:
        name = f"{rng.choice(['Spring', 'Summer', 'Autumn', 'Winter'])} {name}"
    return name, [f"{country} {name.split()[-1]} of {year}"], f"An event in {country}."


def _initiative(rng: random.Random, country: str, demonym: str) -> Made:
    name = f"{rng.choice(ADJ)} {rng.choice(NOUN)} {rng.choice(INIT_KIND)}"
    return name, ["".join(w[0] for w in name.split())], "A cross-border initiative."


def _place(rng: random.Random, country: str, demonym: str) -> Made:
    base = rng.choice(SYL_A) + rng.choice(SYL_A) + rng.choice(["grad", "sk", "ovo", "polis", "burg", "ino"])
    name = base.capitalize()
    return name, [f"{name} region", f"{name} Oblast"], f"A place in {country}."


MAKERS: dict[str, Callable[[random.Random, str, str], Made]] = {
    "person": _person,
    "organisation": _organisation,
    "group": _group,
    "event": _event,
    "initiative": _initiative,
    "place": _place,
}
# how often each type is drawn, in draws out of 100
KINDS = ["person"] * 50 + ["organisation"] * 20 + ["group"] * 8 + ["event"] * 8 + ["initiative"] * 7 + ["place"] * 7


def _entities(n: int, rng: random.Random) -> list[Entity]:
    """About ``n`` entities: real countries first, then random ones of every type (a name drawn twice is dropped)."""
    names = _Names()
    out: list[Entity] = []
    for ident, name, aliases in COUNTRIES[: max(8, min(len(COUNTRIES), n // 8))]:
        made = names.entity(name, "country", aliases, f"A country ({name}).", ident)
        if made is not None:
            out.append(made)
    n_countries = len(out)
    attempts = 0
    while len(out) < n and attempts < n * 20:
        attempts += 1
        kind = rng.choice(KINDS)
        country = COUNTRIES[rng.randrange(n_countries)]
        name, aliases, description = MAKERS[kind](rng, country[1], DEMONYM.get(country[0], country[1]))
        made = names.entity(name, kind, aliases, description)
        if made is not None:
            out.append(made)
    return out


# -- facts ---------------------------------------------------------------------


def _relation_mix() -> tuple[list[str], list[int], dict[str, dict[str, object]]]:
    """The relations and how often the bundled article uses each (at least once)."""
    import yaml

    vocab = yaml.safe_load((BUNDLED / "relations.yaml").read_text(encoding="utf-8"))["relations"]
    info = {r["id"]: r for r in vocab}
    counts: Counter[str] = Counter()
    for file in sorted((BUNDLED / "sources").glob("*.yaml")):
        for f in yaml.safe_load(file.read_text(encoding="utf-8")).get("facts") or []:
            counts[f["relation"]] += 1
    ids = [r["id"] for r in vocab]
    return ids, [counts.get(r, 0) + 1 for r in ids], info


def _yq(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _curly(sentence: str, rng: random.Random) -> str:
    """How the article text may print a sentence the YAML quotes with straight punctuation."""
    if rng.random() < 0.3:
        sentence = sentence.replace("'", "’")
    if rng.random() < 0.2:
        sentence = sentence.replace(" - ", " – ")
    return sentence


def _date_before(published: tuple[int, int, int], rng: random.Random) -> tuple[int, int, int]:
    y, m, d = published
    back = rng.randrange(0, 900)
    total = y * 372 + (m - 1) * 31 + (d - 1) - back
    ny, rest = divmod(total, 372)
    nm, nd = divmod(rest, 31)
    return ny, nm + 1, min(nd + 1, 28)


@dataclass
class _Pools:
    """What every fact draws from, and what the drawing has used so far."""

    entities: list[Entity]
    cum: list[float]  # cumulative popularity weights: a long tail, 1/(rank+3), countries at the head
    rel_ids: list[str]
    rel_weights: list[int]
    rel_info: dict[str, dict[str, object]]
    people: list[int]
    bodies: list[int]  # countries and organisations: who a person leads or represents
    unused: list[int]  # entities in no fact yet: the first facts take them in turn
    degree: Counter[int] = field(default_factory=Counter)


def _pools(entities: list[Entity], rng: random.Random) -> _Pools:
    by_type: dict[str, list[int]] = {}
    for i, e in enumerate(entities):
        by_type.setdefault(str(e["type"]), []).append(i)
    cum: list[float] = []
    acc = 0.0
    for rank in range(len(entities)):
        acc += 1.0 / (rank + 3)
        cum.append(acc)
    rel_ids, rel_weights, rel_info = _relation_mix()
    unused = list(range(len(entities)))
    rng.shuffle(unused)
    return _Pools(
        entities=entities,
        cum=cum,
        rel_ids=rel_ids,
        rel_weights=rel_weights,
        rel_info=rel_info,
        people=by_type.get("person", [0]),
        bodies=by_type.get("country", [0]) + by_type.get("organisation", [0]),
        unused=unused,
    )


def _write_entities(path: Path, entities: list[Entity]) -> None:
    lines = ["# Synthetic entities for the kgraph benchmark (bench/generate.py).", "", "entities:"]
    for e in entities:
        lines.append(f"  - id: {e['id']}")
        lines.append(f"    name: {_yq(str(e['name']))}")
        lines.append(f"    type: {e['type']}")
        aliases = e["aliases"]
        assert isinstance(aliases, list)
        if aliases:
            lines.append("    aliases: [" + ", ".join(_yq(a) for a in aliases) + "]")
        lines.append(f"    description: {_yq(str(e['description']))}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _date_lines(published: tuple[int, int, int], rng: random.Random) -> list[str]:
    """A fact's date: a year, month or day, or a start/end interval (or none, 7 % of facts)."""
    r = rng.random()
    y, m, d = _date_before(published, rng)
    if r < 0.45:
        return [f"    date: {y:04d}"]
    if r < 0.7:
        return [f"    date: {y:04d}-{m:02d}"]
    if r < 0.85:
        return [f"    date: {y:04d}-{m:02d}-{d:02d}"]
    if r < 0.93:
        return [f"    start: {y - rng.randrange(0, 4):04d}", f"    end: {y:04d}-{m:02d}"]
    return []


def _extra_lines(pools: _Pools, rng: random.Random) -> list[str]:
    """Who a fact is according to (10 %), and a qualifier (30 %)."""
    lines: list[str] = []
    if rng.random() < 0.1:
        lines.append(f"    according_to: {pools.entities[rng.choice(pools.people)]['id']}")
    if rng.random() < 0.3:
        key = rng.choice(["role", "over", "context", "amount"])
        value = {  # every value is drawn, whichever key is kept
            "role": rng.choice(ROLES).lower(),
            "over": "border crisis",
            "context": "linked headline",
            "amount": f"${rng.randrange(1, 900)} million",
        }[key]
        lines.append(f"    qualifiers: {{{key}: {_yq(value)}}}")
    return lines


def _ends(pools: _Pools, rel: str, pair: tuple[int, int], rng: random.Random) -> tuple[int, int]:
    """Subject and object of a fact (counted in the degrees): a person and a body for acting-for relations,
    else the popular pair drawn; an entity in no fact yet takes the subject's place."""
    if pools.rel_info[rel].get("acts_for"):
        s, o = rng.choice(pools.people), rng.choice(pools.bodies)
    else:
        s, o = pair
    if pools.unused:
        s = pools.unused.pop()
    if s == o:
        o = (o + 1) % len(pools.entities)
    pools.degree[s] += 1
    pools.degree[o] += 1
    return s, o


def _wrap(body: str, width: int = 100) -> str:
    """The article wrapped like a newspaper export: lines of about ``width`` characters."""
    wrapped: list[str] = []
    used = 0
    for word in body.split(" "):
        if used + len(word) > width:
            wrapped.append("\n")
            used = 0
        elif used:
            wrapped.append(" ")
        wrapped.append(word)
        used += len(word) + 1
    return "".join(wrapped) + "\n"


def _write_source(folder: Path, number: int, k: int, pools: _Pools, rng: random.Random) -> None:
    """Source ``number``: an article of ``k`` fact sentences (and some filler) and the YAML quoting them."""
    sid = f"src-{number:06d}"
    year = rng.randrange(2012, 2025)
    published = (year, rng.randrange(1, 13), rng.randrange(1, 29))
    pub_text = f"{published[0]:04d}-{published[1]:02d}" + (f"-{published[2]:02d}" if rng.random() < 0.5 else "")
    place = COUNTRIES[rng.randrange(len(COUNTRIES))][2][0]
    title = f"Letter from {place}: report {number}"
    facts_yaml = [
        "source:",
        f"  id: {sid}",
        f"  title: {_yq(title)}",
        f"  published: {pub_text}",
        f"  text: {sid}.txt",
        "  publisher: Synthetic Herald",
        "",
        "facts:",
    ]
    text: list[str] = [f"{title}."]
    rels = rng.choices(pools.rel_ids, weights=pools.rel_weights, k=k)
    picks = rng.choices(range(len(pools.entities)), cum_weights=pools.cum, k=2 * k)
    for j, rel in enumerate(rels):
        s, o = _ends(pools, rel, (picks[2 * j], picks[2 * j + 1]), rng)
        subj, obj = pools.entities[s], pools.entities[o]
        tail = rng.choice(TAILS).format(place=place, n=rng.randrange(2, 900), ord=rng.choice(ORDINALS))
        sentence = f"{subj['name']} {rng.choice(VERBS.get(rel, ['is related to']))} {obj['name']}{tail}."
        sentence = sentence[0].upper() + sentence[1:]
        # a running number keeps every sentence (and so every fact) distinct
        sentence = sentence[:-1] + f", report {number}.{j + 1} says."
        text.append(_curly(sentence, rng))
        if rng.random() < 0.3:
            text.append(rng.choice(FILLER).format(place=place, n=rng.randrange(2, 60)))
        facts_yaml += [
            f"  - subject: {subj['id']}",
            f"    relation: {rel}",
            f"    object: {obj['id']}",
            f"    quote: {_yq(sentence)}",
        ]
        facts_yaml += _date_lines(published, rng)
        facts_yaml += _extra_lines(pools, rng)
    (folder / f"{sid}.txt").write_text(_wrap(" ".join(text)), encoding="utf-8")
    (folder / f"{sid}.yaml").write_text("\n".join(facts_yaml) + "\n", encoding="utf-8")


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _stats(size: int, n_facts: int, n_sources: int, pools: _Pools) -> dict[str, object]:
    """Sizes, and the entities to ask about: the busiest (a hub, like China in the news) and the next
    busiest (``explain`` between the two is the heaviest explain), and two "typical well-covered" ones
    ranked 10 % and 20 % from the top by number of facts, whose answers stay about the same size at any
    scale."""
    entities, degree = pools.entities, pools.degree
    ranked = sorted(range(len(entities)), key=lambda i: (-degree[i], i))
    probe, probe2 = ranked[len(ranked) // 10], ranked[len(ranked) // 5]
    return {
        "facts": n_facts,
        "entities": len(entities),
        "sources": n_sources,
        "bytes": size,
        "hub": entities[ranked[0]]["id"],
        "hub_facts": degree[ranked[0]],
        "hub2": entities[ranked[1]]["id"],
        "probe": entities[probe]["id"],
        "probe_facts": degree[probe],
        "probe2": entities[probe2]["id"],
        "probe2_facts": degree[probe2],
    }


def generate(n_facts: int, out: Path, seed: int = 1, *, quiet: bool = False) -> dict[str, object]:
    """Write a dataset of ``n_facts`` facts into ``out`` (created, or emptied of old kgraph files)."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    src_dir = out / "sources"
    if src_dir.exists():
        shutil.rmtree(src_dir)
    src_dir.mkdir()
    shutil.copyfile(BUNDLED / "relations.yaml", out / "relations.yaml")
    entities = _entities(max(40, n_facts // 20), rng)
    _write_entities(out / "entities.yaml", entities)
    pools = _pools(entities, rng)
    made = n_sources = 0
    while made < n_facts:
        n_sources += 1
        k = min(n_facts - made, rng.randrange(40, 81))
        _write_source(src_dir, n_sources, k, pools, rng)
        made += k
        if not quiet and n_sources % 2000 == 0:
            print(f"  {made:,} facts…", file=sys.stderr)
    size = _folder_bytes(out)
    stats = _stats(size, n_facts, n_sources, pools)
    if not quiet:
        print(
            f"{out}: {n_facts:,} facts, {len(entities):,} entities, {n_sources:,} sources, "
            f"{size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
        )
    return stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("size", help="number of facts: 1000, 10k, 1m …")
    ap.add_argument("out", type=Path, help="folder to write (its sources/ is replaced)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    generate(parse_size(args.size), args.out, args.seed)


if __name__ == "__main__":
    main()
