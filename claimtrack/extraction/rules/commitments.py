"""Commitments: sentences that commit someone to something, with condition, deadline, stage."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

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
from claimtrack.extraction.rules.sentences import (
    _abbreviation_before,
    _inside,
    _lstrip,
    _rstrip,
    _Sentence,
)
from claimtrack.extraction.rules.sources import _is_source, _trim_subject
from claimtrack.extraction.rules.specificity import is_specific, opening_verb, opens_with_action
from claimtrack.extraction.rules.vocabulary import (
    _CASED_BEYOND_ASCII,
    _CLAUSE_WORDS,
    _DETERMINERS,
    _STRONG_BOUNDARY,
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
    # who "it" or "they" is when a reporting verb names them ("Russia warned it would")
    reported_by: str | None = None


def _commitments_in(text: str, sentence: _Sentence, *, stated: bool = False) -> list[_Commitment]:
    """The commitments of one sentence, in text order; a cue inside one found already (the
    "will" of "finalize commitments that say how they will support") is part of it.

    A ``stated`` sentence is one no one is reported to have said (the publication's own voice):
    the :data:`STATED_ONLY` patterns are tried in it too, and its commitments are kept only when
    the fitted specificity model finds the sentence specific enough to check."""
    opening = sentence_opening(text, sentence.start, sentence.end)
    lowered = text[sentence.start : sentence.end].lower()
    sentence = _with_single_quotes(text, sentence, lowered)
    present = {needle for needle in _ALL_NEEDLES if needle in lowered}  # each looked for once
    folds_plainly = _CASED_BEYOND_ASCII.search(text, sentence.start, sentence.end) is None
    matches = sorted(
        (
            (match.start(), name, stage, match)
            for name, stage, pattern in COMMITMENT_CUES
            if (stated or name not in STATED_ONLY)
            and (name not in NEEDLES or not present.isdisjoint(NEEDLES[name]))
            and not (
                folds_plainly
                and name in _LOWERCASE_MIRRORS
                and _LOWERCASE_MIRRORS[name].search(lowered) is None
            )
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


_ALL_NEEDLES = frozenset(needle for needles in NEEDLES.values() for needle in needles)
# Case-sensitive copies of case-blind patterns that seldom match, searched first in the
# lower-cased sentence: a case-blind search that finds nothing costs about twice as much. Where
# the sentence holds only ASCII and caseless marks, lower-casing changes each character into
# the one a case-blind pattern equates it with, so the copy finds a match wherever the pattern
# would; the pattern then runs as before. (Not for patterns with capitals or "(?-i:" in them,
# and not where a character folds otherwise: "ı" and "ſ" match "i" and "s" case-blind.)
_LOWERCASE_MIRRORS = {
    name: re.compile(pattern.pattern)
    for name, _, pattern in COMMITMENT_CUES
    if name in {"intention", "will_passive", "noun_to", "plan_includes"}
}
assert not any(
    re.search(r"[A-Z]|\(\?-i", mirror.pattern.replace("(?P<", ""))
    for mirror in _LOWERCASE_MIRRORS.values()
)
# The patterns whose commitments name no one who acts: a manifesto's own lines and passives.
_NO_ACTOR_RULES = STATED_ONLY | {"bare_action", "will_passive", "under_way"}
_FIRST_PERSON = frozenset({"we", "i", "us"})


def _own_voice(commitment: _Commitment) -> bool:
    """Whether a commitment of a stated sentence is the publication's own or names no actor
    ("We will ...", "Set up ...", "... will be built"): the commitments the specificity model
    judges. One of a named actor ("GM will close the plant"), a plan's item or a state of
    another commitment ("The deal still needs to be ratified") is news, and kept as found."""
    return commitment.rule in _NO_ACTOR_RULES or commitment.subject.casefold() in _FIRST_PERSON


def _with_single_quotes(text: str, sentence: _Sentence, lowered: str) -> _Sentence:
    """The sentence with its quotations in single marks too ("'We will deploy troops once a
    ceasefire is reached,' Macron said"), as British papers print them: a mark before a capital
    up to a mark after a comma, full stop, "!" or "?"."""
    if "'" not in lowered and "‘" not in lowered:
        return sentence
    singles = [
        Span(found.start(), found.end())
        for found in _SINGLE_QUOTED.finditer(text, sentence.start, sentence.end)
        if not _inside(sentence.quotes, found.start())
    ]
    if not singles:
        return sentence
    quotes = tuple(sorted((*sentence.quotes, *singles), key=lambda quote: quote.start))
    return replace(sentence, quotes=quotes)


_SINGLE_QUOTED = re.compile(
    r"(?<![\w'‘’])['‘](?=[A-Z])[^\"“”'‘’\n]*(?:['’]\w[^\"“”'‘’\n]*)*?[,.!?]['’](?!\w)"
)


def _matches(
    pattern: re.Pattern[str], name: str, text: str, sentence: _Sentence, opening: int
) -> list[re.Match[str]]:
    """The pattern's matches in the sentence; a sentence-initial one only at its opening."""
    if name in SENTENCE_INITIAL:
        if name == "headline_to" and not _headline_shaped(text, sentence):
            return []  # tested first: most lines are not headlines, and the test is cheaper
        match = pattern.match(text, opening, sentence.end)
        if (
            name == "stated_line"
            and match is not None
            and not _opens_list_item(text, sentence, match)
        ):
            return []
        return [match] if match is not None and _is_statement(text, sentence) else []
    return list(pattern.finditer(text, sentence.start, sentence.end))


def _headline_shaped(text: str, sentence: _Sentence) -> bool:
    """A headline: a short line without a closing full stop ("Harbour Lines to sell ferries")."""
    words = text[sentence.start : sentence.end].split()
    return 2 < len(words) <= 16 and not words[-1].endswith((".", "!", "?", ":", '"', "”"))


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
        (name != "headline_to" or _headline_shaped(text, sentence))
        and (match := pattern.match(text, opening, sentence.end)) is not None
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
    it reports ("said they would provide"), or in a sentence right after one that reports, as
    reported speech goes on ("His plan, he stated, was ... The government would hold a stake")."""
    position = match.start()
    quoted = _inside(sentence.quotes, position)
    if quoted and not any(quote.start <= position <= quote.start + 2 for quote in sentence.quotes):
        return _speaker_commits(text, sentence, match)
    if match.group().casefold().startswith("would"):
        return bool(_CLAUSE_OPENER.search(text, sentence.start, position)) or (
            _after_report(text, sentence) and _opens_with_subject(text, sentence, position)
        )
    return True


def _opens_with_subject(text: str, sentence: _Sentence, position: int) -> bool:
    """Whether the words before ``position`` are the subject the sentence opens with ("The
    government would"), not a question's ("Asked whether GM would")."""
    opening = sentence_opening(text, sentence.start, sentence.end)
    subject = _commitment_subject(text, opening, position)
    return subject is not None and subject.start == opening


def _after_report(text: str, sentence: _Sentence) -> bool:
    """Whether the sentence before ``sentence`` reports what someone said or announced."""
    before = text[max(0, sentence.start - 600) : sentence.start]
    ends = [end.end() for end in _SENTENCE_END.finditer(before.rstrip())]
    previous = before[ends[-1] :] if ends else before
    return bool(ends or sentence.start <= 600) and _REPORTS.search(previous) is not None


_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+(?=\S)")
_REPORTS = re.compile(
    r"\b(?:said|says|stated|(?-i:states)|announced|announces|explained|told|added|outlined|"
    r"unveiled|confirmed)\b",
    re.IGNORECASE,
)


def _speaker_commits(text: str, sentence: _Sentence, match: re.Match[str]) -> bool:
    """A "will" inside a quotation counts when its clause opens the quotation or follows a
    reporting word in it ('"Harbour Lines will sell two ferries," he said'), not inside another
    clause ('"This does not mean we will win"', '"how these ships will sail"')."""
    if match.group().casefold().startswith("would"):
        return False
    quote = next(q for q in sentence.quotes if q.start <= match.start() < q.end)
    clause_start = _clause_start(text, sentence, quote.start + 1, match.start())
    condition = _condition(text, sentence, clause_start, match.start())
    if condition is not None and not text[clause_start : condition.start].strip(" \"“”'‘’"):
        clause_start = condition.end  # '"Once a ceasefire is reached, we will deploy troops"'
    subject = _commitment_subject(text, clause_start, match.start())
    if subject is None or text[clause_start : subject.start].strip(" \"“”'‘’,"):
        return False
    return _can_commit(text[subject.start : subject.end])


def _clause_start(text: str, sentence: _Sentence, start: int, position: int) -> int:
    """Where the clause holding ``position`` starts: after the last clause opener ("that",
    "said") before it, or after the last sentence ended inside its quotation ('"The talks went
    well. We will deploy troops"')."""
    clause_start = start
    for opener in _CLAUSE_OPENER.finditer(text, start, position):
        clause_start = opener.end()
    quote = next((q for q in sentence.quotes if q.start < position < q.end), None)
    if quote is not None:
        for ended in _QUOTED_SENTENCE_END.finditer(text, max(start, quote.start), position):
            if not _abbreviation_before(text, ended.start()):
                clause_start = max(clause_start, ended.end())
    return clause_start


_QUOTED_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z])")


def _commitment(
    text: str, sentence: _Sentence, name: str, stage: Stage, match: re.Match[str]
) -> _Commitment | None:
    clause_start = _clause_start(text, sentence, sentence.start, match.start())
    condition = _condition(text, sentence, clause_start, match.start())
    subject_start = condition.end if condition is not None else clause_start
    relative = _RELATIVE_BEFORE.search(text, subject_start, match.start())
    if relative is not None:  # "..., which will be built": the noun phrase before "which"
        subject_span = _antecedent(text, subject_start, relative.start())
    else:
        subject_span = _commitment_subject(text, subject_start, match.start())
    subject = text[subject_span.start : subject_span.end] if subject_span else ""
    if name == "headline_to":
        subject = "" if match.group("action").casefold().startswith("be ") else match["who"]
        if subject and not _can_commit(subject):
            return None
    elif name == "noun_to":
        if _UNDONE.search(text, max(sentence.start, match.start() - 30), match.start()):
            return None  # "cancelling a deal to sell": no longer anything to do
        owner = _noun_owner(text, subject_start, match) or _reporter(text, sentence, subject_start)
        if owner is None:
            return None
        subject_span, subject = owner
        if match["noun"].casefold() in ("deal", "agreement"):
            stage = "agreed_in_principle"
    elif name == "scheduled":
        if not subject or _is_thing(subject) or not _schedulable(match.group("action")):
            return None
        subject = subject if _can_commit(subject) else ""
    elif name == "plan_includes":
        plan_actor = _plan_actor(text, subject_start, match)
        if plan_actor is None:
            return None
        subject = plan_actor
    elif name == "noun_that":
        owner = _noun_owner(text, subject_start, match)
        if owner is None:
            return None
        subject_span, subject = owner
    elif name == "required_to" and match["who"] is not None:
        if not subject or not (_can_commit(subject) or _BINDING.search(subject)):
            return None  # "the job required him to travel": no one who can bind
        subject = _obliged(text, sentence, match)
    elif name in ("bare_action", "stated_line") or _REFERENCE.match(subject):
        subject = ""  # the publication's own, or a state of another commitment: no actor
    elif name == "stated_will" and (
        match.group("action").casefold() == "be" or not _can_commit(subject)
    ):
        subject = ""  # "there will be", "delays will be removed": no one named
    elif name in _NEEDS_AN_AGENT and not _has_agent(text, sentence, subject_start, match, subject):
        return None
    if name == "will_passive":  # the subject is what is done, not who does it
        after_comma = match.group().startswith(",")  # "the new system, to be released in May"
        if not (subject or after_comma) or (
            subject.casefold() in _NOT_DONE and not _IS_TO.match(match.group())
        ):
            return None
        subject = ""  # the span still starts at it; no actor is named
    if name == "under_way":  # "the sedan, which is being phased out": what is done, no actor
        if not subject or subject.casefold() in _NOT_DONE:
            return None
        subject = ""
    if name == "requires_approval" and (approver := _APPROVER.match(text, match.end())):
        subject = approver.group("who")  # "required approval from all countries"
    if condition is None:
        condition = _condition(text, sentence, match.end(), _clause_end(text, sentence, match))
    if name == "conditional_right" and (
        condition is None or not _RIGHT_OPENS.match(text, condition.start)
    ):
        return None  # "the club can sell tickets online": a right with no event it waits for
    start = subject_span.start if subject_span is not None else clause_start
    if name in SENTENCE_INITIAL:
        start = match.start()
    if condition is not None:
        start = min(start, condition.start)
    start = _lstrip(text, start, sentence.end)
    while start < sentence.end and text[start] in "\"“”'":
        start += 1
    end = _trim_end(text, start, _clause_end(text, sentence, match))
    if end - 1 > start and text[end - 1] in "'’" and text[end - 2] in ",.!?":
        end = _trim_end(text, start, end - 1)  # a quotation in single marks: "... reached,'"
    if end <= start:
        return None
    action_start = _action_start(text, name, match)
    action = _action(text, action_start, end)
    if name == "plan_includes":
        action = _plan_action(text, action_start, end, action)
    condition_text = text[condition.start : condition.end] if condition is not None else None
    cue = "to" if name == "headline_to" else text[match.start() : match.start("action")]
    reported_by = None
    if subject_span is not None and subject.casefold() in ("it", "they"):
        reported_by = _named_reporter(text, sentence, subject_span.start)
    return _Commitment(
        Span(start, end),
        " ".join(cue.split()) or match.group(),
        "conditional" if condition_text else stage,
        subject,
        action,
        condition_text,
        name,
        reported_by,
    )


_WILL = next(pattern for name, _, pattern in COMMITMENT_CUES if name == "will")
# "..., which will be built": the subject of the cue is the noun phrase before the pronoun.
_RELATIVE_BEFORE = re.compile(r",?\s*(?:[—–]\s*)?\b(?:which|that|who)\s+\Z", re.IGNORECASE)
_IS_TO = re.compile(r"(?:is|are)\s+to\b", re.IGNORECASE)
# What is set to happen without anyone doing it: "prices are set to rise".
_NOT_SCHEDULED = re.compile(
    r"(?:rise|fall|grow|decline|drop|climb|increase|decrease|slow|surge|soar|remain|continue|"
    r"become|be|hit|reach|top|exceed|face|worsen|improve|expire|end)",
    re.IGNORECASE,
)


def _schedulable(word: str) -> bool:
    """A verb's base form that someone does ("begin", "vote"), not a change ("rise") nor a
    noun ("due to delays")."""
    verb = opening_verb(word)
    return verb is not None and verb[0] == "base" and not _NOT_SCHEDULED.fullmatch(word)


def _is_thing(subject: str) -> bool:
    """A subject that names no event or body that can be scheduled ("it", "prices")."""
    words = subject.split()
    return words[-1].casefold() in _NON_AGENTS or words[0].casefold() in _NOT_DONE


_UNDONE = re.compile(
    r"\b(?:cancel\w*|scrap\w*|abandon\w*|reject\w*|end(?:ed|ing|s)?|terminat\w*|drop\w*|"
    r"withdr[ae]w\w*|call(?:ed|ing)?\s+off|walk(?:ed|ing)?\s+away\s+from|failed|collapsed)\b",
    re.IGNORECASE,
)


def _reporter(text: str, sentence: _Sentence, start: int) -> tuple[Span, str] | None:
    """Who reported what follows ``start`` ("Harbour Lines announced a deal to"), when they can
    act: the owner of the deal or plan they announced."""
    reported = _REPORTED_BEFORE.search(text, sentence.start, start)
    if reported is None:
        return None
    span = _commitment_subject(text, sentence.start, reported.start())
    if span is None or not _can_commit(text[span.start : span.end]):
        return None
    return span, text[span.start : span.end]


def _named_reporter(text: str, sentence: _Sentence, start: int) -> str | None:
    """Who "it" or "they" right after a reporting verb is: the one who reported, as named
    ("Russia warned it would"), or the body of a spokesperson ("a spokesman for Harbour Lines
    said it would": Harbour Lines); None after no reporting verb or a pronoun."""
    reporter = _reporter(text, sentence, start)
    if reporter is None or reporter[1].casefold() in _PRONOUNS:
        return None
    return _body_of(reporter[1]) or reporter[1]


_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "you"})


