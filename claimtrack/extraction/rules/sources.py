"""Sources: the noun phrase that says something, before its cue or after it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claimtrack.extraction.grounding import Span
from claimtrack.extraction.rules.sentences import _abbreviation_before, _lstrip, _rstrip, _Sentence
from claimtrack.extraction.rules.vocabulary import (
    _ADJUNCT,
    _CLAUSE_WORDS,
    _DATELINE,
    _DETERMINERS,
    _DISCOURSE_ADVERBS,
    _DOCUMENT_END,
    _FUNCTION_WORDS,
    _HARD_BOUNDARY,
    _LEAD_INS,
    _LOWERCASE_WORD,
    _PARENTHETICAL,
    _PRONOUNS,
    _RECIPIENT,
    _RELATIVE,
    _STRONG_BOUNDARY,
    _WORD,
    CUE_VERBS,
    RECIPIENT_CUES,
    _adverbial,
    _words,
)


@dataclass(slots=True)
class _Cue:
    span: Span
    lemma: str
    verb: Span
    noun: bool = False  # a noun after a possessive: "Obama's claim that ..."


def _name_like(text: str, span: Span) -> bool:
    """A name, maybe with a title: "Michael Kofman", "Sen. Ted Cruz" (not "the turmoil ...")."""
    head = text[span.start : span.end].split(",")[0].split()
    return 0 < len(head) <= 6 and all(word[:1].isupper() for word in head)


def _ends_with_quote_or_comma(text: str, sentence: _Sentence, position: int) -> bool:
    before = text[sentence.start : position].rstrip()
    return before.endswith((",", "”", '"', "''", "?", "!", "—", "–", ":")) or any(
        quote.end == len(before) + sentence.start for quote in sentence.quotes
    )


def _subject_before(
    text: str, sentence: _Sentence, region_start: int, cue: _Cue
) -> tuple[Span, int, Span | None] | None:
    """The source just before ``cue``, where its clause starts, and any content before it."""
    start = region_start
    for quote in sentence.quotes:  # never look back into a quotation (but for a title)
        if quote.end <= cue.span.start and quote.end > start and not _title(text, quote):
            start = quote.end
    piece = text[start : cue.span.start]
    if not piece.strip():
        return None
    relative = _RELATIVE_BEFORE.search(text[start : cue.span.start])
    if relative:  # "voters who said": the relative pronoun is the source
        pronoun = start + relative.start()
        word = pronoun + len(relative.group().split()[0])
        return Span(pronoun, word), pronoun, None
    inside = _object_relative_subject(text, start, cue.span.start)
    if inside is not None:  # "the changes, which officials said will start soon"
        return inside, inside.start, None
    comma = _last_comma(text, start, cue.span.start)
    if comma >= 0 and (_clause_final(text, sentence, cue) or _parenthetical_cue(text, cue)):
        # "..., Sabato said.": the source is the short phrase after the last comma
        candidate = _trim_subject(text, comma + 1, cue.span.start, lead_ins=False)
        trailing = _trailing_content(text, sentence, region_start, comma + 1)
        if (
            candidate is not None
            and trailing is not None
            and not (_bare_name(text, trailing) and not _set_off_cue(text, cue))
            and _is_source(text, candidate, appositive_ok=False)
        ):
            return candidate, candidate.start, trailing
    end = _before_parenthetical(text, start, cue.span.start)
    last = start
    joined = False  # an "and" joining two noun phrases was kept: the phrase may run longer
    for boundaries in (None, _STRONG_OR_DASH, _COMMA, _HARD_BOUNDARY):
        if boundaries is _COMMA:  # "..., where it costs $70, Jay Lee, the club's president and
            # general manager, suggested": a name and its appositive after an opening clause
            candidate = _appositive_after_comma(text, last, end)
            if candidate is None:
                continue
            named = _with_relative(text, candidate, end, cue.span.start)
            return named, named.start, None
        for match in boundaries.finditer(text, last, end) if boundaries else ():
            if (
                boundaries is _HARD_BOUNDARY
                and _COMMON_NOUN_AFTER.match(text, match.end())
                and _NAMED_OBJECT_BEFORE.search(text, max(last, match.start() - 60), match.start())
            ):
                joined = True  # "polls for The Associated Press and television networks"
                continue
            last = match.end()
        candidate = _trim_subject(text, last, end)
        if candidate is not None:
            candidate = _final_pronoun(text, candidate)
        # the whole stretch before the cue may be one long subject ("Nearly all of the mayors of
        # the ten largest cities in the state have endorsed"), a piece of it is a short one
        longer = joined or boundaries is None
        if candidate is not None and _is_source(
            text, candidate, appositive_ok=True, max_words=16 if longer else 12
        ):
            named = _after_fronted(text, _last_name(text, candidate))
            trimmed = named.start != candidate.start  # what went before is not content either
            candidate = _with_relative(text, named, end, cue.span.start)
            trailing = None
            if (
                not trimmed
                and candidate.start > sentence.start
                and _ends_with_quote_or_comma(text, sentence, candidate.start)
                and not _reports_after(text, sentence, cue, candidate.start)
            ):
                trailing = _trailing_content(text, sentence, region_start, candidate.start)
            return candidate, candidate.start, trailing
    # a short source after the last comma: "..., the official said"
    if comma >= 0:
        candidate = _trim_subject(text, comma + 1, cue.span.start, lead_ins=False)
        if candidate is not None and _is_source(text, candidate, appositive_ok=False):
            trailing = None
            if not _reports_after(text, sentence, cue, candidate.start):
                trailing = _trailing_content(text, sentence, region_start, comma + 1)
            return candidate, candidate.start, trailing
    personal = _PRONOUN_BEFORE.search(text, start, cue.span.start)
    if personal is not None:  # "a step they believe", "but late Saturday he announced"
        return Span(personal.start(), personal.end()), personal.start(), None
    contact = _NAME_AFTER_NOUN.search(text, start, cue.span.start)
    if contact is not None:  # "the campaign Ruiz envisioned", "something Republicans wanted"
        name = Span(contact.start("name"), contact.end("name"))
        if _is_source(text, name, appositive_ok=False):
            return name, name.start, None
    return None


def _bare_name(text: str, span: Span) -> bool:
    """Whether ``text[span]`` is only a name ("Ann Lee"): in "Ann Lee, the club's president
    said in a statement" it is the start of the source, not what was said."""
    words = text[span.start : span.end].split()
    return 0 < len(words) <= 4 and all(word[:1].isupper() for word in words)


