"""Which relation a sentence that speaks about an item bears to it, by cue words and factuality.

Called only for the sentence the relatedness model found to speak about the item (see
:mod:`claimtrack.tracking.rules`). The conditions of each relation are written in
:mod:`claimtrack.statuses` beside the relation list; here they are checked in order, first match
wins:

commitments
  1. ``triggers``: the item waits on a condition, the sentence speaks of that condition, and
     reports it as having happened;
  2. ``retracts`` / ``stalls`` / ``contradicts`` / ``finalizes`` / ``advances``: a cue of the
     relation that the sentence reports as having happened (``advances`` also when under way),
     done by the item's actor and on its thing (not another named before it in its clause, nor
     "signed a letter opposing the deal");
  3. ``contradicts``: a commitment not to do something ("would not sell") whose own verb the
     sentence reports as done, under way or planned; ``mentions`` when it said "unless";
  4. ``fulfils``: a completion cue, or the item's own kind of event, reported as having happened;
  4. ``repeats``: the sentence restates the plan as still to come (no evidence it moved);
claims
  1. ``retracts``: the speaker with a walking-back cue that happened;
  2. ``contradicts``: a denial or refutation cue in the clause of the claim's event, with a
     quarter of the claim's words, when the claim does not itself deny (a denial said again is
     ``repeats``), or the claim said the event would not happen and the sentence reports it as
     fact;
  3. ``corroborates``: a confirmation cue, or another source reporting the item's kind of event as
     having happened (a prediction whose event the sentence says was avoided or averted is
     ``contradicts``);
  4. ``repeats``: the same speaker says it again (half the claim's words in the sentence).

A cue counts only in the clause of the item's event word; an adjective before a noun
("profitable ventures") is no report of its event; "still", "not yet" or "yet to" before a verb
make it unfinished; a commitment whose verb is a state ("required approval") is never done. A
commitment reported done by an article dated after its deadline is left as ``mentions``
(:mod:`claimtrack.tracking.rules`).

Anything else is ``mentions``: the article speaks about the item, the reviewer picks the relation.
A cue in a sentence that says the event may, will, would or should happen, or happens only on a
condition, never makes ``finalizes``, ``fulfils`` or ``triggers``: that is the factuality check
(:mod:`claimtrack.tracking.factuality`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from claimtrack.extraction.deadlines import MONTHS
from claimtrack.statuses import NEEDS_A_FACT
from claimtrack.tracking.factuality import Factuality, assess, predicate_heads
from claimtrack.tracking.factuality_words import (
    AUXILIARIES,
    DETERMINERS,
    PREPOSITIONS,
    REPORTING,
    WEEKDAYS,
    tokenize,
)
from claimtrack.tracking.retrieval import terms
from claimtrack.tracking.signals import (
    ItemProfile,
    ItemView,
    SentenceProfile,
    committed_action,
    entities_in,
    families_in,
    named_in,
    numbers_in,
    word_families,
)


def _cue(*words: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)


FINALIZE = _cue(
    r"signed", r"sign(?:s|ing)? off", r"approved", r"finali[sz]ed", r"ratified", r"passed",
    r"sealed", r"agreed to (?:the )?(?:deal|terms)", r"reached (?:an|a final) (?:agreement|deal)",
    r"closed the deal", r"enacted", r"adopted",
)  # fmt: skip
FULFIL = _cue(
    r"completed", r"delivered", r"fulfill?ed", r"carried out", r"implemented", r"went ahead",
    r"finished",
)  # fmt: skip
CONTRADICT = _cue(
    r"rejected", r"denied", r"denies", r"refused", r"failed", r"fails", r"voted (?:down|against)",
    r"ruled out", r"disputed", r"refuted", r"untrue", r"false", r"contrary to", r"collapsed",
)  # fmt: skip
RETRACT = _cue(
    r"cancell?ed", r"abandon(?:ed|s)", r"scrapped", r"withdr[ea]w[n]?",
    r"dropped (?:the|its|their|his|her|a) (?:plan|bid|offer|proposal|deal|idea|claim|pledge)",
    r"backed (?:out|down|away)", r"reversed", r"retracted", r"called off", r"walked back",
    r"apologi[sz]ed",
)  # fmt: skip
STALL = _cue(
    r"postponed", r"delayed", r"stalled", r"suspended", r"put on hold", r"deferred", r"halted",
    r"pushed back", r"blocked",
)  # fmt: skip
ADVANCE = _cue(
    r"began", r"begun", r"started", r"under ?way", r"in progress", r"moved forward",
    r"first phase", r"is proceeding", r"moving (?:ahead|forward) with",
)  # fmt: skip
CORROBORATE = _cue(r"confirmed", r"confirms", r"verified", r"corroborated", r"as predicted")
AVERT = _cue(
    r"avoid(?:ed|s|ing)?", r"avert(?:ed|s|ing)?", r"stave[sd]? off", r"staving off",
    r"escap(?:ed|es|ing) (?:a |an |the )?", r"narrowly missed", r"prevent(?:ed|s|ing)?",
)  # fmt: skip  # "avoided bankruptcy": the event named did not happen
DENIAL = _cue(
    r"denied", r"denies", r"deny", r"ruled out", r"rules out", r"dismissed", r"no plans? to",
    r"not going to", r"will not", r"won't", r"would not", r"wouldn't", r"never",
)  # fmt: skip  # a claim that says its event will not or did not happen

SAME_WORDS = 0.5  # a sentence with half the item's words is about it, whatever its verb
EVENT_WORDS = 0.1  # the least share of a commitment's words in a sentence that reports it done
DENIAL_WORDS = 0.25  # a denial contradicts a claim only in a sentence with a quarter of its words
# verbs of a state, not of an act: "the commitments required approval" is never "done" by a
# later "still required approval" (lemmas, as lemminflect gives them)
STATIVE = frozenset({
    "require", "need", "remain", "want", "hope", "expect", "intend", "include", "contain",
    "consist", "depend", "involve", "seem", "appear", "belong", "own", "know", "believe",
    "wish", "lack", "deserve", "mean", "envision", "envisage",
})  # fmt: skip
# "still", "not yet", "yet to" right before a verb: the act is unfinished, whatever its tense
# ("has still not finalized", "still required approval", "is yet to sign")
_UNFINISHED = re.compile(
    r"\b(?:still|not yet|yet to|has yet|have yet|had yet)\s+(?:\w+\s+){0,2}$", re.IGNORECASE
)

# commitments: the cue relations, in the order they are tried
COMMITMENT_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("retracts", RETRACT),
    ("stalls", STALL),
    ("contradicts", CONTRADICT),
    ("finalizes", FINALIZE),
    ("advances", ADVANCE),
    ("fulfils", FULFIL),
)


@dataclass(frozen=True)
class RelationVerdict:
    relation: str
    reason: str
    factuality: Factuality | None = None


Event = tuple[tuple[int, int], tuple[int, int]]  # the event word, and the predicate reporting it


def _family_span(profile_families: frozenset[str], sentence: str) -> Event | None:
    """The predicate that reports the event one of the families names in ``sentence``: the word
    itself when it is a verb ("the plant closed"), else the verb nearest it ("a ceasefire may be
    reached", "reached a ceasefire") — the one whose factuality is the event's."""
    if not profile_families:
        return None
    words = list(re.finditer(r"[A-Za-z][\w'’-]*", sentence))
    for at, match in enumerate(words):
        if word_families(match.group(0)) & profile_families:
            following = words[at + 1] if at + 1 < len(words) else None
            if (
                following is not None
                and sentence[match.end() : following.start()] == " "
                and _attributive(match.group(0), following.group(0))
            ):
                continue  # "GM's profitable ventures": a kind of venture, not a profit
            return match.span(), _predicate_near(sentence, match.span())
    return None


@lru_cache(maxsize=20_000)
def _attributive(word: str, following: str) -> bool:
    """Whether ``word`` is an adjective that only describes the noun after it ("profitable
    ventures", "bankrupt carmaker"): lemminflect's tables know it as an adjective, and the next
    word is a noun (or a word the tables do not know), not a function word or an adverb."""
    from lemminflect import getAllLemmas

    if not getAllLemmas(word.lower(), upos="ADJ") or getAllLemmas(word.lower(), upos="VERB"):
        return False  # "closed plants" may be the closing: a verb form keeps its event
    noun = following.lower()
    if noun in _NOT_NOUNS or noun.endswith("ly"):
        return False
    known = any(getAllLemmas(noun, upos=tag) for tag in ("ADJ", "ADV", "AUX", "VERB"))
    return bool(getAllLemmas(noun, upos="NOUN")) or not known


_NOT_NOUNS = frozenset(
    {*PREPOSITIONS, *DETERMINERS, *AUXILIARIES, *REPORTING, "and", "or", "but", "than", "as",
     "to", "if", "when", "because", "since", "so", "while", "after", "before", "enough"}
)  # fmt: skip


_CLAUSE_BREAK = re.compile(
    r"[;:]|[.!?]\s|,\s*(?:and|but|while|whereas|although|though|yet)\s+(?-i:(?![A-Z]))"
    r"|\s(?:but|while|whereas|although)\s",
    re.IGNORECASE,
)


def _cue_by(pattern: re.Pattern[str], sentence: str, word: tuple[int, int]) -> re.Match[str] | None:
    """The first cue of ``pattern`` in the same clause as the event ``word``: "he refused to
    let them become wards of the state, and described the bankruptcy" does not deny the
    bankruptcy."""
    for cue in pattern.finditer(sentence):
        first, second = sorted((cue.span(), word))
        if not _CLAUSE_BREAK.search(sentence[first[1] : max(first[1], second[0])]):
            return cue
    return None


def _predicate_near(sentence: str, span: tuple[int, int]) -> tuple[int, int]:
    tokens = tokenize(sentence)
    heads = predicate_heads(tokens)
    at = next((i for i, (start, _) in enumerate(tokens.spans) if start >= span[0]), None)
    if at is None or not heads:
        return span
    nearest = min(heads, key=lambda head: (abs(head - at), head < at))
    return tokens.spans[nearest] if nearest != at else span


def _happened(sentence: str, span: tuple[int, int] | None) -> Factuality:
    return assess(sentence, span)


NOT_DONE_LABELS = frozenset({"conditional", "planned", "possible", "negated", "demanded"})


def _done(sentence: str, cue: tuple[int, int] | None, event: Event | None) -> Factuality | None:
    """The factuality of a done-relation's evidence when it holds: the cue reported as having
    happened, the item's own event too (when the sentence names it: its predicate happened, the
    word itself not denied, as in "no ceasefire was reached"), and no predicate of the sentence
    planned, possible, conditional, denied or demanded ("signed a declaration ... in the event a
    peace deal is reached" is not a deal, nor a condition met; "the government will give GM
    $30 billion in addition to the funds it has received" is not aid given). Strict on purpose:
    a done-relation missed is left to the reviewer as ``mentions``; one proposed wrongly may be
    accepted. None when it does not hold."""
    fact = _happened(sentence, cue)
    if not fact.happened() or (cue is not None and _unfinished(sentence, cue)):
        return None
    if event is not None:
        word, predicate = event
        if _cue_by(AVERT, sentence, word) is not None:
            return None  # "avoided bankruptcy", "averted a strike"
        if _only_named(sentence, word):
            return None  # "before any ceasefire", "an army of 800,000 troops"
        if predicate != cue and not _happened(sentence, predicate).happened():
            return None
        if _unfinished(sentence, predicate):
            return None
        if _happened(sentence, word).label == "negated":
            return None
    after = predicate[1] if event is not None else None
    if any(
        label in NOT_DONE_LABELS and not _purpose_of(sentence, after, span, label)
        for label, span in _predicates(sentence)
    ):
        return None
    return fact


# "voted on Tuesday to approve": an infinitive right after the event's own verb (a few words of
# time or manner between, no comma) says what the act was for, not another event still to come
_PURPOSE = re.compile(r"\s+(?:[\w'’-]+\s+){0,3}?to\s+$")


def _purpose_of(sentence: str, after: int | None, span: tuple[int, int], label: str) -> bool:
    """Whether a planned predicate at ``span`` is the purpose of the event's verb ending at
    ``after`` ("voted on Tuesday to approve the deployment": the vote is done; "decided to deploy
    troops" stays no deployment, as there the event's own verb is the planned one)."""
    if after is None or label != "planned" or span[0] <= after:
        return False
    return _PURPOSE.fullmatch(sentence[after : span[0]]) is not None


def _predicates(sentence: str) -> list[tuple[str, tuple[int, int]]]:
    """The factuality label and span of every predicate of ``sentence``."""
    tokens = tokenize(sentence)
    return [
        (assess(sentence, tokens.spans[head]).label, tokens.spans[head])
        for head in predicate_heads(tokens)
    ]


# A noun after these is no event that happened: a time still to come ("before any ceasefire",
# "until a deal"), a condition ("without a vote"), what another noun is made of ("an army of
# 800,000 troops"; "the signing of the deal" keeps its own event, "signing"), or a time told by
# an event, which reports none ("its first new model since the recall").
_NOT_HAPPENING_BEFORE = frozenset(
    {"before", "until", "till", "pending", "without", "unless", "prior", "awaiting", "of", "since"}
)
_NOUN_PHRASE = frozenset({*DETERMINERS, "no", "all", "more", "fewer", "future"})
# a noun of the event qualified as not come about: "talks with two potential buyers" is no sale,
# "a claim over the planned early closure of its plant" no closure (strict: "the promised vote
# was held" is left to the reviewer too)
_NOT_COME_ABOUT = frozenset(
    {"potential", "possible", "prospective", "would-be", "hypothetical", "planned", "proposed",
     "expected", "intended", "scheduled", "upcoming", "forthcoming", "promised", "threatened",
     "mooted", "pending"}
)  # fmt: skip


def _only_named(sentence: str, word: tuple[int, int]) -> bool:
    """Whether the event word, a noun, stands where no event is reported: after "before",
    "until", "without" or "of" (its determiners, numbers and adjectives skipped back over), or
    qualified as possible ("potential buyers", "a possible merger"); a gerund there ("before
    signing") is no event either."""
    for previous in reversed(list(_TOKEN.finditer(sentence, 0, word[0]))):
        token = previous.group(0).lower()
        if token in _NOT_COME_ABOUT:
            return True
        if token in _NOUN_PHRASE or token[:1].isdigit() or _modifier(token):
            continue  # "any", "800,000", "a formal", "early"
        return token in _NOT_HAPPENING_BEFORE
    return False


@lru_cache(maxsize=20_000)
def _modifier(word: str) -> bool:
    """An adjective or participle before a noun ("formal", "signed", "early"), as lemminflect
    knows it, or a word in -ed or -al."""
    from lemminflect import getAllLemmas

    return word.endswith(("ed", "al")) or bool(getAllLemmas(word, upos="ADJ"))


def _unfinished(sentence: str, span: tuple[int, int]) -> bool:
    """Whether "still", "not yet" or "yet to" stands within two words before ``span``."""
    return _UNFINISHED.search(sentence, 0, span[0]) is not None


def predicate_labels(sentence: str) -> list[str]:
    """The factuality label of every predicate of ``sentence``."""
    return [label for label, _ in _predicates(sentence)]


_VERB = re.compile(r"[A-Za-z][a-z]+")
_NOT_VERBS = frozenset({"also", "not", "soon", "then", "be", "the", "a", "an", "more", "further"})


def _own_verb(item: ItemProfile, sentence: str) -> Event | None:
    """The commitment's own verb in any form in ``sentence`` ("will build the ring road" →
    "built", "will build"), as an event whose factuality tells whether it was done.
    Inflections from lemminflect's tables."""
    lemma = _own_lemma(committed_action(item.item))
    return _verb_in([lemma], sentence) if lemma else None


# The two sides of one kind of event (a family holds both: "sell" and "buy" are one sale). A
# commitment is not reported done by the other side: "the government will buy bad loans" and
# "the government sold its shares" are two deals. "Cerberus bought Chrysler" for "Daimler will
# sell Chrysler" is left to the reviewer too: who did which side, the rules cannot tell.
_SIDES = (
    (frozenset({"sell", "divest", "dispose"}), frozenset({"buy", "purchase", "acquire"})),
    (frozenset({"lend"}), frozenset({"borrow"})),
    (frozenset({"hire", "recruit"}), frozenset({"fire", "lay", "dismiss"})),
)


def _converse(action: str, word: str) -> bool:
    """Whether the reported event ``word`` is the other side of the commitment's own verb."""
    own = _own_lemma(action)
    reported = _lemma_of(word)
    return own is not None and any(
        (own in one and reported in other) or (own in other and reported in one)
        for one, other in _SIDES
    )


@lru_cache(maxsize=20_000)
def _own_lemma(action: str) -> str | None:
    """The lemma of the action's verb: the first of its first three words that is not a
    function word ("will build the ring road" → "build"), or, when the action opens with a noun
    phrase ("the ring road contract required approval"), the first predicate after it. None when
    there is none, or when the verb is of a state ("require"): a state is never done."""
    words = _VERB.findall(action)
    if words and (words[0].lower() in DETERMINERS or words[0][0].isupper()):
        # a noun phrase first ("the ring road contract required", "Bank of America fared")
        tokens = tokenize(action)
        heads = predicate_heads(tokens)
        words = [action[slice(*tokens.spans[heads[0]])]] if heads else []
    for word in words[:3]:
        if word.lower() in _NOT_VERBS:
            continue
        lemma = _lemma_of(word)
        return None if lemma in STATIVE else lemma
    return None


def condition_reported(item: ItemProfile, sentence: SentenceProfile) -> Factuality | None:
    """The factuality of ``sentence`` as a report that the item's condition happened: the
    condition's own (first) verb, in any form, reported as done ("once the river level falls" → "the
    river level fell"), no denial of its event word ("no ceasefire was reached"), nothing in
    the sentence planned, possible, conditional, denied or demanded. A condition without a verb
    of its own ("in the event of a peace deal") is met by its event word reported as done.
    None when not."""
    text = sentence.text
    condition = item.item.condition or ""
    verb = _verb_in(_content_verbs(condition)[:1], text)
    if verb is not None:
        word = _family_span(item.condition_families, text)
        fact = _done(text, verb[1], verb)
        if fact is not None and word is not None and _happened(text, word[0]).label == "negated":
            return None
        return fact
    event = _family_span(item.condition_families, text)
    # the condition's verb is not in the sentence: another event, unless the sentence says its
    # event came about in other words ("once a ceasefire is reached" → "a ceasefire took effect
    # at midnight")
    if event is None or (_content_verbs(condition) and not _came_about(text, event[0])):
        return None
    return _done(text, event[1], event)


# An event come about, said of it right after its word (maybe after who was party to it): "the
# truce took effect", "a ceasefire between the two armies came into force", "a peace deal was
# signed on Monday" (not "ceasefire talks continued", "hopes of a ceasefire faded").
_CAME_ABOUT = re.compile(
    r"(?:\s+(?:between|among|in|on|with|for|of)\s+[^,.;:]{1,60}?)?(?:\s+[A-Za-z]+ly)?\s+(?:"
    r"(?:took|has\s+taken|had\s+taken)\s+(?:effect|hold)"
    r"|(?:came|has\s+come|had\s+come)\s+into\s+(?:force|effect)"
    r"|(?:was|were|has\s+been|had\s+been)\s+(?:finally\s+|formally\s+)?(?:reached|agreed|signed|"
    r"declared|concluded|brokered|struck|established))\b",
    re.IGNORECASE,
)


def _came_about(sentence: str, word: tuple[int, int]) -> bool:
    """Whether the event word at ``word`` is said to have come about right after it."""
    return _CAME_ABOUT.match(sentence, word[1]) is not None


_CONDITION_WORDS = frozenset({"once", "if", "when", "after", "unless", "until", "in", "the",
                              "event", "of", "a", "an", "is", "are", "was", "were", "be", "been",
                              "should", "as", "soon", "provided", "that", "there"})  # fmt: skip


@lru_cache(maxsize=20_000)
def _content_verbs(text: str) -> tuple[str, ...]:
    """The lemmas of the words of ``text`` that lemminflect knows as verbs, function words left
    out ("once a ceasefire is reached" → ["reach"])."""
    from lemminflect import getAllLemmas

    verbs = []
    for word in _VERB.findall(text.lower()):
        if word in _CONDITION_WORDS:
            continue
        lemmas = getAllLemmas(word, upos="VERB")
        if lemmas and word not in getAllLemmas(word, upos="NOUN").get("NOUN", ()):
            verbs.append(lemmas["VERB"][0])
    return tuple(verbs)


@lru_cache(maxsize=20_000)
def _verb_forms(lemma: str) -> tuple[re.Pattern[str], ...]:
    """Every form of the verb ``lemma`` (lemminflect's tables), longest first, as whole-word
    patterns."""
    from lemminflect import getAllInflections

    forms = {lemma, *(f for fs in getAllInflections(lemma, upos="VERB").values() for f in fs)}
    return tuple(
        re.compile(rf"\b{re.escape(form)}\b", re.IGNORECASE)
        for form in sorted(forms, key=lambda form: (-len(form), form))
    )


def _verb_in(lemmas: Sequence[str], sentence: str) -> Event | None:
    """The first form of one of the verbs ``lemmas`` used as a verb in ``sentence``: not after a
    determiner or a possessive ("the release", "new features", "Apple's offering"), and an -ing
    form only after "be" or a preposition ("is offering", "after offering"; not "services
    offering")."""
    for lemma in lemmas:
        for form in _verb_forms(lemma):
            for found in form.finditer(sentence):
                if _used_as_verb(sentence, found):
                    return found.span(), found.span()
    return None


_BEFORE_GERUND = frozenset(
    {*AUXILIARIES, *PREPOSITIONS, "after", "before", "by", "while", "when", "without", "began",
     "started", "begun", "stopped", "continued", "keep", "kept"}
)  # fmt: skip


def _used_as_verb(sentence: str, found: re.Match[str]) -> bool:
    before = _VERB.findall(sentence[: found.start()])
    previous = before[-1].lower() if before else ""
    if previous in DETERMINERS or re.search(r"['’]s?\s*$", sentence[: found.start()]):
        return False
    if found.group(0).lower().endswith("ing"):
        return previous in _BEFORE_GERUND
    return True


def commitment_relation(
    item: ItemProfile,
    sentence: SentenceProfile,
    *,
    condition_met: float,
    condition_min: float,
    named: bool,
    words: float = 0.0,
) -> RelationVerdict:
    """``named``: the sentence names the item's speaker, an actor, or what the item is about;
    ``words``: the share of the item's (idf-weighted) words the sentence has."""
    text = sentence.text
    view = item.item
    event = _family_span(item.families, text)
    waiting = view.status in (None, "awaiting_trigger")
    if view.condition and waiting and condition_met >= condition_min:
        fact = condition_reported(item, sentence)
        if fact is not None:
            return RelationVerdict("triggers", "its condition reported as happened", fact)
    own = event or _own_verb(item, text)
    about_it = own is not None or words >= SAME_WORDS
    for relation, pattern in COMMITMENT_CUES:
        # whose plan, and which: the actor or object named, and the commitment's own kind of
        # event or most of its words in the sentence ("a bailout was rejected" does not
        # contradict "will cut jobs"; "postponed the new ring road" stalls "will build the ring
        # road")
        if not (named and about_it):
            continue
        cue = _cue_by(pattern, text, own[0]) if own is not None else pattern.search(text)
        if cue is None:
            continue
        if _acts_on_another(item, text, cue):
            continue  # "signed a letter opposing the deal", "Delta signed; the council has not"
        if relation in SETBACKS and _denied_setback(text, cue):
            # "denied reports that it had abandoned the road": the setback is what is denied
            return RelationVerdict("mentions", f"a setback denied ('{cue.group(0)}')")
        if relation in NEEDS_A_FACT:
            fact = _done(text, cue.span(), event)
            if fact is not None and _tells_history(text, cue.span(), view.reported):
                fact = None
            if fact is not None:
                return RelationVerdict(relation, f"'{cue.group(0)}', reported as done", fact)
            continue
        fact = _happened(text, cue.span())
        if fact.happened() or (relation == "advances" and fact.label == "ongoing"):
            return RelationVerdict(relation, f"'{cue.group(0)}', reported as having happened", fact)
    refused = _refused(item)
    if refused is not None:  # "said it would not give more aid": doing it is no fulfilment
        verb = _own_verb(item, text) if named else None
        if verb is None:
            return RelationVerdict("mentions", "speaks about it; the relation is for the reviewer")
        fact = _happened(text, verb[1])
        if fact.label not in ("happened", "planned", "ongoing") or _UNLESS.search(
            view.condition or ""
        ):  # "would not give aid unless ...": done, the condition may have been met
            return RelationVerdict("mentions", "speaks about it; the relation is for the reviewer")
        word = text[verb[0][0] : verb[0][1]]
        return RelationVerdict(
            "contradicts", f"it said it would not ('{refused}'); '{word}' {fact.label}", fact
        )
    if named:
        for mention in _event_mentions(item, text, event):
            done = _done_by(item, sentence, mention, words)
            if done is not None:
                return done
    event = own if named else event
    if event is not None:
        fact = _happened(text, event[1])
        # the plan said again, a link no one reviews: in half its words ("their forces would
        # only deploy after a ceasefire" restates no plan of the United States to monitor one),
        # and another amount is another plan ("would cut 13,000 jobs" is not "will cut 30,000")
        if fact.label in ("planned", "conditional") and _said_again(item, sentence, words):
            return RelationVerdict("repeats", f"the plan restated ({fact.label})", fact)
    return RelationVerdict("mentions", "speaks about it; the relation is for the reviewer")


_TOKEN = re.compile(r"[A-Za-z][\w'’-]*")
_CALENDAR = WEEKDAYS | frozenset(MONTHS)  # "On Monday, the council signed": a day is no one
_PASSING = frozenset(
    {"off", "up", "out", "down", "back", "to", "formally", "finally", "officially"}
)


def _acts_on_another(item: ItemProfile, sentence: str, cue: re.Match[str]) -> bool:
    """Whether the cue's act is another's or on another thing than the item's: its clause names
    someone before it but not the item's actor ("Delta Builders signed the deal, but the council
    has yet to"), or its object is a thing the item does not speak of ("signed a letter opposing
    the deal"; "signed the deal", "was signed on Monday" are the item's)."""
    start, end = _clause_around(sentence, cue.span())
    before = sentence[start : cue.start()]
    if entities_in(before) - _CALENDAR and not named_in(item, sentence[start:end]):
        return True  # ("On Monday, the council signed": a day is no one)
    acted_on, _ = _object_words(sentence, cue.end(), end)
    # "was signed on Monday", "signed into law": no object, the item's act
    return bool(acted_on) and not _the_items(item, acted_on[0])


def _object_words(sentence: str, start: int, end: int) -> tuple[list[str], int]:
    """The words (lower-cased) of what a verb ending at ``start`` acts on, up to a preposition,
    a condition word, a word not all letters or ``end``; determiners, particles and adverbs
    left out. And where the reading stopped."""
    found: list[str] = []
    for token in _TOKEN.finditer(sentence, start, end):
        word = token.group(0).lower()
        if word in DETERMINERS or word in _PASSING or word.endswith("ly"):
            continue
        if word in PREPOSITIONS or word in _CONDITION_WORDS or not word.isalpha():
            return found, token.start()
        found.append(word)
    return found, end


def _the_items(item: ItemProfile, word: str) -> bool:
    """Whether ``word`` is one of the item's own words or of its kind of event."""
    return bool(
        set(terms(word)) & {*item.quote_terms, *item.text_terms}
        or word_families(word) & item.families
    )


# verbs whose object names the act: "take the lead", "hold a ballot", "make an offer"
_LIGHT_VERBS = frozenset(
    {"take", "make", "hold", "have", "give", "do", "get", "carry", "conduct", "put", "set",
     "keep", "play", "pay"}
)  # fmt: skip


@lru_cache(maxsize=20_000)
def _lemma_of(word: str) -> str:
    """The verb lemma of ``word`` (lemminflect), or the word lower-cased ("challenge" of
    "challenges", "challenged")."""
    from lemminflect import getLemma

    return str((getLemma(word.lower(), upos="VERB") or (word.lower(),))[0])


def _the_act_itself(view: ItemView, word: str, words: float) -> bool:
    """Whether the event word reported done is the commitment's own act, not a thing named in
    its object: the families of the action's head (its words up to a determiner or a
    preposition, and through a first preposition when the verb alone names no event: "cut
    30,000 jobs", "file for bankruptcy", "a vote" of "a vote on any deployment be held") must
    include the word's; a head without a family ("take the lead in monitoring any ceasefire
    agreement") needs half the item's words in the sentence instead, or "the declaration was
    signed" would do it by its "agreement". The action's own verb is its act ("will challenge
    the route in court" and "filed a legal challenge"), unless a light verb whose object is the
    act ("take the lead", "hold a ballot")."""
    own = _own_lemma(committed_action(view))
    if own is not None and own not in _LIGHT_VERBS and _lemma_of(word) == own:
        return True
    head = families_in(_head_of(committed_action(view)))
    if head:
        return bool(word_families(word) & head)
    return words >= SAME_WORDS


def _event_mentions(item: ItemProfile, sentence: str, first: Event | None) -> Iterator[Event]:
    """Where ``sentence`` may report the commitment's act: ``first`` (its first word of the
    item's event families), then the commitment's own verb in any form used as a verb, or in
    its bare form as a noun with the verb that reports it ("will challenge the route in court"
    and "after residents filed a legal challenge"; the first family word there is "court", of
    "a court suspended work"). Not the other family words: those of its object are not its act
    ("buy bad loans" is not done by "sold the last of its bad loans")."""
    seen: set[tuple[int, int]] = set()
    if first is not None:
        seen.add(first[0])
        yield first
    lemma = _own_lemma(committed_action(item.item))
    if lemma is None:
        return
    for form in _verb_forms(lemma):
        for match in form.finditer(sentence):
            if match.span() in seen:
                continue
            seen.add(match.span())
            if _used_as_verb(sentence, match) and not _after_adjective(sentence, match.start()):
                yield match.span(), match.span()
            elif match.group(0).lower() in (lemma, lemma + "s"):
                # "a legal challenge": the verb's own noun, reported by "filed" (not a noun in
                # -ing: "its new ferry pass offering" is a thing offered)
                yield match.span(), _predicate_near(sentence, match.span())


def _after_adjective(sentence: str, start: int) -> bool:
    """Whether the word before ``start`` is an adjective (lemminflect's tables) and no verb:
    "a legal challenge" is a noun."""
    from lemminflect import getAllLemmas

    before = re.search(r"([A-Za-z][\w'’-]*)\s+\Z", sentence[:start])
    if before is None:
        return False
    word = before.group(1).lower()
    return bool(getAllLemmas(word, upos="ADJ")) and not getAllLemmas(word, upos="VERB")


def _done_by(
    item: ItemProfile, sentence: SentenceProfile, event: Event, words: float
) -> RelationVerdict | None:
    """``fulfils`` (or ``advances``, one act of several) when ``event`` reports the
    commitment's act done by its actor (the caller's ``named``), on its own thing, in the
    item's amounts, not as history; None otherwise."""
    text = sentence.text
    view = item.item
    word = text[event[0][0] : event[0][1]]
    # who did it matters, and what: its event word with hardly any of the plan's other
    # words is another event of its kind ("the signing" of another document)
    fact = _done(text, event[1], event) if words >= EVENT_WORDS else None
    if fact is not None and _done_to_another(item, text, event):
        fact = None  # "will cut the price" is not done by "cut the cord"
    if fact is not None and not _the_act_itself(view, word, words):
        fact = None  # "take the lead in monitoring any ceasefire agreement": not "signed"
    if fact is not None and _converse(committed_action(view), word):
        fact = None  # "will buy bad loans" is not done by "the government sold its shares"
    if fact is not None and _tells_history(text, event[1], view.reported):
        fact = None  # "In 1998 Apple introduced the iMac": not what it will do
    if fact is not None and _other_amounts(item, sentence):
        fact = None  # "will cut 9,000 jobs" is not "the economy shed 663,000 jobs"
    if fact is None:
        return None
    undone = _acts_not_reported(view, text)
    if undone:
        # "will cut 4,000 jobs and close the Malmo base" and "closed the Malmo base": one of
        # its acts done, work on the plan under way
        return RelationVerdict(
            "advances", f"one of its acts ('{word}') reported as done, not '{undone}'", fact
        )
    return RelationVerdict("fulfils", f"its event ('{word}') reported as done", fact)


def _acts_not_reported(view: ItemView, sentence: str) -> str | None:
    """A kind of event the commitment's action joins to another with "and" ("cut 4,000 jobs
    and close the base": job cuts and a closure) that ``sentence`` does not name, or None. An
    act is the first word of a joined part; a participle in the object is none ("recall all
    X9 phones sold in Europe" is one act)."""
    acts = [
        first.group(0)
        for part in re.split(r"\s+and\s+|,\s+", committed_action(view))
        if (first := _TOKEN.search(part)) is not None and word_families(first.group(0))
    ]
    if len(acts) < 2:
        return None
    found = families_in(sentence)
    return next((act for act in acts if not word_families(act) & found), None)


def _head_of(action: str) -> str:
    """The action up to its first determiner or preposition after a word of its own; through a
    first preposition ("file for bankruptcy") and a first determiner ("hold a ballot", "carry
    out a review") when the words before it name no event: a light verb's object is its act."""
    kept: list[str] = []
    through = past_determiner = False
    for token in _TOKEN.finditer(action):
        lowered = token.group(0).lower()
        if kept and lowered in DETERMINERS:
            if past_determiner or families_in(" ".join(kept)):
                break
            past_determiner = True
        if kept and lowered in PREPOSITIONS:
            if through or families_in(" ".join(kept)):
                break
            through = True
        if lowered not in DETERMINERS:
            kept.append(token.group(0))
    return " ".join(kept)


def _done_to_another(item: ItemProfile, sentence: str, event: Event) -> bool:
    """Whether the event's verb is done to another thing than the item's: the words of its
    object, up to a preposition or the clause's end, name nothing of the item ("the price will
    be cut by $200" is not done by "allowing users to cut the cord between their devices";
    "cut 30,000 jobs", "filed for bankruptcy", "released the new iPhones" are the item's). Only
    a verb is read: an event noun's next word is its own verb ("the layoffs began")."""
    word = event[0]
    before = re.search(r"([\w'’]+)\W*\Z", sentence[: word[0]])
    previous = before.group(1).lower() if before else ""
    if previous in DETERMINERS or previous in PREPOSITIONS or previous.endswith(("'s", "’s")):
        return False  # "posted a profit", "the cuts": a noun
    acted_on, stop = _object_words(sentence, word[1], _clause_around(sentence, word)[1])
    if not acted_on or any(_the_items(item, found) for found in acted_on[:3]):
        return False
    return not re.search(r"\d", sentence[word[1] : stop])  # "cut 2,000 of its workers"


def _clause_around(sentence: str, span: tuple[int, int]) -> tuple[int, int]:
    """The bounds of the clause (as :data:`_CLAUSE_BREAK` cuts them) that holds ``span``."""
    start, end = 0, len(sentence)
    for found in _CLAUSE_BREAK.finditer(sentence):
        if found.end() <= span[0]:
            start = found.end()
        elif found.start() >= span[1]:
            end = found.start()
            break
    return start, end


SETBACKS = frozenset({"retracts", "stalls", "contradicts"})
_DENIES = _cue(r"denied", r"denies", r"deny", r"dismissed", r"rejected", r"refuted")


def _denied_setback(sentence: str, cue: re.Match[str]) -> bool:
    """Whether a setback cue is one a denial in its clause denies: "denied reports that it had
    abandoned the ring road" (the denial and a second setback, or the denial of reports)."""
    for denial in _DENIES.finditer(sentence):
        later = [
            other
            for pattern in (RETRACT, STALL, CONTRADICT)
            for other in pattern.finditer(sentence, denial.end())
        ]
        if denial.start() <= cue.start() and later:
            first = min(later, key=lambda other: other.start())
            if not _CLAUSE_BREAK.search(sentence[denial.end() : first.start()]):
                return True
    return False


_UNLESS = re.compile(r"\b(?:unless|until|except)\b", re.IGNORECASE)


def _refused(item: ItemProfile) -> str | None:
    """The words of a commitment's own verb when its quote says the actor will not do it ("said
    it would not give more financial aid"); None otherwise."""
    return _refused_in(item.item.quote, committed_action(item.item))


_NEGATION = re.compile(r"\b(?:not|never|no)\b|n['’]t\b", re.IGNORECASE)


@lru_cache(maxsize=20_000)
def _refused_in(quote: str, action: str) -> str | None:  # per item, not per sentence
    if not _NEGATION.search(quote):
        return None  # most quotes: no factuality to read
    lemma = _own_lemma(action)
    verb = _verb_in([lemma], quote) if lemma else None
    if verb is None or _happened(quote, verb[1]).label != "negated":
        return None
    return quote[verb[0][0] : verb[0][1]]


def claim_relation(
    item: ItemProfile,
    sentence: SentenceProfile,
    *,
    same_speaker: bool,
    named: bool,
    words: float = 0.0,
) -> RelationVerdict:
    """``named``: the sentence names the claim's speaker, an actor, or what it is about;
    ``words``: the share of the claim's (idf-weighted) words the sentence has.

    Corroboration settles a prediction, a fear or an expectation ("GM may file for
    bankruptcy" → "GM filed for bankruptcy"); a claim that already reported a fact, said again,
    is a restatement (``repeats``, a link), not new evidence; a claim that its event will not or
    did not happen ("the minister denied the plant would close") is contradicted when the event
    is reported as fact. The same speaker saying something about it is ``repeats`` only when
    the sentence restates the claim (half its words): a speaker's next remark on the story is
    not the claim said again."""
    text = sentence.text
    cue = RETRACT.search(text)
    if cue and same_speaker:
        fact = _happened(text, cue.span())
        if fact.happened():
            return RelationVerdict("retracts", f"the speaker with '{cue.group(0)}'", fact)
    if not named:
        return RelationVerdict("mentions", "speaks about it; the relation is for the reviewer")
    event = _family_span(item.families, text)
    # a denial or a confirmation of what? the claim's own kind of event must be in the sentence,
    # with a quarter of its words; and a claim that itself denies ("Putin ruled out troops") is
    # said again, not contradicted, by another denial ("the Kremlin ruled out troops")
    cue = _cue_by(CONTRADICT, text, event[0]) if event is not None else None
    if cue and words >= DENIAL_WORDS:
        if not _denies(item.item.quote, item.item.text):
            return RelationVerdict("contradicts", f"'{cue.group(0)}'")
        if words >= SAME_WORDS:
            return RelationVerdict("repeats", f"denied again ('{cue.group(0)}')")
        return RelationVerdict("mentions", "speaks about it; the relation is for the reviewer")
    cue = _cue_by(CORROBORATE, text, event[0]) if event is not None else None
    if cue:
        return RelationVerdict("corroborates", f"'{cue.group(0)}'")
    reported = _done(text, event[1], event) if event is not None else None
    if reported is not None and event is not None and _done_to_another(item, text, event):
        reported = None
    if event is not None and any(
        _cue_by(cue, text, event[0]) for cue in (STALL, RETRACT, CONTRADICT, DENIAL)
    ):
        reported = None  # "the bailout was postponed", "ruled out any settlement": not done
    averted = _cue_by(AVERT, text, event[0]) if event is not None else None
    if (
        averted is not None
        and is_prediction(item.item.quote)
        and not AVERT.search(item.item.quote)
        and _happened(text, averted.span()).happened()
    ):  # "will be bankrupt by June" and "avoided bankruptcy"
        return RelationVerdict("contradicts", f"what it expected did not happen ('{averted[0]}')")
    if event is not None and reported is not None:
        word = text[event[0][0] : event[0][1]]
        denial = DENIAL.search(item.item.quote)
        if denial:
            return RelationVerdict(
                "contradicts",
                f"the claim says it would not be ('{denial.group(0)}'); '{word}' reported as fact",
                reported,
            )
        if _tells_history(text, event[1], item.item.reported):
            return RelationVerdict("mentions", f"'{word}' told as history, before the item")
        if is_prediction(item.item.quote):
            if not word_families(word) & predicted_families(item.item.quote):
                # "may have a large impact ..., as when the iPod was introduced": the iPod's
                # launch is the claim's background, not what it expected; its own speaker may
                # still be saying it again ("the document only needs Trump's signature")
                if same_speaker and restates(item, text, words):
                    return RelationVerdict("repeats", "the same speaker says it again")
                return RelationVerdict("mentions", f"'{word}' is not what it expected")
            return RelationVerdict(
                "corroborates", f"what it expected ('{word}') reported as fact", reported
            )
        if _stance_on(item.item.quote, word_families(word)):
            # "firmly supports the security guarantees" says where one stands, reports no fact
            # that another's "the guarantees document is ready" says again
            return RelationVerdict("mentions", "speaks about it; the relation is for the reviewer")
        if not _said_again(item, sentence, words):
            # its kind of event, but not the same one: "GM lost $4.8 billion in 2005" is not
            # "GM reported a loss of $381 million"; "GM, which has filed for bankruptcy, sold
            # Saturn" does not say again that "GM remains open during the bankruptcy"
            return RelationVerdict("mentions", "speaks about it; the relation is for the reviewer")
        return RelationVerdict("repeats", f"the fact ('{word}') reported again", reported)
    if same_speaker and restates(item, text, words):
        again = AGAIN.search(text) if words < SAME_WORDS else None
        why = f"the same speaker, '{again.group(0)}'" if again else "the same speaker says it again"
        return RelationVerdict("repeats", why)
    return RelationVerdict("mentions", "speaks about it; the relation is for the reviewer")


def restates(item: ItemProfile, sentence: str, words: float) -> bool:
    """Whether a sentence of the claim's own speaker says the claim again: with half its words,
    or a quarter where it says it is said again ("the ministry warned again that ..."); a
    quote of a few words ("reported their January sales") is too little to tell."""
    if not quote_long_enough(item):
        return False
    return words >= SAME_WORDS or (words >= DENIAL_WORDS and AGAIN.search(sentence) is not None)


# the saying said again: "warned again", "again said", "reiterated", "repeated that",
# "has repeatedly ruled out" (not "buying again", "repeated attacks")
_SAYING = r"(?:said|says|warned|warns|told|insisted|stressed|stated|argued|declared|vowed|urged)"
AGAIN = _cue(
    _SAYING + r"\s+again", r"again\s+" + _SAYING, r"reiterat(?:e|es|ed|ing)",
    r"repeat(?:s|ed)\s+(?:that|its|his|her|their|the|a|an)", r"repeatedly", r"restated",
)  # fmt: skip
STANCE = _cue(
    r"support(?:s|ed|ing)?", r"back(?:s|ed|ing)", r"welcom(?:e|es|ed|ing)",
    r"endors(?:e|es|ed|ing)", r"prais(?:e|es|ed|ing)", r"hail(?:s|ed|ing)?",
    r"favou?r(?:s|ed|ing)?", r"oppos(?:e|es|ed|ing)", r"critici[sz](?:e|es|ed|ing)",
    r"condemn(?:s|ed|ing)?", r"applaud(?:s|ed|ing)?",
)  # fmt: skip


def _stance_on(quote: str, families: frozenset[str]) -> bool:
    """Whether the claim takes a stance on its event rather than reporting it: a stance verb
    ("supports", "welcomed", "opposes") within four words before the event word."""
    words = list(_TOKEN.finditer(quote))
    for at, found in enumerate(words):
        if word_families(found.group(0)) & families:
            before = " ".join(w.group(0) for w in words[max(0, at - 4) : at])
            return STANCE.search(before) is not None
    return False


def _denies(quote: str, text: str) -> bool:
    """Whether a claim itself denies or rejects (its quote, or its standalone text's verb:
    "Putin ruled out, as reported on ..., the possibility ...")."""
    return any(pattern.search(quote) or pattern.search(text) for pattern in (DENIAL, CONTRADICT))


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_OPENING_YEAR = re.compile(r"^\W*(?:In|By|Since|During)\s+(?:\w+\s+)?(1[89]\d\d|20\d\d)\b")


def _said_again(item: ItemProfile, sentence: SentenceProfile, words: float) -> bool:
    """Whether a sentence on the item's kind of event says the item again, as a link no one
    reviews may take it: half its words, and no amounts of another event; and a quote of a
    few words ("reported their January sales", "a 49% decline") is too little to tell its
    event from another of its kind."""
    return words >= SAME_WORDS and quote_long_enough(item) and not _other_amounts(item, sentence)


LINK_MIN_TERMS = 3  # the fewest words of its own a quote needs to be linked without review


def quote_long_enough(item: ItemProfile) -> bool:
    """Whether the item's quote has words enough of its own (``LINK_MIN_TERMS``) to tell its
    event from another of its kind ("a 49% decline", "The new iPhone" have not)."""
    return len(set(item.quote_terms)) >= LINK_MIN_TERMS


def _other_amounts(item: ItemProfile, sentence: SentenceProfile) -> bool:
    """Whether the item and the sentence both give amounts and share none: another event of
    the same kind ("will cut 9,000 jobs" and "the economy shed 663,000 jobs"). A time span is
    no amount ("closed its base on Friday, ending 50 years of maintenance" may be the plan to
    "cut 4,000 jobs and close the base")."""
    if not (item.numbers and sentence.numbers):
        return False
    ours = numbers_in(item.item.quote, time_spans=False)
    theirs = numbers_in(sentence.text, time_spans=False)
    return bool(ours and theirs and not ours & theirs)


def _tells_history(sentence: str, span: tuple[int, int], reported: date | None) -> bool:
    """Whether the sentence dates the event at ``span`` before the item's own article: a year
    in the event's stretch between commas ("launched the iTunes Music Store in 2003"), or an
    opening "In 1998," — history a later article retells, not what the item said would come."""
    if reported is None:
        return False
    start = sentence.rfind(",", 0, span[0]) + 1
    end = sentence.find(",", span[1])
    stretch = sentence[start : end if end >= 0 else len(sentence)]
    years = [int(found) for found in _YEAR.findall(stretch)]
    opening = _OPENING_YEAR.match(sentence)
    if opening:
        years.append(int(opening.group(1)))
    return any(year < reported.year for year in years)


@lru_cache(maxsize=20_000)
def predicted_families(quote: str) -> frozenset[str]:
    """The event families in the stretch of ``quote`` (between commas, semicolons or a "when",
    "after", "because" ...) that holds its prediction word: what it expects, not its
    background ("may have a large impact on the film industry, as when the iPod was
    introduced" expects an impact, not an introduction)."""
    found: set[str] = set()
    for word in _predictions(quote):
        start = max((m.end() for m in _STRETCH_BREAK.finditer(quote, 0, word.start())), default=0)
        if _WAITING.fullmatch(word.group(0)):
            start = word.end()  # "the document was ready and awaited signature": the signing
        after = _STRETCH_BREAK.search(quote, word.end())
        found |= families_in(quote[start : after.start() if after else len(quote)])
    return frozenset(found)


_STRETCH_BREAK = re.compile(
    r"[,;:.!?]|\b(?:when|after|before|because|since|while|although|as|once|if|unless|until|"
    r"provided)\b",
    re.IGNORECASE,
)


# what is still waited for: the event after the word is what is expected
_WAITING_WORDS = r"await(?:s|ed|ing)?|pending|yet to|still (?:has|have|had) to|needs?|needed"
_WAITING = re.compile(_WAITING_WORDS, re.IGNORECASE)
_PREDICTION = re.compile(
    r"\b(?:will|won't|would|could|may|might|should|shall|going to|expects?|expected|"
    r"predicts?|predicted|forecasts?|forecast|fears?|feared|likely|unlikely|chance|probably|"
    r"possibly|risk|warns?|warned|hopes?|anticipates?|anticipated|soon|poised|bound to|about to|"
    + _WAITING_WORDS
    + r"|"
    r"(?:is|are|was|were|be) set to|"
    r"head(?:ed|ing|s)? (?:for|into|toward|towards)|on (?:course|track) (?:for|to))\b|'ll\b",
    re.IGNORECASE,
)


def is_prediction(quote: str) -> bool:
    """Whether a claim says what will, may or would happen, or what is expected or feared,
    rather than what did: one of those words in it ("GM may file for bankruptcy", "a 60-80
    percent chance of a GM bankruptcy")."""
    return next(_predictions(quote), None) is not None


def _predictions(quote: str) -> Iterator[re.Match[str]]:
    """The prediction words of ``quote``; "May" inside a sentence is the month ("signed in
    May"), not the modal."""
    for found in _PREDICTION.finditer(quote):
        if found.group(0) == "May" and quote[: found.start()].strip():
            continue
        yield found
