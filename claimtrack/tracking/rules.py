"""The offline tracking judge: does a later article speak about an earlier item, and what does it
do to it — by meaning, names, numbers and event words, never by a model on an endpoint.

For each candidate item, every sentence of the later article is read against it
(:mod:`claimtrack.tracking.signals`); a logistic regression fitted on the tracking gold
(:mod:`claimtrack.tracking.relatedness`) gives the probability that the sentence speaks about the
item, and the best sentence is the evidence. Below the fitted ``link`` threshold the article is
taken not to speak about the item (``unrelated``: nothing is written). Above it, the relation comes
from cue words and the factuality of the evidence (:mod:`claimtrack.tracking.relations`); between
``link`` and ``decide``, or when no relation's conditions hold, the proposal is ``mentions``: the
reviewer sees the sentence and picks the relation. ``finalizes``, ``fulfils`` and ``triggers`` are
never proposed from a sentence that says the event may, will or would happen, happens only on a
condition, or did not happen.

What it cannot do: it reads one sentence at a time (an event spread over two sentences, or named
only by "it", is missed); its event words are a fixed list (``events.toml``); it has no knowledge
of the world ("the $700 billion bill" is the "plan to buy bad loans" only if the words say so).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimtrack.tracking import meaning
from claimtrack.tracking.relatedness import RelatednessModel, fitted_model
from claimtrack.tracking.relations import claim_relation, commitment_relation
from claimtrack.tracking.retrieval import name_keys, names_match
from claimtrack.tracking.signals import (
    FEATURES,
    ItemProfile,
    ItemView,
    SentenceProfile,
    named_in,
    pair_features,
)
from claimtrack.tracking.statuses import status_for

_SOURCES = (
    "rules.py",
    "retrieval.py",
    "signals.py",
    "relations.py",
    "relatedness.py",
    "factuality.py",
    "meaning.py",
    "events.toml",
    "judge-model.json",
)
CONDITION_MIN = 0.5  # share of a condition's words (its event word counting half) for a trigger


def _version() -> str:
    """Changes whenever the judge, its word lists or its fitted weights change, so a changed
    judge tracks articles again."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in _SOURCES:
        path = here / name
        if path.exists():
            digest.update(path.read_bytes())
    for path in sorted(here.glob("factuality*.json")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


RULES_TRACK_VERSION = _version()


@dataclass(frozen=True)
class RulesVerdict:
    relation: str
    to_status: str | None
    reason: str
    sentence: int | None = None  # which of the sentences given is the evidence
    probability: float = 0.0


def _same_speaker(item: ItemView, sentence: str, same_speaker_items: bool) -> bool:
    if same_speaker_items:
        return True
    keys = name_keys(item.speaker)
    if not keys:
        return False
    words = {word.strip(".,;:'’\"“”()").lower() for word in sentence.split()}
    return (
        bool(keys & words)
        or names_match(keys, {w for w in words if len(w) >= 5})
        or any(" " in key and key in sentence.lower() for key in keys)
    )


def judge_sentences(
    item: Mapping[str, Any],
    sentences: Sequence[str],
    *,
    article_text: str,
    same_speaker_items: bool,
    idf: Mapping[str, float],
    similarity: Sequence[float] | None = None,
    model: RelatednessModel | None = None,
) -> RulesVerdict:
    """The relation the article whose ``sentences`` are given bears to ``item`` (its fields as
    the store's ``items_by_id`` gives them), with the index of the evidence sentence.

    ``similarity`` is each sentence's meaning similarity to the item when already computed (a
    whole article's items at once); otherwise it is computed here."""
    model = model or fitted_model()
    view = ItemView.of(item)
    profile = ItemProfile.of(view)
    if not sentences:
        return RulesVerdict("unrelated", None, "the article has no sentences")
    if similarity is None:
        vectors = meaning.embed([view.quote, view.standalone, *sentences])
        similarity = (vectors[2:] @ vectors[:2].T).max(axis=1).tolist()
    named_article = named_in(profile, article_text)
    best, best_p, best_features = 0, -1.0, {name: 0.0 for name in FEATURES}
    profiles = [SentenceProfile.of(sentence) for sentence in sentences]
    for number, (sentence, cosine) in enumerate(zip(profiles, similarity, strict=True)):
        features = pair_features(
            profile, sentence, float(cosine), named_article=named_article, idf=idf
        )
        p = model.probability(features)
        if p > best_p:
            best, best_p, best_features = number, p, features
    return _verdict(
        view, profile, profiles[best], best, best_p, best_features, same_speaker_items, model
    )


def _verdict(
    view: ItemView,
    profile: ItemProfile,
    sentence: SentenceProfile,
    number: int,
    p: float,
    features: Mapping[str, float],
    same_speaker_items: bool,
    model: RelatednessModel,
) -> RulesVerdict:
    signals = f"p {p:.2f}: meaning {features['meaning']:.2f}, words {features['words']:.2f}"
    if features["event"]:
        signals += ", its event word"
    if features["named"]:
        signals += ", names it"
    if p < model.link:
        return RulesVerdict("unrelated", None, f"does not speak about it ({signals})", number, p)
    if p < model.decide:
        relation, why = "mentions", "may speak about it; the relation is for the reviewer"
    elif view.kind == "commitment":
        found = commitment_relation(
            profile, sentence, condition_met=features["condition"], condition_min=CONDITION_MIN
        )
        relation, why = found.relation, found.reason
    else:
        same = _same_speaker(view, sentence.text, same_speaker_items)
        found = claim_relation(profile, sentence, same_speaker=same)
        relation, why = found.relation, found.reason
    return RulesVerdict(relation, status_for(relation, view.kind), f"{why} ({signals})", number, p)


def judge(
    item: Mapping[str, Any],
    sentence: str,
    *,
    same_speaker_items: bool,
    idf: Mapping[str, float],
) -> RulesVerdict:
    """The relation one ``sentence`` of a later article bears to ``item``."""
    return judge_sentences(
        item, [sentence], article_text=sentence, same_speaker_items=same_speaker_items, idf=idf
    )


def judge_article(
    text: str,
    spans: Sequence[tuple[int, int]],
    items: Sequence[Mapping[str, Any]],
    *,
    own_speakers: set[str],
    idf: Mapping[str, float],
) -> list[tuple[str, RulesVerdict, tuple[int, int]]]:
    """Each of ``items`` judged against the article ``text`` (its sentences at ``spans``): the
    related ones, with their verdict and evidence span. The article's sentences and the items
    are embedded once each (two calls, whatever the number of items)."""
    if not spans or not items:
        return []
    sentences = [text[start:end] for start, end in spans]
    sentence_vectors = meaning.embed(sentences)
    views = [ItemView.of(item) for item in items]
    item_vectors = meaning.embed([t for view in views for t in (view.quote, view.standalone)])
    similarity = sentence_vectors @ item_vectors.T  # sentences × (2 × items)
    model = fitted_model()
    found = []
    for number, (item, view) in enumerate(zip(items, views, strict=True)):
        row = similarity[:, 2 * number : 2 * number + 2].max(axis=1).tolist()
        same = names_match(name_keys(view.speaker), own_speakers)
        verdict = judge_sentences(
            item,
            sentences,
            article_text=text,
            same_speaker_items=same,
            idf=idf,
            similarity=row,
            model=model,
        )
        if verdict.relation != "unrelated" and verdict.sentence is not None:
            found.append((view.id, verdict, spans[verdict.sentence]))
    return found
