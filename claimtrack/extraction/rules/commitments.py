"""Commitments: sentences that commit someone to something, with condition, deadline, stage."""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimtrack.extraction.grounding import Span
from claimtrack.extraction.models import Item, Stage
from claimtrack.extraction.rules.attributions import _trim_end
from claimtrack.extraction.rules.sentences import _inside, _lstrip, _rstrip, _Sentence
from claimtrack.extraction.rules.sources import _is_source, _trim_subject
from claimtrack.extraction.rules.vocabulary import (
    _AGENT_NOUNS,
    _CLAUSE_OPENER,
    _CLAUSE_WORDS,
    _CONDITION,
    _CONDITION_END,
    _DETERMINERS,
    _NON_AGENTS,
    _STRONG_BOUNDARY,
    COMMITMENT_CUES,
)


@dataclass(slots=True)
class _Commitment:
    span: Span
    cue: str
    stage: Stage
    subject: str  # as written ("Britain and France", "they", "" when there is none)
    action: str
    condition: str | None
    rule: str  # the name of the COMMITMENT_CUES pattern that found it


def _commitments_in(text: str, sentence: _Sentence) -> list[_Commitment]:
    """The commitments of one sentence, in text order; a cue inside one found already (the
    "will" of "finalize commitments that say how they will support") is part of it."""
    matches = sorted(
        (
            (match.start(), name, stage, match)
            for name, stage, pattern in COMMITMENT_CUES
            for match in pattern.finditer(text, sentence.start, sentence.end)
        ),
        key=lambda found: found[0],
    )
    found: list[_Commitment] = []
    for start, name, stage, match in matches:
        if any(commitment.span.start <= start < commitment.span.end for commitment in found):
            continue
        if name == "will" and not _commitment_will(text, sentence, match):
            continue
        commitment = _commitment(text, sentence, name, stage, match)
        if commitment is not None:
            found.append(commitment)
    return found


def _commitment_will(text: str, sentence: _Sentence, match: re.Match[str]) -> bool:
    """ "will" outside quotations (or opening one: 'France "will establish'); "would" only where
    it reports ("said they would provide")."""
    position = match.start()
    quoted = _inside(sentence.quotes, position)
    if quoted and not any(quote.start <= position <= quote.start + 2 for quote in sentence.quotes):
        return False
    if match.group().casefold().startswith("would"):
        return bool(_CLAUSE_OPENER.search(text, sentence.start, position))
    return True


def _commitment(
    text: str, sentence: _Sentence, name: str, stage: Stage, match: re.Match[str]
) -> _Commitment | None:
    clause_start = sentence.start
    for opener in _CLAUSE_OPENER.finditer(text, sentence.start, match.start()):
        clause_start = opener.end()
    condition = _condition(text, sentence, clause_start, match.start())
    subject_start = condition.end if condition is not None else clause_start
    subject_span = _commitment_subject(text, subject_start, match.start())
    subject = text[subject_span.start : subject_span.end] if subject_span else ""
    if name in ("will", "intention", "agreed_to") and not _can_commit(subject):
        return None
    if name == "will_passive":  # the subject is what is done, not who does it
        if not subject or subject.casefold() in _NOT_DONE:
            return None
        subject = ""  # the span still starts at it; no actor is named
    if condition is None:
        condition = _condition(text, sentence, match.end(), _clause_end(text, sentence, match))
    start = subject_span.start if subject_span is not None else clause_start
    if condition is not None:
        start = min(start, condition.start)
    start = _lstrip(text, start, sentence.end)
    while start < sentence.end and text[start] in "\"“”'":
        start += 1
    end = _trim_end(text, start, _clause_end(text, sentence, match))
    if end <= start:
        return None
    action = _action(text, match.start("action"), end)
    condition_text = text[condition.start : condition.end] if condition is not None else None
    return _Commitment(
        Span(start, end),
        " ".join(text[match.start() : match.start("action")].split()) or match.group(),
        "conditional" if condition_text else stage,
        subject,
        action,
        condition_text,
        name,
    )


