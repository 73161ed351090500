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
from datetime import date
from pathlib import Path

import numpy as np

from claimtrack.statuses import NEEDS_A_FACT, status_for
from claimtrack.store import trackings as rows
from claimtrack.tracking.evidence import ArticleToTrack, judgement_on
from claimtrack.tracking.relatedness import (
    PairScore,
    RelatednessModel,
    fitted_model,
    score_pairs,
)
from claimtrack.tracking.relations import (
    SAME_WORDS,
    claim_relation,
    commitment_relation,
    condition_reported,
    quote_long_enough,
    restates,
)
from claimtrack.tracking.retrieval import name_keys, names_match, terms
from claimtrack.tracking.signals import (
    FEATURES,
    ItemProfile,
    ItemView,
    SentenceProfile,
    article_features,
    committed_action,
    described_in,
    evidence_spans,
    similarity,
)

_SOURCES = (
    "rules.py",
    "retrieval.py",
    "signals.py",
    "relations.py",
    "relatedness.py",
    "factuality.py",
    "factuality_words.py",
    "factuality_cues.py",
    "meaning.py",
    "events.toml",
    "judge-model.json",
)
WORDS = FEATURES.index("words")
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
    sentence: int | None = None  # which of the article's sentences is the evidence
    probability: float = 0.0  # that the article speaks about the item


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


def _signals(score: PairScore, features: np.ndarray) -> str:
    """The reviewer's summary of why: the probability and the evidence sentence's signals."""
    named = dict(zip(FEATURES, features, strict=True))
    text = f"p {score.probability:.2f}: meaning {named['meaning']:.2f}, words {named['words']:.2f}"
    if named["event"]:
        text += ", its kind of event"
    if named["named"]:
        text += ", names it"
    if named["numbers"]:
        text += ", its numbers"
    return text


def _relation(
    view: ItemView,
    profile: ItemProfile,
    sentence: SentenceProfile,
    signals: Mapping[str, float],
    same_speaker_items: bool,
) -> tuple[str, str]:
    # who did it, or what it was done to; a description ("the council") only in a sentence
    # about the same thing
    described = signals["words"] >= SAME_WORDS and described_in(profile, sentence)
    named = bool(signals["named"] or signals["entities"] >= 0.5 or described)
    if view.kind == "commitment":
        found = commitment_relation(
            profile,
            sentence,
            condition_met=signals["condition"],
            condition_min=CONDITION_MIN,
            named=named,
            words=signals["words"],
        )
    else:
        same = _same_speaker(view, sentence.text, same_speaker_items)
        found = claim_relation(
            profile, sentence, same_speaker=same, named=named, words=signals["words"]
        )
    return found.relation, found.reason


