"""Scoring predicted attributions against gold, as BBC's Citron evaluation does.

The reference is Citron's ``evaluate`` (repository ``bbc/citron``, file ``citron/metrics.py``,
run by ``scripts/evaluate/citron_evaluate.py``) with its helpers in ``citron/utils.py`` and
``citron/data.py``, as read at commit ``b140405574424c58ed0188dd5befc51dea7e8390``. What it
defines, and what this module does:

**Tokens.** Citron maps every character span to the spaCy tokens it touches
(``CitronParser._get_span`` in ``data.py``) and scores tokens, not characters. Here the article's
text is cut into tokens by a regular expression (a run of word characters, or one other
non-space character) and a span covers every token it shares a character with.

**Exact match** (``get_cue_exact_match_metrics``, ``get_source_exact_match_metrics``,
``get_content_exact_match_metrics``; ``utils.are_matching_spans``/``are_matching_span_lists``),
within one document:

- *Cue*: a predicted attribution matches when some gold attribution has the same cue span.
- *Source*, *Content*: a predicted attribution matches when some gold attribution's cue
  *overlaps* its cue (``utils.are_overlapping_spans``: at least one shared token) and the gold
  source (content) span is the same as the predicted one.
- A predicted attribution that matches nothing is a false positive; a gold attribution that nothing
  matches is a false negative. Matching is not one-to-one: several predictions may match one gold
  attribution.
- Discontinuous spans are lists of pieces (Citron's ``sources``/``contents`` lists).

**Overlap** (``get_quote_overlap_counts_and_lengths`` and ``get_overlap_scores``): token counts,
not a match/no-match decision. Per role, precision = overlapping tokens / predicted tokens and
recall = overlapping tokens / gold tokens, both summed over all documents before dividing.

**Precision, recall, F1** (``get_exact_scores``, ``get_overlap_scores``): counts are summed over
documents (micro average), then precision and recall divided, and F1 = 2PR / (P + R). Zero
division gives 0.0: with no predictions precision is 0.0, with no gold recall is 0.0, and F1 is
0.0 when both are. So a role with neither gold nor predictions scores 0.0, not 1.0.

Deviations, and why:

1. *Tokeniser*: a regular expression instead of spaCy ``en_core_web_sm``, so the scorer needs no
   model and gives the same tokens everywhere. Counts differ a little from Citron's (spaCy splits
   ``don't`` into two tokens and keeps ``U.S.`` as one; here it is ``U . S .``). A span that starts
   in the whitespace after a token does not take that token in, as Citron's character index
   does (``_get_character_index`` maps trailing whitespace to the token before it).
2. *A span is the set of tokens it covers.* Citron compares piece lists in order
   (``are_matching_span_lists``); here two spans match when they cover the same tokens, so piece
   order and a split between two adjacent tokens do not matter. A span covering no token (empty or
   whitespace only) matches nothing.
3. *Cue overlap is symmetric*: shared tokens. Citron's ``are_overlapping_spans`` tests
   ``span1.start <= span2.end and span1.end > span2.start``, which also lets a cue touch the gold
   cue that ends right before it, but not the one that starts right after it.
4. *Recall counts gold matches.* Citron computes exact recall as tp / (tp + fn) with tp counted
   over predictions and fn over gold, so a prediction repeated three times counts three true
   positives and raises recall. Here exact precision = matched predictions / predictions and exact
   recall = matched gold / gold; the two agree when no two predictions match the same gold.
5. *Overlap is a bag intersection.* Citron sums the token overlap of every predicted attribution
   with every gold attribution of the document, which counts a token once per pair: when two
   gold attributions share tokens of a role (one source span linked to several cues, nested
   contents), gold scored against itself goes above 1.0 (source overlap precision 1.094 on PolNeAR
   dev). Here each role is a bag of tokens per document (a
   token counts once per attribution covering it) and overlap is the bag intersection: the
   per-token minimum of the predicted and gold counts. It equals Citron's sum when no two
   attributions on the same side share a token of that role.
6. *Missing source.* Citron's gold data has a source on every attribution (the PARC extractor
   drops the rest). Here source scores use only attributions that have a source on that side: a
   gold attribution without one is not in the source recall denominator, a prediction without one
   is not in the source precision denominator. Leaving out a source lowers source recall only;
   inventing one where gold has none lowers source precision.
7. Citron also scores whole attributions ("All Quote Spans"); that is not computed here (and its
   overlap call passes the predicted and gold lengths the wrong way round, swapping its precision
   and recall; F1 is unchanged).

The metric names (``{source,cue,content}_{exact,overlap}_{precision,recall,f1}``) are a contract:
see :data:`METRIC_NAMES`. Gold is read by :mod:`claimtrack.evals.brat`
(:func:`~claimtrack.evals.brat.load_polnear_gold` for a PolNeAR split); everything here is pure.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from claimtrack.evals.brat import Attribution, GoldDocument, Span
from claimtrack.extraction.models import Item

ROLES = ("source", "cue", "content")
MATCHES = ("exact", "overlap")
MEASURES = ("precision", "recall", "f1")
METRIC_NAMES: tuple[str, ...] = tuple(
    f"{role}_{match}_{measure}" for role in ROLES for match in MATCHES for measure in MEASURES
)
COUNT_NAMES = (
    "documents",
    "gold_attributions",
    "predicted_attributions",
    "gold_attributions_without_source",
    "predicted_attributions_without_source",
)

_TOKEN = re.compile(r"\w+|[^\w\s]")

Tokens = frozenset[int]


class Tokenizer:
    """The tokens of one text, and the token indices a character span covers."""

    def __init__(self, text: str) -> None:
        found = [match.span() for match in _TOKEN.finditer(text)]
        self._starts = [start for start, _ in found]
        self._ends = [end for _, end in found]

    def __len__(self) -> int:
        return len(self._starts)

    def covered(self, spans: Iterable[Span]) -> Tokens:
        """Indices of the tokens sharing at least one character with any of ``spans``."""
        indices: set[int] = set()
        for span in spans:
            first = bisect.bisect_right(self._ends, span.start)
            after_last = bisect.bisect_left(self._starts, span.end)
            indices.update(range(first, after_last))
        return frozenset(indices)


@dataclass(frozen=True, slots=True)
class _Tokenized:
    source: Tokens  # empty when there is no source
    cue: Tokens
    content: Tokens

    def role(self, name: str) -> Tokens:
        value: Tokens = getattr(self, name)
        return value


@dataclass(slots=True)
class RoleCounts:
    """Counts behind one role's scores; add documents' counts together, then call :meth:`scores`."""

    predicted: int = 0
    predicted_matched: int = 0
    gold: int = 0
    gold_matched: int = 0
    predicted_tokens: int = 0
    gold_tokens: int = 0
    overlap_tokens: int = 0

    def add(self, other: RoleCounts) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))

    def scores(self, role: str) -> dict[str, float]:
        exact = _prf(self.predicted_matched, self.predicted, self.gold_matched, self.gold)
        overlap = _prf(
            self.overlap_tokens, self.predicted_tokens, self.overlap_tokens, self.gold_tokens
        )
        named: dict[str, float] = {}
        for match, values in (("exact", exact), ("overlap", overlap)):
            for measure, value in zip(MEASURES, values, strict=True):
                named[f"{role}_{match}_{measure}"] = value
        return named


def score_attributions(
    gold: Sequence[GoldDocument], predicted: Mapping[str, Sequence[Attribution]]
) -> dict[str, float]:
    """Precision, recall and F1 of ``predicted`` against ``gold``, exact and overlap, per role.

    ``predicted`` maps a gold document's name to the attributions predicted for it, with offsets
    into that document's text; a gold document missing from it has no predictions. Returns the
    18 :data:`METRIC_NAMES` and the :data:`COUNT_NAMES` counts. With no predictions, precision is
    0.0 (and so is F1); see the module docstring for every definition.

    Raises :class:`ValueError` for predictions naming a document that is not in ``gold``, or for
    two gold documents with one name.
    """
    names = [document.name for document in gold]
    if len(set(names)) != len(names):
        raise ValueError("gold documents must have distinct names")
    unknown = sorted(set(predicted) - set(names))
    if unknown:
        raise ValueError(f"predictions for documents not in gold: {', '.join(unknown)}")
    totals = {role: RoleCounts() for role in ROLES}
    result: dict[str, float] = dict.fromkeys(COUNT_NAMES, 0)
    for document in gold:
        predictions = predicted.get(document.name, ())
        for role, counts in count_document(document, predictions).items():
            totals[role].add(counts)
        result["gold_attributions"] += len(document.attributions)
        result["predicted_attributions"] += len(predictions)
        result["gold_attributions_without_source"] += _without_source(document.attributions)
        result["predicted_attributions_without_source"] += _without_source(predictions)
    result["documents"] = len(gold)
    scores: dict[str, float] = {}
    for role in ROLES:
        scores.update(totals[role].scores(role))
    return scores | result


def count_document(
    document: GoldDocument, predictions: Sequence[Attribution]
) -> dict[str, RoleCounts]:
    """Per role, the exact-match and token-overlap counts of one document's predictions."""
    tokenizer = Tokenizer(document.text)
    gold = [_tokenize(attribution, tokenizer) for attribution in document.attributions]
    guessed = [_tokenize(attribution, tokenizer) for attribution in predictions]
    counts = {}
    for role in ROLES:
        counts[role] = _count_role(role, guessed, gold)
    return counts


