"""Commitments: sentences that commit someone to something, with condition, deadline, stage."""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimtrack.extraction.grounding import Span
from claimtrack.extraction.models import Item, Stage
from claimtrack.extraction.rules.attributions import _trim_end
from claimtrack.extraction.rules.commitment_cues import (
    _AGENT_NOUNS,
    _CLAUSE_OPENER,
    _CONDITION,
    _CONDITION_END,
    _NON_AGENTS,
    _PLAN_NOUNS,
    COMMITMENT_CUES,
    NEEDLES,
    SENTENCE_INITIAL,
    STATED_ONLY,
    sentence_opening,
)
from claimtrack.extraction.rules.sentences import _inside, _lstrip, _rstrip, _Sentence
from claimtrack.extraction.rules.sources import _is_source, _trim_subject
from claimtrack.extraction.rules.specificity import is_specific, opens_with_action
from claimtrack.extraction.rules.vocabulary import _CLAUSE_WORDS, _DETERMINERS, _STRONG_BOUNDARY


@dataclass(slots=True)
class _Commitment:
    span: Span
    cue: str
    stage: Stage
    subject: str  # as written ("Britain and France", "they", "" when there is none)
    action: str
    condition: str | None
    rule: str  # the name of the COMMITMENT_CUES pattern that found it


