"""Attributions: each cue's source, content and speaker within a sentence."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from claimtrack.extraction.grounding import Span
from claimtrack.extraction.rules.sentences import (
    _abbreviation_before,
    _inside,
    _lstrip,
    _quotations,
    _rstrip,
    _Sentence,
)
from claimtrack.extraction.rules.sources import (
    _NOUN_PARTICIPLES,
    _PARTY,
    _TIME,
    _clause_final,
    _Cue,
    _ends_with_quote_or_comma,
    _has_verb,
    _is_source,
    _name_like,
    _possessor,
    _reports,
    _skip_lead_ins,
    _subject_after,
    _subject_before,
    _trailing_content,
    _trim_subject,
)
from claimtrack.extraction.rules.vocabulary import (
    _ADJUNCT,
    _BE,
    _CLAUSE_WORDS,
    _CONJUNCTION_GAP,
    _COORDINATOR_GAP,
    _DETERMINERS,
    _FORMS_BY_FIRST_WORD,
    _FUNCTION_WORDS,
    _PREFER_INVERTED,
    _QUOTE_MARK,
    _QUOTE_ONLY_CUES,
    _RECIPIENT,
    _RELATIVE,
    _RELATIVE_SUBJECTS,
    _WORD,
    ADJECTIVE_CUES,
    CUE_VERBS,
    INVERTIBLE,
    RECIPIENT_CUES,
    _adverbial,
    _CueHit,
    _words,
    adjective_after_be,
)
from claimtrack.extraction.speakers import HEADING_WORDS


@dataclass(slots=True)
class _Attribution:
    cue: _Cue
    source: Span | None
    contents: list[Span]
    sentence: _Sentence
    continued: bool = False
    rule: str = ""  # the id of the rule that found it (see ATTRIBUTION_RULE_IDS)


@dataclass(slots=True)
class _Clause:
    """Where a cue's clause starts, and how it is joined to the clause before."""

    cue: _Cue
    source: Span | None
    start: int  # the clause's first character (source, or the connector before a bare cue)
    coordinated: bool  # joined by and/but/a comma: ends the previous cue's content
    trailing_content: Span | None  # content before the source: '"...," he said'
    inverted: bool = False
    region_start: int = 0  # where the search for its source began
    rule: str = ""  # the id of the rule of SOURCE_RULES that found its source


def _cues(text: str, sentence: _Sentence, hits: Sequence[_CueHit]) -> list[_Cue]:
    """The cues of one sentence, outside its quotations, that report something."""
    found: list[_Cue] = []
    first = bisect.bisect_left(hits, sentence.start, key=lambda hit: hit.verb_start)
    for hit in hits[first:]:
        if hit.end > sentence.end:
            break
        if _inside(sentence.quotes, hit.verb_start) or (not hit.noun and _not_a_cue(text, hit)):
            continue
        start = max(_cue_start(text, hit), sentence.start)
        verb = Span(hit.verb_start, hit.end)
        found.append(_Cue(Span(start, hit.end), hit.lemma, verb, noun=hit.noun))
    return found


def _cue_start(text: str, hit: _CueHit) -> int:
    """The cue without prefix words that are really the subject's ("the family said")."""
    start = hit.start
    words = text[start : hit.verb_start].split()
    while words and words[0].casefold() in _NOT_CUE_PREFIX:
        start = _lstrip(text, text.index(words[0], start) + len(words[0]), hit.verb_start)
        words = words[1:]
    return start


_NOUN_BEFORE = re.compile(
    r"(?:^|[^\w'’])(?:the|a|an|his|her|their|its|our|my|your|this|that|for|of|in|with|from|"
    r"about|by|without|over|into|amid|no|any|such|new|public|private|political|worst|best|"
    r"biggest|greatest|own|many|these|those|other|more|most|some|all|determined|strong|"
    r"vocal|fierce|staunch|outspoken|early|longtime|former)\s+$"
)
# A word that modifies a noun right before a cue form that is also a noun: a participle, a
# number, an adjective ("growing worries", "145 points", "sticky notes"); not "nothing says".
_MODIFIER_BEFORE = re.compile(
    r"(?:^|[^\w'’-])(?:(?!(?:no|some|any|every)thing\s)[a-z]{2,}ing|\d[\d,.]*|sticky|previous|"
    r"initial|earlier|latest|recent)\s+$"
)
# A prepositional phrase running into "and" right before a cue form that is also a noun: the
# form is the phrase's second noun ("amid falling confidence and worries over ..."); or a
# participle opening a clause after a comma and its object (", easing stockholder worries").
_NOUN_LIST_BEFORE = re.compile(
    r"(?:(?<![\w'’-])(?:amid|amidst|despite|among|amongst|with|over|about)\s[^,;:.!?\"“”]{1,80}?"
    r"\sand|,\s+[a-z]{2,}ing\s+[a-z]{3,}(?<!ing))\s+\Z"
)
_NOUN_FORMS = frozenset({"worries", "notes", "points", "estimate", "dispute", "signal"})
_NOT_CUE_PREFIX = frozenset({"only", "even", "just", "family", "early", "daily", "weekly", "ally"})
_POSSESSIVE_BEFORE = re.compile(r"\w['’]s?\s+$")
_BY_AFTER = re.compile(r"\s+by\b")
_PARTICIPLE_USE = re.compile(
    r"(?<=ed)\s+(?:at|in|on|by|during|under|for|with|from|since|last|this)\b"
)
# A time or place after a cue and then "that": the cue reports ("officials emphasized on Friday
# that ..."), it does not describe the noun before it.
_THAT_AFTER_ADJUNCT = re.compile(r"\s+(?:on|at|in|during|last|this)\s[^,;:.!?\"“”]{1,30}?\sthat\s")
# A quotation closing right before a short subject: '"Go home!" the crowd shouted from the
# street' has a verb, not a participle describing the noun.
_QUOTATION_THEN_SUBJECT = re.compile(r"[,!?]\s*(?:''|[\"”’])\s+(?:[\w'’.-]+\s+){1,4}\Z")
# "he's said", "she's argued": the contraction is "has" (not "it's said", a passive).
_PERSON_BEFORE = re.compile(r"(?<![\w'’-])(?:he|she)\Z")
_NOUN_END = re.compile(r"(?<![\w'’-])(?!(?:he|she|they|we|it|also|who|that|which)\b)[a-z]{3,}\s+\Z")
_SPEECH_CUES = _words(
    "say tell add write note argue ask explain insist warn claim state declare reply respond tweet"
)


_QUANTIFIER_BEFORE = re.compile(r"(?:^|[^\w'’])(?:some|many|most|all|others|several|few|both)\s+$")


def _quantifier_subject(before: str, verb: str) -> bool:
    """ "Some said", "Many argued", "Some say": a quantifier standing alone before a verb in the
    past, or a present form that is no noun, is its subject, not the determiner of a noun ("some
    claims")."""
    past = verb.endswith("ed") or verb in ("said", "told", "wrote", "thought")
    return (past or verb in _NO_NOUN_FORMS) and bool(_QUANTIFIER_BEFORE.search(before))


# Present forms that are no plural nouns: "Some say", "Many believe" (but "some claims").
_NO_NOUN_FORMS = _words("say argue believe think contend insist suggest agree disagree wonder")


def _not_a_cue(text: str, hit: _CueHit) -> bool:
    """Uses of cue words that report nothing: "a claim", "Russia's demands", "was accused"."""
    if _THAT_IS_BEFORE.search(text, max(0, hit.start - 8), hit.start) and text.startswith(
        "according", hit.start
    ):
        return False  # "That’s according to exit polls": no possessive, no passive
    before = text[max(0, hit.start - 12) : hit.start].casefold()
    prefix = text[hit.start : hit.verb_start].casefold().split()
    verb = text[hit.verb_start : hit.end].casefold()
    ing = verb.split()[0].endswith("ing")  # "is calling for": the first word decides
    gerund = ing and _PREPOSITION_BEFORE.search(before.rstrip())
    if (
        _NOUN_BEFORE.search(before) and not gerund and not _quantifier_subject(before, verb)
    ) or _POSSESSIVE_BEFORE.search(before):
        return True  # a noun: "the report", "a claim", "his plans", "Russia's demands"
    if (
        hit.lemma not in _SPEECH_CUES
        and _PARTICIPLE_USE.match(text, hit.end)
        and _NOUN_END.search(text, max(0, hit.start - 30), hit.start)
        and not _THAT_AFTER_ADJUNCT.match(text, hit.end)
        and not _QUOTATION_THEN_SUBJECT.search(text, max(0, hit.start - 80), hit.start)
    ):
        return True  # "the plans discussed at the meeting": a participle after a noun
    if verb in _NOUN_FORMS and not prefix and _MODIFIER_BEFORE.search(before):
        return True  # a noun after a modifier: "growing worries", "sticky notes", "145 points"
    if (
        verb in _NOUN_FORMS
        and not prefix
        and _NOUN_LIST_BEFORE.search(text, max(0, hit.start - 120), hit.start)
    ):
        return True  # a noun in a list after a preposition: "amid falling confidence and worries"
    if verb.endswith(("ed", "en")) and _BY_AFTER.match(text, hit.end):
        return True  # a passive participle: "the declaration endorsed by the allies"
    last_aux = before.split()[-1] if before.split() else ""
    if verb in ADJECTIVE_CUES:  # "is confident that": a stance after "be", else a description
        return not adjective_after_be(last_aux, prefix) and CUE_VERBS.get(verb) == verb
    if (last_aux in _BE or any(word in _BE for word in prefix)) and not ing:
        # a passive: "was accused", "were found"; but "she's said" is "she has said"
        return not (prefix[:1] in (["'s"], ["’s"]) and _PERSON_BEFORE.search(before))
    if last_aux in ("been", "be", "being") and not ing:
        return True
    if verb in ("show", "shows", "call", "calls") and _COMPOUND_BEFORE.search(before):
        return True  # a noun: "a radio show", "his TV show", "a wake-up call"
    if verb == "thanks" and _THANKS_TO.match(text, hit.end):
        return True  # "thanks to a big win"
    if hit.lemma in _FIGURE_CUES and _FIGURE_AFTER.match(text, hit.end):
        return True  # "sales declined 8.7%", "posted gains", "saw a 9% fall": figures move
    if hit.lemma == "decline" and not _REFUSED_AFTER.match(text, hit.end):
        return True  # "the market has been declining": it fell, it refused nothing
    return verb == "founded" or _noun_or_naming(text, hit, verb)


def _noun_or_naming(text: str, hit: _CueHit, verb: str) -> bool:
    """Cue forms that name or count rather than report: "tax plans" (no "to" after them), "200
    pledged delegates", "a group called Common Ground"."""
    if verb == "plans":
        return not _TO_AFTER.match(text, hit.end)
    if verb == "pledged":
        return bool(_DELEGATES_AFTER.match(text, hit.end))
    if verb in ("called", "focused on") and hit.start == hit.verb_start:
        return bool(_INDEFINITE_BEFORE.search(text, max(0, hit.start - 50), hit.start))
    if verb == "think":
        return bool(_TANK_AFTER.match(text, hit.end))  # "a think tank"
    if verb == "reports" and hit.start == hit.verb_start:
        return bool(_REPORTS_MODIFIER.search(text, max(0, hit.start - 20), hit.start))
    return False


_TO_AFTER = re.compile(r"\s+to\b")
_TANK_AFTER = re.compile(r"[\s-]+tanks?\b")
# Words that make "reports" a noun: "news reports", "police reports", "user reports".
_REPORTS_MODIFIER = re.compile(
    r"(?<![\w'’-])(?:news|media|press|police|user|investigative|false|fake|multiple|several|"
    r"recent|earlier|published|conflicting|initial|local|unconfirmed|violence|abuse|financial|"
    r"annual|quarterly|credit|intelligence|internal|newspaper|television|tv|wire|other|two|"
    r"three|four|numerous|those|these)\s+\Z"
)
_DELEGATES_AFTER = re.compile(r"\s+(?:and\s+\w+\s+)?delegates?\b", re.IGNORECASE)
# An indefinite noun phrase right before "called": "a new group called", "another called".
_INDEFINITE_BEFORE = re.compile(r"(?<![\w'’-])(?:[Aa]|[Aa]n|[Aa]nother)\s+(?:[\w'’-]+\s+){0,3}\Z")