def _set_off_cue(text: str, cue: _Cue) -> bool:
    """A cue set off by commas inside what it reports ("Mr. Obama, officials said, has"), not
    one whose comma opens a quotation ('Ann Lee stated, "...'")."""
    if not _parenthetical_cue(text, cue):
        return False
    return not _QUOTE_MARKS.match(text, _lstrip(text, cue.span.end + 1, len(text)))


def _reports_after(text: str, sentence: _Sentence, cue: _Cue, source_start: int) -> bool:
    """Whether a cue after a comma reports the clause after it, not the words before the comma:
    in "Though he said it was late, Ruiz said none were added", "none were added" is what Ruiz
    said. A quotation closing before the comma or opening after the cue, or a cue set off by
    commas ("The plan, Ruiz said, ..."), leaves the words before the comma to the cue."""
    before = text[sentence.start : source_start].rstrip()
    if not before.endswith(",") or _QUOTE_MARKS.search(before[:-1].rstrip()[-2:]):
        return False
    if _QUOTE_MARKS.match(text, _lstrip(text, cue.span.end, sentence.end)):
        return False
    return not _parenthetical_cue(text, cue) and not _clause_final(text, sentence, cue)


# A name right after a common noun, before the cue: the subject of a relative clause without its
# pronoun ("the kind of campaign Ruiz hoped for").
_NAME_AFTER_NOUN = re.compile(
    r"(?<![\w'’-])(?!(?:of|for|to|in|on|at|by|with|from|about|and|or|but|than|as)\s)[a-z]{3,}\s+"
    r"(?P<name>(?:[A-Z][\w.'’-]*\s+){0,2}[A-Z][\w'’-]*)\s*\Z"
)


# A clause boundary, or a spaced hyphen used as a dash: "a careful planner - a former aide said".
_STRONG_OR_DASH = re.compile(_STRONG_BOUNDARY.pattern + r"|\s-\s", re.IGNORECASE)


def _appositive_after_comma(text: str, start: int, end: int) -> Span | None:
    """The first name with an appositive that runs from a comma in ``text[start:end]`` to its
    end ("Jay Lee, the club's president and general manager,"), else None."""
    for comma in _COMMA.finditer(text, start, end):
        candidate = _trim_subject(text, comma.end(), end, lead_ins=False)
        if (
            candidate is not None
            and _COMMA.search(text, candidate.start, candidate.end)
            and text[candidate.start].isupper()
            and _name_like(text, candidate)
            and _is_source(text, candidate, appositive_ok=True)
        ):
            return candidate
    return None


# A name after a preposition, right before "and" and a plural common noun: "for the Associated
# Press and television networks", where "and" joins two noun phrases, not two clauses.
_NAMED_OBJECT_BEFORE = re.compile(
    r"(?<![\w'’-])(?:for|of|by|with|from)\s+(?:[Tt]he\s+)?[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*)*\Z"
)
_COMMON_NOUN_AFTER = re.compile(r"[a-z]+(?:\s+[a-z]+)?\s+[a-z]+s\b")
# A comma that separates, not the one in a number ("1,409 teachers").
_COMMA = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))")


def _last_comma(text: str, start: int, end: int) -> int:
    """The position of the last separating comma in ``text[start:end]``, or -1."""
    comma = text.rfind(",", start, end)
    while comma > start and not _COMMA.match(text, comma):
        comma = text.rfind(",", start, comma)
    return comma


# "voters who said", "Lee, who in the past has argued": the relative pronoun is the source.
_RELATIVE_BEFORE = re.compile(
    r"(?<![\w'’])(?:(?:who|which|that)|who\s+(?:in|over|during|at|for|on|since|like)\s"
    r"[^,;:\"“”]{1,30}?)\s+\Z"
)
# The subject of a relative clause whose pronoun is the cue's object: "which officials said",
# "what she called", "whom the police described".
_OBJECT_RELATIVE = re.compile(
    r"(?<![\w'’])(?:which|whom|what)\s+(?P<subject>[^,;:\"“”()—–]{1,60}?)\s*\Z", re.IGNORECASE
)


def _object_relative_subject(text: str, start: int, end: int) -> Span | None:
    """The subject between a relative pronoun and the cue, when the pronoun is the cue's object
    or the subject of what it reports: "Ruiz's win, which Lee conceded", "the plan, which the
    mayor says will pass": the subject speaks, not the noun before the pronoun."""
    match = _OBJECT_RELATIVE.search(text, start, end)
    if match is None:
        return None
    subject = Span(match.start("subject"), _rstrip(text, match.start("subject"), end))
    words = text[subject.start : subject.end].split()
    if not words or words[0].casefold() in ("is", "was", "are", "were", "has", "have", "had"):
        return None
    return subject if _is_source(text, subject, appositive_ok=False) else None


_FRONTED_WORD = re.compile(
    r"[A-Z][a-z]+ly|Regardless|Meanwhile|However|Instead|Still|Now|Today|Yesterday|Later|"
    r"Earlier|Indeed|Nevertheless|Nonetheless|Offstage|Afterward|Afterwards|Overall|Similarly|"
    r"Likewise|Elsewhere|Again|Also|Then|Here|There|Yet|Thus|Otherwise|Besides|Moreover"
)


def _after_fronted(text: str, source: Span) -> Span:
    """``source`` without a fronted word or two and its comma ("Offstage, the actors",
    "Regardless, the department"); an appositive closes with a comma ("Lee, the mayor,") and a
    list joins with "and" ("Lee, Diaz and Cho"), so neither is cut."""
    piece = text[source.start : source.end]
    comma = piece.rfind(", ")
    fronted = piece[: piece.find(",")].split() if comma >= 0 else []
    if not fronted or piece.endswith(",") or len(fronted) > 2:
        return source
    if not (
        all(word.islower() for word in fronted)
        or (len(fronted) == 1 and _FRONTED_WORD.fullmatch(fronted[0]))
    ):
        return source  # "Lee, a former governor": a name and its appositive
    rest = Span(_lstrip(text, source.start + comma + 1, source.end), source.end)
    words = text[rest.start : rest.end].split()
    if not words or {"and", "or", "&"} & set(words) or words[0][:1].isdigit():
        return source
    return rest if _is_source(text, rest, appositive_ok=False) else source


# A personal pronoun right before a cue is its subject, whatever comes before it.
_PRONOUN_BEFORE = re.compile(r"(?<![\w'’-])(?:he|she|they|we|I|He|She|They|We)(?=\s*\Z)")


def _title(text: str, quote: Span) -> bool:
    """A quoted title inside a phrase, not a quotation: 'the host of "Morning Report,"'."""
    if quote.start == 0 or not re.search(
        r"\w[\s,]*\Z", text[max(0, quote.start - 20) : quote.start]
    ):
        return False
    words = _QUOTE_MARKS.sub(" ", text[quote.start : quote.end]).strip(" ,.").split()
    return 0 < len(words) <= 6 and all(
        word[:1].isupper() or word[:1].isdigit() or word in _TITLE_SMALL_WORDS for word in words
    )