def judge_article(
    text: str,
    spans: Sequence[tuple[int, int]],
    items: Sequence[rows.TrackedItem],
    *,
    own_speakers: set[str],
    idf: Mapping[str, float],
    model: RelatednessModel | None = None,
    published: date | None = None,
    own_items: Sequence[rows.ArticleItem] = (),
) -> list[tuple[str, RulesVerdict, tuple[int, int]]]:
    """The ``items`` the article ``text`` (its sentences at ``spans``) speaks about, best first,
    with their verdict and evidence span: every one whose relation the cues and factuality
    decide, and at most the model's ``per_article`` left as ``mentions`` (never an item
    whose quote is a word or two: :func:`quote_long_enough`).

    ``own_speakers``: the name keys of the speakers of the article's own items (a claim is
    repeated or walked back by its own speaker); ``published``: the article's date (a
    commitment reported done after its deadline is left to the reviewer: done in time or
    late, the article alone does not say); ``own_items``: those items with their spans, so that
    a claim's speaker counts as saying only the sentences they are found saying (another's
    sentence on the same subject is no repeat by them)."""
    spans = evidence_spans(text, spans)
    if not spans or not items:
        return []
    model = model or fitted_model()
    sentences = [SentenceProfile.of(text[start:end]) for start, end in spans]
    views = [ItemView.from_row(item) for item in items]
    # a conditional commitment still waiting is read twice: as itself, and as its condition
    # ("once a ceasefire is reached"), an event of its own that a later article may report
    waiting = [i for i, view in enumerate(views) if view.condition and _waits(view)]
    conditions = [_condition_view(views[i]) for i in waiting]
    profiles = [ItemProfile.of(view) for view in [*views, *conditions]]
    cosines = similarity([*views, *conditions], [sentence.text for sentence in sentences])
    rows, named_article = article_features(profiles, sentences, cosines, article_text=text, idf=idf)
    scores, odds = score_pairs(model, rows, named_article)
    speakers_at = _speakers_by_sentence(spans, own_items)
    condition_of = {i: len(views) + n for n, i in enumerate(waiting)}
    verdicts: list[tuple[bool, float, str, RulesVerdict, tuple[int, int]]] = []
    for i, view in enumerate(views):
        verdict = None
        if i in condition_of:
            condition = condition_of[i]
            verdict = _trigger(
                view,
                profiles[i],
                sentences,
                scores[condition],
                odds[condition],
                model,
                about_item=scores[i].probability >= model.link,
                condition_words=rows[condition, :, WORDS],
            )
        if verdict is None and scores[i].probability < model.link:
            verdict = _done_below_link(view, profiles[i], sentences, rows[i], scores[i], published)
        elif verdict is None:
            score = scores[i]
            number = score.sentence
            same = _says_it(view, number, speakers_at, own_speakers)
            signals = dict(zip(FEATURES, (float(v) for v in rows[i, number]), strict=True))
            relation, why = _relation(view, profiles[i], sentences[number], signals, same)
            again = (
                _restated_by_speaker(
                    profiles[i], odds[i], rows[i, :, WORDS], speakers_at, sentences
                )
                if relation == "mentions"
                else None
            )
            if again is not None and again != number:
                # the best sentence decides nothing; the speaker's own restatement does
                number, same = again, True
                signals = dict(zip(FEATURES, (float(v) for v in rows[i, number]), strict=True))
                relation, why = _relation(view, profiles[i], sentences[number], signals, same)
            by_name = bool(signals["named"] or signals["entities"] >= 0.5) or same
            if relation == "repeats" and not _mostly_the_item(
                profiles[i], sentences[number], named=by_name
            ):
                relation = "mentions"
                why = f"said again? ({why}), but the sentence says much else: for the reviewer"
            if relation in LATE_IF_PAST_DEADLINE and _past_deadline(view, published):
                relation = "mentions"
                why = f"reported done ({why}), but after its deadline {view.deadline}: in time?"
            reason = f"{why} ({_signals(score, rows[i, number])})"
            verdict = RulesVerdict(
                relation, status_for(relation, view.kind), reason, number, score.probability
            )
        if verdict is not None and verdict.sentence is not None:
            close = _close(profiles[i], sentences[verdict.sentence], rows[i, verdict.sentence])
            verdicts.append((close, verdict.probability, view.id, verdict, spans[verdict.sentence]))
    verdicts.sort(key=lambda found: (-found[1], found[2]))  # best first
    twins = _twins({view.id: view for view in views}, [(v[2], v[4]) for v in verdicts])
    # an item of a word or two ("bankruptcy", "The new iPhone") tells no event of its kind
    # from another, nor a reviewer what it was: it takes no slot
    fragments = {view.id for i, view in enumerate(views) if not quote_long_enough(profiles[i])}
    # the uncertain ones, a few an article: the close restatements first, then by probability,
    # so that the cap keeps what the article says of an item in so many words before what it
    # says about the same subject
    uncertain = sorted(
        (
            v
            for v in verdicts
            if v[3].relation == "mentions" and v[2] not in twins and v[2] not in fragments
        ),
        key=lambda found: (not found[0], -found[1], found[2]),
    )
    capped = {item_id for _, _, item_id, _, _ in uncertain[: model.per_article]}
    return [
        (item_id, verdict, span)
        for _, _, item_id, verdict, span in verdicts
        if verdict.relation != "mentions" or item_id in capped
    ]