def _antecedent(text: str, start: int, end: int) -> Span | None:
    """The noun phrase a relative pronoun stands for: the words before it, back to a comma or a
    preposition ("the design of Ford's next vehicles, which": "Ford's next vehicles")."""
    boundaries = [found.end() for found in _NOUN_PHRASE_START.finditer(text, start, end)]
    position = boundaries[-1] if boundaries else start
    span = _trim_subject(text, position, end)
    if span is None or len(text[span.start : span.end].split()) > 8:
        return None
    return span


_NOUN_PHRASE_START = re.compile(
    r",\s*|[—–]\s*|\b(?:for|of|in|to|with|on|at|by|from|about|as\s+well\s+as|that|and|"
    r"include|includes|included)\s+",
    re.IGNORECASE,
)


def _noun_owner(text: str, start: int, match: re.Match[str]) -> tuple[Span, str] | None:
    """Whose plan, deal or talks a "noun_to" names: the owner before the noun ("Harbour Lines'
    plan to", "its plan to" after it reported), or the subject of the clause ("The city is in
    talks with the port to"); None when no one who can act is named."""
    possessive = _POSSESSIVE_OWNER.search(text, start, match.start())
    if possessive is not None:
        owner = possessive.group("who")
        if owner.casefold() in ("its", "their") and _reported_it(text, possessive.start(), "it"):
            pronoun = "it" if owner.casefold() == "its" else "they"  # the one who reported it
            return Span(possessive.start(), possessive.end()), pronoun
        listed = [found.end() for found in _INCLUDING.finditer(text, start, possessive.start())]
        span = _commitment_subject(text, max([start, *listed]), possessive.start("mark"))
        if span is not None and _can_commit(text[span.start : span.end]):
            return span, text[span.start : span.end]
        return None
    verb = _OWNER_VERB.search(text, start, match.start())
    if verb is None:
        return None
    span = _commitment_subject(text, start, verb.start())
    if span is None or not _can_commit(text[span.start : span.end]):
        return None
    return span, text[span.start : span.end]