_TITLE_SMALL_WORDS = _words("of the and a an for in on to at with from by or")


# A party and state after a name: "R-Fla.", "D-N.Y.", "I-Vt".
_PARTY_TAG = re.compile(r"[DRI][-–]\s?[A-Z][A-Za-z.]{1,12}")
_LAST_SEPARATOR = re.compile(r".*(?:,|\s(?:-|--|—|–))\s+", re.DOTALL)
_JOINED = re.compile(r"\s(?:and|or|&)\s")


def _last_name(text: str, source: Span) -> Span:
    """The name after the last comma or dash of ``source`` when what comes before it is not part
    of the subject: "Two hours after his tweet, Trump", "A self-professed independent, Cuban";
    not "Jane Doe, a spokeswoman," or "Cruz, Kasich and Rubio"."""
    piece = text[source.start : source.end]
    if piece.endswith(",") or _JOINED.search(piece):
        return source
    separator = _LAST_SEPARATOR.match(piece)
    if separator is None:
        return source
    last = Span(source.start + separator.end(), source.end)
    if _PARTY_TAG.fullmatch(text, last.start, last.end):
        return source  # "Sen. Ana Ruiz, D-Ore.": a party and state, not a name
    before = piece[: separator.end()].rstrip(" ,-—–")
    if len(piece[separator.end() :].split()) <= 2 and _PLACE_BEFORE.search(before):
        return source  # "a teacher from Ava, Mo.", "of the University of California, Berkeley"
    if not (_name_like(text, last) or re.match(r"the\s", piece[separator.end() :], re.I)):
        return source
    if not _name_like(text, last) and _name_like(text, source):
        return source  # "Senator Richard Shelby, the Alabama Republican": an appositive
    return last if _is_source(text, last, appositive_ok=False) else source


_RELATIVE_AFTER = re.compile(r",\s+(?:who|whose|which)\b")
# A place before a comma and its state or city: "from Ava, Mo.", "of Columbia, South Carolina".
_PLACE_BEFORE = re.compile(
    r"(?<![\w'’-])(?:of|from)\s+(?:the\s+)?[A-Z][\w.'’-]*(?:\s+(?:of\s+)?[A-Z][\w.'’-]*)*\Z"
)


def _with_relative(text: str, source: Span, end: int, cue_start: int) -> Span:
    """``source`` with the relative clause set off between it and the cue, as PolNeAR marks it:
    "Walker, who ran for the nomination, said" has the source "Walker, who ran for the
    nomination," (comma included)."""
    restrictive = _RESTRICTIVE_AFTER.match(text, source.end, cue_start)
    if restrictive is not None:
        return Span(source.start, _rstrip(text, source.end, cue_start))  # "Voters who voted said"
    described = _DESCRIBED_BY_RELATIVE.match(text, source.end, cue_start)
    if (
        described is not None
        and _COMMA.search(text, source.start, source.end)
        and not _reports(text, described.end(), cue_start)
    ):  # "Ann Lee, a pilot who has sailed the strait for years, said"
        return Span(source.start, _rstrip(text, source.end, cue_start))
    if source.end != _rstrip(text, source.start, end) or end >= cue_start:
        return source
    if _DESCRIPTION_AFTER.match(text, end, cue_start):
        return Span(source.start, _rstrip(text, end, cue_start))  # "Lee, now an adviser, said"
    relative = _RELATIVE_AFTER.match(text, end, cue_start)
    if not relative or _reports(text, relative.end(), cue_start):
        return source
    return Span(source.start, _rstrip(text, end, cue_start))


# A description set off between the source and its cue, which PolNeAR keeps in the source:
# "Lee, now an adviser to the mayor, said", "The survey, conducted by the AP, found", "Lee - a
# teacher from Ohio - says" (not a time or place: "Lee - in an interview - said").
_DESCRIPTION_AFTER = re.compile(
    r",\s+(?:now|then|formerly|once)\s(?!again\b)[^,;:\"“”()]{2,80},\s*\Z"
    r"|,\s+(?:[a-z]+ed|run|led|written|chosen|taken)\s+by\s[^;:\"“”()]{2,150}?,\s*\Z"
    r"|\s(?:-|--|—|–)\s(?!(?:in|on|at|after|before|during|for|who|whose|which|when|while|"
    r"speaking|according|particularly|especially)\b)[^—–;\"“”]{2,150}?\s(?:-|--|—|–)\s*\Z"
)


# A restrictive relative closing an appositive, up to the comma before the cue: "Ann Lee, a
# pilot who has sailed the strait for years, said".
_DESCRIBED_BY_RELATIVE = re.compile(r"\s+(?:who|which)\b(?=[^;:\"“”()—–]{3,200}?,\s*\Z)")


def _reports(text: str, start: int, end: int) -> bool:
    """Whether the clause at ``start`` opens with a reporting verb ("who said ...", "who has
    long argued that ..."): an attribution of its own, not part of the source's name."""
    adverbial = _RELATIVE_ADVERBIAL.match(text, start, end)
    if adverbial is not None:  # "who in the past has argued that ..."
        start = adverbial.end()
    words = _LOWERCASE_WORD.findall(text, start, min(end, start + 40))[:3]
    return any(
        CUE_VERBS.get(word) is not None
        and not (
            word.endswith("ing") and _NOMINAL_BEFORE.search(text, start, text.find(word, start))
        )
        for word in words
    )


# An adverbial between a relative pronoun and its verb: "who in the past has argued".
_RELATIVE_ADVERBIAL = re.compile(
    r"\s*(?:in|over|during|at|for|on|since)\s[^,;:\"“”]{1,30}?\s(?=(?:has|have|had|is|was|"
    r"has\s+long|had\s+long)\s)"
)


# A determiner or possessive before an -ing word makes it a noun: "the NRA's lobbying arm".
_NOMINAL_BEFORE = re.compile(r"(?:['’]s?|\s(?:the|a|an|its|his|her|their))\s+\Z")


# A relative clause without commas that runs from the source to the cue: it is the source's.
_RESTRICTIVE_AFTER = re.compile(
    r"\s+(?:who|whom|whose)\s(?:(?!\s(?:and|but|or)\s)[^,;:\"“”()—–]){3,120}?"
    r"(?<!\sto)(?<!\scan)(?<!\scould)(?<!\swould)(?<!\swill)(?<!\sshould)(?<!\smust)(?<!\smay)"
    r"(?<!\sbegins)(?<!\sbegan)(?<!\snot)(?<!n't)(?<!n’t),?\s+\Z"
)