def _count_role(role: str, predicted: list[_Tokenized], gold: list[_Tokenized]) -> RoleCounts:
    if role == "source":  # deviation 6: only attributions with a source take part
        predicted = [item for item in predicted if item.source]
        gold = [item for item in gold if item.source]

    def matches(guess: _Tokenized, truth: _Tokenized) -> bool:
        mine, theirs = guess.role(role), truth.role(role)
        if not mine or mine != theirs:
            return False
        return role == "cue" or bool(guess.cue & truth.cue)

    predicted_bag = _bag(item.role(role) for item in predicted)
    gold_bag = _bag(item.role(role) for item in gold)
    return RoleCounts(
        predicted=len(predicted),
        predicted_matched=sum(any(matches(p, g) for g in gold) for p in predicted),
        gold=len(gold),
        gold_matched=sum(any(matches(p, g) for p in predicted) for g in gold),
        predicted_tokens=predicted_bag.total(),
        gold_tokens=gold_bag.total(),
        overlap_tokens=(predicted_bag & gold_bag).total(),
    )


def _tokenize(attribution: Attribution, tokenizer: Tokenizer) -> _Tokenized:
    return _Tokenized(
        source=tokenizer.covered(attribution.source or ()),
        cue=tokenizer.covered(attribution.cue),
        content=tokenizer.covered(attribution.content),
    )