_THANKS_TO = re.compile(r"\s+to\b")
# What "declined" refuses: "to comment", "comment", "an invitation", "the offer".
_REFUSED_AFTER = re.compile(
    r"\s+(?:to\b|comment|(?:a|an|the|his|her|their|its|our|repeated|multiple|several)\s|"
    r"(?:requests?|invitations?|offers?|interviews?)\b)"
)
# Cues that also say how a figure moved when a figure or a word for one follows them.
_FIGURE_CUES = frozenset({"decline", "post", "see"})
_FIGURE_AFTER = re.compile(
    r"\s+(?:(?:by|to|a|an|its|their|his|her|the)\s+)?(?:[$€£]?\d|(?:gains?|loss(?:es)?|profits?|"
    r"revenues?|declines?|drops?|falls?|rises?|increases?|decreases?|earnings|sales|shares?|"
    r"surge|slump|jump|growth)\b)",
    re.IGNORECASE,
)
_COMPOUND_BEFORE = re.compile(
    r"(?:^|[^\w'’-])(?:radio|tv|television|talk|news|game|reality|cable|morning|late-night|"
    r"comedy|cooking|road|trade|air|auto|roll|phone|conference|wake-up|close|judgment|"
    r"curtain|casting|campaign|daily|same|next|first|last|final|whole|entire|weekly|nightly|"
    r"evening|live|popular|hit|own)\s+$"
)


_COMMA_NEXT = re.compile(r"\s*,")


def _attributions_in(text: str, sentence: _Sentence, cues: list[_Cue]) -> list[_Attribution]:
    """The attributions of one sentence, one per cue that has content."""
    clauses: list[_Clause] = []
    region_start = sentence.start
    for cue in cues:
        relative = next((c for c in reversed(clauses) if _relative_source(text, c)), None)
        previous = next((c for c in reversed(clauses) if not c.cue.noun), None)
        clause = _clause(text, sentence, cue, region_start, previous, relative)
        if clause.source is None:
            continue  # "the report", "after saying": no attribution, and the region goes on
        if clause.rule == "coordinated" and previous is not None and _is_participle(text, cue):
            clause.source = _reporter(clauses, previous).source

        if cue.lemma != "according to" and (
            _ACCORDING_TO_AFTER.match(text, cue.span.end)
            or _final_according_to(text, sentence, cue)
        ):
            continue  # "Ruiz told aides he would run, according to the AP": the AP reports it all
        if _inside_final_report(text, sentence, cue):
            continue  # "Ruiz plans to run, his aide said": the aide reports it all
        if (
            clause.trailing_content is None
            and not clause.inverted
            and _COMMA_NEXT.match(text[cue.span.end : sentence.end])
            and _clause_final_after(text, sentence, cue)
        ):
            continue  # "The plan is worrying, Jones said": an adjective, the region goes on
        if _closing_inverted(text, sentence, clause):
            clauses = [c for c in clauses if not _inside_final_report(text, sentence, c.cue, cue)]
        clauses.append(clause)
        if not cue.noun:  # a noun cue is inside a noun phrase: "Critics of his plan to ... say"
            region_start = cue.span.end
    found: list[_Attribution] = []
    for index, clause in enumerate(clauses):
        end = sentence.end
        leading = _leading_according_to(clause)
        for later in clauses[index + 1 :]:
            if leading is not None and (
                later.trailing_content is None or later.trailing_content.end <= leading.end + 1
            ):
                continue  # "According to the AP, Ruiz said ...": the AP reports all that follows
            if later.coordinated or later.trailing_content is not None:
                end = later.start
                break
            main = _main_clause_cue(text, clause, later)
            if main is not None:
                end = main
                break
        if clause.cue.noun:
            end = _noun_phrase_end(text, sentence, clause, clauses[index + 1 :], end)
        if clause.source is not None and _RELATIVE_SOURCE.fullmatch(
            text, clause.source.start, clause.source.end
        ):
            who = text[clause.source.start : clause.source.end].casefold() == "who"
            end = _relative_clause_end(text, clause.cue.span.end, end, who=who)
        contents = _contents(text, sentence, clause, end) or _next_line(text, sentence, clause)
        if not contents:
            continue
        if clause.cue.lemma in _QUOTE_ONLY_CUES and not any(
            text[piece.start] in "\"“'`" or any(q.start == piece.start for q in sentence.quotes)
            for piece in contents
        ):
            continue  # "continued" reports only a quotation: '"...," he continued.'
        found.append(_Attribution(clause.cue, clause.source, contents, sentence, rule=clause.rule))
    return found


def _reporter(clauses: Sequence[_Clause], clause: _Clause) -> _Clause:
    """The outermost clause whose content holds ``clause``: in "Lee said he saw no need to
    change, telling reporters ...", "he saw" is what Lee said, and the participle is Lee's."""
    index = next(i for i, other in enumerate(clauses) if other is clause)
    while index > 0:
        inner, outer = clauses[index], clauses[index - 1]
        if (
            inner.coordinated
            or inner.trailing_content is not None
            or inner.inverted
            or inner.source is None
            or outer.cue.noun
            or outer.trailing_content is not None
            or outer.inverted
            or inner.source.start < outer.cue.span.end
        ):
            break
        index -= 1
    return clauses[index]


_RELATIVE_SOURCE = re.compile(r"(?i:who|which|that)")
# The main clause after a relative clause set off by commas: "analysts, who had forecast that it
# would lose money, were surprised": an auxiliary, or a past tense with its object or clause
# ("recalled that", "vetoed the bill"; not "the new, domesticated Trump").
_MAIN_CLAUSE_AFTER = re.compile(
    r",\s+(?:(?:is|was|were|are|has|have|had|will|would|can|could|may|might|must|should|did|"
    r"does|do)\b|[a-z]+ed\s+(?:that|the|a|an|to|it|him|her|them|his|their|its|on|in|with|for|"
    r"as|up)\b)"
)
# The same after "who", with the reporting verbs of irregular past: "Lee, who has criticized
# the mayor, said ...". After "which" the clause stays part of the main clause's source ("The
# statement, which praised Lund, said ..."; see _relative_run_on).
_MAIN_CLAUSE_AFTER_WHO = re.compile(
    _MAIN_CLAUSE_AFTER.pattern[:-1] + r"|(?:said|says|told|tells|wrote|writes)\b)"
)


def _relative_clause_end(text: str, start: int, end: int, *, who: bool = False) -> int:
    """Where the content of a relative clause's cue ends: before the comma that opens the main
    clause's verb ("Ruiz, who said the pier would reopen in May, was re-elected"); an aside set
    off by a pair of commas inside the content is no end ("that Mr. Jäger, under fire for the
    failures, would do better to keep quiet")."""
    main = _MAIN_CLAUSE_AFTER_WHO if who else _MAIN_CLAUSE_AFTER
    for found in main.finditer(text, start, end):
        if text.count(",", start, found.start()) % 2 == 0:
            return found.start()
    return end


def _noun_phrase_end(
    text: str, sentence: _Sentence, clause: _Clause, later: Sequence[_Clause], end: int
) -> int:
    """Where a noun cue's content ends when its noun phrase is a subject: before the main verb.
    In "Obama's claim that the economy is growing was false" the content is "that the economy is
    growing" (a "that" clause keeps its own first verb group); in "Her attacks on the plan drew
    cheers" it is "the plan"; in "Critics of her pledge to rebuild the pier said ..." the
    subject of "said" ends it."""
    cue_start = clause.cue.span.start
    for other in later:
        if other.source is not None and other.source.start <= cue_start < other.source.end:
            return min(end, other.source.end)
    if later:  # "stepped up her attacks on the plan, saying ...": the next cue ends it
        stop = _rstrip(text, clause.cue.span.end, later[0].cue.span.start)
        if text[stop - 1 : stop] == ",":
            stop = _rstrip(text, clause.cue.span.end, stop - 1)
        end = min(end, stop)
    source = clause.source
    if source is None or _skip_lead_ins(text, sentence.start, source.start) < source.start:
        return end  # an object ("Critics rejected Obama's claim that ..."): it runs on
    verbs_to_skip = 1 if _THAT_NEXT.match(text, clause.cue.span.end) else 0
    in_group = False
    for word in _LOWER_WORD.finditer(text, clause.cue.span.end, end):
        value = word.group()
        if value not in _MAIN_VERBS and not _PAST_FORM.fullmatch(value):
            in_group = in_group and (value == "not" or value.endswith("ly"))
            continue
        if in_group or text.endswith("to ", 0, word.start()):
            continue  # "would be closed", "to close"
        if verbs_to_skip:
            verbs_to_skip, in_group = verbs_to_skip - 1, True
            continue
        return _rstrip(text, clause.cue.span.end, word.start())
    return end