_AFTER_FINAL_CUE = re.compile(
    r"(?:at|in|on|to|during|after|before|while|as|from|of|about|when|outside|inside|with|via|"
    r"through|last|this|earlier|later|in|by|told|adding|noting|saying|because)\b",
    re.IGNORECASE,
)


def _parenthetical_cue(text: str, cue: _Cue) -> bool:
    """'The latest test, North Korea said, was its biggest': source and cue set off by commas."""
    return text.startswith(",", cue.span.end)


def _clause_final(text: str, sentence: _Sentence, cue: _Cue) -> bool:
    """Whether nothing that could be content follows ``cue`` ('..., she said at a rally.')."""
    position = cue.span.end
    for _ in range(3):
        match = _ADJUNCT.match(text, position, sentence.end)
        if match is None or match.end() == position:
            break
        position = match.end()
    if cue.lemma in RECIPIENT_CUES:
        listener = _RECIPIENT.match(text, position, sentence.end)
        if listener is not None:
            position = listener.end()
    rest = text[position : sentence.end].strip(" ,.!?;:\"”’'")
    if not rest or re.match(r"(?:adding|noting|saying|explaining|arguing)\b", rest):
        return True
    if rest[:1] in '"“' or re.search(r"\bthat\b|[\"“]", rest) or _INFINITIVE_AFTER.match(rest):
        return False
    return bool(_AFTER_FINAL_CUE.match(rest))


# "agreed to have the case heard": an infinitive the cue reports, not "said to reporters".
_INFINITIVE_AFTER = re.compile(
    r"to\s+(?!(?:the|a|an|his|her|their|its|my|our|your|this|that|these|those|reporters|"
    r"supporters|voters|members|me|him|them|us|you)\b)[a-z]+\s+[a-z]"
)


def _final_pronoun(text: str, span: Span) -> Span:
    """``..., she`` at the end of a subject is the subject: "Asked whether ..., she replied"."""
    match = _FINAL_PRONOUN.search(text[span.start : span.end])
    return Span(span.start + match.start(1), span.end) if match else span


_FINAL_PRONOUN = re.compile(r",\s*(he|she|they|we|I)\Z")
_DASHED_END = re.compile(r"\s(?:-|--|—|–)\s[^—–]*?\s(?:-|--|—|–)\Z")


def _before_parenthetical(text: str, start: int, end: int) -> int:
    """``end``, or where a parenthetical closing right before ``end`` starts: "Zimmerman, who
    lives in Florida, told", "Trump - who said so before - said"."""
    piece = text[start:end].rstrip()
    dash = _DASHED_END.search(piece)
    if dash:
        return start + dash.start()
    if not piece.endswith(","):
        return end
    for match in _PARENTHETICAL.finditer(text, start, end):
        if match.start() > start and not _TITLE_PARTICIPLE.match(text, match.start()):
            return match.start()
    return end


_TIME = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight)"
    r"(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:last|this|earlier\s+this|late\s+last)\s+(?:week|month|year|night|morning|spring|summer|"
    r"fall|winter)"
    # "less than two weeks ago", "a year ago" (but "a poll in March" keeps its date)
    r"|(?:(?:less|more)\s+than\s+|about\s+|nearly\s+|just\s+|only\s+)?(?:a|an|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|several|a\s+few|\d+)\s+(?:days?|weeks?|months?|years?)\s+ago"
)
_SUBJECT_ADJUNCT = re.compile(
    r"\s+(?:(?:on\s+)?(?:" + _TIME + r")|in\s+(?:a|an|his|her|their|its)\s+(?:statement|"
    r"interview|speech|letter|tweet|post|email))\s*,?\s*\Z",
    re.IGNORECASE,
)
_TRAILING_ADVERBS = _words(
    """
    however meanwhile though too also now then still later earlier instead previously
    initially first once again often recently finally even here
    """
)


_PARTICIPLE_END = re.compile(r"\s[a-z]{3,}ed\Z")
_TRAILING_ADVERB = re.compile(r"\s(?:" + "|".join(sorted(_TRAILING_ADVERBS)) + r")\Z")


_SUBORDINATE = re.compile(
    r"(?:while|whereas|although|though|because|since|if|when|whenever|after|before|unless|until|"
    r"once|as)\s+[^,;:\"“”()]*?\s[^,;:\"“”()]*?\s[^,;:\"“”()]{1,200}?,\s*",
    re.IGNORECASE,
)


def _has_verb(clause: str) -> bool:
    """Whether a clause has a finite verb: a word of :data:`_CLAUSE_WORDS` or a lowercase -ed."""
    words = [word.casefold() for word in re.findall(r"[\w'’]+", clause)[1:]]
    return any(
        word in _CLAUSE_WORDS or re.fullmatch(r"[a-z]{3,}ed|\w+n['’]t", word) for word in words
    )


# A time counted from an earlier event: "Two years later the board said", "A day earlier, Lee".
_TIME_LATER = re.compile(
    r"(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|\d+)\s+)"
    r"(?:minutes?|hours?|days?|weeks?|months?|years?)\s+(?:later|earlier|before|after)\b,?\s*",
    re.IGNORECASE,
)
# The year closing a date that runs into the subject: "on September 21, 2004 the parties agreed".
_YEAR_BEFORE_DETERMINER = re.compile(r"(?:19|20)\d\d\s+(?=(?:the|a|an)\s)")


def _skip_lead_ins(text: str, start: int, end: int) -> int:
    """Past a dateline, discourse words and adverbials: "WASHINGTON (AP) - But on Tuesday, "."""
    dateline = _DATELINE.match(text, start, end)
    if dateline:
        start = _lstrip(text, dateline.end(), end)
    while True:
        piece = text[start:end]
        clause = _SUBORDINATE.match(piece)
        if clause is not None and _has_verb(clause.group()):
            # "While Brookover did not say how, Rep. Chris Collins says" (not "As the chief, X,")
            start = _lstrip(text, start + clause.end(), end)
            continue
        match = _LEAD_INS.match(piece) or _TIME_LATER.match(piece)
        if match and match.end() > 0:
            start = _lstrip(text, start + match.end(), end)
            continue
        separator = _COMMA.search(piece)
        comma = separator.start() if separator else -1
        if comma > 0 and _adverbial(piece[:comma]):
            start = _lstrip(text, start + comma + 1, end)
            continue
        return start


_LAST_COMMA_PIECE = re.compile(r",\s*([\w\s]+?)\s*,?\s*\Z")


