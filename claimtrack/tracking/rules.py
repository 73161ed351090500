"""The offline tracking judge: speaker and lexical matching with cue words.

Deterministic and deliberately plain — the baseline every tracking prompt must beat. For each
candidate item, the sentence of the later article that matches it best (see ``retrieval``) is the
evidence when it shares enough of the item's words (weighted by how rare they are); its cue words
decide the relation:

- commitments: signed / approved / finalized → ``finalizes``; completed / delivered, or the
  commitment's own verb in the past tense ("will cut 30,000 jobs" → "cut 30,000 jobs") →
  ``fulfils``; rejected / failed / voted down → ``contradicts``; cancelled / abandoned / withdrew
  → ``retracts``; postponed / delayed / suspended → ``stalls``; began / started → ``advances``;
  for a conditional commitment, its condition's words with a completed-event cue → ``triggers``;
- claims: the same speaker with a walking-back cue (retracted, withdrew, apologised, backed down) →
  ``retracts``; denied / disputed / false / refuted → ``contradicts``; confirmed / verified, or a
  close restatement by another source → ``corroborates``; a close restatement by the same speaker
  → ``repeats`` (a link, not a proposal).

Anything else is ``unrelated``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from claimtrack.statuses import status_for
from claimtrack.store import trackings as rows
from claimtrack.tracking.evidence import ArticleToTrack, judgement_on
from claimtrack.tracking.retrieval import name_keys, names_match, terms


def _cue(*words: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)


FINALIZE = _cue(
    r"signed", r"sign(?:s|ing)? off", r"approved", r"finali[sz]ed", r"ratified", r"passed",
    r"sealed", r"agreed to (?:the )?(?:deal|terms)", r"reached (?:an|a final) (?:agreement|deal)",
    r"completed (?:the|its) (?:deal|sale|purchase|acquisition|merger)", r"closed the deal",
)  # fmt: skip
FULFIL = _cue(
    r"completed", r"delivered", r"fulfill?ed", r"carried out", r"implemented", r"has now",
    r"went ahead", r"finished",
)  # fmt: skip
CONTRADICT = _cue(
    r"rejected", r"denied", r"denies", r"refused", r"failed", r"fails", r"voted (?:down|against)",
    r"blocked", r"ruled out", r"disputed", r"refuted", r"(?:is|was) (?:not|untrue|false)",
    r"contrary to", r"collapsed",
)  # fmt: skip
RETRACT = _cue(
    r"cancell?ed", r"abandon(?:ed|s)", r"scrapped", r"withdr[ea]w[n]?",
    r"dropped (?:the|its|their|his|her|a) (?:plan|bid|offer|proposal|deal|idea|claim|pledge)",
    r"backed (?:out|down|away)", r"reversed", r"retracted", r"called off", r"walked back",
    r"apologi[sz]ed",
)  # fmt: skip
STALL = _cue(
    r"postponed", r"delayed", r"stalled", r"suspended", r"put on hold", r"deferred", r"halted",
    r"pushed back",
)  # fmt: skip
ADVANCE = _cue(
    r"began", r"begun", r"started", r"under ?way", r"in progress", r"moved forward",
    r"first phase", r"is proceeding",
)  # fmt: skip
CORROBORATE = _cue(r"confirmed", r"confirms", r"verified", r"corroborated", r"as predicted")
HAPPENED = _cue(
    r"was reached", r"were reached", r"has been reached", r"had been reached", r"reached",
    r"agreed", r"took effect", r"came into (?:force|effect)", r"was signed", r"was declared",
    r"happened", r"occurred", r"has been", r"was announced", r"ended",
)  # fmt: skip


def _version() -> str:
    """Changes whenever these rules change, so a changed judge tracks articles again."""
    from pathlib import Path

    source = Path(__file__).read_bytes() + Path(__file__).with_name("retrieval.py").read_bytes()
    return hashlib.sha256(source).hexdigest()[:8]


RULES_TRACK_VERSION = _version()

MATCH = 0.35  # share of the item's (idf-weighted) words the evidence must contain for a cue
RESTATES = 0.6  # ... and for a restatement without a cue
CONDITION_MATCH = 0.5  # share of the condition's words for a trigger
MATCH_NAMED = 0.3  # ... when the evidence names the item's speaker or actor
MIN_TERMS = 4  # an item with fewer content words ("Tom LaSorda") is too short to match on words
_NOT_DONE = re.compile(
    r"\b(?:will|would|shall|should|could|may|might|must|to|plans?|planned|expected|set)\s+"
    r"(?:\w+\s+){0,2}$"
)

_IRREGULAR_PAST = {
    "buy": "bought", "sell": "sold", "cut": "cut", "pay": "paid", "make": "made",
    "take": "took", "give": "gave", "build": "built", "close": "closed", "shut": "shut",
    "lay": "laid", "spend": "spent", "send": "sent", "hold": "held", "win": "won",
    "lose": "lost", "leave": "left", "set": "set", "put": "put", "bring": "brought",
    "meet": "met", "run": "ran", "begin": "began", "become": "became", "raise": "raised",
    "seek": "sought", "file": "filed", "go": "went", "get": "got", "fall": "fell",
    "rise": "rose", "see": "saw", "come": "came", "grow": "grew", "drive": "drove",
    "strike": "struck", "break": "broke", "choose": "chose", "speak": "spoke",
}  # fmt: skip


_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z][\w'’-]{4,}")  # a surname another outlet spells


@dataclass(frozen=True)
class RulesVerdict:
    relation: str
    to_status: str | None
    reason: str


def _past_forms(verb: str) -> set[str]:
    verb = verb.lower()
    forms = {_IRREGULAR_PAST.get(verb, "")}
    if verb.endswith("e"):
        forms.add(verb + "d")
    elif verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        forms.add(verb[:-1] + "ied")
    else:
        forms.add(verb + "ed")
        if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", verb):
            forms.add(verb + verb[-1] + "ed")
    return {form for form in forms if form}


_DATES = re.compile(
    r"\b(?:as reported |reported )?on \d{1,2} \w+ \d{4}\b|\(deadline [^)]*\)|\(reported [^)]*\)"
    r"|\bin (?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december) \d{4}\b",
    re.IGNORECASE,
)
_INTENT = re.compile(
    r"\b(?:will|would|shall|to|plans? to|planned to|intends? to|agreed to|pledged to)\s+"
    r"(?:also\s+|soon\s+|not\s+)?(?P<verb>[a-z]+)",
    re.IGNORECASE,
)


def _intended(quote: str) -> str | None:
    """The verb of what the quote says will be done: "GM will close 1,100 dealers" -> "close"."""
    for found in _INTENT.finditer(quote):
        verb = found["verb"].lower()
        if verb not in {"be", "have", "the", "a", "an"}:
            return verb
    return None


def _main_verb(action: str | None) -> str | None:
    if not action:
        return None
    words: list[str] = re.findall(r"[A-Za-z]+", action)
    for word in words[:3]:
        if word.lower() not in {"also", "reportedly", "soon", "then", "not", "be", "to"}:
            return word
    return None


def _done(condition: str, sentence: str) -> re.Match[str] | None:
    """A verb of ``condition`` in the past tense in ``sentence`` ("falls" -> "fell")."""
    lowered = sentence.lower()
    for word in re.findall(r"[a-z]+", condition.lower()):
        base = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
        for form in sorted(_past_forms(base)):
            for found in re.finditer(rf"\b{re.escape(form)}\b", lowered):
                if not _NOT_DONE.search(lowered[: found.start()]):
                    return found
    return None


def coverage(item_terms: Sequence[str], evidence_terms: set[str], idf: dict[str, float]) -> float:
    """The idf-weighted share of the item's words that appear in the evidence."""
    wanted = set(item_terms)
    if not wanted:
        return 0.0
    total = sum(idf.get(word, 1.0) for word in wanted)
    found = sum(idf.get(word, 1.0) for word in wanted & evidence_terms)
    return found / total if total else 0.0