_DONE_BELOW_LINK = NEEDS_A_FACT - {"triggers"}


def _done_below_link(
    view: ItemView,
    profile: ItemProfile,
    sentences: Sequence[SentenceProfile],
    signals: np.ndarray,
    score: PairScore,
    published: date | None,
) -> RulesVerdict | None:
    """A commitment reported carried out (``fulfils``, ``finalizes``) in an article the pair
    model finds less likely than ``link`` to speak about it: the probability decides which
    uncertain mentions are worth a reviewer's look, but a done-relation the rules establish
    (its actor named, its own kind of event, reported done with nothing planned, possible or
    conditional in the sentence) is evidence of its own. "The union would hold a ballot within
    three weeks" and "The ballot was held over the past week ..., SPF chairman Jonas Berg said"
    scored p 0.63 against a link of 0.63. None for anything else (no mention is added), and
    for ``triggers``: a condition met ("once a ceasefire is reached") in an article about
    something else may be another's (the trigger has its own path, :func:`_trigger`)."""
    at = dict(zip(FEATURES, (float(v) for v in signals[score.sentence]), strict=True))
    if view.kind != "commitment" or not at["event"]:
        return None
    if not (at["named"] or at["entities"] >= 0.5):
        return None
    relation, why = _relation(view, profile, sentences[score.sentence], at, False)
    if relation not in _DONE_BELOW_LINK or (
        relation in LATE_IF_PAST_DEADLINE and _past_deadline(view, published)
    ):
        return None  # a late one is left to the reviewer above the link only
    reason = f"{why} ({_signals(score, signals[score.sentence])})"
    status = status_for(relation, view.kind)
    return RulesVerdict(relation, status, reason, score.sentence, score.probability)


def _close(profile: ItemProfile, sentence: SentenceProfile, signals: np.ndarray) -> bool:
    """Whether ``sentence`` says the item again in so many words: it is mostly the item
    (:func:`_mostly_the_item`), and has half the item's words, or half the words of what a
    commitment's actor is to do ("the US will lead the monitoring of any ceasefire" for "the
    plans included having the United States take the lead in monitoring any ceasefire
    agreement")."""
    named = dict(zip(FEATURES, (float(v) for v in signals), strict=True))
    if not _mostly_the_item(profile, sentence, named=bool(named["named"])):
        return False
    if named["words"] >= SAME_WORDS:
        return True
    if profile.item.kind != "commitment":
        return False
    action = set(terms(committed_action(profile.item)))
    return bool(action) and len(action & sentence.terms) >= SAME_WORDS * len(action)


SENTENCE_SHARE = 0.25  # the least share of its words a sentence must have of an item it says again


def _mostly_the_item(profile: ItemProfile, sentence: SentenceProfile, *, named: bool) -> bool:
    """Whether ``sentence`` may be linked to the item as said again without review: it names
    the item's speaker, actor or most of its other names (by name, not by a description: "37
    countries" is not "those countries"), or its speaker is found saying it; and a quarter of
    its own words are the item's quote's. "Bush ... said markets were driven by uncertainty and
    fear" shares "economy" with his "pivotal moment for America's economy", and "Steve Jobs
    has chosen to step down from his post as CEO" "company" and "CEO" with "he will still be
    the company's CEO": each says much else, and is not the item said again. The quote's words
    count, not the standalone text's (its speaker's name is in every sentence that names them);
    a quote of a few words ("The new iPhone") is too little to tell."""
    if not named or not quote_long_enough(profile):
        return False
    own = set(profile.quote_terms)
    return bool(sentence.terms) and len(own & sentence.terms) >= SENTENCE_SHARE * len(
        sentence.terms
    )


