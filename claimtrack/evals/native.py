"""The native suite format (articles with their expected items) and its scorer.

A native suite is a JSONL file (or a folder holding ``suite.jsonl``): one article a line, with the
items a careful reader would extract from it. The format is described, with the annotation
guidelines, in ``evals/README.md``; in short::

    {"id": "seed", "title": "...", "published": "2026-01-07", "source": "...", "text": "...",
     "kinds": ["claim", "commitment"],
     "items": [{"kind": "claim", "quote": "...", "start": 10, "end": 52, "speaker": "Keir Starmer",
                "cue": "said", "direct": false},
               {"kind": "commitment", "quote": "...", "start": 900, "end": 1010,
                "speaker": "Keir Starmer", "actors": ["Britain", "France"],
                "condition": "once a ceasefire is reached", "deadline": null}]}

``quote == text[start:end]`` must hold; ``start``/``end`` may be left out when the quote occurs
once in the text. ``kinds`` (default both) says which kinds the article is annotated for: a suite
annotated for attribution only sets ``["claim"]`` and predicted commitments are then not scored.

**Matching.** A predicted item matches a gold item of the same kind when their quote spans share
a token (the tokens of :mod:`claimtrack.evals.attribution`); matching is one-to-one, the pairs
sharing the most tokens first. Then:

- *detection*: precision, recall and F1 for claims, commitments and all items (``item_*``);
- *speaker and content jointly* (``claim_speaker_*``): a matched claim counts only when its
  speaker matches too: the gold name's words are all among the predicted speaker's words (as
  written or canonical), or the other way round ("Starmer" and "British Prime Minister Keir
  Starmer" both match "Keir Starmer"; "He" does not);
- *direct and indirect apart* (``direct_claim_*``, ``indirect_claim_*``): detection among gold
  claims marked direct (indirect) against predicted claims marked direct (indirect);
- *commitment fields* (``commitment_{actor,condition,deadline}_accuracy``) over matched
  commitments: actors agree when both are empty or a gold actor matches a predicted one (by the
  speaker rule); a condition or deadline agrees when both are missing, or both are given and one's
  words contain the other's or they share at least half their words (Jaccard >= 0.5). Left out
  when no commitment matched;
- *grounding rate*: the share of predicted items whose quote is exactly ``text[start:end]``
  (1.0 when nothing is predicted). It must be 1.0: claimtrack never stores an ungrounded quote.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from claimtrack.errors import UsageError
from claimtrack.evals.attribution import Tokenizer
from claimtrack.evals.brat import Span
from claimtrack.extraction.models import Item

SUITE_FILE = "suite.jsonl"
KINDS = ("claim", "commitment")
HEADLINE = ("item_f1", "grounding_rate")


@dataclass
class GoldItem:
    kind: str
    start: int
    end: int
    quote: str
    speaker: str | None = None
    cue: str | None = None
    direct: bool | None = None
    actors: list[str] = field(default_factory=list)
    condition: str | None = None
    deadline: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "speaker": self.speaker,
        }
        if self.kind == "claim":
            found |= {"cue": self.cue, "direct": self.direct}
        else:
            found |= {"actors": self.actors, "condition": self.condition, "deadline": self.deadline}
        return found


@dataclass
class NativeCase:
    id: str
    text: str
    items: list[GoldItem]
    kinds: tuple[str, ...] = KINDS
    title: str | None = None
    published: date | None = None
    source: str | None = None


def suite_file(path: Path) -> Path | None:
    """The JSONL file of the native suite at ``path``, or None when it is not one."""
    if path.is_file() and path.suffix == ".jsonl":
        return path
    if path.is_dir() and (path / SUITE_FILE).is_file():
        return path / SUITE_FILE
    return None


def read_suite(path: Path) -> list[NativeCase]:
    """Every case of a native suite; a bad line raises :class:`UsageError` naming file and line."""
    file = suite_file(path)
    if file is None:
        raise UsageError(
            f"{path}: not a native suite (a .jsonl file, or a folder with {SUITE_FILE})"
        )
    cases: list[NativeCase] = []
    seen: set[str] = set()
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{file}: cannot read: {error}") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            case = _read_case(json.loads(line))
        except (ValueError, KeyError, TypeError) as error:
            message = str(error).strip("'\"") if isinstance(error, KeyError) else str(error)
            if isinstance(error, KeyError):
                message = f"missing field {message!r}"
            raise UsageError(f"{file}:{number}: {message}") from None
        if case.id in seen:
            raise UsageError(f"{file}:{number}: case id {case.id!r} is used twice")
        seen.add(case.id)
        cases.append(case)
    if not cases:
        raise UsageError(f"{file}: no cases")
    return cases


def _text_field(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name!r} must be text or null")
    return value


def _read_case(record: Any) -> NativeCase:
    if not isinstance(record, dict):
        raise ValueError("a line must be a JSON object (an article with its items)")
    case_id, text = record["id"], record["text"]
    if not isinstance(case_id, str) or not case_id:
        raise ValueError("'id' must be non-empty text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("'text' must be non-empty text")
    kinds = tuple(record.get("kinds") or KINDS)
    if not set(kinds) <= set(KINDS):
        raise ValueError(f"'kinds' must list claim and/or commitment, not {list(kinds)}")
    published = None
    if record.get("published"):
        try:
            published = date.fromisoformat(str(record["published"])[:10])
        except ValueError:
            raise ValueError(f"'published' is not an ISO date: {record['published']!r}") from None
    raw_items = record["items"]
    if not isinstance(raw_items, list):
        raise ValueError("'items' must be a list")
    items = [_read_item(text, raw, n, kinds) for n, raw in enumerate(raw_items, start=1)]
    return NativeCase(
        id=case_id,
        text=text,
        items=items,
        kinds=kinds,
        title=_text_field(record, "title"),
        published=published,
        source=_text_field(record, "source"),
    )


def _read_item(text: str, raw: Any, number: int, kinds: Sequence[str]) -> GoldItem:
    where = f"item {number}"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: must be a JSON object")
    kind, quote = raw.get("kind"), raw.get("quote")
    if kind not in kinds:
        raise ValueError(f"{where}: 'kind' must be one of {', '.join(kinds)}, not {kind!r}")
    if not isinstance(quote, str) or not quote.strip():
        raise ValueError(f"{where}: 'quote' must be non-empty text")
    start, end = raw.get("start"), raw.get("end")
    if start is None and end is None:
        first = text.find(quote)
        if first < 0:
            raise ValueError(f"{where}: the quote is not in the text: {quote[:80]!r}")
        if text.find(quote, first + 1) >= 0:
            raise ValueError(f"{where}: the quote occurs more than once; give 'start' and 'end'")
        start, end = first, first + len(quote)
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end:
        raise ValueError(f"{where}: 'start' and 'end' must be offsets with start < end")
    if text[start:end] != quote:
        raise ValueError(
            f"{where}: text[{start}:{end}] is {text[start:end][:60]!r}, not the quote "
            f"{quote[:60]!r}"
        )
    actors = raw.get("actors") or []
    if not isinstance(actors, list) or not all(isinstance(a, str) for a in actors):
        raise ValueError(f"{where}: 'actors' must be a list of names")
    direct = raw.get("direct")
    if direct is not None and not isinstance(direct, bool):
        raise ValueError(f"{where}: 'direct' must be true, false or null")
    for name in ("condition", "deadline"):
        value = raw.get(name)
        if value is not None and (not isinstance(value, str) or value not in text):
            raise ValueError(f"{where}: {name!r} must be null or words of the text")
    return GoldItem(
        kind=str(kind),
        start=start,
        end=end,
        quote=quote,
        speaker=_text_field(raw, "speaker"),
        cue=_text_field(raw, "cue"),
        direct=direct,
        actors=list(actors),
        condition=raw.get("condition"),
        deadline=raw.get("deadline"),
        note=_text_field(raw, "note"),
    )


# -- scoring --------------------------------------------------------------------------------------

_NAME_WORD = re.compile(r"[^\W_]+")
_NOT_A_NAME = frozenset({"the", "of", "s", "and", "a", "an", "said"})


def _words(value: str | None) -> frozenset[str]:
    if not value:
        return frozenset()
    return frozenset(w for w in _NAME_WORD.findall(value.casefold()) if w not in _NOT_A_NAME)


def same_name(gold: str | None, predicted: Sequence[str | None]) -> bool:
    """Does a predicted name (as written or canonical) name the gold speaker or actor?"""
    wanted = _words(gold)
    if not wanted:
        return False
    for name in predicted:
        given = _words(name)
        if given and (wanted <= given or given <= wanted):
            return True
    return False


def _same_words(gold: str | None, predicted: str | None) -> bool:
    if not gold and not predicted:
        return True
    a, b = _words(gold), _words(predicted)
    if not a or not b:
        return False
    return a <= b or b <= a or len(a & b) / len(a | b) >= 0.5


def item_json(item: Item) -> dict[str, Any]:
    """A predicted item as a case result shows it."""
    found: dict[str, Any] = {
        "kind": item.kind,
        "start": item.span.start,
        "end": item.span.end,
        "quote": item.quote,
        "speaker": item.speaker,
        "speaker_canonical": item.speaker_canonical,
    }
    if item.kind == "claim":
        found |= {"cue": item.cue, "direct": item.direct}
    else:
        found |= {
            "actors": list(item.actors),
            "condition": item.condition,
            "deadline": item.deadline_text,
        }
    return found


@dataclass
class _Counts:
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: _Counts) -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.gold += other.gold

    def prf(self, name: str) -> dict[str, float]:
        precision = self.tp / self.predicted if self.predicted else 0.0
        recall = self.tp / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {f"{name}_precision": precision, f"{name}_recall": recall, f"{name}_f1": f1}


GROUPS = ("item", "claim", "commitment", "claim_speaker", "direct_claim", "indirect_claim")
FIELDS = ("actor", "condition", "deadline")


@dataclass
class CaseScore:
    counts: dict[str, _Counts]
    fields: dict[str, list[bool]]
    grounded: int
    predicted: int
    matches: list[tuple[int, int]]  # (gold index, predicted index)

    def metrics(self) -> dict[str, float]:
        found: dict[str, float] = {}
        for group in GROUPS:
            found |= self.counts[group].prf(group)
        for name, agreed in self.fields.items():
            if agreed:
                found[f"commitment_{name}_accuracy"] = sum(agreed) / len(agreed)
        found["grounding_rate"] = self.grounded / self.predicted if self.predicted else 1.0
        return found


def _pairs(
    tokens: Tokenizer,
    gold: Sequence[tuple[int, GoldItem]],
    predicted: Sequence[tuple[int, Item]],
) -> list[tuple[int, int]]:
    """One-to-one (gold, predicted) index pairs of overlapping spans, largest overlap first."""
    gold_tokens = {i: tokens.covered([Span(g.start, g.end)]) for i, g in gold}
    candidates = []
    for p_index, item in predicted:
        mine = tokens.covered([Span(item.span.start, item.span.end)])
        for g_index, _ in gold:
            shared = len(mine & gold_tokens[g_index])
            if shared:
                candidates.append((-shared, g_index, p_index))
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs = []
    for _, g_index, p_index in sorted(candidates):
        if g_index in used_gold or p_index in used_predicted:
            continue
        used_gold.add(g_index)
        used_predicted.add(p_index)
        pairs.append((g_index, p_index))
    return sorted(pairs)


def score_case(case: NativeCase, predicted: Sequence[Item]) -> CaseScore:
    """Counts and matches of one article's predictions against its gold items."""
    tokens = Tokenizer(case.text)
    scored = [(i, item) for i, item in enumerate(predicted) if item.kind in case.kinds]
    gold = list(enumerate(case.items))
    counts = {group: _Counts() for group in GROUPS}
    matches: list[tuple[int, int]] = []
    fields: dict[str, list[bool]] = {name: [] for name in FIELDS}
    for kind in KINDS:
        if kind not in case.kinds:
            continue
        kind_gold = [(i, g) for i, g in gold if g.kind == kind]
        kind_predicted = [(i, p) for i, p in scored if p.kind == kind]
        pairs = _pairs(tokens, kind_gold, kind_predicted)
        matches += pairs
        counts[kind] = _Counts(len(pairs), len(kind_predicted), len(kind_gold))
        if kind == "claim":
            counts["claim_speaker"] = _Counts(
                sum(
                    same_name(
                        case.items[g].speaker,
                        (predicted[p].speaker, predicted[p].speaker_canonical),
                    )
                    for g, p in pairs
                ),
                len(kind_predicted),
                len(kind_gold),
            )
            for group, direct in (("direct_claim", True), ("indirect_claim", False)):
                group_gold = [(i, g) for i, g in kind_gold if g.direct is direct]
                group_predicted = [(i, p) for i, p in kind_predicted if bool(p.direct) is direct]
                counts[group] = _Counts(
                    len(_pairs(tokens, group_gold, group_predicted)),
                    len(group_predicted),
                    len(group_gold),
                )
        else:
            for g, p in pairs:
                want, got = case.items[g], predicted[p]
                fields["actor"].append(
                    (not want.actors and not got.actors)
                    or any(same_name(actor, got.actors) for actor in want.actors)
                )
                fields["condition"].append(_same_words(want.condition, got.condition))
                fields["deadline"].append(_same_words(want.deadline, got.deadline_text))
    for kind in KINDS:
        counts["item"].add(counts[kind])
    grounded = sum(
        1 for _, item in scored if case.text[item.span.start : item.span.end] == item.quote
    )
    return CaseScore(counts, fields, grounded, len(scored), sorted(matches))


def score_suite(
    cases: Sequence[NativeCase], predicted: Sequence[Sequence[Item]]
) -> tuple[dict[str, float], list[CaseScore]]:
    """Suite metrics (micro-averaged over articles) and each case's score."""
    per_case = [score_case(case, items) for case, items in zip(cases, predicted, strict=True)]
    totals = {group: _Counts() for group in GROUPS}
    fields: dict[str, list[bool]] = {name: [] for name in FIELDS}
    grounded = predicted_count = 0
    for result in per_case:
        for group in GROUPS:
            totals[group].add(result.counts[group])
        for name in FIELDS:
            fields[name] += result.fields[name]
        grounded += result.grounded
        predicted_count += result.predicted
    metrics = CaseScore(totals, fields, grounded, predicted_count, []).metrics()
    metrics |= {
        "cases": float(len(cases)),
        "gold_claims": float(totals["claim"].gold),
        "gold_commitments": float(totals["commitment"].gold),
        "predicted_claims": float(totals["claim"].predicted),
        "predicted_commitments": float(totals["commitment"].predicted),
        "commitments_matched": float(len(fields["actor"])),
    }
    return metrics, per_case
