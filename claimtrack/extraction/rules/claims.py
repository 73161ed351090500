"""Claims: an attribution's standalone text and its claim type."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from claimtrack.extraction.grounding import Span
from claimtrack.extraction.models import ClaimType
from claimtrack.extraction.rules.sentences import _Sentence
from claimtrack.extraction.rules.vocabulary import (
    _CASED_BEYOND_ASCII,
    _EVALUATION_CUES,
    _POSITION_CUES,
    _PREDICTION_CUES,
    _inflect,
    _words,
)
from claimtrack.extraction.speakers import PRONOUNS


def _direct(text: str, span: Span, sentence: _Sentence) -> bool:
    """A direct quotation: quotations cover most of the content — all of it, or words in marks
    within a paraphrase ('called podcasting "Wayne's World for radio"', 'said that "..."')."""
    quoted = sum(
        min(quote.end, span.end) - max(quote.start, span.start)
        for quote in sentence.quotes
        if quote.start < span.end and span.start < quote.end
    )
    return quoted >= 0.5 * (span.end - span.start)


_PREDICTION_WORDS = re.compile(
    r"\b(?:will|won't|would|going\s+to|is\s+likely|are\s+likely|expects?|expected|could|might|"
    r"may|soon|next\s+(?:week|month|year)|in\s+the\s+coming)\b"
)
_POSITION_WORDS = re.compile(
    r"\b(?:should|must|ought\s+to|need\s+to|needs\s+to|has\s+to|have\s+to|we\s+want|"
    r"it\s+is\s+time|let's)\b"
)
_EVALUATION_WORDS = re.compile(
    r"\b(?:good|bad|great|terrible|important|significant|progress|success(?:ful)?|failure|"
    r"wrong|right|best|worst|toughest|hardest|milestone|historic|disaster|shameful|ridiculous|"
    r"outrageous|excellent|strong|weak|dangerous|unacceptable|disgraceful|proud|fantastic|"
    r"tremendous|incredible|horrible|unfair|fair|crucial|vital|key|step|mistake|absurd|"
    r"disgusting|wonderful|amazing|pathetic|dishonest|honest|brave|irresponsible|reckless)\b"
)  # the three lists are in lower case and searched in the lower-cased quote (faster than
#    IGNORECASE)


_LEADING_THAT = re.compile(r"^(?:that|,|:)\s+", re.IGNORECASE)


def _claim_type(quote: str, lemma: str) -> ClaimType:
    quote = quote.lower()
    if lemma in _POSITION_CUES or _POSITION_WORDS.search(quote):
        return "position"
    if lemma in _PREDICTION_CUES or _PREDICTION_WORDS.search(quote):
        return "prediction"
    if lemma in _EVALUATION_CUES or _EVALUATION_WORDS.search(quote):
        return "evaluation"
    return "factual"


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _claim_statement(
    who: str | None,
    lemma: str,
    quote: str,
    direct: bool,
    published: date | None,
    *,
    negated_cue: str | None = None,
) -> str:
    """'Keir Starmer said, as reported on 7 January 2026, that the meeting had made progress'.

    The date is the article's (the statement may be older; "as reported on" says no more). A
    negated cue is kept as written: "Russia has not commented on the declaration" is 'Russia has
    not commented, as reported on ..., on the declaration', never 'Russia commented'.
    """
    what = quote.strip().rstrip(" ,;:")
    if not direct:
        what = _lower_first(_LEADING_THAT.sub("", what))
    if what[-2:] in (',"', ",”"):
        what = what[:-2] + what[-1]  # '"the toughest phase is still ahead,"'
    when = f", as reported on {_day(published)}," if published else ""
    speaker = _speaker_in_statement(who)
    if lemma == "according to":
        return f"According to {speaker}{when} {what}".replace(",,", ",")
    verb = " ".join(negated_cue.split()) if negated_cue else _past_tense(lemma)
    if direct:
        return f"{speaker} {verb}{when or ','} {what}"
    takes_object = (
        lemma in _OBJECT_CUES
        or (" " in lemma and lemma not in _CLAUSE_PHRASES)
        or not _has_finite_verb(what)  # "reiterated Ukraine's ambition to join by 2027"
    )
    opens = (
        "to ",
        "of ",
        "about ",
        "whether ",
        "if ",
        "how ",
        "what ",
        "why ",
        "when ",
        "where ",
        "who ",
    )
    joiner = " " if takes_object or what.startswith(opens) else " that "
    return f"{speaker} {verb}{when}{joiner}{what}"


# contents that need no "that" before them ("did not say whether the ferry would run")
_OPENS_ITSELF = (
    "to ", "of ", "about ", "whether ", "if ", "how ", "what ", "why ", "when ", "where ", "who ",
)  # fmt: skip


def _speaker_in_statement(who: str | None) -> str:
    """Who a statement names: the speaker, "An unnamed source" when there is none, and for a
    pronoun the rules could not resolve, the pronoun in quotation marks ('A source the article
    calls "it"'), so that the statement stands alone without passing "It" off as a name."""
    speaker = (who or "An unnamed source").strip(" ,")
    if speaker.casefold() in PRONOUNS:
        pronoun = speaker if speaker == "I" else speaker.casefold()
        return f'A source the article calls "{pronoun}"'
    return speaker


# Cues that take an object rather than a "that" clause ("called the plan a disaster"); phrasal
# cues such as "called for" and "talked about" do too.
_OBJECT_CUES = _words(
    """
    call describe praise criticize criticise blame attack blast slam mock dismiss reject
    oppose endorse defend accuse urge condemn denounce decry question want plan intend
    promise pledge vow threaten propose demand agree hail tout cite back support discuss
    express recommend advocate characterize label dub brand applaud highlight echo rebut
    refute challenge consider decide decline refuse offer seek see lament
    """
)


# A finite verb somewhere in a content (an auxiliary, a modal, a past or a third-person form):
# without one the content is a noun phrase ("Ukraine's ambition to gain EU membership by 2027"),
# which "that" would turn into a fragment.
_FINITE = re.compile(
    r"\b(?:is|are|was|were|am|be|been|has|have|had|will|would|can|could|should|shall|must|may|"
    r"might|do|does|did|won't|can't|isn't|aren't|wasn't|weren't|hasn't|haven't|didn't|doesn't|"
    r"don't|[a-z]{2,}ed|said|made|took|gave|went|came|saw|knew|got|found|told|"
    r"thought|became|left|felt|brought|began|kept|held|stood|ran|won|lost|met|paid|sent|spent|"
    r"built|fell|rose|led|cut|hit|put|set|remain|need|want|think|believe|know|say|support|"
    r"oppose|continue|expect|plan|agree)\b|['’](?:s|re|ll|ve|d)\s+(?:been|not|a|an|the|to|\w+ed|"
    r"\w+ing)\b",
    re.IGNORECASE,
)

_FINITE_LOWERCASE = re.compile(_FINITE.pattern)  # no capitals in it


def _has_finite_verb(content: str) -> bool:
    """Whether :data:`_FINITE` matches ``content``: in text of ASCII and caseless marks, found
    case-sensitively in the lower-cased text (the same answer, see ``_CASED_BEYOND_ASCII``), a
    third of the time of a case-blind search."""
    if _CASED_BEYOND_ASCII.search(content) is None:
        return _FINITE_LOWERCASE.search(content.lower()) is not None
    return _FINITE.search(content) is not None


_IRREGULAR_PAST = {
    "say": "said", "tell": "told", "write": "wrote", "think": "thought", "show": "showed",
    "find": "found", "seek": "sought", "see": "saw", "call": "called", "back": "backed",
    "put it": "put it", "go on to say": "went on to say", "sign": "said", ":": "said",
}  # fmt: skip


_CLAUSE_PHRASES = frozenset({"point out", "go on to say", "put it", "according to"})


def _past_tense(lemma: str) -> str:
    """The simple past of a cue lemma: "say" -> "said", "call for" -> "called for"."""
    if lemma in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[lemma]
    first, _, rest = lemma.partition(" ")
    past = _IRREGULAR_PAST.get(first) or _simple_past(first)
    return f"{past} {rest}" if rest else past


@lru_cache(maxsize=2048)
def _simple_past(verb: str) -> str:
    """lemminflect's simple past of ``verb`` ("speak" -> "spoke"), else the regular -ed form."""
    from lemminflect import getInflection

    found = getInflection(verb, tag="VBD")
    return str(found[0]) if found else _inflect(verb)[2]


_SENTENCE_STARTERS = _words(
    """
    The A An It This That These Those There We They He She In On At If When As But And Our
    Their His Her Its Some Many Most No Not What Why How
    """
)


def _lower_first(value: str) -> str:
    """``value`` with a sentence-initial common word lowercased ("The plan" -> "the plan")."""
    first, _, rest = value.partition(" ")
    return f"{first.lower()} {rest}" if first in _SENTENCE_STARTERS and rest else value