TWIN_WORDS = 0.6  # the share of the shorter quote's words that makes two items one statement


def _twins(
    views: Mapping[str, ItemView], linked: Sequence[tuple[str, tuple[int, int]]]
) -> set[str]:
    """The items whose ``mentions`` would say again what another linked item says: a claim and
    the commitment read from the same words of the same article ("Starmer said that once a
    ceasefire is reached, Britain and France will establish hubs" and "Once a ceasefire is
    reached, Britain and France will establish hubs"), on the same evidence. Of each such pair
    the commitment is kept (its status is what a later article moves), of two claims the more
    probable (``linked`` is best first)."""
    dropped: set[str] = set()
    for n, (first, span) in enumerate(linked):
        for second, other_span in linked[n + 1 :]:
            if span != other_span or {first, second} & dropped:
                continue
            a, b = views[first], views[second]
            if a.article is None or a.article != b.article or not _same_words(a.quote, b.quote):
                continue
            dropped.add(first if a.kind == "claim" and b.kind == "commitment" else second)
    return dropped


def _same_words(quote: str, other: str) -> bool:
    words, others = set(terms(quote)), set(terms(other))
    shorter = min(len(words), len(others))
    return bool(shorter) and len(words & others) >= TWIN_WORDS * shorter


LATE_IF_PAST_DEADLINE = frozenset({"fulfils", "finalizes"})


def _speakers_by_sentence(
    spans: Sequence[tuple[int, int]], own_items: Sequence[rows.ArticleItem]
) -> list[list[set[str]]]:
    """For each sentence, the name keys of the speakers of the article's own items in it."""
    found: list[list[set[str]]] = [[] for _ in spans]
    for own in own_items:
        keys = name_keys(own.speaker)
        for number, (start, end) in enumerate(spans):
            if keys and own.span[0] < end and start < own.span[1]:
                found[number].append(keys)
    return found


def _says_it(
    view: ItemView,
    number: int,
    speakers_at: Sequence[Sequence[set[str]]],
    own_speakers: set[str],
) -> bool:
    """Whether the item's speaker says sentence ``number`` of the article, as far as the
    article's own items tell: a sentence another speaker says is not the item's speaker
    repeating it ("Zelensky said the guarantees document was ready" is no repeat of Witkoff's
    claim on the guarantees), one nobody is found saying may still name the speaker
    (:func:`_same_speaker`). Without own items (an eval's lone item), whether the article is
    the speaker's decides."""
    keys = name_keys(view.speaker)
    if not keys or not names_match(keys, own_speakers):
        return False
    if not any(speakers_at):
        return True
    return any(names_match(keys, found) for found in speakers_at[number])


def _restated_by_speaker(
    profile: ItemProfile,
    odds: np.ndarray,
    words: np.ndarray,
    speakers_at: Sequence[Sequence[set[str]]],
    sentences: Sequence[SentenceProfile],
) -> int | None:
    """The sentence in which a claim's own speaker restates it (half its words, or a quarter
    where the sentence says it is said again: "Macron said again that ..."), the sentence model
    finding it about the claim at even odds or better; the best such, or None."""
    view = profile.item
    keys = name_keys(view.speaker)
    if view.kind != "claim" or not keys:
        return None
    theirs = [
        n
        for n, found in enumerate(speakers_at)
        if restates(profile, sentences[n].text, float(words[n]))
        and any(names_match(keys, k) for k in found)
    ]
    if not theirs:
        return None
    chosen = max(theirs, key=lambda n: float(odds[n]))
    return chosen if odds[chosen] >= 0.0 else None


def _past_deadline(view: ItemView, published: date | None) -> bool:
    return view.deadline is not None and published is not None and published > view.deadline


def _waits(view: ItemView) -> bool:
    return view.kind == "commitment" and view.status in (None, "awaiting_trigger", "pending")