# "..., including the government's plan to": the owner is named after "including".
_INCLUDING = re.compile(r"\bincluding\s+", re.IGNORECASE)
_POSSESSIVE_OWNER = re.compile(
    r"(?P<who>\b(?:its|their)|[\w.&-]+(?P<mark>['’]s?))\s+(?:[\w-]+\s+){0,2}\Z",
    re.IGNORECASE,
)
_OWNER_VERB = re.compile(
    r"\s+(?:is|are|was|were|has|have|had|announced|signed|reached|struck|made|entered|"
    r"unveiled|won|submitted|launched|confirmed|agreed|began|opened)\b(?!.*\b(?:is|are|was|were|"
    r"has|have|had)\b)",
    re.IGNORECASE,
)


def _action_start(text: str, name: str, match: re.Match[str]) -> int:
    """Where the action's words start: after the one named in "having the United States take"."""
    start = match.start("action")
    if name == "plan_includes":
        named = _HAVING.match(text, match.start(), match.end() + 80)
        if named is not None:
            return _lstrip(text, named.end(), len(text))
    return start


_REFERENCE = re.compile(
    r"(?:the|this|that|these|those|such)\s+(?:\w+\s+)?(?:commitments?|agreements?|deals?|"
    r"pledges?|declarations?|guarantees?|promises?|accord|treaty|arrangements?)\Z",
    re.IGNORECASE,
)
_APPROVER = re.compile(
    r"\s+(?:from|by|of)\s+(?P<who>(?:all\s+|the\s+|each\s+|every\s+)?[\w'’-]+"
    r"(?:\s+(?!before|after|until|and|or|to|for|in)[\w'’-]+){0,3})"
)