_THAT_NEXT = re.compile(r"\s+that\s")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’]*(?![\w'’-])")
_PAST_FORM = re.compile(r"[a-z]{3,}ed")
_MAIN_VERBS = _CLAUSE_WORDS - _words(
    "that which because if whether when while although though since unless until than so there "
    "here where why how what not n't"
)


def _main_clause_cue(text: str, clause: _Clause, later: _Clause) -> int | None:
    """Where ``clause``'s content ends when ``later`` is the cue of the main clause whose
    subject a relative clause describes: in "Ms. Lee, who helped found Edge, a small group, said
    ...", what "found" reports ends before ", said"."""
    source = later.source
    if (
        source is None
        or later.rule != "relative_antecedent"
        or _relative_source(text, clause)  # its content runs on (see _relative_run_on)
        or source.start >= clause.cue.span.start
        or later.cue.span.start <= clause.cue.span.end
    ):
        return None
    return _rstrip(text, clause.cue.span.end, later.cue.span.start)


_ACCORDING_TO_AFTER = re.compile(r",\s+according\s+to\b")
_FINAL_ACCORDING_TO = re.compile(r",\s+according\s+to\b[^,;]*\Z")


def _final_according_to(text: str, sentence: _Sentence, cue: _Cue) -> bool:
    """Whether the sentence ends with "..., according to X" outside a quotation (inside one it is
    the speaker's: 'Ruiz said "the pier is closed, according to engineers."')."""
    found = _FINAL_ACCORDING_TO.search(text, cue.span.end, sentence.end)
    return found is not None and not _inside(sentence.quotes, found.start())


def _leading_according_to(clause: _Clause) -> Span | None:
    """The source of "According to X, ..." opening its clause, else None."""
    source = clause.source
    if clause.cue.lemma != "according to" or clause.trailing_content is not None:
        return None
    return source if source is not None and source.start >= clause.cue.span.end else None


def _clause_final_after(text: str, sentence: _Sentence, cue: _Cue) -> bool:
    """Whether a later cue of the sentence closes it with its source: "..., Jones said." """
    rest = text[cue.span.end : sentence.end]
    return bool(_FINAL_SOURCE_CUE.search(rest))


def _inside_final_report(
    text: str, sentence: _Sentence, cue: _Cue, closing: _Cue | None = None
) -> bool:
    """Whether the sentence, with no quotation after ``cue``, ends with "..., Jones said." (or
    with the ``closing`` cue of "..., said Jones, a lawyer."): what comes before is Jones's
    report, not an attribution of its own."""
    if cue.lemma == "according to":
        return False
    if closing is None:
        if not _FINAL_SOURCE_CUE.search(text, cue.span.end, sentence.end):
            return False
        return not _QUOTE_MARK.search(text, cue.span.end, sentence.end)
    return not _QUOTE_MARK.search(text, cue.span.end, closing.span.start)


def _closing_inverted(text: str, sentence: _Sentence, clause: _Clause) -> bool:
    """Whether ``clause`` is an inverted source and cue that close the sentence and report all
    of it: "The vote signals the end of the treaty, said Ann Lee, a lawyer." """
    before = clause.trailing_content
    return (
        clause.inverted
        and before is not None
        and before.start == _lstrip(text, sentence.start, sentence.end)
        and _clause_final(text, sentence, _through_source(clause))
    )


_FINAL_SOURCE_CUE = re.compile(
    r",\s+[^,;:\"“”]{1,60}?\s(?:said|says|added|told\s+\S+|wrote|noted)\W*\Z"
)


def _next_line(text: str, sentence: _Sentence, clause: _Clause) -> list[Span]:
    """'The governor added:' at the end of a line introduces the next line."""
    if not text[clause.cue.span.end : sentence.end].strip().startswith(":"):
        return []
    if text[clause.cue.span.end : sentence.end].strip() != ":":
        return []
    line = re.compile(r"\n\s*([^\n]+)").match(text, sentence.end)
    if line is None:
        return []
    end = _trim_end(text, line.start(1), line.end(1))
    return [Span(line.start(1), end)] if end > line.start(1) else []


def _clause(
    text: str,
    sentence: _Sentence,
    cue: _Cue,
    region_start: int,
    previous: _Clause | None,
    relative: _Clause | None = None,
) -> _Clause:
    """Find the source of ``cue`` and how its clause joins the text before it.

    A source and cue closing the sentence report all of it, attributions inside included:
    "Washington did not complain when ..., a Chinese official said" (but not a clause that has
    its own closing source: '"A," he said, "B," she added').
    """
    clause = _find_clause(text, sentence, cue, region_start, previous, relative)
    before = clause.trailing_content
    if (
        before is not None
        and previous is not None
        and previous.trailing_content is None
        and clause.source is not None
        and before.start > sentence.start
        and _clause_final(text, sentence, _through_source(clause))
    ):
        wider = _trailing_content(text, sentence, sentence.start, before.end)
        if wider is not None:
            clause.trailing_content = wider
    return clause


def _through_source(clause: _Clause) -> _Cue:
    """The cue of ``clause``, for an inverted one with its source ("said Ann Lee, a lawyer"):
    what follows both decides whether they close the sentence."""
    cue, source = clause.cue, clause.source
    if not clause.inverted or source is None or source.end <= cue.span.end:
        return cue
    return _Cue(Span(cue.span.start, source.end), cue.lemma, cue.verb, noun=cue.noun)


def _speaker_mention(text: str, attribution: _Attribution) -> str:
    """The words that name an attribution's speaker, for resolving it: its source, or for a
    relative pronoun the noun phrase it stands for ("Jane Doe, a lawyer, who said ..." is Jane
    Doe's claim). The stored speaker stays the source as written."""
    source = attribution.source
    if source is None:
        return ""
    written = text[source.start : source.end]
    if attribution.rule == "possessive":
        return _POSSESSIVE_PRONOUNS.get(written.casefold(), _POSSESSIVE_END.sub("", written))
    if written.casefold() not in ("who", "which"):
        return written
    end = _rstrip(text, attribution.sentence.start, source.start)
    if not text.endswith(",", 0, end):
        return written  # "those who said": no antecedent set off before it
    end = _rstrip(text, attribution.sentence.start, end - 1)
    for word in _WORD_START.finditer(text, attribution.sentence.start, end):
        if not _DASH.search(text, word.start(), end) and _is_source(
            text, Span(word.start(), end), appositive_ok=True
        ):
            return text[word.start() : end]  # the longest noun phrase that can speak
    return written


_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they", "its": "it"}
_POSSESSIVE_END = re.compile(r"['’]s?\Z")
_DASH = re.compile(r"\s[-–—]\s")
# Where a noun phrase may start: a capitalised word or a determiner.
_WORD_START = re.compile(
    r"(?<![\w'’.-])(?:[A-Z]|(?:the|a|an|its|his|her|their|most|many|some|several|other)\s)"
)


def _relative_source(text: str, clause: _Clause) -> bool:
    """Whether ``clause`` is a relative clause: its source is "who" or "which"."""
    source = clause.source
    return source is not None and text[source.start : source.end] in ("who", "which")


# Cues whose object is a clause: a subject after them starts what they report ("Cruz, who says
# Trump is attacking him, said"), not a new speaker.
_CLAUSE_OBJECT_CUES = _SPEECH_CUES | _words("think believe suggest admit acknowledge predict")


@dataclass
class _SourceSearch:
    """What every source rule reads about one cue, worked out once: the sentence, the gap
    between the region's start and the cue, whether the cue is a bare participle, and (on first
    use) the subject before the cue with the rule that found it."""

    text: str
    sentence: _Sentence
    cue: _Cue
    region_start: int
    previous: _Clause | None  # the clause of the cue before, in this sentence
    relative: _Clause | None  # the sentence's last relative clause ("Cruz, who says ...,")

    @cached_property
    def gap_start(self) -> int:
        return _lstrip(self.text, self.region_start, self.cue.span.start)

    @cached_property
    def gap(self) -> str:
        return self.text[self.gap_start : self.cue.span.start]

    @cached_property
    def bare_gap(self) -> str:
        return self.gap.rstrip().rstrip("\"”'’")

    @cached_property
    def participle(self) -> bool:
        return _is_participle(self.text, self.cue)

    @cached_property
    def subject(self) -> tuple[str, tuple[Span, int, Span | None]] | None:
        """The subject before the cue (source, clause start, content before it) and the id of
        the rule that found it, or None."""
        return _subject_of(self)


_SourceRule = Callable[[_SourceSearch], "_Clause | None"]


def _find_clause(
    text: str,
    sentence: _Sentence,
    cue: _Cue,
    region_start: int,
    previous: _Clause | None,
    relative: _Clause | None = None,
) -> _Clause:
    """Find the source of ``cue``: the first rule of :data:`SOURCE_RULES` that finds one, else
    a clause without a source (which gives no attribution). ``relative`` is the sentence's last
    relative clause ("Cruz, who says ...,"), whose antecedent may be the source of a later cue."""
    search = _SourceSearch(text, sentence, cue, region_start, previous, relative)
    for rule_id, rule in SOURCE_RULES:
        if cue.noun and rule_id != "possessive":
            continue  # a noun cue ("his claim that") has no subject, only a possessor
        clause = rule(search)
        if clause is not None:
            clause.rule = clause.rule or rule_id
            return clause
    return _Clause(cue, None, cue.span.start, False, None)


def _subject_of(search: _SourceSearch) -> tuple[str, tuple[Span, int, Span | None]] | None:
    """The subject before the cue: the noun phrase right before it ("subject_before"), or the
    antecedent of a relative clause before it ("relative_antecedent": "Mr. Leenders, who
    estimated that ..., said", "People who back Ms. Ruiz say"), or a noun phrase with the
    restrictive relative clause that reports ("restrictive_antecedent": "Those who said the pier
    was safe voted for it")."""
    text, sentence, cue, previous = search.text, search.sentence, search.cue, search.previous
    if search.participle:
        return None
    subject = _subject_before(text, sentence, search.region_start, cue)
    rule_id = "subject_before"
    who = previous if previous is not None and _relative_source(text, previous) else search.relative
    if (
        who is not None
        and who.source is not None
        and (
            (subject is None and search.gap.rstrip().rstrip("\"”'’").endswith(","))
            or (
                who is previous
                and subject is not None
                and who.cue.lemma not in _CLAUSE_OBJECT_CUES
                and text[subject[0].start : subject[0].end].casefold() not in _RELATIVE_SUBJECTS
                and not re.search(r"[,;:—–]", text[who.cue.span.end : subject[0].start])
            )
        )
    ):  # the antecedent speaks, not the relative clause's object
        antecedent = _subject_before(text, sentence, who.region_start, cue)
        if antecedent is None and subject is None:  # a quotation in the relative clause
            pronoun = who.source.start
            at_relative = _Cue(Span(pronoun, pronoun), cue.lemma, cue.verb)
            found = _subject_before(text, sentence, who.region_start, at_relative)
            if found is not None:  # "Humphrey, who calls Trump a "sociopath," said"
                antecedent = found[0], found[0].start, None
        if antecedent is not None:
            subject, rule_id = antecedent, "relative_antecedent"
    if subject is not None and previous is not None and who is None:
        described = _antecedent_of_object(search, subject[0])
        if described is not None:
            subject, rule_id = (described, described.start, None), "relative_antecedent"
    if subject is None and who is not None and who is previous:
        restrictive = _restrictive_antecedent(text, sentence, who, cue)
        if restrictive is not None:
            subject, rule_id = (restrictive, restrictive.start, None), "restrictive_antecedent"
    return (rule_id, subject) if subject is not None else None


def _antecedent_of_object(search: _SourceSearch, subject: Span) -> Span | None:
    """The name a relative clause describes, when what stands before the cue is the object of
    the clause's own cue: in "Ms. Lee, who helped found Edge, a small group, said ...", "Edge, a
    small group," is what "found" reports and Ms. Lee speaks."""
    text, sentence, previous = search.text, search.sentence, search.previous
    if (
        previous is None
        or subject.start != search.gap_start
        or not search.bare_gap.endswith(",")
        or search.region_start != previous.cue.span.end
    ):
        return None
    openings = list(_RELATIVE_OPENING.finditer(text, sentence.start, previous.cue.span.start))
    if not openings:
        return None
    pronoun = openings[-1].start(1)  # the relative clause nearest the cue
    at_relative = _Cue(Span(pronoun, pronoun), search.cue.lemma, search.cue.verb)
    found = _subject_before(text, sentence, sentence.start, at_relative)
    return found[0] if found is not None else None


_RELATIVE_OPENING = re.compile(r",\s+(who|which)\s")


def _possessive_rule(search: _SourceSearch) -> _Clause | None:
    """A noun cue's possessor speaks: "Obama's claim that the economy ...", "the minister's
    statement that ...", "his promise to ...". A noun cue whose possessive names no speaker
    ("Saturday's") gets no source, and no later rule reads it."""
    cue = search.cue
    if not cue.noun:
        return None
    possessor = _possessor(search.text, search.sentence.start, cue.span.start)
    if possessor is not None and _UNSAID_BEFORE.search(
        search.text, search.sentence.start, possessor.start
    ):
        possessor = None  # "retracted his claim that ...", "denied Obama's claim": not said now
    start = possessor.start if possessor is not None else cue.span.start
    return _Clause(cue, possessor, start, False, None, region_start=search.region_start)


# Verbs that take back, deny or dispute what a noun cue reports: the claim is another's act's
# object ("Lind retracted his claim that ..."), not a claim the article reports being made.
_UNSAID_BEFORE = re.compile(
    r"\b(?:retract|withdr[ae]w|withdrawn|withdraw|reject|den(?:y|ied|ies|ying)|dismiss|disput"
    r"|refut|rebut|debunk|contradict|challeng|question|mock|ridicul|abandon|drop|dropp|revers"
    r"|walk(?:ed|s|ing)? back)\w*\s+(?:\w+ly\s+)?\Z",
    re.IGNORECASE,
)


def _according_to_rule(search: _SourceSearch) -> _Clause | None:
    """``According to X, ...`` and ``..., according to X``."""
    if search.cue.lemma != "according to":
        return None
    return _according_to_clause(search.text, search.sentence, search.cue, search.region_start)


def _inverted_after_comma_rule(search: _SourceSearch) -> _Clause | None:
    """A name after a "said" set off by commas beats the subject before it: "Any interpretation
    of his actions, said Michael Kofman, would ..."."""
    text, sentence, cue = search.text, search.sentence, search.cue
    if (
        search.subject is None
        or cue.lemma not in _PREFER_INVERTED
        or not text.endswith(",", 0, _rstrip(text, 0, cue.span.start))
    ):
        return None
    inverted = _subject_after(text, sentence, cue)
    if inverted is None or not _name_like(text, inverted):
        return None
    before = _trailing_content(text, sentence, search.region_start, cue.span.start)
    return _Clause(cue, inverted, cue.span.start, False, before, inverted=True)


def _subject_before_rule(search: _SourceSearch) -> _Clause | None:
    """The subject before the cue (see :func:`_subject_of`, whose rule id the clause keeps):
    "Keir Starmer said", '"...," he said', "..., officials said"."""
    if search.subject is None:
        return None
    text, region_start, previous = search.text, search.region_start, search.previous
    rule_id, (source, clause_start, trailing) = search.subject
    source = _past_subordinator(text, _past_opening_phrase(text, search.sentence, source))
    coordinated = previous is not None and bool(
        _COORDINATOR_GAP.search(text[region_start : source.start])
    )
    if coordinated and previous is not None:
        clause_start = _connector_start(text, region_start, source.start)
    clause = _Clause(
        search.cue, source, clause_start, coordinated, trailing, region_start=region_start
    )
    clause.rule = rule_id
    return clause


def _participle_of_previous_rule(search: _SourceSearch) -> _Clause | None:
    """A verb after a participle set off by commas has the participle's subject: "Nate Cohn,
    writing for the Times, argued"."""
    text, previous = search.text, search.previous
    if (
        search.participle
        or previous is None
        or previous.source is None
        or not search.bare_gap.endswith(",")
        or not _is_participle(text, previous.cue)
        or text[previous.source.end : previous.cue.span.start].strip() != ","
    ):
        return None
    start = _connector_start(text, search.region_start, search.cue.span.start)
    return _Clause(search.cue, previous.source, start, True, None)


def _coordinated_rule(search: _SourceSearch) -> _Clause | None:
    """A cue with no subject of its own after "and", "but" or a comma shares the previous cue's
    source: "Starmer said ... but warned ...", "..., saying ..."."""
    text, previous, participle = search.text, search.previous, search.participle
    if previous is None:
        return None
    gap_end = search.cue.span.start
    time = _TIME_BEFORE_CUE.search(text, search.gap_start, gap_end)
    if time is not None and time.start() > search.gap_start:  # "... and on Monday warned"
        gap_end = time.start()
    bare_gap = text[search.gap_start : gap_end].rstrip().rstrip("\"”'’")
    joined = not bare_gap.strip() or bool(
        (_COORDINATOR_GAP if participle else _CONJUNCTION_GAP).search(bare_gap)
    )
    if not joined:
        return None
    start = _connector_start(text, search.region_start, gap_end)
    shared = previous.source
    if participle and _relative_source(text, previous):
        shared = _antecedent_with_relative(text, search.sentence, previous, search.cue) or shared
    return _Clause(search.cue, shared, start, True, None)


# A time between a conjunction and its verb: "praised the plan and on Monday warned".
_TIME_BEFORE_CUE = re.compile(r"\s(?:on\s+)?(?:" + _TIME + r")\s*\Z", re.IGNORECASE)


def _infinitive_rule(search: _SourceSearch) -> _Clause | None:
    """A cue after "to" (see :func:`_infinitive_clause`): "led many experts to suspect",
    "Readers were quick to condemn", "Union to endorse Ruiz"."""
    text, cue = search.text, search.cue
    if search.participle or search.previous is not None or cue.lemma in _TOPIC_CUES:
        return None
    infinitive = _INFINITIVE_BEFORE.search(text, search.gap_start, cue.span.start)
    if infinitive is None:
        return None
    return _infinitive_clause(text, search.sentence, cue, search.gap_start, infinitive.start())


def _leading_subject_rule(search: _SourceSearch) -> _Clause | None:
    """The sentence's subject, for a cue after "and"/"but" or a participle after a comma or a
    preposition: "Mr. Trump was forced ... and said", "Ann Lee, noting that ..."."""
    text, cue, participle, bare_gap = search.text, search.cue, search.participle, search.bare_gap
    if search.previous is not None or not (
        re.search(r"\b(?:and|but)\s*$", search.gap)
        or (participle and bare_gap.endswith((",", "—", "–", " -", "--")))
        or (participle and _PREPOSITION_BEFORE.search(bare_gap))
    ):
        return None
    leading = _leading_subject(text, search.sentence, cue.span.start)
    if leading is None and participle:
        leading = _whole_subject(text, search.gap_start, cue)
    if leading is None or leading.end >= cue.span.start:
        return None
    leading = _with_set_off_relative(text, leading, cue.span.start)
    return _Clause(cue, leading, leading.start, False, None)


def _with_phrase_rule(search: _SourceSearch) -> _Clause | None:
    """A participle after "with" and a phrase: "..., with three in 10 saying ..."."""
    text, cue = search.text, search.cue
    if not search.participle:
        return None
    with_phrase = _WITH_SUBJECT.search(text, search.gap_start, cue.span.start)
    if with_phrase is None:
        return None
    phrase = _trim_subject(text, with_phrase.start("phrase"), cue.span.start, lead_ins=False)
    if phrase is None or not _is_source(text, phrase, appositive_ok=True):
        return None
    start = _connector_start(text, search.region_start, with_phrase.start())
    return _Clause(cue, phrase, start, search.previous is not None, None)


def _vehicle_rule(search: _SourceSearch) -> _Clause | None:
    """A participle after a document its subject issued: "X released a statement saying ..."
    (the cue runs from the verb of issuing)."""
    text, cue = search.text, search.cue
    if not search.participle or search.previous is not None:
        return None
    vehicle = _VEHICLE.search(text, search.gap_start, cue.span.start)
    if vehicle is None:
        return None
    leading = _leading_subject(text, search.sentence, vehicle.start() + 1)
    if leading is None or leading.end > vehicle.start():
        return None
    cue = _Cue(Span(vehicle.start(), cue.span.end), cue.lemma, cue.verb)
    return _Clause(cue, leading, leading.start, False, None)


def _inverted_rule(search: _SourceSearch) -> _Clause | None:
    """The source after the cue, after a quotation or a comma: '"...," said Keir Starmer'."""
    text, sentence, cue = search.text, search.sentence, search.cue
    if cue.lemma not in INVERTIBLE or not _ends_with_quote_or_comma(text, sentence, cue.span.start):
        return None
    after = _subject_after(text, sentence, cue)
    if after is None:
        return None
    before = _trailing_content(text, sentence, search.region_start, cue.span.start)
    return _Clause(cue, after, cue.span.start, False, before, inverted=True)


def _reduced_relative_rule(search: _SourceSearch) -> _Clause | None:
    """The noun phrase a participle describes: "groups supporting the bill", "a lawsuit
    alleging that ..."."""
    if not search.participle:
        return None
    reduced = _reduced_relative(search.text, search.gap_start, search.cue)
    return _Clause(search.cue, reduced, reduced.start, False, None) if reduced else None


SOURCE_RULES: tuple[tuple[str, _SourceRule], ...] = (
    ("according_to", _according_to_rule),
    ("possessive", _possessive_rule),  # noun cues only: "Obama's claim that ..."
    ("inverted_after_comma", _inverted_after_comma_rule),
    ("subject_before", _subject_before_rule),  # or relative_antecedent, restrictive_antecedent
    ("participle_of_previous", _participle_of_previous_rule),
    ("coordinated", _coordinated_rule),
    ("infinitive", _infinitive_rule),
    ("leading_subject", _leading_subject_rule),
    ("with_phrase", _with_phrase_rule),
    ("vehicle", _vehicle_rule),
    ("inverted", _inverted_rule),
    ("reduced_relative", _reduced_relative_rule),
)
"""How a cue finds its source, in order: the first rule that returns a clause decides. Each
rule's id is recorded on the items it makes (``extra["rule"]``, "rule:" in ``claims show``);
a test switches a rule off by patching this tuple without it. The rules after
``subject_before`` run only for a cue with no subject right before it."""

ATTRIBUTION_RULE_IDS: tuple[str, ...] = (
    *(rule_id for rule_id, _ in SOURCE_RULES),
    "relative_antecedent",  # recorded by subject_before: the antecedent of a relative clause
    "restrictive_antecedent",  # recorded by subject_before: "those who said ..." as the source
    "signed_quotation",  # '"..." ― Jane Doe' (_signed_quotations, when no cue finds one)
    "initial_participle",  # "Warning that ..., the mayor said" (_initial_participle)
    "passive_by",  # "The plan was criticized by the mayor" (_passive_by)
    "continuation",  # a sentence that is only a quotation after an attribution (_continuation)
    "speaker_label",  # "JAKE TAPPER: Why not debate?" (_speaker_labels, line by line)
)
"""Every id an attribution may record (``extra["rule"]`` is "attribution." and the id)."""


def _antecedent_with_relative(
    text: str, sentence: _Sentence, relative: _Clause, cue: _Cue
) -> Span | None:
    """A participle after a relative clause set off by commas has the clause's antecedent with
    the clause as its source: "Ann Lee, who won the vote on Tuesday, saying ..." has the source
    "Ann Lee, who won the vote on Tuesday," (as PolNeAR marks it)."""
    if relative.source is None:
        return None
    pronoun = relative.source.start
    if not text.endswith(",", 0, _rstrip(text, 0, pronoun)):
        return None
    at_relative = _Cue(Span(pronoun, pronoun), cue.lemma, cue.verb)
    found = _subject_before(text, sentence, relative.region_start, at_relative)
    if found is None:
        return None
    end = _rstrip(text, pronoun, cue.span.start)
    return Span(found[0].start, end) if text[end - 1] == "," else None


def _with_set_off_relative(text: str, subject: Span, limit: int) -> Span:
    """``subject`` with the relative clause set off by commas right after it, unless the clause
    reports: "Republicans, who hold a majority in the Senate, blocked the bill, saying ..." has
    the source "Republicans, who hold a majority in the Senate," (as PolNeAR marks it)."""
    relative = _SET_OFF_RELATIVE.match(text, subject.end, limit)
    if relative is None or _reports(text, relative.end("pronoun"), relative.end()):
        return subject
    return Span(subject.start, relative.end())


_SET_OFF_RELATIVE = re.compile(r",\s+(?:who|whose)(?P<pronoun>)\s[^,;:\"“”()—–]{3,150}?,")


def _whole_subject(text: str, start: int, cue: _Cue) -> Span | None:
    """The whole stretch before a participle set off by a comma, when it reads as a source: "Nate
    Cohn, writing for the Times, ...", "But Sen. Ana Ruiz (D-Ore.), noting that ..."."""
    end = _rstrip(text, start, cue.span.start)
    if end <= start or text[end - 1] != ",":
        return None
    subject = _trim_subject(text, start, end - 1)
    if subject is None or not _is_source(text, subject, appositive_ok=True):
        return None
    return subject


def _restrictive_antecedent(
    text: str, sentence: _Sentence, relative: _Clause, cue: _Cue
) -> Span | None:
    """The noun phrase before a restrictive relative clause that reports, with the clause, as the
    source of the cue after it: "A majority of those who said the pier was safe voted for it" has
    the source "A majority of those who said the pier was safe" (PolNeAR keeps the clause)."""
    if relative.source is None:
        return None
    pronoun = relative.source.start
    if text.endswith(",", 0, _rstrip(text, 0, pronoun)) or _SET_OFF.search(
        text, pronoun, cue.span.start
    ):
        return None  # "Lee, who said ..., voted": set off, handled as an appositive clause
    at_relative = _Cue(Span(pronoun, pronoun), cue.lemma, cue.verb)
    found = _subject_before(text, sentence, relative.region_start, at_relative)
    antecedent = found[0] if found is not None else _those(text, relative.region_start, pronoun)
    if antecedent is None or antecedent.end != _rstrip(text, antecedent.start, pronoun):
        return None
    end = _rstrip(text, pronoun, cue.span.start)
    if len(_WORD.findall(text[antecedent.start : end])) > 30:
        return None
    return Span(antecedent.start, end)


def _those(text: str, start: int, end: int) -> Span | None:
    """A short phrase ending in "those" or "people" before "who": "A majority of those", "Even
    those" (a source only with its relative clause, so :func:`_is_source` turns it down)."""
    phrase = _trim_subject(text, start, end)
    if phrase is None:
        return None
    words = text[phrase.start : phrase.end].split()
    if not 0 < len(words) <= 8 or words[-1].casefold() not in _THOSE:
        return None
    if _has_verb("x " + text[phrase.start : phrase.end]) or _SET_OFF.search(
        text, phrase.start, phrase.end
    ):
        return None
    if words[0].casefold() == "even":
        phrase = Span(_lstrip(text, phrase.start + 4, phrase.end), phrase.end)
    return phrase


_THOSE = frozenset({"those", "people", "anyone", "everyone", "someone", "others", "all"})


_SET_OFF = re.compile(r"[,;:\"“”()—–]|\s-\s|\s--\s")


def _past_opening_phrase(text: str, sentence: _Sentence, source: Span) -> Span:
    """The source without the object of an opening preposition that runs into it: "(In) a Ledger
    poll last week, 38 percent of voters said", "(After) the rally, several volunteers said":
    the phrase before the comma sets the scene; the speaker is what follows it."""
    before = text[max(sentence.start, source.start - 20) : source.start]
    if not _PREPOSITION_JUST_BEFORE.search(before) and (
        text[: source.end].rstrip().endswith(",")  # "As Ann Lee, a lawyer, put it": her
        or _LIST_TAIL.search(text, source.start, source.end)  # "unions, groups, and lawmakers"
        or not (
            _SUBORDINATOR_JUST_BEFORE.search(before)
            or _OPENING_WORDS.match(text, source.start, source.end)
        )
    ):
        return source
    for comma in re.finditer(r",\s+", text[source.start : source.end]):
        before = text[source.start : source.start + comma.start()]
        after = source.start + comma.end()
        if "(" in before or before[-1:].isdigit() or _PLACE_AFTER_COMMA.match(text, after):
            continue  # "the Sept. 11, 2001, attacks", "Cleveland, Ohio, a new poll"
        rest = Span(after, source.end)
        if after < source.end and _is_source(text, rest, appositive_ok=True):
            return rest
    return source


_PREPOSITION_JUST_BEFORE = re.compile(
    r"(?<![\w'’-])(?:[Ii]n|[Aa]fter|[Bb]efore|[Dd]uring|[Aa]t|[Oo]n|[Ss]ince|[Ff]ollowing|"
    r"[Dd]espite|[Uu]nder|[Aa]mid|[Aa]mong|[Ff]rom|[Bb]y|[Ww]ith|[Ww]ithout|[Ff]or|[Oo]ver|"
    r"[Tt]hrough|[Uu]nlike|[Ll]ike|[Aa]ccording\s+to)\s+\Z"
)
_LIST_TAIL = re.compile(r",\s+(?:and|or)\s")
# An opening clause's conjunction right before the source: "(As) the ferry sank, some of its
# passengers said", "(If) the ferry stops, traders estimate".
_SUBORDINATOR_JUST_BEFORE = re.compile(
    r"(?<![\w'’-])(?:[Aa]s|[Ii]f|[Ww]hen|[Ww]hile|[Bb]ecause|[Aa]lthough|[Tt]hough|[Oo]nce|"
    r"[Uu]ntil|[Uu]nless|[Ww]henever|[Aa]longside)\s+\Z"
)
_PLACE_AFTER_COMMA = re.compile(r"[A-Z][\w.]*,")
# A source that opens with the end of an opening clause or a sentence adverb, not a noun phrase:
# "(when) contacted, a spokesperson said", "Most recently, the agency concluded".
_OPENING_WORDS = re.compile(
    r"(?!(?:the|a|an|his|her|their|its|our|my|your|this|that|these|those|some|many|most|all|"
    r"several|few|both|each|every|any|no|other|others|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|more|fewer|less|only|about|nearly|almost|just|roughly|over|under|at|up)\b)"
    r"[a-z][\w'’-]*\b[^,]*,\s|(?:Most\s+recently|First|Second|Third|Finally|Contrary\s+to\b"
    r"[^,]*|Instead|Meanwhile|Indeed|Earlier|Later),\s"
)


def _past_subordinator(text: str, source: Span) -> Span:
    """The source without a clause it ends: the subject after "after", "as", "before", ...
    speaks ("Two weeks after the mayor said", "Turnout fell as the union urged"), and so does
    the one after "which" or "whom" ("the preacher whom the mayor accuses")."""
    matches = list(_SUBORDINATOR.finditer(text, source.start + 1, source.end))
    if not matches:
        return source
    last = matches[-1]
    word = last.group("word")
    if word not in ("which", "whom") and _RELATIVE_WORD.search(text, source.start, last.start()):
        return source  # "Ms. Lee, who served as an aide,": her description
    before = text[source.start : last.start()].split()
    if word not in ("which", "whom") and before and _ISSUED_PARTICIPLE.fullmatch(before[-1]):
        return source  # "The statement issued after the meeting said": a time, not a clause
    rest = Span(last.end(), source.end)
    if word == "as" and (
        _AS_ROLE.match(text, rest.start)
        or text[source.start : last.start()].split()[-1].casefold() in _NOT_AS_CLAUSE
    ):
        return source  # "Ms. Lee as a candidate", "such as", "served as"
    if "," in text[rest.start : rest.end] or not _is_source(text, rest, appositive_ok=True):
        return source
    return rest


_SUBORDINATOR = re.compile(
    r"(?<![\w'’-])(?P<word>after|as|when|while|since|because|until|before|which|whom)\s+"
)
_ISSUED_PARTICIPLE = re.compile(
    r"issued|released|published|signed|adopted|made|filed|sent|written|posted|drafted|agreed|held"
)
_RELATIVE_WORD = re.compile(r"(?<![\w'’-])(?:who|whose|which|whom)\b")
_AS_ROLE = re.compile(r"(?:a|an|his|her|their|its|our|my|your)\s")
_NOT_AS_CLAUSE = _words(
    "such many much served serves serving running runs ran seen known well same so identifies "
    "works worked just"
)


def _after_opening(text: str, start: int, end: int) -> int:
    """Where a source starts after what opens its sentence but is no part of it: a participle
    clause with a reporting verb ("Praising Donald Trump's approach, Russia's foreign ministry
    said": the ministry praised, not Trump) or a sub-heading run into the paragraph ("Security
    Russia's foreign ministry said", from a page whose heading "Security" lost its line)."""
    opening = _PARTICIPLE_OPENING.match(text, start, end)
    if opening is not None and opening.group("verb").lower() in CUE_VERBS:
        return opening.end()
    at_line_start = start == 0 or text[start - 1] == "\n"
    heading = _RUN_IN_HEADING.match(text, start, end) if at_line_start else None
    return heading.end() if heading is not None else start


_ACCORDING_TO_START = re.compile(r"[Aa]ccording\s+to\s+")
_PARTICIPLE_OPENING = re.compile(r"(?P<verb>[A-Z][a-z]+ing)\s[^,;:]{1,80},\s+(?=[\w\"“])")
_RUN_IN_HEADING = re.compile(
    r"(?:" + "|".join(sorted(word.capitalize() for word in HEADING_WORDS)) + r")\s+"
    r"(?=(?:The\s+)?[A-Z][\w.-]*(?:['’]s)?(?:\s|\Z))(?!(?:Council|Service|Committee|Agency|Department|"
    r"Office|Forces?|Union|Ministry|Commission|Minister|Secretary|Bank|Corps|Fund|Forum|Court|"
    r"Organi[sz]ation|Institute|Programme|Program|Group|Trust|Watch|Report|News|Review|Today|"
    r"Insider|Daily|Weekly|Journal|Post|Times|Council|Chief|Envoy|Adviser|Advisor|Correspondent|"
    r"Editor|Analyst|Reporter|Desk|Team|Policy|Initiative|Summit)\b)"
)


def _tidy_source(text: str, source: Span, cue: Span) -> Span:
    """``source`` without what is never part of a speaker: a dateline or a time before it
    ("Paris (AFP) - ", "The next day, a spokesman"), an adverb after it ("Ann Lee Just Said",
    "Critics soon noted"), where they said it ("Ann Lee in a blog post said") and what follows a
    parenthesis it closes but does not open ("(according to the clerk) on Monday"); with the comma
    that closes its appositive ("Ann Lee, a pollster in Dover, Del., said", "Sen. Ann Lee (D-Del.),
    said") and the day a document came out ("A Ledger poll released Sunday found")."""
    start, end = source.start, source.end
    start = _after_opening(text, start, end)
    according = _ACCORDING_TO_START.match(text, start, end)
    if according is not None and according.end() < end:
        start = according.end()  # "According to analyst Ann Lee believes": Ann Lee believes
    dateline = _SOURCE_DATELINE.match(text, start, end)
    if dateline is not None and dateline.end() < end:
        start = dateline.end()
    if end <= cue.start:
        start = _past_time_opening(text, start, end)
    state = _STATE_AFTER_CITY.match(text, start, end)
    if state is not None and _CITY_BEFORE.search(text, max(0, start - 30), start):
        start = state.end()  # "(in Des Moines,) Iowa, the candidate said": the place's state
    adverb = _SOURCE_FINAL_ADVERB.search(text, start, end)
    if adverb is not None and adverb.start() > start:
        end = adverb.start()
    close = _unopened_parenthesis(text, start, end)
    dash = _DASH_AFTER_PARENTHESIS.match(text, close, end) if close > start else None
    if dash is not None and dash.end() < end:
        start = dash.end()  # "AP) - Ann Lee": the end of a dateline
    elif close > start:
        end = _rstrip(text, start, close)
    if end <= cue.start and _PUBLISHED_END.search(text, start, end):
        time = _PUBLISHED_TIME.match(text, end, cue.start)
        if time is not None and not text[time.end() : cue.start].strip(" ,"):
            end = time.end()  # "A Ledger poll released Sunday found": its date is part of it
    vehicle = _VEHICLE_AFTER_SOURCE.search(text, start, end)
    if (
        vehicle is not None
        and vehicle.start() > start
        and not _RELATIVE_WORD.search(text, start, vehicle.start())
    ):
        end = vehicle.start()  # "Ann Lee in a blog post said": Ann Lee
    closing = _APPOSITIVE_CLOSE.match(text, end)
    if (
        closing is not None
        and ("," in text[start:end] or text[end - 1] == ")")
        and text[end - 1] != ","
        and (start >= cue.end or not text[closing.end() : cue.start].strip())
    ):
        end = closing.end()  # "Ann Lee, a pollster, said": PolNeAR keeps the closing comma
    return source if (start, end) == (source.start, source.end) else Span(start, end)


# The state (or country) that completes a place before the speaker: "in Des Moines, Iowa, the
# candidate said", "in Salem, Ore., Ann Lee said", "WASHINGTON, D.C., Republican ...".
_STATE_AFTER_CITY = re.compile(
    r"(?:[A-Z][a-z]+\.?|[A-Z]\.(?:[A-Z]\.)+)(?:\s[A-Z][a-z]+)?,\s+(?=\S)"
)
_CITY_BEFORE = re.compile(
    r"(?<![\w'’-])(?:in|at|of|from|near|outside|[A-Z][A-Z]+)\s+(?:[A-Z][\w.'’-]*\s+){0,2}[A-Z][\w.'’-]*,\s*\Z|\A[A-Z]{3,}(?:\s[A-Z]{3,})?,\s*\Z"
)


def _past_time_opening(text: str, start: int, end: int) -> int:
    """Where a source starts past the time that opens it: "(The) next day, a spokesman", "(On
    Monday) evening Ann Lee", "(3:)39PM Ann Lee"."""
    opening = _TIME_OPENING.match(text, start, end)
    if (
        opening is not None
        and opening.end() < end
        and _is_source(text, Span(opening.end(), end), appositive_ok=True)
    ):
        return opening.end()
    lead = _TIME_WORD_BEFORE_NAME.match(text, start, end)
    return lead.end() if lead is not None and lead.end() < end else start


_TIME_WORDS = (
    r"(?:time|times|morning|afternoon|evening|night|midday|day|days|week|weeks|month|months|"
    r"year|years|hour|hours|minute|minutes|weekend|spring|summer|fall|winter|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|\d{4}|\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am|pm))"
)
_TIME_OPENING = re.compile(r"(?:[\w'’.-]+\s+){0,3}" + _TIME_WORDS + r",\s+", re.IGNORECASE)
_TIME_WORD_BEFORE_NAME = re.compile(
    r"(?:morning|afternoon|evening|night|midday|\d+[AP]M)\s+(?=[A-Z])"
)


def _unopened_parenthesis(text: str, start: int, end: int) -> int:
    """Where the first ")" in ``text[start:end]`` that nothing there opens is, else -1."""
    depth = 0
    for position in range(start, end):
        if text[position] == "(":
            depth += 1
        elif text[position] == ")":
            if depth == 0:
                return position
            depth -= 1
    return -1


_PUBLISHED_END = re.compile(
    r"(?<![\w'’-])(?:released|published|out|conducted|taken|issued|completed|posted|filed|aired)\Z"
)
_PUBLISHED_TIME = re.compile(r"\s+(?:on\s+)?(?:" + _TIME + r")\b", re.IGNORECASE)
# Where a speaker said it, after the source: "Ann Lee in a blog post", "Ann Lee, via email".
_VEHICLE_AFTER_SOURCE = re.compile(
    r",?\s+(?:in|via|on|during|through)\s+(?:a|an|his|her|their|its|the|this|that)\s+"
    r"(?:[\w'’.-]+\s+){0,4}(?:post|statement|filing|interview|speech|tweet|letter|email|"
    r"e-mail|op-ed|column|essay|appearance|remarks|video|message|announcement|address)s?,?\Z"
    r"|,?\s+via\s+\w+,?\Z"
)
_APPOSITIVE_CLOSE = re.compile(r"(?<=[A-Z][a-z])\.,|,")
_DASH_AFTER_PARENTHESIS = re.compile(r"\)\s*(?:-|--|—|–)\s*")
_SOURCE_DATELINE = re.compile(r"[A-Z][\w.' -]{1,30}\((?:AP|AFP|Reuters|UPI)\)\s*(?:-|--|—|–)\s*")
_SOURCE_FINAL_ADVERB = re.compile(
    r"\s+(?:[Jj]ust|[Ff]inally|[Ss]oon|[Aa]lready|[Ss]imply|[Qq]uickly|[Ii]mmediately)\Z"
)


# The head of a noun phrase that a participle describes: a plural, a name, or a document.
_REDUCED_HEAD = re.compile(
    r"(?:[a-z]{3,}(?<!ss)(?<!ous)(?<!is)(?<!us)s|[A-Z][\w'’.-]+|lawsuit|suit|letter|ad|statement|"
    r"report|petition|resolution|memo|complaint|email|tweet|post|video|editorial|motion|"
    r"measure|study|survey|poll|analysis|campaign|group|committee|coalition|organization|"
    r"everyone|anyone|someone|those|others)\Z"
)
# Cues whose -ing form more often means something else unless "that" follows.
_REDUCED_NEEDS_THAT = frozenset({"charge", "show", "find", "see", "post", "order", "note", "call"})
_THAT_AFTER = re.compile(r"\s+that\b")
_REDUCED_WORD = re.compile(r"[\w'’.-]+\Z")
_REDUCED_STOP = _words(
    "is are was were be been being has have had do does did will would can could should may "
    "might must not no and or but that which who whom whose to for from with by on in at as "
    "after before about into over than then there here it he she they we i you him her them "
    "us me this these its his their our my your when while if because since although though"
)


def _reduced_relative(text: str, gap_start: int, cue: _Cue) -> Span | None:
    """The noun phrase right before a participle cue that describes it: "pastors supporting
    Mr. Cruz", "a federal lawsuit alleging that ..." (no comma between them)."""
    end = cue.span.start
    if end <= gap_start or not text[end - 1].isspace():
        return None
    if cue.lemma in _REDUCED_NEEDS_THAT and not _THAT_AFTER.match(text, cue.span.end):
        return None  # "a firm charging customers more", "photos showing the crowd"
    last = _rstrip(text, gap_start, end)
    words: list[tuple[int, str]] = []
    position = last
    while position > gap_start and len(words) < 6:
        match = _REDUCED_WORD.search(text, gap_start, position)
        if match is None:
            break
        word = match.group()
        if word.casefold() in _REDUCED_STOP:
            break
        words.append((match.start(), word))
        if word.casefold() in _DETERMINERS:
            break
        position = _rstrip(text, gap_start, match.start())
        if position < match.start() and not text[position : match.start()].isspace():
            break
    if not words or not _REDUCED_HEAD.fullmatch(words[0][1]):
        return None
    span = Span(words[-1][0], last)
    return span if _is_source(text, span, appositive_ok=False) else None


_WITH_SUBJECT = re.compile(
    r"(?<![\w'’-])[Ww]ith\s+(?P<phrase>[^,;:()\"“”—–]{1,80}?)\s*(?:also\s+|even\s+)?\Z"
)
# Cues that name a topic, not a claim: after "to" they are the plan, not the report ("moved on
# to talk about the budget").
_TOPIC_CUES = frozenset({"talk about", "speak about", "focus on", "talk", "refer to"})
_INFINITIVE_BEFORE = re.compile(r"(?<![\w'’-])to\s+\Z")
# Verbs whose object is the subject of the infinitive after it: "led many experts to suspect".
_OBJECT_CONTROL = re.compile(
    r"(?<![\w'’-])(?:lead|leads|led|leading|prompt(?:s|ed|ing)?|sen[dt]s?|sending|forc(?:e|es|ed|ing)|"
    r"allow(?:s|ed|ing)?|caus(?:e|es|ed|ing)|encourag(?:e|es|ed|ing)|invit(?:e|es|ed|ing)|"
    r"inspir(?:e|es|ed|ing)|push(?:es|ed|ing)?|press(?:es|ed|ing)?|got|gets|getting)\s+"
    r"(?P<phrase>[^,;:()\"“”—–]{1,80}?)\s*\Z"
)


# The verb after a subject that takes an infinitive: "were quick to", "seemed to", "went ... to".
_CHAIN_VERB = re.compile(
    r"\s+(?:(?:also|still|then|now|just|only|even|never|again|already|[a-z]+ly)\s+)*"
    r"(?:is|are|was|were|be|been|has|have|had|do|does|did|will|would|could|can|may|might|must|"
    r"should|seems?|seemed|appears?|appeared|tends?|tended|wants?|wanted|needs?|needed|hopes?|"
    r"hoped|tries|tried|try|refuses?|refused|declines?|declined|fails?|failed|agrees?|agreed|"
    r"continues?|continued|begins?|began|starts?|started|goes|went|uses?|used|takes?|took|"
    r"comes?|came|rushe[sd]|moves?|moved|gets?|got|stepped|stood|sought|seeks?|intends?|"
    r"intended|plans?|planned|vowed|promised|pledged|threatened|chose|chooses|decided|decides|"
    r"managed|struggled|struggles|gathered|appeared|rose|stands?|returned|returns|showed|"
    r"traveled|travelled|flew|headed|turned|paused|stopped|[a-z]+ed)\b"
)


def _infinitive_clause(
    text: str, sentence: _Sentence, cue: _Cue, start: int, to: int
) -> _Clause | None:
    """The source of a cue after "to": the object of "led", "prompted", ... ("led many experts
    to suspect"), else the subject of the clause, with the verbs between in the cue ("Readers
    were quick to condemn", "The senator went out of her way to say"), else a headline's subject
    ("Union to endorse Ruiz")."""
    control = _OBJECT_CONTROL.search(text, start, to)
    if control is not None:
        phrase = _trim_subject(text, control.start("phrase"), to, lead_ins=False)
        if phrase is not None and _is_source(text, phrase, appositive_ok=True):
            return _Clause(_Cue(Span(to, cue.span.end), cue.lemma, cue.verb), phrase, phrase.start,
                           False, None)  # fmt: skip
    leading = _leading_subject(text, sentence, to)
    if (
        leading is not None
        and leading.end < to
        and _CHAIN_VERB.match(text, leading.end, to)
        and text[leading.start : leading.end].casefold() not in ("it", "this", "that", "there")
    ):  # but not "It is too soon to say"
        chain = text[leading.end : to]
        cue_start = to
        if len(chain.split()) <= 8 and not re.search(r"[,;:\"“”()—–]", chain):
            cue_start = _lstrip(text, leading.end, to)  # "were quick to condemn"
        return _Clause(_Cue(Span(cue_start, cue.span.end), cue.lemma, cue.verb), leading,
                       leading.start, False, None)  # fmt: skip
    whole = _trim_subject(text, start, to)
    if (
        whole is not None
        and whole.start == _skip_lead_ins(text, sentence.start, to)
        and _is_source(text, whole, appositive_ok=False, max_words=6)
    ):
        return _Clause(_Cue(Span(to, cue.span.end), cue.lemma, cue.verb), whole, whole.start,
                       False, None)  # fmt: skip
    return None


# A gerund after a preposition has the clause's subject: "landed in trouble by saying".
_PREPOSITION_BEFORE = re.compile(r"\s(?:by|after|before|while|without|upon|since)\Z", re.IGNORECASE)

_LEADING_SUBJECT = re.compile(
    r"(?:The|the)\s+(?:[A-Z][\w.'’-]*\s+)*[a-z]+(?=\s+(?:[a-z]+ed|has|had|was|is)\b)"
    r"|(?!(?:The|A|An|This|That|These|Those|It|In|On|At|But|And|When|While|If|As|After)\b)"
    r"(?:(?:[A-Z][\w.'’-]*|of|de|van|von|al)\s+)*[A-Z][\w.'’-]*(?:,\s[^,;:\"“”]{3,80},)?(?=\s+[a-z])"
    r"|(?:He|She|They|We|I)(?=\s|['’])"
)


def _leading_subject(text: str, sentence: _Sentence, limit: int) -> Span | None:
    """The subject at the start of a sentence, before ``limit`` ("Mr. Trump" in "Mr. Trump was
    forced ... and said"; "The Arizona Republican" in "The Arizona Republican survived ... and
    says")."""
    first = _skip_lead_ins(text, sentence.start, limit)
    starts = [first]
    for comma in re.finditer(r",\s+", text[first : min(limit, first + 80)]):
        starts.append(first + comma.end())  # past an adverbial the lead-ins do not know
        if len(starts) == 3:
            break
    named = _NAME_THEN_ASIDE.match(text, first, limit)
    if named is not None:  # "Mr. Trump, in an interview on Friday, dwelled on ..."
        name = Span(named.start("name"), named.end("name"))
        if _is_source(text, name, appositive_ok=False):
            return name
    for start in starts:
        scanned = _noun_phrase_before_verb(text, start, limit)
        if scanned is not None:
            return scanned
        found = _LEADING_SUBJECT.match(text, start, limit)
        if found is not None:
            span = Span(found.start(), found.end())
            if _is_source(text, span, appositive_ok=True):
                return span
    return None


# A name, then an aside set off by commas, then its verb: "Ann Lee, in an interview, said",
# "Lee, clearly frustrated, responded".
_NAME_THEN_ASIDE = re.compile(
    r"(?P<name>(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*),\s+"
    r"(?:[a-z]+ly|in|on|at|during|after|before|for|like|meanwhile|however|too|though|also|still)\b"
    r"[^,;:\"“”()]{0,80},\s+(?:[a-z]+ly\s+)?[a-z]+(?![\w'’-])"
)
# A lowercase word that may be the verb after a subject, maybe after adverbs: "also doubled".
_VERB_AFTER_SUBJECT = re.compile(
    r"\s+(?:(?:also|later|then|now|still|just|only|even|never|again|already|[a-z]+ly)\s+)*"
    r"(?P<verb>[a-z][a-z'’-]*)(?![\w'’-])"
)


def _noun_phrase_before_verb(text: str, start: int, limit: int) -> Span | None:
    """The longest phrase from ``start`` (at most 14 words) that reads as a source and is followed
    by a lowercase word that is not a preposition or conjunction: the subject of the clause."""
    best: Span | None = None
    for count, word in enumerate(re.finditer(r"\S+(?=\s)", text[start:limit])):
        if count >= 14:
            break
        if count and _PAST_VERB.fullmatch(word.group()) and word.group() not in _NOUN_PARTICIPLES:
            break  # "Sanders stepped up his emphasis on ...": the subject ended before the verb
        end = start + word.end()
        verb = _VERB_AFTER_SUBJECT.match(text, end)
        if verb is None or verb.group("verb") in _FUNCTION_WORDS or verb.start("verb") >= limit:
            continue  # the subject's verb comes before the cue
        if word.group().endswith(",") and "," not in text[start : end - 1]:
            continue  # "A spokesman withdrew the remarks, saying": a clause, not an appositive
        last = word.group().casefold()
        if (
            last.endswith(("'s", "’s", "s'", "s’"))
            or last in _FUNCTION_WORDS
            or last.endswith("ly")
        ):
            continue  # "Trump's campaign", "The campaign also": the phrase goes on
        span = _trim_subject(text, start, end, lead_ins=False)
        if span is not None and _is_source(text, span, appositive_ok=True):
            if best is not None and _subject_then_verb(text, best, span):
                break  # "Rubio hit back, saying": "Rubio", not "Rubio hit"
            best = span
    return best


def _subject_then_verb(text: str, subject: Span, longer: Span) -> bool:
    """Whether ``longer`` runs past the name ``subject`` into its verb: "Rubio hit back",
    "Trump then appears in a clip" (an adverb or a common verb right after a name)."""
    last = text[subject.start : subject.end].split()[-1]
    tail = text[subject.end : longer.end].split()
    if not last[:1].isupper() or not tail:
        return False
    word = tail[0].casefold()
    return word in _VERB_AFTER_NAME or (word.endswith("ly") and word not in _NOT_ADVERBS)


# Words that, right after a name, start its predicate: adverbs and common verbs that are not
# -ed forms (those end the subject already).
_VERB_AFTER_NAME = _words(
    "then also further long once still now again even "
    "hit hits put puts set sets shot cut cuts let lets ran runs took takes made makes gave gives "
    "got gets held holds kept keeps left leaves met meets paid pays sent "
    "sends won wins lost loses spent spends appears likes rips incites primes remains seems "
    "continues maintains wants needs uses leads sees tries plots knows thinks"
)
_NOT_ADVERBS = _words("ally family rally italy july")


_PAST_VERB = re.compile(r"[a-z]+ed,?")

# What a subject issues that then says something: "released a statement saying".
_VEHICLE = re.compile(
    r"(?<![\w'’-])(?:released|issued|sent|sends|posted|published|filed|tweeted|aired|launched|"
    r"unveiled|circulated|put\s+out|wrote|releases|issues|files|posts|has\s+released|"
    r"has\s+issued|has\s+filed|has\s+sent)\s+(?:a|an|the|its|his|her|their)\s+"
    r"(?:[\w'’$-]+\s+){0,4}?(?:statement|email|e-mail|letter|memo|lawsuit|suit|complaint|tweet|"
    r"post|report|ad|advertisement|video|message|note|release|brief|motion|petition|op-ed|"
    r"column|editorial|response|document|order|fundraising\s+appeal|appeal)s?"
    r"(?:\s+(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|"
    r"yesterday|late|early|night|morning|afternoon|evening))*,?\s*\Z",
    re.IGNORECASE,
)


def _is_participle(text: str, cue: _Cue) -> bool:
    """A bare -ing cue ("..., saying"), which has no subject of its own ("is saying", "is not
    saying", "’s also praising" have)."""
    verb = text[cue.verb.start : cue.verb.end].split()[0]
    prefix = text[cue.span.start : cue.verb.start].casefold().split()
    return verb.endswith("ing") and not any(word in _BE for word in prefix)


def _connector_start(text: str, start: int, end: int) -> int:
    """The start of the "and"/"but"/comma that joins a clause, within ``text[start:end]``."""
    match = _COORDINATOR_GAP.search(text, start, end) if end > start else None
    if match is None:
        piece = text[start:end]
        found = re.search(r"(?:,|;|\b(?:and|but|while|yet|or)\b)\s*\Z", piece, re.IGNORECASE)
        return start + found.start() if found else end
    return match.start()


_ACCORDING_TO_END = re.compile(r"[,;:]|\s[—–-]\s|\s--\s|[.!?](?=\s|$|[\"”])")


def _according_to_clause(text: str, sentence: _Sentence, cue: _Cue, region_start: int) -> _Clause:
    """``According to X, ...`` and ``..., according to X``."""
    after = _lstrip(text, cue.span.end, sentence.end)
    match = None
    for match in _ACCORDING_TO_END.finditer(text, after, sentence.end):
        if not _abbreviation_before(text, match.start()) and not _inside(
            sentence.quotes, match.start()
        ):
            break  # "according to U.S. Census data", "by John F. Hackett": not the end
    else:
        match = None
    source_end = _rstrip(text, after, match.start() if match else sentence.end)
    source = Span(after, source_end) if source_end > after else None
    if source is not None and not _is_source(
        text, source, appositive_ok=False, max_words=20, lowercase_ok=True
    ):
        source = _loose_according_to_source(text, source)
    if (
        source is not None
        and match is not None
        and text[match.start()] == ","
        and text.startswith("according", cue.span.start)
        and _trailing_content(text, sentence, sentence.start, cue.span.start) is not None
        and not _has_verb(_RELATIVE.sub("", text[match.start() : sentence.end]))
        and len(_RELATIVE.sub("", text[match.end() : sentence.end]).split()) <= 12
    ):
        # "according to Lee Epstein, a law professor at Yale." closing the sentence: all of it
        tail = _trim_end(text, source.end, sentence.end)
        wider = Span(source.start, tail)
        if (
            _APPOSITIVE_START.match(text, _lstrip(text, match.end(), tail))
            and not _inside(sentence.quotes, match.end())
            and _is_source(text, wider, appositive_ok=True, max_words=25, lowercase_ok=True)
        ):
            source = wider
    that = _THAT_IS.fullmatch(text, _lstrip(text, sentence.start, cue.span.start), cue.span.start)
    if that is not None and source is not None:  # "That’s according to exit polls.": "That"
        cue = _Cue(
            Span(_lstrip(text, that.start("verb"), cue.span.start), cue.span.end),
            cue.lemma,
            cue.verb,
        )
        pronoun = Span(that.start(), that.end("pronoun"))
        rest = Span(source.start, _trim_end(text, source.start, sentence.end))
        if len(_WORD.findall(text[rest.start : rest.end])) <= 30:
            source = rest  # "... according to the Caucus — a panel of 100 insiders."
        return _Clause(cue, source, that.start(), False, pronoun, inverted=True)
    # "..., Sanders said, according to CNN": what CNN reports is the whole clause before it
    before = _trailing_content(text, sentence, sentence.start, cue.span.start)
    if before is not None and region_start > sentence.start and not _final(text, sentence, source):
        before = _trailing_content(text, sentence, region_start, cue.span.start)
    leading = before is None
    return _Clause(cue, source, cue.span.start, not leading, before, inverted=not leading)


_THAT_IS_BEFORE = re.compile(r"(?<![\w'’])(?:That|This)(?:['’]s|\s+is|\s+was)\s+\Z")
_THAT_IS = re.compile(r"(?P<pronoun>That|This)(?P<verb>['’]s|\s+is|\s+was)\s+")
_APPOSITIVE_START = re.compile(r"(?:a|an|the|who|whose|which|its|his|her|their)\s|[A-Z]")


def _loose_according_to_source(text: str, source: Span) -> Span | None:
    """What follows "according to" is its source even when it does not read as a plain noun
    phrase: "according to an account she gave to the Gazette", "according to the officer in
    charge of the base that night", "according to a memo previously kept secret" (at most 25
    words: a longer stretch is a clause the boundaries missed). After a name, "is" or "will" ends
    it ("according to The Ledger is near a high": "The Ledger"); a reporting verb leaves it to
    that verb ("according to analyst Ann Lee believes that ...": Ann Lee believes, once)."""
    for verb in _FINITE_VERB.finditer(text, source.start, source.end):
        word = verb.group("word")
        if word in _BE_OR_HAVE or CUE_VERBS.get(word) is not None:
            head = Span(source.start, _rstrip(text, source.start, verb.start()))
            if _name_like(text, head) and _is_source(text, head, appositive_ok=True):
                return head if word in _BE_OR_HAVE else None
            break
    return source if len(_WORD.findall(text[source.start : source.end])) <= 25 else None


_FINITE_VERB = re.compile(r"(?<=\s)(?P<word>[a-z]+)\b")
_BE_OR_HAVE = _words("is are was were has have had will would")


def _final(text: str, sentence: _Sentence, span: Span | None) -> bool:
    """Whether ``span`` closes its sentence (but for punctuation)."""
    return span is not None and not text[span.end : sentence.end].strip(" .,;:!?\"”’')")


def _contents(text: str, sentence: _Sentence, clause: _Clause, end: int) -> list[Span]:
    """The content pieces of one clause, in text order.

    With content both before the source and after the cue, the one before wins when it ends
    with a quotation or the text after the cue is not clearly content ("said in Paris"); the one
    after wins when it starts with "that", a colon or a quotation, or when the one before is only
    an adverbial ("In the interview, Obama said ...").
    """
    start = clause.cue.span.end
    if clause.source is not None and (clause.inverted or clause.cue.lemma == "according to"):
        start = max(start, clause.source.end)
    before = clause.trailing_content
    if before is None:
        right = _content_after(text, clause, start, end, after_content=False)
        return [right] if right is not None else []
    second = _content_after(text, clause, start, end, after_content=True)
    right = _content_after(text, clause, start, end, after_content=False)
    if _ends_with_quotation(text, sentence, before) or right is None:
        return [before, second] if second is not None else [before]
    if text.startswith("in", clause.cue.span.start) and not _has_verb(
        text[right.start : right.end]
    ):
        return [before]  # "Ruiz fell to 9 percent in the Gazette poll, a drop of five points."
    if text[start : right.start].strip() == "," and not _adverbial(text[before.start : before.end]):
        return [before, right]  # "And that, Mr. Manafort said, was in the works."
    opener = text[right.start : right.start + 5].casefold()
    if opener.startswith(("that ", '"', "“", "''")) or text[start : right.start].strip() == ":":
        return [right]
    if (
        _adverbial(text[before.start : before.end])
        or not _has_verb(text[before.start : before.end])
        or (
            _ACCORDING_TO_BEFORE.search(text, max(0, before.start - 20), before.start)
            and not _QUOTE_MARK.search(text, before.start, before.end)
        )
    ):  # "According to early exit polls, most voters say ...": the polls are a source
        return [right]  # "Two hours after his tweet, the senator said ...": no clause before
    return [before]


_ACCORDING_TO_BEFORE = re.compile(r"(?i)according\s+to\s+\Z")


def _ends_with_quotation(text: str, sentence: _Sentence, span: Span) -> bool:
    return any(
        span.start <= quote.start and abs(quote.end - span.end) <= 1 for quote in sentence.quotes
    )


def _content_after(
    text: str, clause: _Clause, start: int, end: int, *, after_content: bool
) -> Span | None:
    """What the cue introduces: 'said (on Tuesday) (that) ...', 'told reporters: "..."'."""
    end = _rstrip(text, start, end)
    position = start
    for _ in range(4):  # adjuncts and a listener, in any order
        moved = False
        match = _ADJUNCT.match(text, position, end)
        if match and match.end() > position and _boundary_after(text, match.end(), end):
            position, moved = match.end(), True
        if clause.cue.lemma in RECIPIENT_CUES and not after_content:
            listener = _RECIPIENT.match(text, position, end)
            if (
                listener
                and listener.end() > position
                and _boundary_after(text, listener.end(), end)
            ):
                position, moved = listener.end(), True
        if not moved:
            break
    position = _lstrip(text, position, end)
    lead = _LEAD_MARK.match(text, position, end)
    if lead:
        position = _lstrip(text, lead.end(), end)
    if after_content and not text.startswith(tuple("\"“'`"), position):
        return None  # '"...," he said at a rally.': no second piece
    end = _trim_end(text, position, end)
    if end <= position or _WORD.search(text[position:end]) is None:  # not one word
        return None
    if not _WORD_CHARACTER.search(text[position:end]):
        return None
    return Span(position, end)


_LEAD_MARK = re.compile(r"[,:]\s*|[—–]\s*")
_WORD_CHARACTER = re.compile(r"\w")
# "(?:\s|^)" and a connector of at most five letters: searched in the last six characters only
_CONNECTOR_END = re.compile(r"(?:\s|^)(?:and|but|or|while|yet)\Z", re.IGNORECASE)


def _boundary_after(text: str, position: int, end: int) -> bool:
    """Whether content can start after ``position``: a space, comma, colon, quotation, the end."""
    return position >= end or text[position] in " ,:\"“'\u00a0—–"


def _trim_end(text: str, start: int, end: int) -> int:
    """Drop the sentence's final period and dangling punctuation or connectors."""
    while end > start:
        end = _rstrip(text, start, end)
        last = text[end - 1]
        if last in ".,;:—–-(" and not _closes_quotation(text, start, end):
            end -= 1
            continue
        if last == ")" and "(" not in text[start:end]:
            end -= 1  # the end of a parenthesis the content sits in: "(He denied it.)"
            continue
        window = max(start, end - 6)  # a match is six characters at most: " while"
        tail = _CONNECTOR_END.search(text[window:end])
        if tail:
            end = window + tail.start()
            continue
        break
    return end


def _closes_quotation(text: str, start: int, end: int) -> bool:
    return end - 1 > start and text[end - 2] in "\"”'"


def _continuation(
    text: str, sentence: _Sentence, previous: _Attribution, cues: list[_Cue]
) -> _Attribution | None:
    """A sentence that is only a quotation, right after an attribution, continues it."""
    if cues or not sentence.quotes:
        return None
    first = sentence.quotes[0]
    if first.start != sentence.start:
        return None
    covered = sum(quote.end - quote.start for quote in sentence.quotes)
    if covered < 0.8 * (sentence.end - sentence.start):
        return None
    end = _trim_end(text, sentence.start, sentence.end)
    return _Attribution(
        previous.cue,
        previous.source,
        [Span(sentence.start, end)],
        sentence,
        continued=True,
        rule="continuation",
    )


_SPEAKER_LABEL = re.compile(
    r"(?P<source>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|of|the|al)){0,5}"
    r"(?:\s\(" + _PARTY + r"\))?)"  # "Rep. Ann Lee (D-Ohio):"
    r"(?P<cue>:)(?:\s+(?=\S)|(?=[\"“]))"
)
_NOT_SPEAKERS = _words(
    """
    update updated editor note photo photos source sources read related watch video click
    follow advertisement warning disclaimer transcript subscribe contact email tags topics
    posted by correction clarification image credit caption listen more live breaking
    exclusive analysis opinion commentary editorial report reporting map chart graphic audio
    full text question answer note notes ps p.s warning latest contributing revealed wow look
    twitter bombshell leaked paid notice byline
    """
)
_FIGURES = re.compile(r"[\d\s,.%$-]+")
_ROSTER = re.compile(
    r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}(?:,\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}){3,}\.?"
)