def judge(
    item: dict[str, Any],
    sentence: str,
    *,
    same_speaker_items: bool,
    idf: dict[str, float],
) -> RulesVerdict:
    """The relation the ``sentence`` of a later article bears to ``item`` (its fields as
    :func:`claimtrack.store.trackings.items_by_id` gives them).

    ``same_speaker_items`` is true when the later article attributes something to the item's
    speaker (a walked-back claim needs its own speaker)."""
    kind = item["kind"]
    item_terms = terms(item["quote"])
    evidence_terms = set(terms(sentence))
    # the quote, or the standalone text (which names who and what) without its dates
    share = max(
        coverage(item_terms, evidence_terms, idf),
        coverage(terms(_DATES.sub(" ", item["text"] or "")), evidence_terms, idf),
    )
    lowered = sentence.lower()
    names = set()
    for name in (item.get("speaker_canonical"), item.get("speaker"), *(item.get("actors") or [])):
        names |= name_keys(name)
    named = any(re.search(rf"(?<!\w){re.escape(key)}(?!\w)", lowered) for key in names)
    needed = MATCH_NAMED if named else MATCH

    if len(set(item_terms)) < MIN_TERMS:
        return RulesVerdict("unrelated", None, "the item is too short to match on its words")

    def verdict(relation: str, why: str) -> RulesVerdict:
        return RulesVerdict(relation, status_for(relation, kind), f"{why} (overlap {share:.2f})")

    if kind == "commitment":
        condition = item.get("condition")
        if condition and item.get("status") == "awaiting_trigger":
            condition_share = coverage(terms(condition), evidence_terms, idf)
            cue = HAPPENED.search(sentence) or _done(condition, sentence)
            if condition_share >= CONDITION_MATCH and cue:
                return verdict("triggers", f"the condition's words with '{cue.group(0)}'")
        if share < needed:
            return RulesVerdict("unrelated", None, f"too little in common (overlap {share:.2f})")
        for pattern, relation in (
            (RETRACT, "retracts"),
            (STALL, "stalls"),
            (CONTRADICT, "contradicts"),
            (FINALIZE, "finalizes"),
            (FULFIL, "fulfils"),
            (ADVANCE, "advances"),
        ):
            cue = pattern.search(sentence)
            if cue:
                return verdict(relation, f"cue '{cue.group(0)}'")
        verb = _main_verb(item.get("action") or _intended(item["quote"]))
        if verb:
            for form in sorted(_past_forms(verb)):
                for found in re.finditer(rf"\b{re.escape(form)}\b", lowered):
                    if not _NOT_DONE.search(lowered[: found.start()]):
                        return verdict("fulfils", f"'{verb}' done: '{form}'")
        return RulesVerdict("unrelated", None, f"no cue (overlap {share:.2f})")

    # claims
    if share < needed:
        return RulesVerdict("unrelated", None, f"too little in common (overlap {share:.2f})")
    speaker_keys = name_keys(item.get("speaker_canonical") or item.get("speaker"))
    speaker_named = any(
        re.search(rf"(?<!\w){re.escape(key)}(?!\w)", lowered) for key in speaker_keys
    ) or names_match(speaker_keys, {word.lower() for word in _CAPITALISED.findall(sentence)})
    same_speaker = speaker_named or same_speaker_items
    cue = RETRACT.search(sentence)
    if cue and same_speaker:
        return verdict("retracts", f"the speaker with '{cue.group(0)}'")
    cue = CONTRADICT.search(sentence)
    if cue:
        return verdict("contradicts", f"cue '{cue.group(0)}'")
    cue = CORROBORATE.search(sentence)
    if cue:
        return verdict("corroborates", f"cue '{cue.group(0)}'")
    if share >= RESTATES:
        if same_speaker:
            return verdict("repeats", "the same speaker says it again")
        return verdict("corroborates", "another source says the same")
    return RulesVerdict("unrelated", None, f"no cue (overlap {share:.2f})")


def judge_with_rules(article: ArticleToTrack, idf: dict[str, float]) -> list[rows.Judgement]:
    """The judgements of :func:`judge` on each candidate of ``article``: for each, the first of
    the sentences that matched it best (best first) that bears a relation is the evidence."""
    speakers = set()
    for own in article.own_items:
        speakers |= name_keys(own["speaker"])
    judgements = []
    for hit in article.hits:
        item = article.items.get(hit.item.id)
        if item is None:
            continue
        item_speakers = name_keys(item["speaker_canonical"] or item["speaker"])
        same = names_match(item_speakers, speakers)
        best = None
        # the sentences that matched the item best, best first: the first with a relation wins
        for start, end in hit.sentences or (hit.sentence,):
            verdict = judge(item, article.text[start:end], same_speaker_items=same, idf=idf)
            if verdict.relation != "unrelated":
                best = (verdict, (start, end))
                break
        if best is None:
            continue
        verdict, span = best
        judgements.append(
            judgement_on(
                article,
                hit,
                relation=verdict.relation,
                to_status=verdict.to_status,
                span=span,
                reason=verdict.reason,
            )
        )
    return judgements