def _commitment_subject(text: str, start: int, end: int) -> Span | None:
    """Who commits: the widest noun phrase that ends right before the cue, read as sources are
    ("The Ford Motor Company, the second-largest car maker,"; "the allies also": "the allies")."""
    end = _rstrip(text, start, end)
    while end > start and text[end - 1] in "\"“”',":
        end = _rstrip(text, start, end - 1)
    starts = [start] + [match.end() for match in _SUBJECT_START.finditer(text, start, end)]
    for position in starts:
        span = _trim_subject(text, position, end)
        if span is not None and _is_source(text, span, appositive_ok=True, max_words=15):
            return span
    return None


_SUBJECT_START = re.compile(r",\s*|" + _STRONG_BOUNDARY.pattern, re.IGNORECASE)


# Subjects of "will be built" that name nothing to be done.
_NOT_DONE = frozenset({"there", "that", "which", "what", "this", "it", "he", "she", "they", "we"})


def _can_commit(subject: str) -> bool:
    """Whether a subject can act: a person, a body, "we"/"they" (not "prices", "this")."""
    words = subject.split()
    if not words or len(words) > 25:
        return False
    if words[-1].casefold() in _NON_AGENTS or words[0].casefold() in _NON_AGENTS:
        return False
    if any(word.casefold() in _CLAUSE_WORDS - {"that"} for word in words):
        return False
    if words[-1].casefold() in ("we", "they", "i", "he", "she", "you"):
        return True
    names = [word for word in words[1:] if word[:1].isupper()]
    if words[0][:1].isupper() and words[0].casefold() not in _DETERMINERS:
        names.append(words[0])
    return bool(names) or any(_singular(word.casefold()) in _AGENT_NOUNS for word in words)


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _clause_end(text: str, sentence: _Sentence, match: re.Match[str]) -> int:
    """Where the clause after a commitment cue ends: before ", which", ", who" or the end."""
    relative = re.compile(r",?\s+(?:which|who)\s").search(text, match.end(), sentence.end)
    return relative.start() if relative else sentence.end


def _condition(text: str, sentence: _Sentence, start: int, end: int) -> Span | None:
    """A condition ("once a ceasefire is reached") in ``text[start:end]``, up to its comma."""
    match = _CONDITION.search(text, start, end)
    if match is None:
        return None
    stop = _CONDITION_END.search(text, match.end(), sentence.end)
    condition_end = stop.start() if stop else sentence.end
    condition_end = _trim_end(text, match.start(), min(condition_end, max(end, condition_end)))
    while condition_end > match.start() and text[condition_end - 1] in "\"”'":
        condition_end = _trim_end(text, match.start(), condition_end - 1)
    if len(text[match.end() : condition_end].split()) < 2:
        return None
    return Span(match.start(), condition_end)


def _actors(subject: str, reporter: Item | None) -> list[str]:
    """Who is committed: the subject as written, split at "and" when it joins two names; "they"
    or "we" is the speaker who reported the commitment."""
    cleaned = re.sub(r"\s+", " ", subject).strip(' ,"“”')
    if not cleaned:
        return []
    if cleaned.casefold() in ("they", "we", "he", "she", "i") and reporter is not None:
        who = _who(reporter)
        return [who] if who else [cleaned]
    if len(cleaned.split()) <= 6 and re.search(r"\s(?:and|&)\s", cleaned) and "," not in cleaned:
        return [part.strip() for part in re.split(r"\s(?:and|&)\s", cleaned) if part.strip()]
    return [cleaned]


def _who(item: Item) -> str | None:
    """The canonical speaker of ``item``, else the speaker as written (without commas)."""
    who = item.speaker_canonical or item.speaker
    return who.strip(" ,") if who else None


def _action(text: str, start: int, end: int) -> str:
    """The action in a few words: up to the first clause break, at most 15 words."""
    stop = re.compile(r",\s|;|\s(?:which|who)\s").search(text, start, end)
    words = re.sub(r"[\"“”]", "", text[start : stop.start() if stop else end]).split()
    return " ".join(words[:15]).rstrip(",;:")