def _tally_or_roster(text: str, start: int, end: int) -> bool:
    """Whether a labelled line holds only figures or a list of names."""
    return bool(_FIGURES.fullmatch(text, start, end) or _ROSTER.fullmatch(text, start, end))


_SIGNATURE = re.compile(
    r"\s*(?P<cue>[―—–]|--)\s*(?P<source>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von)){0,4})"
    r"\s*(?=$|[.,\n\"“])"
)


# An initial closing a signature ("― Jane Q."): looked for in the last two characters only
_INITIAL_END = re.compile(r"\b[A-Z]\.\Z")


def _signed_quotations(text: str, sentence: _Sentence) -> list[_Attribution]:
    """A quotation signed with a dash: '"Maybe we can build a wall around him." ― Steve Quinlan'."""
    found: list[_Attribution] = []
    for quote in sentence.quotes:
        match = _SIGNATURE.match(text, quote.end, len(text))
        if match is None or "\n" in text[quote.end : match.start("source")]:
            continue
        cue = Span(match.start("cue"), match.end("cue"))
        source_end = match.end("source")
        if text[source_end - 1] == "." and not _INITIAL_END.search(
            text, max(0, source_end - 2), source_end
        ):
            source_end -= 1
        found.append(
            _Attribution(
                _Cue(cue, "sign", cue),
                Span(match.start("source"), source_end),
                [quote],
                sentence,
                rule="signed_quotation",
            )
        )
    return found