def _trim_subject(text: str, start: int, end: int, *, lead_ins: bool = True) -> Span | None:
    """The subject in ``text[start:end]`` without lead-ins ("But", "On Tuesday,") or adverbs."""
    trimmed = _trimmed_subject(text[start:end], lead_ins)
    return Span(start + trimmed[0], start + trimmed[1]) if trimmed is not None else None


@lru_cache(maxsize=50_000)
def _trimmed_subject(text: str, lead_ins: bool) -> tuple[int, int] | None:
    """:func:`_trim_subject` of the stretch alone (its patterns look neither before nor after
    it), remembered: the subject rules trim the same stretch before a cue more than once."""
    start, end = 0, len(text)
    start = _lstrip(text, start, end)
    end = _rstrip(text, start, end)
    while start < end and text[start] in "'\"“”‘’(-–—~*•":
        start = _lstrip(text, start + 1, end)
    year = _YEAR_BEFORE_DETERMINER.match(text, start, end)
    if year:  # "on September 21, 2004 the parties agreed": the date's year is no part of it
        start = year.end()
    if lead_ins:
        start = _skip_lead_ins(text, start, end)
    piece = text[start:end]
    relative = _RELATIVE.search(piece)
    if relative:
        end = _rstrip(text, start, start + relative.start())
        piece = text[start:end]
    # a parenthetical adverb between the subject and the cue: "Hunter, meanwhile, told", "Lee,
    # in fact, even insists" (the adverb before the cue is no part of the subject either)
    trailing = _TRAILING_ADVERB.search(text, start, end) if "," in piece else None
    if trailing and text[start : trailing.start()].rstrip().endswith(","):
        piece = text[start : _rstrip(text, start, trailing.start())]
    match = _LAST_COMMA_PIECE.search(piece)
    if match and match.group(1).strip().casefold() in _DISCOURSE_ADVERBS:
        end = _rstrip(text, start, start + match.start())
    adjunct = _SUBJECT_ADJUNCT.search(text, start, end)
    if adjunct and adjunct.group().rstrip(" ,").endswith("ago") and "," in text[start:end]:
        adjunct = None  # "X, whom Trump fired a few weeks ago,": the appositive's own time
    if adjunct and adjunct.group().strip(" ,").isupper():
        adjunct = None  # "USA TODAY reported": a name, not a day
    if adjunct and (
        _PARTICIPLE_END.search(text, start, adjunct.start())
        or _DOCUMENT_END.search(text, start, adjunct.start())
    ):
        adjunct = None  # "A filing released Thursday says", "A poll last week found": its date
    if adjunct:  # "Hillary Clinton on Tuesday said"
        end = _rstrip(text, start, adjunct.start())
    trailing_adverb = _TRAILING_ADVERB.search(text, start, end)
    if trailing_adverb:  # "Carter however said"
        end = _rstrip(text, start, trailing_adverb.start())
    if start >= end:
        return None
    if text[end - 1] == "," and "," not in text[start : end - 1]:
        end -= 1  # "Smith, said" is not an appositive
    return start, end


def _is_source(
    text: str, span: Span, *, appositive_ok: bool, max_words: int = 12, lowercase_ok: bool = False
) -> bool:
    """Whether ``text[span]`` reads as a noun phrase that can speak.

    A relative clause at its end ("Podesta, who is now ...") is not judged.
    """
    return _reads_as_source(text[span.start : span.end], appositive_ok, max_words, lowercase_ok)


_PARENTHESES = re.compile(r"\([^)]*\)")
_RELATIVE_IN_SOURCE = re.compile(r",?\s+(?:who|whose|which)\b")
_LIST_JOIN = re.compile(r"(?:and|or)\s")


@lru_cache(maxsize=50_000)
def _reads_as_source(written: str, appositive_ok: bool, max_words: int, lowercase_ok: bool) -> bool:
    """:func:`_is_source` of the words alone, remembered: the subject rules try the same stretch
    before a cue several times, and articles repeat their sources ("he", "Trump")."""
    piece = _PARENTHESES.sub("", written)
    relative = _RELATIVE_IN_SOURCE.search(piece)
    if relative is None and "," in piece:
        relative = _APPOSITIVE_THAT.search(piece, piece.find(","))
    if relative and relative.start() > 0:
        piece = piece[: relative.start()]
    comma = "," in piece and _COMMA.search(piece) is not None  # not the one in "1,409"
    if relative and relative.start() > 0 and len(piece.split()) > (12 if comma else 8):
        return False
    segments = [segment.strip() for segment in _COMMA.split(piece) if segment.strip()]
    listed = len(segments) > 1 and bool(_LIST_JOIN.match(segments[-1]))
    if listed:  # "President Obama, Ms. Diaz, and other Democrats": a list, not appositives
        segments = [*segments[:-1], segments[-1].split(None, 1)[-1]]
    elif _short_list(segments):  # "the families, supporters and officials"
        listed = True
        segments = [*segments[:-1], *_LIST_AND.split(segments[-1], maxsplit=1)]
    if any(_APPOSITIVE_STOP.match(segment) for segment in segments[1:]):
        return False  # "other sources, in an effort to ...": not an appositive
    if len(segments) > 1 and len(segments[0].split()) > 8:
        return False  # an appositive follows a short name, not a clause
    if any(mark in piece for mark in ";:") or not _titles_quoted_only(segments):
        return False
    if not appositive_ok and comma:
        return False
    words = [word for word in _WORD.findall(piece) if word[:1].isalnum()]
    if not words or len(words) > (max(25, max_words) if comma else max_words):
        return False
    folded = [
        "u.s" if word == "US" else word.casefold().rstrip(".").replace("’", "'") for word in words
    ]  # "US officials": the country, not the pronoun
    quantifier = _QUANTIFIER.match(piece.lstrip())
    if quantifier and len(words) > quantifier.group().count(" ") + 1:
        drop = len(quantifier.group().split())  # "Only 24 percent", "More than half of voters"
        words, folded = words[drop:], folded[drop:]
    if len(words) == 1 and (folded[0] in _PRONOUNS or folded[0] in _QUANTIFIER_PRONOUNS):
        return True  # "he", "Several said", "Both want"
    if any(
        (word in _CLAUSE_WORDS and not _name_word(words, index) and not _naming(words, index))
        or word.endswith("n't")
        for index, word in enumerate(folded)
    ):
        return False  # a verb makes it a clause; a name is not one ("Prime Minister May")
    if (folded[0] in _FUNCTION_WORDS - _DETERMINERS and not _MORE_OF.match(piece.lstrip())) or (
        folded[0] in _NOT_SUBJECTS and len(words) == 1
    ):
        return False
    if folded[0] in _NOT_SUBJECTS - _DETERMINERS or not piece.lstrip()[:1].isalnum():
        return False
    if words[-1][:1].islower() and folded[-1] in _FUNCTION_WORDS:
        return False
    if folded[0] in _MONTHS_AND_DAYS and not (
        (len(words) == 1 and folded[0] in _MONTH_NAMES) or _first_name_month(words)
    ):
        return False  # "June 1", "Tuesday" (but "May said", "Jun wrote": a name)
    capitalised = any(word[:1].isupper() for word in words)
    lowercase_start = words[0][:1].islower() and folded[0] not in _DETERMINERS
    if (
        lowercase_start
        and not capitalised
        and len(words) > 4
        and not lowercase_ok
        and not (len(words) <= 9 and _GROUP_HEAD.fullmatch(folded[0]) and folded[1] in _GROUP_LINKS)
    ):  # a lowercase start is a bare plural ("officials") or a short phrase, but for a group
        # described after its noun ("people familiar with her thinking", "half of voters in ...")
        return False
    if any(
        (word in _PRONOUNS - {"it"} or word.split("'")[0] in _PRONOUNS)
        and original[-1:] != "."
        and original != "IT"  # "an IT professional": the acronym, not the pronoun
        and before != "of"  # "Many of you": a part of a group, not a clause's subject
        for word, original, before in zip(folded[1:], words[1:], folded, strict=False)
    ):
        return False  # "a document he drew up": a clause (but "F.B.I." has no pronoun)
    if (folded[0] in _PRONOUNS and folded[1:2] != ["and"]) or (
        "'" in folded[0] and folded[0].split("'")[0] in _PRONOUNS
    ):
        return False  # "He touted his victories", "you'll" (but "She and her aides")
    if (
        len(segments) > 1
        and not listed
        and not any(word[:1].isupper() for word in words[1:])
        and not any(_NUMBER_SEGMENT.fullmatch(segment) for segment in segments[1:])
        and not _named_with_appositives(segments)
        and not all(segment.startswith("including ") for segment in segments[1:])
    ):  # an appositive names someone ("Get serious about it, the generation"); a part of the
        # group need not ("Several officials, including the mayor,")
        return False
    return not any(_verb_like(words, index) for index in range(len(words)))