def _bag(token_sets: Iterable[Tokens]) -> Counter[int]:
    bag: Counter[int] = Counter()
    for tokens in token_sets:
        bag.update(tokens)
    return bag


def _without_source(attributions: Sequence[Attribution]) -> int:
    return sum(1 for attribution in attributions if not attribution.source)


def _prf(
    predicted_hits: int, predicted: int, gold_hits: int, gold: int
) -> tuple[float, float, float]:
    precision = predicted_hits / predicted if predicted else 0.0
    recall = gold_hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def items_to_attributions(items: Iterable[Item]) -> list[Attribution]:
    """Extracted claims as attributions to score: source = speaker span, cue = cue span, content
    = the claim's span.

    Claims without a cue span and commitments are left out (a commitment someone reported is also
    a claim). Claims with the same speaker and cue spans are one attribution whose content has
    several pieces, as ``"A," she said. "B."`` is in the gold. Attributions come out in the order
    of their first item.
    """
    grouped: dict[tuple[tuple[int, int] | None, tuple[int, int]], list[Item]] = {}
    for item in items:
        if item.kind != "claim" or item.cue_span is None:
            continue
        source = (item.speaker_span.start, item.speaker_span.end) if item.speaker_span else None
        key = (source, (item.cue_span.start, item.cue_span.end))
        grouped.setdefault(key, []).append(item)
    attributions = []
    for (source, cue), members in grouped.items():
        content = tuple(sorted({Span(item.span.start, item.span.end) for item in members}))
        attributions.append(
            Attribution(
                source=(Span(*source),) if source else None,
                cue=(Span(*cue),),
                content=content,
            )
        )
    return attributions