_INITIAL_PARTICIPLE = re.compile(
    r"(?:(?:But|And|Yet|Still|Instead|Even|Also|Later|Then),?\s+)?(?P<cue>[A-Z][a-z]+ing)\b"
)


def _initial_participle(
    text: str, sentence: _Sentence, found: list[_Attribution]
) -> list[_Attribution]:
    """A sentence opening with a participle, whose subject is the main clause's: "Warning that
    the bridge was unsafe, the mayor's spokeswoman said ..." (source "the mayor's spokeswoman",
    cue "Warning", content "that the bridge was unsafe")."""
    match = _INITIAL_PARTICIPLE.match(text, sentence.start, sentence.end)
    if match is None:
        return []
    start = match.start("cue")
    pattern = _FORMS_BY_FIRST_WORD.get(match.group("cue").lower())
    lowered = text[start : min(sentence.end, start + 60)].lower()
    form = pattern.match(lowered) if pattern is not None else None
    if form is None or CUE_VERBS[" ".join(form.group().split())] in ("cite", "quote"):
        return []  # "Citing people familiar with it, the paper said": a source, not a claim
    end = start + form.end()
    if any(start < other.cue.span.end and other.cue.span.start < end for other in found):
        return []
    for count, comma in enumerate(re.finditer(r",\s+", text[end : sentence.end])):
        if count == 4:
            break
        subject = _noun_phrase_before_verb(text, end + comma.end(), sentence.end)
        if subject is None or _inside(sentence.quotes, subject.start):
            continue
        content_end = _trim_end(text, end, end + comma.start())
        content_start = _lstrip(text, end, content_end)
        if content_end <= content_start:
            return []
        cue = _Cue(Span(start, end), CUE_VERBS[" ".join(form.group().split())], Span(start, end))
        content = Span(content_start, content_end)
        return [_Attribution(cue, subject, [content], sentence, rule="initial_participle")]
    return []