_LIST_AND = re.compile(r"\s+(?:and|or)\s+")


def _short_list(segments: list[str]) -> bool:
    """Whether comma-separated ``segments`` are a list without the serial comma ("the families,
    supporters and officials", "Friends, lobbyists and former foes"): short noun phrases, the
    last two joined by "and"."""
    if len(segments) < 2:
        return False
    last = _LIST_AND.split(segments[-1], maxsplit=1)
    items = [*segments[:-1], *last]
    return len(last) == 2 and all(0 < len(item.split()) <= 4 for item in items)


# "that" opening a restrictive relative in an appositive: "Tom Fitton, head of a group that has
# sued the department," (the relative is the group's, and the appositive's).
_APPOSITIVE_THAT = re.compile(r"(?<=[a-z])\s+that\s(?=[a-z])")
_FIRST_NAME_MONTHS = frozenset({"april", "may", "june", "august"})


def _first_name_month(words: list[str]) -> bool:
    """A month that is a first name: "April Mellody", "June Diaz" (not "June 1", "May 2016")."""
    return (
        len(words) > 1
        and words[0].casefold() in _FIRST_NAME_MONTHS
        and words[1][:1].isupper()
        and words[1].casefold() not in _MONTHS_AND_DAYS
    )


_NUMBER_SEGMENT = re.compile(r"\d+(?:\.\d+)?\s*(?:%|percent|per\s+cent)?")
_DESCRIPTION = re.compile(
    r"(?:(?:now|then|also|formerly|once)\s+)?(?:(?:a|an|the|his|her|their|its|one|another)\s+[a-z]|"
    r"\d+\Z|(?:many|most|some|all|both|several|few|none)\s+of\s+(?:them|whom)\s)"
)


def _named_with_appositives(segments: list[str]) -> bool:
    """A capitalised name, or a short noun phrase with its determiner, followed by descriptions:
    "Jones, a spokesman,", "Lee, the aide,", "The mayor, a former teacher,", "Critics, many of
    them fishermen,"."""
    name = segments[0].split()
    named = all(word[:1].isupper() for word in name) or (
        name[:1] != [] and name[0].casefold() in _HEAD_DETERMINERS
    )
    return (
        0 < len(name) <= 4
        and named
        and all(_DESCRIPTION.match(segment) for segment in segments[1:])
    )


_HEAD_DETERMINERS = _words("the a an his her their its our both several many some most all")


_QUOTE_MARKS = re.compile(r"\"|“|”|«|»|''")  # "''|[\"“”«»]", written as _QUOTE_MARK is


def _titles_quoted_only(segments: list[str]) -> bool:
    """No quotation marks in a source, but for a quoted title in an appositive: "Jane Doe, host of
    "The Five,"" (the marks paired, none in the name itself)."""
    if not segments or _QUOTE_MARKS.search(segments[0]):
        return False
    marks = [mark.group() for mark in _QUOTE_MARKS.finditer(",".join(segments[1:]))]
    if not marks:
        return True
    straight = sum(mark in ('"', "''") for mark in marks)
    return straight % 2 == 0 and marks.count("“") == marks.count("”") and len(marks) <= 4


def _name_word(words: list[str], index: int) -> bool:
    """A capitalised word inside a name ("Theresa May", "George Will"), or a first name that is
    also a verb ("Will Hurd"), not a verb."""
    word = words[index]
    if not word[:1].isupper():
        return False
    if index:
        return True
    if word.casefold() in _NAME_VERBS:
        return len(words) == 1 or words[1][:1].isupper()  # "Will wrote" (George Will)
    return word.casefold() == "that" and len(words) == 2 and words[1] in _THAT_NOUNS


# "That person said ...": "that" a determiner, not a clause's start.
_THAT_NOUNS = _words(
    """
    person official source aide adviser advisor spokesman spokeswoman man woman group report
    study poll survey letter memo statement analysis document
    """
)


_NAME_VERBS = frozenset({"will", "may"})


