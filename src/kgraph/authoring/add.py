"""``kgraph add``: one fact appended to its source's ``facts:`` list, checked before it is written.

Names and aliases on the command line are written as ids; the quote must be
in the article text (compared as the checker compares: curly quotes, dashes
and runs of spaces folded), else the closest passage is offered; ``--sentence
N`` takes sentence N whole. The new file text is checked with every rule of
the loader on the whole dataset before anything is written
(:class:`~kgraph.authoring.edit.Edit`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ExitCode, KGraphError, UnknownSource, UsageError
from ..validate import normalise_text
from .edit import Edit, baseline
from .splice import append_item
from .yamltree import parse, quoted, scalar

__all__ = ["AddResult", "FactSpec", "InverseName", "add_fact", "closest_passage", "resolve_relation", "sentences"]

_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


class InverseName(KGraphError):
    """A relation given by its inverse name: the fact must be written the other way round."""

    exit_code = ExitCode.UNKNOWN_NAME


@dataclass
class FactSpec:
    """What the command line says of the new fact (names as typed)."""

    subject: str
    relation: str
    object: str
    source: str
    quote: str | None = None
    sentence: int | None = None
    date: str | None = None
    start: str | None = None
    end: str | None = None
    according_to: str | None = None
    qualifiers: list[tuple[str, str]] = field(default_factory=list)
    id: str | None = None  # the curator's id for the fact (checked by the loader: a slug, unique)
    modality: str | None = None  # asserted (the default, not written), intended, proposed, … (kgraph.model.MODALITIES)
    disputes: list[str] = field(default_factory=list)  # fact ids this fact contradicts
    same_as: list[str] = field(default_factory=list)  # fact ids reporting the same claim in other words
    implicit: str | None = None  # subject, object or both: the end the quote does not name


@dataclass
class AddResult:
    """What was (or, with ``--dry-run``, would be) added."""

    fact: Any  # kgraph.model.Fact, as the loader read it back
    path: str  # the source file, relative to the data folder
    line: int
    yaml: str  # the lines added
    written: bool


def sentences(text: str) -> list[str]:
    """The article's sentences, numbered from 1 in this order: ``kgraph sentences``'s numbering.

    (:func:`kgraph.authoring.sentences.number_sentences`: the quote checker's splitting, normalised, so
    each sentence is found in the text as a quote, and ``--sentence N`` is sentence N of ``kgraph
    sentences``.)
    """
    from .sentences import number_sentences

    return [s.text for s in number_sentences(text)]


def closest_passage(quote: str, text: str) -> str | None:
    """The sentence of ``text`` that holds most of a quote that is not in it, to offer instead.

    A sentence is scored by how many characters of the quote it matches in
    order (difflib's matching blocks), as a share of the quote: a quote
    misremembered by a word or two still scores high against a long
    sentence, where a whole-string similarity would not. None below half.
    """
    import difflib

    q = normalise_text(quote)
    if not q:
        return None
    best, best_score = None, 0.5
    for sentence in sentences(text)[:5000]:
        matcher = difflib.SequenceMatcher(None, q, sentence, autojunk=False)
        score = sum(b.size for b in matcher.get_matching_blocks()) / len(q)
        if score > best_score:
            best, best_score = sentence, score
    return best


def resolve_relation(kg: Any, name: str, subject: str = "SUBJECT", obj: str = "OBJECT") -> Any:
    """The relation ``name`` names by id or label; an inverse name is refused with the fact's right way round."""
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    for r in kg.relations.values():
        if r.inverse == key:
            raise InverseName(
                f"{name!r} is the inverse name of {r.id!r}: write the fact the other way round "
                f"('kgraph add {obj} {r.id} {subject} …')"
            )
    return kg.relation(name)  # UnknownRelation, with suggestions


def _source(kg: Any, name: str) -> Any:
    if name in kg.sources:
        return kg.sources[name]
    from ..resolve import suggest

    raise UnknownSource(name, suggest(name, list(kg.sources)))


def _quote(spec: FactSpec, text: str, sid: str) -> str:
    """The quote to write: ``--quote`` as typed (once it is found in the text), or sentence N whole."""
    if spec.sentence is not None:
        if spec.quote is not None:
            raise UsageError("give --quote or --sentence, not both")
        all_ = sentences(text)
        if not 1 <= spec.sentence <= len(all_):
            raise UsageError(f"--sentence {spec.sentence}: {sid!r} has sentences 1 to {len(all_)}")
        return all_[spec.sentence - 1]
    if spec.quote is None or not spec.quote.strip():
        raise UsageError("the fact needs its evidence: --quote TEXT or --sentence N")
    if normalise_text(spec.quote) not in normalise_text(text):
        near = closest_passage(spec.quote, text)
        hint = f"; the closest passage is {near[:200]!r}" if near else ""
        raise UsageError(f"--quote is not in the article text of {sid!r}{hint}")
    return spec.quote.strip()


def _dates(spec: FactSpec) -> list[tuple[str, str]]:
    out = []
    for key in ("date", "start", "end"):
        value = getattr(spec, key)
        if value is not None:
            if not _DATE.fullmatch(value):
                raise UsageError(f"--{key}: {value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
            out.append((key, value))
    return out


def fields_of(kg: Any, spec: FactSpec, text: str, sid: str) -> list[tuple[str, str]]:
    """The new fact's fields in the order curators write them, values as YAML; names resolved to ids."""
    subject = kg.entity(spec.subject).id
    obj = kg.entity(spec.object).id
    relation = resolve_relation(kg, spec.relation, subject, obj).id
    quote = _quote(spec, text, sid)
    fields = [("id", scalar(spec.id))] if spec.id is not None else []
    fields += [("subject", subject), ("relation", relation), ("object", obj), ("quote", quoted(quote))]
    fields += _dates(spec)
    if spec.according_to is not None:
        fields.append(("according_to", kg.entity(spec.according_to).id))
    if spec.qualifiers:
        keys = [k for k, _ in spec.qualifiers]
        if len(set(keys)) != len(keys):
            raise UsageError("--qualifier: the same key is given twice")
        inner = ", ".join(f"{scalar(k, flow=True)}: {scalar(v, flow=True)}" for k, v in spec.qualifiers)
        fields.append(("qualifiers", "{" + inner + "}"))
    return fields + _trust_fields(spec)


def _trust_fields(spec: FactSpec) -> list[tuple[str, str]]:
    """The fields of how far a fact is evidence (modality, disputes, same_as, implicit), as the loader reads them.

    Values are written as given: the loader's check of the edited dataset
    refuses an unknown modality or reference, with its suggestions.
    """
    out: list[tuple[str, str]] = []
    if spec.modality is not None and spec.modality != "asserted":
        out.append(("modality", scalar(spec.modality)))
    for key, refs in (("disputes", spec.disputes), ("same_as", spec.same_as)):
        if len(refs) == 1:
            out.append((key, scalar(refs[0])))
        elif refs:
            out.append((key, "[" + ", ".join(scalar(r, flow=True) for r in refs) + "]"))
    if spec.implicit is not None:
        out.append(("implicit", scalar(spec.implicit)))
    return out


def add_fact(root: Path, spec: FactSpec, *, dry_run: bool = False, cache: bool = True) -> AddResult:
    """Append the fact to its source file, after checking it with every rule; nothing written on a problem."""
    with Edit(root) as edit:
        kg = baseline(root, cache=cache)
        source = _source(kg, spec.source)
        rel = f"sources/{source.id}.yaml"
        text = Path(source.text_path).read_text(encoding="utf-8")
        fields = fields_of(kg, spec, text, source.id)
        before = edit.read(rel)
        new, line, lines = append_item(before, parse(before), "facts", fields)
        edit.stage(rel, new)
        checked = edit.check()
        fact = next(f for f in checked.facts if f.source == source.id and f.line == line)
        if not dry_run:
            edit.commit()
        return AddResult(fact=fact, path=rel, line=line, yaml=lines, written=not dry_run)