_TITLE_WORDS = _words("Over For Of The In On At To And With Is Are A An By From Not But Vs")


# A label after a dash in mid-line, before a quotation: 'POLLS ERRED - Ann Lee: "We ..."',
# '... -More from Lee: "..."', '- More from the report: "..."'.
_DASH_LABEL = re.compile(  # the dash before its look-behind, for speed (as in _ACCORDING_TO)
    r"[-–—](?<!\S[-–—])\s*(?:More\s+from\s+|From\s+)?(?P<source>[A-Z][\w.'’-]*"
    r"(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|and|al)){0,5}|the\s+(?:report|study|survey|poll|analysis))"
    r"(?P<cue>:)\s*(?=[\"“])"
)
# A kicker before a label at the start of a line: "EXCLUSIVE – Ann Lee: ...".
_KICKER = re.compile(r"(?:EXCLUSIVE|BREAKING|WATCH|VIDEO|OPINION)\s*[-–—]\s*")
# A bracketed credit closing a labelled line: '... wrong." [Gazette.]'
_CREDIT = re.compile(r"\s*\[[^\]\n]{1,30}\]\W*\Z")


# A headline's speaker and whom or what they address: "Ruiz to Harbor Workers: ...",
# "Ruiz on the Levy: ..." (the first line of the text only: elsewhere it is a section's title).
_HEADLINE_ADDRESS = re.compile(
    r"(?!According\s)(?P<source>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s+(?:on|to|On|To)\s+"
    r"[^:\n\"“”]{1,70}?"
    r"(?P<cue>:)\s+(?=\S)"
)