def _verb_like(words: list[str], index: int) -> bool:
    """A past-tense verb taking an object ("the committee raised $57 million", "Clinton visited
    Ohio"), not an adjective ("one unaligned strategist") or a participle in a noun phrase ("the
    statement issued after the meeting")."""
    word = words[index]
    if not (word.endswith("ed") and word[:1].islower()) or "-" in word:
        return False
    if word.casefold() in _NOUN_PARTICIPLES:
        return False
    before = words[index - 1].casefold() if index else ""
    if before in _DETERMINERS or before.endswith("ly"):
        return False
    if _naming(words, index):
        return False
    after = words[index + 1] if index + 1 < len(words) else ""
    if index and after.casefold() in _MONTHS_AND_DAYS - _MONTH_NAMES:
        return False  # "a court document filed Thursday": a participle and its day
    return (
        not after
        or after[:1].isupper()
        or after[:1].isdigit()
        or after[:1] == "$"
        or (after.casefold() in _DETERMINERS or after.casefold() in _OBJECT_PRONOUNS)
    )


# Words before a number that start a subject: "Only 7 percent said", "About four in 10 voters".
_QUANTIFIER = re.compile(
    r"(?:(?:only|about|nearly|almost|just|roughly|approximately|around|some|over|under|"
    r"(?:more|fewer|less)\s+than|at\s+least|at\s+most|up\s+to)\s+)+"
    r"(?=\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|a\s+third|a\s+quarter|half|"
    r"a\s+dozen|a\s+majority|a\s+handful)\b)",
    re.IGNORECASE,
)
_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "me", "us", "it", "you"})
_GROUP_HEAD = re.compile(r"[a-z]{3,}s|half|most|many|some|none|all|people|staff|clergy")
_GROUP_LINKS = _words("of familiar close in at from with on for across around inside outside")
_MORE_OF = re.compile(
    r"(?:more|fewer|less)\s+(?![a-z]+ly\b)[a-z]", re.IGNORECASE
)  # "More voters said"
_QUANTIFIER_PRONOUNS = _words("several few both many most some others")


# -ing words that open a title, not a clause: "Ann Lee, managing director of ..., said".
_TITLE_PARTICIPLES = (
    r"(?:managing|acting|ranking|founding|visiting|outgoing|incoming|presiding|governing|"
    r"consulting|reigning|sitting|retiring)"
)
_TITLE_PARTICIPLE = re.compile(r",\s+" + _TITLE_PARTICIPLES + r"\s")
_APPOSITIVE_STOP = re.compile(
    r"(?:in|on|at|to|for|with|by|as|during|after|before|while|when|if|because|that|which|though|"
    r"although|and|but|or|so|yet|then(?!\s+(?:a|an|the)\b|\s+[a-z]+(?:\s+[a-z]+)?\s+(?:of|at|for|to|in)\b)|since|until|"
    r"unless|where|how|why|what)\b|(?!including\b|" + _TITLE_PARTICIPLES + r"\s)[a-z]+ing\b",
)
_NOT_SUBJECTS = _words(
    """
    there it this what here that which who him them me us please some many most all both
    each several few any one
    """
)


_NOUN_PARTICIPLES = _words(
    """
    issued released published based backed funded elected appointed named affiliated
    associated allied aligned tied linked connected involved assigned tasked concerned
    interested polled surveyed questioned interviewed asked contacted reached quoted cited
    detained accused arrested employed retired registered unaffiliated undecided dedicated
    devoted trained educated born armed elderly red bed need united used signed led self-
    described so-called embattled embarrassed beleaguered respected renowned noted
    celebrated
    """
)


def _naming(words: list[str], index: int) -> bool:
    """A participle that gives a name after a common noun: "a group called Citizens for Ruiz",
    "the hacker known as Ghost" (not "Ruiz called Lee", a verb)."""
    return (
        words[index].casefold() in _NAMING_PARTICIPLES
        and index > 0
        and words[index - 1].isalpha()
        and words[index - 1].islower()
        and words[index - 1] not in _PRONOUNS
    )