def _condition_view(view: ItemView) -> ItemView:
    condition = view.condition or ""
    return ItemView(view.id, "claim", condition, condition, None, (), None, None, None)


def _trigger(
    view: ItemView,
    profile: ItemProfile,
    sentences: Sequence[SentenceProfile],
    score: PairScore,
    odds: np.ndarray,
    model: RelatednessModel,
    *,
    about_item: bool = False,
    condition_words: np.ndarray | None = None,
) -> RulesVerdict | None:
    """``triggers`` when the article speaks about the commitment's condition (its own pair
    score) and one of the sentences about it (at even odds or better, the likeliest first)
    reports it as having happened: "US officials started monitoring the ceasefire line" may be
    the best sentence about "once a ceasefire is reached", and "a ceasefire took effect at
    midnight" the one that reports it. In an article about the commitment itself
    (``about_item``), a sentence with half the condition's words (``condition_words``, per
    sentence) is about it too, whatever the condition's own score: "once creditors approve
    the restructuring" and "Nordwind's creditors approved the airline's restructuring plan on
    Tuesday" (p 0.45: a condition names no one). None otherwise."""
    about = [n for n in np.argsort(-odds, kind="stable") if odds[n] >= 0.0 or n == score.sentence]
    if score.probability < model.link:
        if not about_item or condition_words is None:
            return None
        about = [n for n in np.argsort(-condition_words, kind="stable")
                 if condition_words[n] >= SAME_WORDS]  # fmt: skip
    for number in (int(n) for n in about):
        if condition_reported(profile, sentences[number]) is None:
            continue
        reason = (
            f"its condition reported as having happened (p {score.probability:.2f} that the "
            f"sentence speaks about the condition)"
        )
        return RulesVerdict(
            "triggers", status_for("triggers", view.kind), reason, number, score.probability
        )
    return None


def judge_sentences(
    item: rows.TrackedItem,
    sentences: Sequence[str],
    *,
    same_speaker_items: bool = False,
    idf: Mapping[str, float],
    published: date | None = None,
) -> RulesVerdict:
    """The relation an article made of ``sentences`` (joined by spaces), published on
    ``published``, bears to one ``item``."""
    text = " ".join(sentences)
    spans, start = [], 0
    for sentence in sentences:
        spans.append((start, start + len(sentence)))
        start += len(sentence) + 1
    speakers = name_keys(item.speaker_canonical or item.speaker)
    found = judge_article(
        text,
        spans,
        [item],
        own_speakers=speakers if same_speaker_items else set(),
        idf=idf,
        published=published,
    )
    if not found:
        return RulesVerdict("unrelated", None, "does not speak about it")
    return found[0][1]


def judge(
    item: rows.TrackedItem,
    sentence: str,
    *,
    same_speaker_items: bool,
    idf: Mapping[str, float],
) -> RulesVerdict:
    """The relation one ``sentence`` of a later article bears to ``item``."""
    return judge_sentences(item, [sentence], same_speaker_items=same_speaker_items, idf=idf)


def judge_with_rules(article: ArticleToTrack, idf: dict[str, float]) -> list[rows.Judgement]:
    """The judgements of :func:`judge_article` on the candidates of ``article``."""
    speakers: set[str] = set()
    for own in article.own_items:
        speakers |= name_keys(own.speaker)
    hits = {hit.item.id: hit for hit in article.hits if hit.item.id in article.items}
    verdicts = judge_article(
        article.text,
        article.sentences,
        [article.items[item_id] for item_id in hits],
        own_speakers=speakers,
        idf=idf,
        published=article.order.published,
        own_items=article.own_items,
    )
    return [
        judgement_on(
            article,
            hits[item_id],
            relation=verdict.relation,
            to_status=verdict.to_status,
            span=span,
            reason=verdict.reason,
        )
        for item_id, verdict, span in verdicts
    ]