def _commitments_in(text: str, sentence: _Sentence, *, stated: bool = False) -> list[_Commitment]:
    """The commitments of one sentence, in text order; a cue inside one found already (the
    "will" of "finalize commitments that say how they will support") is part of it.

    A ``stated`` sentence is one no one is reported to have said (the publication's own voice):
    the :data:`STATED_ONLY` patterns are tried in it too, and its commitments are kept only when
    the fitted specificity model finds the sentence specific enough to check."""
    opening = sentence_opening(text, sentence.start, sentence.end)
    lowered = text[sentence.start : sentence.end].lower()
    matches = sorted(
        (
            (match.start(), name, stage, match)
            for name, stage, pattern in COMMITMENT_CUES
            if (stated or name not in STATED_ONLY)
            and any(needle in lowered for needle in NEEDLES.get(name, ("",)))
            for match in _matches(pattern, name, text, sentence, opening)
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
    own = [commitment for commitment in found if stated and _own_voice(commitment)]
    if own and not is_specific(text[sentence.start : sentence.end], [c.rule for c in own]):
        return [commitment for commitment in found if commitment not in own]
    return found


# The patterns whose commitments name no one who acts: a manifesto's own lines and passives.
_NO_ACTOR_RULES = STATED_ONLY | {"bare_action", "will_passive"}
_FIRST_PERSON = frozenset({"we", "i", "us"})


def _own_voice(commitment: _Commitment) -> bool:
    """Whether a commitment of a stated sentence is the publication's own or names no actor
    ("We will ...", "Set up ...", "... will be built"): the commitments the specificity model
    judges. One of a named actor ("GM will close the plant"), a plan's item or a state of
    another commitment ("The deal still needs to be ratified") is news, and kept as found."""
    return commitment.rule in _NO_ACTOR_RULES or commitment.subject.casefold() in _FIRST_PERSON


def _matches(
    pattern: re.Pattern[str], name: str, text: str, sentence: _Sentence, opening: int
) -> list[re.Match[str]]:
    """The pattern's matches in the sentence; a sentence-initial one only at its opening."""
    if name in SENTENCE_INITIAL:
        match = pattern.match(text, opening, sentence.end)
        if (
            name == "stated_line"
            and match is not None
            and not _opens_list_item(text, sentence, match)
        ):
            return []
        return [match] if match is not None and _is_statement(text, sentence) else []
    return list(pattern.finditer(text, sentence.start, sentence.end))


def _opens_list_item(text: str, sentence: _Sentence, match: re.Match[str]) -> bool:
    """Whether a line opening with an action is a list item ("Upgrading housing."), not a
    participle before the subject of a news sentence ("Facing a crisis, the government ...")."""
    if not opens_with_action(match) or _NAME_GOES_ON.match(text, match.end("action")):
        return False  # "Ford Motor Company sales dropped", "Ford's profits", "Ford had": a name
    return not (
        match.group("action").casefold().endswith("ing")
        and _SUBJECT_AFTER_COMMA.search(text, match.end(), sentence.end) is not None
    )


_NAME_GOES_ON = re.compile(
    r"['’]s\b|\s+[A-Z]|\s+(?:had|has|have|is|are|was|were|will|would|said|says|did|does)\b"
)
_SUBJECT_AFTER_COMMA = re.compile(
    r",\s+(?:the|a|an|its?|his|her|their|he|she|they|we|[A-Z][\w.'’-]*)\s+[\w'’-]+"
)


def starts_commitment(text: str, sentence: _Sentence) -> bool:
    """Whether the sentence opens with a sentence-initial commitment ("Set up a fund.")."""
    opening = sentence_opening(text, sentence.start, sentence.end)
    if not text[opening : opening + 1].isalpha():
        return False
    return any(
        (match := pattern.match(text, opening, sentence.end)) is not None
        and (name != "stated_line" or _opens_list_item(text, sentence, match))
        for name, _, pattern in COMMITMENT_CUES
        if name in SENTENCE_INITIAL
    )


def _is_statement(text: str, sentence: _Sentence) -> bool:
    """Not a question, and not inside a quotation."""
    return text[sentence.start : sentence.end].rstrip(" \"”'").endswith("?") is False and not (
        _inside(sentence.quotes, sentence.start + 1)
    )


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
    if name == "plan_includes":
        plan_actor = _plan_actor(text, subject_start, match)
        if plan_actor is None:
            return None
        subject = plan_actor
    elif name in ("bare_action", "stated_line") or _REFERENCE.match(subject):
        subject = ""  # the publication's own, or a state of another commitment: no actor
    elif name == "stated_will" and (
        match.group("action").casefold() == "be" or not _can_commit(subject)
    ):
        subject = ""  # "there will be", "delays will be removed": no one named
    elif name in _NEEDS_AN_AGENT and not _has_agent(text, sentence, subject_start, match, subject):
        return None
    if name == "will_passive":  # the subject is what is done, not who does it
        if not subject or subject.casefold() in _NOT_DONE:
            return None
        subject = ""  # the span still starts at it; no actor is named
    if name == "requires_approval" and (approver := _APPROVER.match(text, match.end())):
        subject = approver.group("who")  # "required approval from all countries"
    if condition is None:
        condition = _condition(text, sentence, match.end(), _clause_end(text, sentence, match))
    start = subject_span.start if subject_span is not None else clause_start
    if name in ("bare_action", "stated_line"):
        start = match.start()
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


_WILL = next(pattern for name, _, pattern in COMMITMENT_CUES if name == "will")
_REFERENCE = re.compile(
    r"(?:the|this|that|these|those|such)\s+(?:\w+\s+)?(?:commitments?|agreements?|deals?|"
    r"pledges?|declarations?|guarantees?|promises?|accord|treaty|arrangements?)\Z",
    re.IGNORECASE,
)
_APPROVER = re.compile(
    r"\s+(?:from|by|of)\s+(?P<who>(?:all\s+|the\s+|each\s+|every\s+)?[\w'’-]+"
    r"(?:\s+(?!before|after|until|and|or|to|for|in)[\w'’-]+){0,3})"
)


_NEEDS_AN_AGENT = frozenset({"will", "intention", "agreed_to", "must_approve"})


def _has_agent(
    text: str, sentence: _Sentence, start: int, match: re.Match[str], subject: str
) -> bool:
    """Whether the subject can act, or stands for someone who can: the publication's own "Will
    launch ..." opening a sentence, a company's "it" right after it reported."""
    if _can_commit(subject) or _reported_it(text, start, subject):
        return True
    return match.re is _WILL and _opens_sentence(text, sentence, start, match)


def _reported_it(text: str, start: int, subject: str) -> bool:
    """ "it" right after a reporting verb ("Apple announced that it will give"): the company
    that reported it, not a thing."""
    return subject.casefold() == "it" and bool(_REPORTED_BEFORE.search(text, 0, start))


_REPORTED_BEFORE = re.compile(
    r"\b(?:said|says|announced|announces|stated|added|confirmed|told\s+\w+(?:\s+\w+)?)"
    r"(?:\s+(?:on\s+)?\w+day)?(?:\s+that)?\s+\Z",
    re.IGNORECASE,
)


def _opens_sentence(text: str, sentence: _Sentence, start: int, match: re.Match[str]) -> bool:
    """A "will" with nothing before it in its sentence ("Will launch a programme."): a
    manifesto's own commitment, when the sentence is no question."""
    return (
        start == sentence.start
        and sentence_opening(text, sentence.start, sentence.end) == match.start()
        and _is_statement(text, sentence)
    )


def _plan_actor(text: str, start: int, match: re.Match[str]) -> str | None:
    """Who a plan's item commits: "having the United States take" names them, "the coalition
    plan" says whose plan, else no one (""); None when what comes before the verb names no plan."""
    before = text[start : match.start()]
    if _PLAN_NOUNS.search(before) is None or len(before.split()) > 14:
        return None
    named = _HAVING.match(text, match.start(), match.end() + 80)
    if named is not None:
        return named.group("who")
    owner = _PLAN_OWNER.search(before)
    if owner is not None and _singular(owner.group("owner").casefold()) in _AGENT_NOUNS:
        return owner.group("who")
    return ""


_HAVING = re.compile(
    r"\w+\s+(?:also\s+)?(?:include\s+)?having\s+(?P<who>(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})"
)
_PLAN_OWNER = re.compile(
    r"(?P<who>(?:the\s+)?(?P<owner>[a-z]+))\s+(?:plans?|proposals?|framework|strategy)\b",
    re.IGNORECASE,
)


def _commitment_subject(text: str, start: int, end: int) -> Span | None:
    """Who commits: the widest noun phrase that ends right before the cue, read as sources are
    ("The Ford Motor Company, the second-largest car maker,"; "the allies also": "the allies")."""
    end = _rstrip(text, start, end)
    while end > start and text[end - 1] in "\"“”',":
        end = _rstrip(text, start, end - 1)
    auxiliary = _AUXILIARY_END.search(text, start, end)  # "Apple is planning to": "Apple"
    if auxiliary is not None and auxiliary.start() > start:
        end = auxiliary.start()
    starts = [start] + [match.end() for match in _SUBJECT_START.finditer(text, start, end)]
    for position in starts:
        span = _trim_subject(text, position, end)
        if span is not None and _is_source(text, span, appositive_ok=True, max_words=15):
            return span
    return None


_AUXILIARY_END = re.compile(r"\s+(?:is|are|was|were|has|have|had)(?:\s+been)?(?:\s+also)?\Z")
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
    names = [word for word in words[1:] if word[:1].isupper() or _PRODUCT_NAME.match(word)]
    if words[0][:1].isupper() and words[0].casefold() not in _DETERMINERS:
        names.append(words[0])
    return bool(names) or any(_singular(word.casefold()) in _AGENT_NOUNS for word in words)


# A product's name with a capital inside ("iPhone", "eBay"): a thing a company makes acts for it
# ("the 3G iPhone will provide").
_PRODUCT_NAME = re.compile(r"[a-z]{1,2}[A-Z]")


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


_RELATIVE_AFTER = re.compile(r"(?:,?\s+|\s*[—–]\s*)(?:which|who)\s")


def _clause_end(text: str, sentence: _Sentence, match: re.Match[str]) -> int:
    """Where the clause after a commitment cue ends: before ", which", ", who" or the end."""
    relative = _RELATIVE_AFTER.search(text, match.end(), sentence.end)
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
    if cleaned.casefold() in ("they", "we", "he", "she", "i", "it") and reporter is not None:
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