def _label(text: str, start: int, end: int) -> re.Match[str] | None:
    """The speaker label of the line ``text[start:end]`` (``start`` past its indentation)."""
    kicker = _KICKER.match(text, start, end)
    match = _SPEAKER_LABEL.match(text, kicker.end() if kicker else start, end)
    if match is not None:
        return match
    if _lstrip(text, 0, start) == start:  # only blanks before it
        match = _HEADLINE_ADDRESS.match(text, start, end)
        if match is not None:
            return match
    if "-" not in text[start:end] and "–" not in text[start:end] and "—" not in text[start:end]:
        return None
    return _DASH_LABEL.search(text, start, end)


def _speaker_labels(text: str) -> list[_Attribution]:
    """Lines that start with a speaker's name and a colon: 'JAKE TAPPER: Why not debate?'."""
    found: list[_Attribution] = []
    for line in re.finditer(r"[^\n]+", text):
        start = _lstrip(text, line.start(), line.end())
        match = _label(text, start, line.end())
        if match is None:
            continue
        source = match.group("source")
        words = source.casefold().replace("’", "'").split()
        if not words or (
            (words[0].rstrip("'s") in _NOT_SPEAKERS or words[-1] in _NOT_SPEAKERS)
            and words != ["report"]  # a headline's "Report: ..." names its source
            and not source.startswith("the ")  # "- More from the report: ..."
        ):
            continue
        if len(source) == 1:
            continue  # "Q:" and "A:" in an interview name no one
        if any(
            word in _TITLE_WORDS or (word.isupper() and word.capitalize() in _TITLE_WORDS)
            for word in source.split()[1:]
        ):
            continue  # a headline ("Stealth Over Health: ", "FIX IS IN: "), not a name
        content_start = match.end()
        credit = _CREDIT.search(text, content_start, line.end())
        content_end = _trim_end(text, content_start, credit.start() if credit else line.end())
        if content_end <= content_start or _tally_or_roster(text, content_start, content_end):
            continue  # "Ruiz: 1,204." and "Ohio: Ann Lee, Bo Park, Cy Ruiz" are no one's words
        quotes = tuple(_quotations(text, line.start(), line.end()))
        cue = _Cue(
            Span(match.start("cue"), match.end("cue")),
            ":",
            Span(match.start("cue"), match.end("cue")),
        )
        found.append(
            _Attribution(
                cue,
                Span(match.start("source"), match.end("source")),
                [Span(content_start, content_end)],
                _Sentence(line.start(), line.end(), quotes),
                rule="speaker_label",
            )
        )
    return found