_NEEDS_AN_AGENT = frozenset(
    {"will", "intention", "agreed_to", "must_approve", "attempting", "required_to",
     "conditional_right"}
)  # fmt: skip
# What can bind someone to act besides a person or body: "the law requires banks to".
_BINDING = re.compile(
    r"\b(?:laws?|rules?|regulations?|terms|conditions|contracts?|ruling|legislation|bill|act|"
    r"deal|agreement|treaty|accord|order|plan|package|settlement|judge|court)\Z",
    re.IGNORECASE,
)
# The conditions on which a right opens ("once the loans are repaid", "upon repayment of"); not
# "if" or "when", which make any "can" a guess ("banks can lend when rates fall").
_RIGHT_OPENS = re.compile(
    r"once|upon|after|as\s+soon\s+as|provided|providing|on\s+condition|in\s+the\s+event",
    re.IGNORECASE,
)


def _obliged(text: str, sentence: _Sentence, match: re.Match[str]) -> str:
    """Who "X required Y to" binds: Y as written, or for "them" or "it" the subject that opens
    the sentence ("The two firms took the loans, but Congress required them to"), else the
    pronoun as a subject ("they"), which a reporting claim names."""
    who = " ".join(match["who"].split())
    pronoun = _SUBJECT_PRONOUN.get(who.casefold())
    if pronoun is None:
        return who
    opening = sentence_opening(text, sentence.start, sentence.end)
    verb = _FIRST_VERB.search(text, opening, match.start())
    span = _commitment_subject(text, opening, verb.start()) if verb is not None else None
    if span is not None and _can_commit(text[span.start : span.end]):
        return text[span.start : span.end]
    return pronoun