_NAMING_PARTICIPLES = frozenset({"called", "titled", "dubbed", "nicknamed", "known"})
_MONTH_NAMES = frozenset({"may", "jun"})  # also names: Theresa May, a Chinese Jun
_MONTHS_AND_DAYS = _words(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday
    """
)


def _trailing_content(text: str, sentence: _Sentence, start: int, end: int) -> Span | None:
    """The content before a closing source and cue: '"...," he said' and '..., he said'."""
    end = _rstrip(text, start, end)
    if end > start and text[end - 1] in ",—–:":
        end = _rstrip(text, start, end - 1)
    start = _lstrip(text, start, end)
    piece = text[start:end]
    match = _LEAD_INS.match(piece)
    if match and match.end() and piece[: match.end()].rstrip().endswith(","):
        start = _lstrip(text, start + match.end(), end)
    if len(_WORD.findall(text[start:end])) < 2:
        return None
    return Span(start, end)


_INVERTED_RELATIVE = re.compile(r",\s+who\b")
# Where a source after its cue ends: '"...," said Jane Smith, adding ...', "said Smith in an".
# A party and state after a name: "(D-Va.)", "(R)", "(R-Texas)".
_PARTY = r"[DRI](?:[-–]\s?[A-Z][A-Za-z.]{1,12})?"
_INVERTED_SOURCE_END = re.compile(
    r",\s+(?:adding|noting|saying|according|but|and|though|although|because|[a-z]+ed|[a-z]+ing|"
    r"would|will|is|are|was|were|has|have|had|can|could|should|may|might|must|does|did|at|in|"
    r"on|during|after|before|as|when|while)\s|[.;:!?](?=\s|$)|,\s*[\"“]|\s\((?!" + _PARTY + r"\))|"
    r"\s+(?:in\s+an?\s+|at\s+an?\s+|on\s+(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)|during\s+|after\s+|before\s+|as\s+|when\s+|while\s+)",
    re.IGNORECASE,
)


def _subject_after(text: str, sentence: _Sentence, cue: _Cue) -> Span | None:
    """The source after an inverted cue: '"...," said Jane Smith, a spokeswoman.'"""
    start = _lstrip(text, cue.span.end, sentence.end)
    end = sentence.end
    relative = _INVERTED_RELATIVE.search(text, start, end)
    for match in _INVERTED_SOURCE_END.finditer(text, start, end):
        if match.group() == "." and _abbreviation_before(text, match.start()):
            continue  # "said Ms. Leon"
        if _TITLE_PARTICIPLE.match(text, match.start()):
            continue  # "said Ken Lee, managing director of ...": a title, not a clause
        described = (relative and relative.start() < match.start()) or "," in text[
            start : match.start()
        ]
        if described and match.group()[:1] not in ".;:!?,":
            continue  # "said Victor Cha, who served as Asia director", "said Ann Lee, an aide
            # during the Bush years": the clause or appositive is theirs
        end = match.start()
        break
    if relative and relative.start() < end and _reports(text, relative.end(), end):
        end = relative.start()  # "said Lee, who added that ...": the clause reports, Lee speaks
    whose = _INVERTED_WHOSE.search(text, start, end)
    if whose is not None and whose.start() > start:
        end = whose.start()  # "said Ann Lee, whose firm built the pier": the firm is not hers
    end = _rstrip(text, start, end)
    while end > start and text[end - 1] in ",." and not _INITIAL_BEFORE.search(text, start, end):
        end = _rstrip(text, start, end - 1)  # but "of Trenton, N.J." keeps its period
    if start >= end:
        return None
    span = Span(start, end)
    if _is_source(text, span, appositive_ok=True, max_words=16):
        return _closing_comma(text, span)
    restrictive = _INVERTED_RESTRICTIVE.search(text, start, end)
    if (
        restrictive is not None
        and _name_like(text, Span(start, restrictive.start()))
        and _is_source(text, Span(start, restrictive.start()), appositive_ok=True, max_words=25)
        and not _reports(text, restrictive.end(), end)
    ):  # "said Jane Doe, a professor of law at ... who has studied the port for years"
        return span
    # A long description after the name runs to the sentence end, and PolNeAR keeps all of it
    # as the source ('"...," said Jane Doe, a professor of law at ... and a former adviser who
    # has ...') when the name and title before it read as a source.
    for shorter in (_INVERTED_CUT_RELATIVE, _INVERTED_CUT_COMMA):
        cut = shorter.search(text, start, end)
        if cut is None or cut.start() <= start:
            continue
        candidate = Span(start, _rstrip(text, start, cut.start()))
        if _name_like(text, candidate) and _is_source(text, candidate, appositive_ok=True):
            relative = _INVERTED_CUT_RELATIVE.search(text, candidate.end, end)
            if relative is not None and _reports(text, relative.end(), end):
                # "..., a former adviser who added that ...": an attribution of its own
                return Span(start, _rstrip(text, start, relative.start()))
            return span
    return _described_to_the_end(text, sentence, span)


# Where the head of a long inverted source ends: its appositive, relative or "that" clause.
_HEAD_END = re.compile(r",|\s(?:who|whose|which|that)\s")


def _described_to_the_end(text: str, sentence: _Sentence, span: Span) -> Span | None:
    """A source after its cue that runs to the sentence's end with a long description: '"...,"
    said one owner of a shop that sells shoes who declined to be named.' PolNeAR keeps all of
    it; the head before the first comma or relative pronoun must read as a source."""
    if _rstrip(text, span.end, sentence.end) != span.end and not re.fullmatch(
        r"[\s.!?\"”'’]*", text[span.end : sentence.end]
    ):
        return None
    if len(text[span.start : span.end].split()) > 40:
        return None
    head = _HEAD_END.search(text, span.start, span.end)
    if head is None or head.start() <= span.start:
        return None
    candidate = Span(span.start, _rstrip(text, span.start, head.start()))
    return span if _is_source(text, candidate, appositive_ok=False) else None


def _closing_comma(text: str, span: Span) -> Span:
    """``span`` with the comma that closes its appositive when more of the sentence follows:
    PolNeAR marks 'said Ann Lee, a teacher, adding' with the source "Ann Lee, a teacher,"."""
    if _COMMA.search(text, span.start, span.end) and _COMMA.match(text, span.end):
        return Span(span.start, span.end + 1)
    return span


_INVERTED_RESTRICTIVE = re.compile(r"(?<=[a-z])\s+who\b")
_INVERTED_WHOSE = re.compile(r",\s+whose\b")
_INITIAL_BEFORE = re.compile(r"(?<![\w'’])(?:[A-Z]\.)+\Z|(?<![\w'’])(?:Jr|Sr|Inc|Co|Corp|Ltd)\.\Z")
_INVERTED_CUT_RELATIVE = re.compile(r",?\s+(?:who|whose|which)\b")
_INVERTED_CUT_COMMA = re.compile(r",")


_POSSESSIVE_PRONOUN_BEFORE = re.compile(r"(?<![\w'’-])(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+\Z")
_POSSESSIVE_MARK_BEFORE = re.compile(r"(?:(?<=\w)['’]s|(?<=s)['’])\s+\Z")
_POSSESSOR_WORD = re.compile(r"[\w.&-]+")
# Possessors that are times or places, not speakers: "Saturday's speech", "the country's call".
_NOT_POSSESSORS = _words(
    """
    monday tuesday wednesday thursday friday saturday sunday today yesterday tonight week
    weekend month year day night morning evening decade century season country nation world
    city state states town region area economy market america's america
    """
)


def _possessor(text: str, sentence_start: int, cue_start: int) -> Span | None:
    """The possessive before a noun cue, which says who spoke: "his" in "his claim that ...",
    "the minister's" in "the minister's statement that ..." (PolNeAR keeps the "'s"), or None
    when the possessive names a time or a place ("Saturday's", "the country's")."""
    window = max(sentence_start, cue_start - 12)
    pronoun = _POSSESSIVE_PRONOUN_BEFORE.search(text, window, cue_start)
    if pronoun is not None:
        return Span(pronoun.start(), _rstrip(text, pronoun.start(), cue_start))
    mark = _POSSESSIVE_MARK_BEFORE.search(text, window, cue_start)
    if mark is None:
        return None
    start = _possessor_start(text, sentence_start, mark.start())
    if start is None:
        return None
    phrase = _trim_subject(text, start, _rstrip(text, mark.start(), cue_start))
    head = text[start : mark.start()].split()[-1].casefold()
    if phrase is None or head in _NOT_POSSESSORS or head[:1].isdigit():
        return None
    return phrase


def _possessor_start(text: str, sentence_start: int, end: int) -> int | None:
    """Where the noun phrase ending at ``end`` (before its "'s") starts: a name ("Sen. Ted
    Cruz"), a determiner and its words ("the budget office", "the Obama administration") or one
    lowercase word ("officials"); None when no such phrase ends there."""
    words = list(_POSSESSOR_WORD.finditer(text, max(sentence_start, end - 80), end))
    start: int | None = None
    lowercase = 0
    named = False  # a capitalised word seen: no lowercase word before it but "the"
    for word in reversed(words[-5:]):
        if text[word.end() : start if start is not None else end].strip():
            break  # punctuation between: the phrase ends there
        value = word.group()
        if value.casefold() in ("the", "a", "an"):
            return word.start() if start is not None else None
        if value[:1].islower():
            if named or value in _FUNCTION_WORDS or value in _CLAUSE_WORDS or value.endswith("ed"):
                break  # "read out Tom Okafor's": a verb before the name
            lowercase += 1
        else:
            named = True
        start = word.start()
    if start is None or (lowercase > 1 and text[start].islower()):
        return None
    return start