# Adverbs and a time between a participle and "by": "was first reported last week by".
_PASSIVE_GAP = (
    r"(?:\s+(?:also|first|later|quickly|widely|roundly|swiftly|publicly|sharply|strongly|"
    r"repeatedly|initially|previously|recently|originally|again|both|all|even|only|"
    r"(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|today|yesterday|"
    r"(?:last|this|earlier\s+this)\s+(?:week|month|year|night)),?)*"
)
_BEFORE_BY = re.compile(
    r"(?<![\w'’-])(?P<verb>[A-Za-z]+(?:ed|en|wn)|told|said|thought|sought|found)"
    + _PASSIVE_GAP
    + r"\s+\Z",
    re.IGNORECASE,
)
# "by" as a word (the literal first, so that the scan is fast): "criticized by", not "nearby".
_BY = re.compile(r"by(?<![\w'’-]by)\s+(?=\S)")
_PASSIVE_AUXILIARIES = re.compile(
    r"(?<![\w'’-])(?:(?:is|are|was|were|be|been|being|has|have|had|will|would|could|can|may|"
    r"might|should|must|also|not|never|first|later|since|once|already|often|[a-z]+ly)\s+)+\Z"
)
# Participles that report a view only in the passive: "Her view is shared by Sen. Lee".
_PASSIVE_ONLY_CUES = {
    "shared": "share",
    "liked": "like",
    "disliked": "dislike",
    "distrusted": "distrust",
}
# Cues whose passive with "by" names no speaker: "was decided by a runoff", "offered by the
# store", "continued by saying".
_PASSIVE_NOT_CUES = _words(
    "decide express respond continue explain recommend challenge recognize offer post show "
    "conclude inform threaten worry quote estimate cite welcome highlight oppose release"
)
_PASSIVE_SOURCE_STOP = _words(
    "that who whom whose which to in on at for as during after before when while because since "
    "over with about against amid if whether than into from under through until despite following "
    "last this next earlier"
)
_GERUND_AFTER = re.compile(r"\s+[a-z]+ing\b")
_PASSIVE_SOURCE_WORD = re.compile(r"[^\s,;:()\"“”—–]+")
_PASSIVE_CONTENT_START = re.compile(
    r"(?:.*(?:[,;:—–(]|\s--|\b(?:and|but|that|because|since|after|when|while|if|as)\b))?\s*"
    r"(?:(?:[Aa]nd|[Bb]ut|[Yy]et|[Ss]o)\s+)?",
    re.DOTALL,
)
# A sentence opening with the passive: "Asked by reporters whether ...", "As reported by X, ...".
_OPENING_PASSIVE = re.compile(r"(?:When\s+|As\s+(?:first\s+)?)?\Z")


def _passive_by(text: str, sentence: _Sentence, found: list[_Attribution]) -> list[_Attribution]:
    """Passive cues with their source after "by": "The plan was criticized by the mayor" (source
    "the mayor", cue "was criticized", content "The plan"); "Asked by reporters whether ..."
    (content the question); "As reported by the AP, ..." (content what follows)."""
    added: list[_Attribution] = []
    for by in _BY.finditer(text, sentence.start, sentence.end):
        if _inside(sentence.quotes, by.start()):
            continue
        before = _BEFORE_BY.search(text, max(sentence.start, by.start() - 80), by.start())
        if before is None:
            continue
        verb = before.group("verb").casefold()
        lemma = CUE_VERBS.get(verb) or _PASSIVE_ONLY_CUES.get(verb)
        if lemma is None or lemma in _PASSIVE_NOT_CUES:
            continue
        verb_start, verb_end = before.start("verb"), before.end("verb")
        if any(a.cue.span.start < verb_end and verb_start < a.cue.span.end for a in found):
            continue
        source = _passive_source(text, sentence, by.end())
        if source is None:
            continue
        aux = _PASSIVE_AUXILIARIES.search(text, max(sentence.start, verb_start - 60), verb_start)
        cue_start = aux.start() if aux else verb_start
        opening = _OPENING_PASSIVE.match(text, _skip_opening(text, sentence), cue_start)
        if opening is not None:
            cue_start = opening.start()
        cue = _Cue(Span(cue_start, verb_end), lemma, Span(verb_start, verb_end))
        passive = aux is not None and any(word in _BE for word in aux.group().split())
        if lemma == "ask":
            content = _asked_content(text, sentence, source.end)
        elif opening is not None:
            content = _opening_content(text, sentence, source.end)
        elif passive:
            content = _passive_content(text, sentence, cue_start)
        else:
            content = _reduced_relative_head(text, sentence, cue_start)
        if content is None:
            continue
        added.append(_Attribution(cue, source, [content], sentence, rule="passive_by"))
    return added


def _skip_opening(text: str, sentence: _Sentence) -> int:
    """The sentence's first character past opening quotation marks and spaces."""
    start = sentence.start
    while start < sentence.end and (text[start].isspace() or text[start] in "\"“'‘"):
        start += 1
    return start


def _opening_content(text: str, sentence: _Sentence, start: int) -> Span | None:
    """What follows "As reported by the AP,": the rest of the sentence."""
    comma = re.compile(r"[^,]*?,\s*").match(text, start, sentence.end)
    if comma is None or comma.end() - start > 40:
        return None
    begin = comma.end()
    end = _trim_end(text, begin, sentence.end)
    return Span(begin, end) if end > begin else None


def _passive_source(text: str, sentence: _Sentence, start: int) -> Span | None:
    """The agent after "by": the longest phrase (at most 12 words) that reads as a source, up to a
    clause, a preposition of time or place, or a second "and by"."""
    ends: list[int] = []
    position = start
    for word in _PASSIVE_SOURCE_WORD.finditer(text, start, sentence.end):
        if text[position : word.start()].strip() or len(ends) >= 12:
            break
        token = word.group()
        folded = token.casefold()
        if not ends and folded.endswith("ing"):
            return None  # "continued by saying": a gerund, not an agent
        if ends and folded in _PASSIVE_SOURCE_STOP:
            break
        if ends and folded == "of" and _GERUND_AFTER.match(text, word.end()):
            break  # "accused by the press of lying": what it accused them of
        if ends and folded == "and" and _BY_AFTER.match(text, word.end()):
            break  # "by the mayor and by the council": the first agent only
        if token.endswith(".") and not _abbreviation_before(text, word.end() - 1):
            ends.append(word.end() - 1)
            break
        position = word.end()
        ends.append(position)
    for end in reversed(ends):
        while end > start and text[end - 1] in ".'’":
            end -= 1
        if end > start and _is_source(
            text, Span(start, end), appositive_ok=False, lowercase_ok=True
        ):
            return Span(start, end)
    return None


def _passive_content(text: str, sentence: _Sentence, end: int) -> Span | None:
    end = _rstrip(text, sentence.start, end)
    begin = sentence.start
    for quote in sentence.quotes:
        if quote.end <= end:
            begin = max(begin, quote.end) if quote.end < end else begin
    match = _PASSIVE_CONTENT_START.match(text, begin, end)
    start = _lstrip(text, match.end() if match else begin, end)
    if end <= start or len(_WORD.findall(text[start:end])) > 15:
        return None
    return Span(start, end)


def _reduced_relative_head(text: str, sentence: _Sentence, end: int) -> Span | None:
    """The noun phrase a participle describes: "the plan [backed by ...]"."""
    last = _rstrip(text, sentence.start, end)
    if last > sentence.start and text[last - 1] == ",":  # "Her remarks, first reported by ..."
        last = _rstrip(text, sentence.start, last - 1)
    position = last
    first = None
    for _ in range(6):
        match = _REDUCED_WORD.search(text, sentence.start, position)
        if match is None or match.end() != position:
            break
        if match.group().casefold() in _REDUCED_STOP:
            break
        first = match.start()
        if match.group().casefold() in _DETERMINERS:
            break
        position = _rstrip(text, sentence.start, match.start())
        if position == match.start():
            break
    if first is None:
        return None
    return Span(first, last)


_QUESTION_START = re.compile(r"\s*,?\s*(?:whether|if|about|why|how|what|when|who|where|to)\b")


def _asked_content(text: str, sentence: _Sentence, start: int) -> Span | None:
    """What someone "was asked by" a questioner: the question after the questioner."""
    opener = _QUESTION_START.match(text, start, sentence.end)
    if opener is None:
        return None
    begin = _lstrip(
        text, opener.start() + len(opener.group()) - len(opener.group().lstrip(" ,")), sentence.end
    )
    comma = text.find(",", begin, sentence.end)
    end = _trim_end(text, begin, comma if comma > 0 else sentence.end)
    return Span(begin, end) if end > begin else None