_SUBJECT_PRONOUN = {"them": "they", "it": "it", "him": "he", "her": "she"}
_FIRST_VERB = re.compile(
    r"\s+(?:have|has|had|is|are|was|were|will|would|can|could|must|should|said|says|took|got|"
    r"made|gave|won|sold|bought|lost|held|kept|paid|told|went|came|saw|found|left|ran|spent|"
    r"built|brought|began|became|[a-z]+ed)\b"
)


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
    return subject.casefold() == "it" and bool(
        _REPORTED_BEFORE.search(text, max(0, start - 80), start)
    )


_REPORTED_BEFORE = re.compile(
    r"\b(?:said|says|announced|announces|stated|added|confirmed|warned|warns|threatened|"
    r"promised|pledged|vowed|insisted|indicated|signall?ed|reiterated|told\s+\w+(?:\s+\w+)?)"
    r"(?:\s+(?:on\s+)?\w+day|\s+in\s+an?\s+(?:statement|letter|interview|post))?"
    r"(?:\s+that)?\s+\Z",
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
    possessor = _PLAN_POSSESSOR.search(before)  # "Chrysler's restructuring plan"
    if possessor is not None and _can_commit(possessor.group("who")):
        return possessor.group("who")
    return ""


_HAVING = re.compile(
    r"\w+\s+(?:also\s+)?(?:include\s+)?having\s+(?P<who>(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})"
)
_PLAN_POSSESSOR = re.compile(
    r"(?P<who>(?-i:[A-Z][\w.&-]*)(?:\s+(?-i:[A-Z][\w.&-]*)){0,4})['’]s?\s+(?:[\w-]+\s+){0,2}"
    r"(?:plans?|proposals?|framework|strategy|programme|program|budget|offer|bid)\b"
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
    boundaries = _SUBJECT_START.finditer(text, start, end)
    starts = [start] + [_number_start(text, start, match.end()) for match in boundaries]
    for position in starts:
        span = _trim_subject(text, position, end)
        if span is not None and _is_source(text, span, appositive_ok=True, max_words=15):
            return _without_page_furniture(text, span)
    return None


def _number_start(text: str, limit: int, position: int) -> int:
    """``position``, or where the number starts when ``position`` follows a thousands separator
    ("30,000 jobs will be cut" is one subject, not "000 jobs")."""
    if not (limit < position - 1 and text[position - 1] == "," and text[position - 2].isdigit()):
        return position
    if not text[position : position + 1].isdigit():
        return position
    while position > limit and (text[position - 1].isdigit() or text[position - 1] == ","):
        position -= 1
    return position


def _without_page_furniture(text: str, span: Span) -> Span:
    """A subject without the dateline, photo credit or time stamp a copied page runs into it
    ("LONDON (AP) Britain", "Photo: AFP French President Emmanuel Macron", "Updated 10:18 GMT
    Britain", "Macron (AFP/Getty Images)"): who acts is the name after or before them."""
    start, end = span.start, span.end
    furniture = _LEADING_FURNITURE.match(text, start, end)
    if furniture is not None and furniture.end() < end:
        start = _lstrip(text, furniture.end(), end)
    credit = _TRAILING_CREDIT.search(text, start, end)
    if credit is not None and credit.start() > start:
        end = credit.start()
    return Span(start, end) if (start, end) != (span.start, span.end) else span


_AGENCY = (
    r"(?:AP|AFP|Reuters|Getty\s+Images|EPA(?:-EFE)?|Bloomberg|Shutterstock|Anadolu|dpa|"
    r"Xinhua|TASS|Sputnik|PA|UPI)(?:\s*/\s*(?:Getty\s+Images|[A-Z][\w.'’-]+(?:\s+[A-Z][\w'’-]+)?))?"
)
_LEADING_FURNITURE = re.compile(
    r"(?:[A-Z][A-Z.'’-]{2,}(?:\s+[A-Z][A-Z.'’-]{2,})*(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    rf"\s*\({_AGENCY}\)\s*(?:[—–-]\s*)?"
    r"|(?:Photo|Image|Picture|Photograph|File\s+photo|Caption)(?:\s+credit)?\s*:\s*"
    rf"(?:{_AGENCY}\s+)?"
    rf"|{_AGENCY}\s+(?=[A-Z])"
    r"|(?:(?:(?:Last\s+)?(?:Updated|Published|Posted)\s+)?\d{1,2}:|(?<=\d:))\d{2}"
    r"(?:\s*(?:GMT|UTC|BST|CET|ET|[AaPp]\.?[Mm]\.?))?\s+)"
)
_TRAILING_CREDIT = re.compile(rf"\s*\(\s*(?:(?:Photo|Image)\s*:\s*)?{_AGENCY}\s*\)\Z")


_AUXILIARY_END = re.compile(r"\s+(?:is|are|was|were|has|have|had)(?:\s+been)?(?:\s+also)?\Z")
_SUBJECT_START = re.compile(r",\s*|" + _STRONG_BOUNDARY.pattern, re.IGNORECASE)


# Subjects of "will be built" that name nothing to be done.
_NOT_DONE = frozenset({"there", "that", "which", "what", "this", "it", "he", "she", "they", "we"})


def _can_commit(subject: str) -> bool:
    """Whether a subject can act: a person, a body, "we"/"they" (not "prices", "this")."""
    words = subject.split()
    if not words or len(words) > 25:
        return False
    if words[-1].casefold() in _NON_AGENTS or words[0].casefold() in _DEMONSTRATIVES:
        return False  # "prices", "it", "this plan" ("future Apple computers" can act)
    if words[-1].endswith(("'s", "’s")):
        return False  # "the government's" before "plan to": whose plan, not who acts
    if any(word.casefold() in _CLAUSE_WORDS - {"that"} for word in words):
        return False
    if words[-1].casefold() in ("we", "they", "i", "he", "she", "you"):
        return True
    names = [word for word in words[1:] if word[:1].isupper() or _PRODUCT_NAME.match(word)]
    if words[0][:1].isupper() and words[0].casefold() not in _DETERMINERS:
        names.append(words[0])
    return bool(names) or any(_singular(word.casefold()) in _AGENT_NOUNS for word in words)


_DEMONSTRATIVES = frozenset(
    {"it", "this", "that", "there", "which", "what", "who", "these", "those"}
)
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
    end = relative.start() if relative else sentence.end
    quote = next((q for q in sentence.quotes if q.start + 2 < match.start() < q.end), None)
    if quote is not None:  # a "will" inside a quotation: its clause ends with the quotation
        end = min(end, quote.end)
    tail = _REPORTING_TAIL.search(text, match.end(), end)
    return tail.start() if tail is not None else end


# Who reported a clause, after it: "..., the ministry said." or "..., said a spokesman.": not
# part of the commitment (its speaker is that of the claim holding it).
_REPORTING_TAIL = re.compile(
    r",\s+(?:(?:the|a|an|its|his|her|their)\s+)?(?:[\w.'’-]+\s+){0,6}?"
    r"(?:said|says|told|added|announced|warned|stated|confirmed|insisted|noted)\b"
    r"(?:\s+(?:the|a|an)?\s*(?:[\w.'’-]+\s*){0,6})?(?=[,.!?]?\s*[\"”]?\s*\Z|,)",
)


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


def _actors(subject: str, reporter: Item | None, reported_by: str | None = None) -> list[str]:
    """Who is committed: the subject as written, split at "and" when it joins two names; "they"
    or "we" is the speaker who reported the commitment (the body a spokesperson speaks for), or
    ``reported_by`` when no claim holds the commitment."""
    cleaned = re.sub(r"\s+", " ", subject).strip(' ,"“”')
    if not cleaned:
        return []
    if reported_by is not None and reporter is None:
        return [reported_by]
    if cleaned.casefold() in ("they", "we", "it") and reporter is not None:
        body = _spokespersons_body(reporter)  # "we", said a spokesman for Harbour Lines
        if body is not None:
            return [body]
    if cleaned.casefold() in ("they", "we", "he", "she", "i", "it") and reporter is not None:
        who = _who(reporter)
        return [who] if who else [cleaned]
    if len(cleaned.split()) <= 6 and re.search(r"\s(?:and|&)\s", cleaned) and "," not in cleaned:
        return [part.strip() for part in re.split(r"\s(?:and|&)\s", cleaned) if part.strip()]
    return [cleaned]


def _spokespersons_body(reporter: Item) -> str | None:
    """The body a spokesperson speaks for ("a spokesman for Harbour Lines", "Jane Doe, a
    spokeswoman for Acme", "a Harbour Lines spokesman"): who "we" or "it" is in what they said."""
    for written in (reporter.speaker, reporter.speaker_role):
        body = _body_of(written) if written else None
        if body is not None:
            return body
    return None


def _body_of(speaker: str) -> str | None:
    """The body named in a spokesperson's description ("a spokesman for Harbour Lines")."""
    found = _SPOKESPERSON_FOR.search(speaker) or _BODYS_SPOKESPERSON.search(speaker)
    return found.group("body") if found is not None else None


_SPOKESPERSON = r"(?i:spokes(?:man|woman|person)|representative|press\s+officer)"
_BODY_NAME = r"(?:the\s+)?[A-Z][\w.&'’-]*(?:\s+(?:[A-Z][\w.&'’-]*|of|and|&|for)(?=\s|\Z))*"
_SPOKESPERSON_FOR = re.compile(rf"\b{_SPOKESPERSON}\s+(?:for|of|at)\s+(?P<body>{_BODY_NAME})")
_BODYS_SPOKESPERSON = re.compile(
    rf"\b(?:[Aa]n?|[Tt]he)\s+(?P<body>{_BODY_NAME})\s+{_SPOKESPERSON}\b"
)


def _who(item: Item) -> str | None:
    """The canonical speaker of ``item``, else the speaker as written (without commas)."""
    who = item.speaker_canonical or item.speaker
    return who.strip(" ,") if who else None


def _plan_action(text: str, start: int, end: int, action: str) -> str:
    """A plan's items as actions: "strengthening the army, including replenishing its stocks"
    reads "strengthen the army and replenish its stocks"; any other action as found."""
    gerunds = _PLAN_GERUNDS.fullmatch(" ".join(text[start:end].split()))
    if gerunds is None:
        return action
    parts = [gerunds["first"], *(gerunds["more"] or "").split(", including ")[1:]]
    verbs = [opening_verb(part.split()[0]) for part in parts if part]
    if any(verb is None or verb[0] != "gerund" for verb in verbs):
        return action
    return " and ".join(
        f"{verb[1]} {part.split(None, 1)[1]}" if len(part.split()) > 1 else verb[1]
        for verb, part in zip(verbs, parts, strict=True)
        if verb is not None
    )


_PLAN_GERUNDS = re.compile(
    r"(?P<first>[a-z]+ing\b[^,;]*?)(?P<more>(?:, including [a-z]+ing\b[^,;]*?)+)?[.;]?"
)


_ACTION_END = re.compile(r",\s|;|\s(?:which|who)\s|(?<!\b[A-Z])[.!?](?=\s)")


def _action(text: str, start: int, end: int) -> str:
    """The action in a few words: up to the first clause break, at most 15 words."""
    stop = _ACTION_END.search(text, start, end)
    words = re.sub(r"[\"“”]", "", text[start : stop.start() if stop else end]).split()
    return " ".join(words[:15]).rstrip(",;:")
