"""Speaker names: separating role words from the name, and resolving mentions within one article.

Pure functions over strings. Two steps:

- :func:`split_role` takes a speaker as the article writes it and separates the role or title from
  the name: ``"British Prime Minister Keir Starmer"`` is the name ``"Keir Starmer"`` with the role
  ``"British Prime Minister"``; ``"Mark MacDougall, an attorney for Pagliano"`` is the name
  ``"Mark MacDougall"`` with the role ``"an attorney for Pagliano"``. Honorifics (``Mr.``,
  ``Mrs.``) are dropped. A description without a name (``"a source"``, ``"the mayor"``) has no
  name.
- :func:`resolve_speakers` takes every speaker mention of one article in reading order and gives
  each a canonical name: a surname (``"Starmer"``) becomes the fullest form of that person's name in
  the article (``"Keir Starmer"``), spelling variants of one surname (``"Zelensky"``,
  ``"Zelenskyy"``) become one person, ``he``/``she`` become the most recent named person who
  spoke before, and a definite role (``"the mayor"``) becomes the most recent speaker with that
  role (``"Mayor Bill de Blasio"``). What cannot be resolved keeps ``canonical=None``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``, as a set (for the word lists below)."""
    return frozenset(text.split())


# Words that make up roles and titles (compared case-insensitively, without a final period).
ROLE_WORDS = _words(
    """
    president vice prime minister ministers secretary secretary-general senator sen
    representative rep congressman congresswoman governor gov lieutenant lt mayor chancellor
    king queen prince princess general gen colonel col major maj admiral adm commander chief
    chairman chairwoman chair chairperson director ceo cfo coo founder co-founder spokesman
    spokeswoman spokesperson envoy special ambassador commissioner attorney judge justice
    speaker leader majority minority whip candidate nominee presidential democratic
    republican former acting deputy foreign defense defence finance interior health home
    state senior top executive officer head adviser advisor strategist analyst professor
    prof dr sir dame lord lady rev reverend pope manager press campaign supreme allied
    sergeant sgt captain capt army navy chief-of-staff staff economist pollster official
    officials lawyer aide aides member members council party federal national regional
    district county city mr mrs ms miss mme mister u.s us uk u.k eu un u.n nato white house
    gop dem sheriff police commissioner inspector auditor treasurer comptroller chancellor
    premier vice-president dean rabbi imam bishop cardinal archbishop doctor coach owner
    publisher editor editor-in-chief correspondent reporter columnist host anchor american
    british french german ukrainian russian chinese israeli iranian canadian italian spanish
    polish turkish indian japanese european mexican australian syrian iraqi afghan
    palestinian saudi egyptian korean north south venezuelan brazilian dutch belgian swedish
    norwegian danish finnish irish scottish greek hungarian austrian swiss czech
    """
)
# Titles one person holds, so that "the mayor" can mean the Mayor Bill de Blasio quoted before.
PERSONAL_TITLES = _words(
    """
    president minister secretary senator congressman congresswoman governor mayor chancellor
    king queen prince princess general colonel admiral commander chairman chairwoman
    director ceo envoy ambassador commissioner judge justice speaker candidate nominee
    premier pope sheriff spokesman spokeswoman spokesperson
    """
)
# Section headings of news pages ("Security", "Reactions"): run into the paragraph below when a
# page loses its line breaks, they are no part of a name ("Security Russia's foreign ministry").
HEADING_WORDS = _words(
    """
    security politics economy diplomacy defence defense energy market markets reaction
    reactions background analysis context sanctions ceasefire talks peace war aid trade world
    europe timeline outlook business opinion update negotiations guarantees response
    """
)
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mme", "mister", "m"})
PERSONAL_PRONOUNS = frozenset({"he", "she"})
PRONOUNS = frozenset({"he", "she", "they", "we", "i", "you", "it", "who", "which", "this", "that"})
NAME_PARTICLES = frozenset(
    {"de", "del", "della", "di", "da", "van", "von", "der", "den", "la", "le", "bin", "al", "ibn"}
)
# Words that mark a name as an organisation rather than a person (for he/she resolution).
ORGANISATION_WORDS = _words(
    """
    party office ministry department committee post times news association press council
    union commission agency service house government administration campaign network inc
    corp company university institute court congress senate parliament group bank fund
    foundation coalition alliance army police board poll survey report statement
    organization organisation center centre journal magazine newspaper tv radio channel
    network times' club league staff corporation co llc ltd plc motors holdings industries
    airlines airways
    """
)

_TOKEN = re.compile(r"\S+")
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True, slots=True)
class ResolvedSpeaker:
    """One speaker mention: as written, its canonical name (or ``None``), and its role words."""

    written: str
    canonical: str | None
    role: str | None


@lru_cache(maxsize=50_000)
def split_role(written: str) -> tuple[str | None, str | None]:
    """``(name, role)`` of a speaker as written; either may be ``None``.

    >>> split_role("British Prime Minister Keir Starmer")
    ('Keir Starmer', 'British Prime Minister')
    >>> split_role("Mr. Trump")
    ('Trump', None)
    """
    text = _PARENTHESES.sub("", written).strip(" ,;:")
    if not text or text.casefold() in PRONOUNS:
        return None, None
    members = list_members(text)
    if members is not None:
        return _list_name([name for name, _ in map(split_role, members) if name]), None
    if "," not in text:
        return _split_title_and_name(text)
    head, _, tail = text.partition(",")
    head, tail = head.strip(), tail.strip(" ,")
    head_name, head_role = _split_title_and_name(head)
    tail_name, tail_role = _split_title_and_name(tail)
    person_after = _person_after_organisation(head_name, head_role, tail_name, tail_role)
    if head_name and not person_after:
        return head_name, _join(head_role, tail)  # "Name, the role of something"
    if tail_name:  # "The role of something, Name"
        return tail_name, _join(head, tail_role)
    return None, text


_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


def list_members(written: str) -> list[str] | None:
    """The speakers of a list that names each of them ("Ana Lund, Piet Berg and Ola Vik", "the
    UAW President Ron Gettelfinger and Vice President Gerald Bantom"), else None: a list needs
    "and", and a name in every member, so "the Department of Health and Human Services" and
    "Lee, a spokeswoman for Nordair and Harbor" are one speaker."""
    if " and " not in written:
        return None
    text = _PARENTHESES.sub("", written).strip(" ,;:")
    members = [member for member in _LIST_SEPARATOR.split(text) if member]
    if len(members) < 2 or not all(_split_title_and_name(member)[0] for member in members):
        return None
    return members


def _list_name(names: Sequence[str]) -> str:
    """Names as a list is written: "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _person_after_organisation(
    head_name: str | None, head_role: str | None, tail_name: str | None, tail_role: str | None
) -> bool:
    """Whether "the general secretary of the union Unite, Tony Woodley" names Tony Woodley: a
    one-word name after role words, then a full name with no role of its own."""
    return (
        head_name is not None
        and head_role is not None
        and len(head_name.split()) == 1
        and tail_name is not None
        and tail_role is None
        and len(tail_name.split()) >= 2
        and not is_organisation(tail_name)
    )


_OF_PLACE = re.compile(r"\s+(?:of|from)\s+")


def _split_title_and_name(text: str) -> tuple[str | None, str | None]:
    """A run of role words followed by a run of capitalised name words (and maybe "of Place")."""
    name, role = _title_then_name(text)
    if name is None and (match := _OF_PLACE.search(text)):
        head_name, head_role = _title_then_name(text[: match.start()])
        if head_name is not None and (head_role is not None or len(head_name.split()) > 1):
            place = text[match.start() :].strip()  # "Rep. Elijah Cummings of Maryland"
            return head_name, f"{head_role} {place}" if head_role else place
    return name, role


def _title_then_name(text: str) -> tuple[str | None, str | None]:
    """Name words read from the end back to the first role word: "Prime Minister | Keir Starmer"."""
    words = _TOKEN.findall(text)
    if not words:
        return None, None
    bare = words[1:] if len(words) == 2 and words[0].casefold() in {"the", "a", "an"} else words
    if len(bare) == 1 and _ACRONYM.fullmatch(bare[0].rstrip(".,")):
        return bare[0].rstrip(".,"), None  # "NATO", "the IMF": a body named by its initials
    name_start = len(words)
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        if (_is_name_word(word) and not _is_role_word(word)) or (
            word.casefold() in NAME_PARTICLES and name_start == index + 1
        ):
            name_start = index
        else:
            break
    name_words = words[name_start:]
    if name_words and name_words[0].casefold() in {"the", "a", "an"}:
        name_words = name_words[1:]
    role_words = [word for word in words[:name_start] if _key(word) not in HONORIFICS]
    if all(_key(word) in {"the", "a", "an"} for word in role_words):
        role_words = []  # "the Ford Motor Company": no role
    if not name_words:
        return None, " ".join(words)
    if len(name_words) == 1 or _key(name_words[-1]) in ORGANISATION_WORDS:
        # "General Motors (Corp.)", not Motors the general
        while role_words and _begins_company_name(role_words[-1]):
            name_words.insert(0, role_words.pop())
    if _key(name_words[-1]) in ORGANISATION_WORDS:
        # "the European Commission", "The European Medicines Agency", "Russian Foreign Ministry":
        # a body's name keeps the capitalised words before it, nationality or role alike
        while (
            role_words
            and role_words[-1][:1].isupper()
            and (_NATIONALITY.fullmatch(role_words[-1]) or _is_role_word(role_words[-1]))
        ):
            name_words.insert(0, role_words.pop())
        if all(_key(word) in {"the", "a", "an"} for word in role_words):
            role_words = []
    linked = _linking_words(role_words)
    if linked and not any(_is_role_word(word) for word in role_words[:-1]):
        return None, " ".join(words)  # "Lee Park of Harbor Capital Services": Lee Park speaks
    if linked == ["of"] and len(name_words) >= 3 and not is_organisation(" ".join(name_words)):
        # "President of the United States Barack Obama", "Premier of Ontario Doug Ford": the
        # place runs into the name; the name is taken to be its last two words.
        role_words, name_words = role_words + name_words[:-2], name_words[-2:]
    elif linked or (role_words and role_words[-1].endswith(("'s", "’s"))):
        return None, " ".join(words)  # "a lawyer for Smith": the capitals are not the speaker
    if len(name_words) == 1 and name_words[0].isupper() and role_words:
        return None, " ".join(words)  # "the top US": not a name
    return " ".join(name_words), (" ".join(role_words) or None)


# Role words that also begin company names ("General Motors", "British Airways", "National
# Grid"). Written in full and capitalised before a single name word, they are read as part of the
# name: "General Petraeus" then stays whole too, while "Gen. Petraeus" and "General David
# Petraeus" are split as before.
_COMPANY_LEADS = frozenset(
    {"general", "national", "federal", "united", "royal", "american", "british"}
)


# A nationality written before an organisation's one-word name: "European", "Russian", "British".
_NATIONALITY = re.compile(r"[A-Z][a-z]+(?:an|ish|ese|ch|i)")


def _linking_words(role_words: list[str]) -> list[str]:
    """The preposition that ends the role words ("a lawyer for", "the head of the"), if any."""
    keys = [_key(word) for word in role_words[-2:]]
    if keys and keys[-1] in _NOT_BEFORE_NAME:
        return keys[-1:]
    if len(keys) == 2 and keys[-1] == "the" and keys[0] in _NOT_BEFORE_NAME:
        return keys[:1]
    return []


def _begins_company_name(word: str) -> bool:
    return word[:1].isupper() and not word.endswith(".") and word.casefold() in _COMPANY_LEADS


_NOT_BEFORE_NAME = frozenset(
    {"for", "of", "to", "with", "by", "at", "from", "in", "on", "and", "about"}
)


def _is_name_word(word: str) -> bool:
    stripped = word.strip("\"“”'’.,")
    if not stripped:
        return False
    return stripped[0].isupper() or ("-" in stripped and stripped.rsplit("-", 1)[1][:1].isupper())


@lru_cache(maxsize=50_000)
def _is_role_word(word: str) -> bool:
    return _key(word) in ROLE_WORDS or _key(word) in HONORIFICS


@lru_cache(maxsize=50_000)
def _key(word: str) -> str:
    return word.casefold().strip("\"“”'’,").rstrip(".")


def _join(first: str | None, second: str | None) -> str | None:
    parts = [part for part in (first, second) if part]
    return ", ".join(parts) or None


def is_pronoun(written: str) -> bool:
    """Whether a speaker as written is a pronoun ("he", "They")."""
    return written.strip().casefold() in PRONOUNS


@lru_cache(maxsize=50_000)
def same_surname(first: str, second: str) -> bool:
    """Whether two surnames are one name spelt a little differently (``Zelensky``, ``Zelenskyy``).

    Equal ignoring case and a possessive; or, for names of five letters or more, one is the other
    with up to two letters added at the end, or they differ by one edit after a long common start
    (so "Clinton" and "Clifton" stay apart).
    """
    a, b = _surname_key(first), _surname_key(second)
    if a == b:
        return bool(a)
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) < 5:
        return False
    if spelling_key(a) == spelling_key(b):  # "Vitkov", "Witkoff"
        return True
    if longer.startswith(shorter) and len(longer) - len(shorter) <= 2:
        return True
    prefix = len(_common_prefix(a, b))
    return len(shorter) >= 6 and prefix >= max(5, len(shorter) * 0.6) and _within_one_edit(a, b)


# Latin spellings of one Cyrillic (or other) name differ in a few known ways: w/v, ff/v at the
# end, y/i/j, kh/h, ph/f, doubled letters ("Witkoff" and "Vitkov", "Zelenskyy" and "Zelenskiy")
_SPELLINGS = (
    (re.compile(r"ff$"), "v"), (re.compile(r"ph"), "f"), (re.compile(r"kh"), "h"),
    (re.compile(r"w"), "v"), (re.compile(r"[yj]"), "i"), (re.compile(r"(.)\1+"), r"\1"),
)  # fmt: skip


@lru_cache(maxsize=50_000)
def spelling_key(surname: str) -> str:
    """A surname with the usual differences between its Latin spellings taken out; two
    spellings of one name share it ("witkoff" and "vitkov" are "vitkov")."""
    key = _surname_key(surname)
    for pattern, replacement in _SPELLINGS:
        key = pattern.sub(replacement, key)
    return key


@lru_cache(maxsize=50_000)
def surname_blocks(surname: str) -> frozenset[str]:
    """Where to file and look up ``surname`` to find its other spellings: its first five
    letters, and those of its :func:`spelling_key`. Two names :func:`same_surname` takes as one
    share a block."""
    return frozenset((_surname_key(surname)[:5], spelling_key(surname)[:5]))


def _common_prefix(a: str, b: str) -> str:
    index = 0
    while index < min(len(a), len(b)) and a[index] == b[index]:
        index += 1
    return a[:index]


@lru_cache(maxsize=50_000)
def _surname_key(name: str) -> str:
    return _POSSESSIVE.sub("", name.strip(' .,"“”')).casefold()


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    index = 0
    while index < len(a) and a[index] == b[index]:
        index += 1
    if len(a) == len(b):
        return a[index + 1 :] == b[index + 1 :]
    return a[index:] == b[index + 1 :]


@lru_cache(maxsize=50_000)
def is_organisation(name: str) -> bool:
    """Whether a name looks like a body rather than a person (``NATO``, ``the Post``)."""
    words = [_key(word) for word in _TOKEN.findall(name)]
    if any(word in ORGANISATION_WORDS for word in words):
        return True
    return len(words) == 1 and name.strip().isupper() and len(name.strip()) > 1


def resolve_speakers(mentions: Sequence[str], text: str = "") -> list[ResolvedSpeaker]:
    """Canonical names for one article's speaker mentions, given in reading order.

    ``text`` (the article) is searched for a fuller form of a surname that is only ever a speaker
    on its own (``"Starmer"`` with ``"Keir Starmer"`` elsewhere in the article).
    """
    parsed = [(written, *split_role(written)) for written in mentions]
    listed = {written: members for written in mentions if (members := list_members(written))}
    names = [name for written, name, _ in parsed if name and written not in listed]
    names += [name for members in listed.values() for name, _ in map(split_role, members) if name]
    people = _people(names)
    surnames = [name for name in names if len(name.split()) == 1 and not is_organisation(name)]
    full_names = _full_names(text) if surnames else {}
    acronyms = [name for name in names if _ACRONYM.fullmatch(name)]
    expansions = _expansions(text, acronyms) if acronyms else {}
    resolved: list[ResolvedSpeaker] = []
    history: list[tuple[str, str | None]] = []  # (canonical, role) of named speakers so far
    persons: list[str] = []  # the canonical names among them that read as a person's
    for written, name, role in parsed:
        canonical: str | None
        if written in listed:  # each member by its own name; none is "he" or "she" later
            members = [name for name, _ in map(split_role, listed[written]) if name]
            canonical = _list_name(
                [
                    expansions.get(member)
                    or _canonical_name(member, people, surnames, history, full_names)
                    for member in members
                ]
            )
        elif name:
            named = expansions.get(name) or _canonical_name(
                name, people, surnames, history, full_names
            )
            history.append((named, role))
            if _reads_as_person(named, written, role):
                persons.append(named)
            canonical = named
        else:
            canonical = _resolve_reference(written, history, persons)
        resolved.append(ResolvedSpeaker(written, canonical, role))
    return resolved


def _people(names: Iterable[str]) -> list[str]:
    """The distinct full names (two words or more) among ``names``, first seen first."""
    seen: list[str] = []
    for name in names:
        if len(name.split()) >= 2 and not is_organisation(name) and name not in seen:
            seen.append(name)
    return seen


def _canonical_name(
    name: str,
    people: list[str],
    surnames: list[str],
    history: list[tuple[str, str | None]],
    full_names: dict[str, str],
) -> str:
    if is_organisation(name):
        return _DETERMINER.sub("", name)
    words = name.split()
    folded = name.casefold()
    if len(words) >= 2:  # a full name, or a compound surname ("De Blasio")
        longer = [person for person in people if person.casefold().endswith(" " + folded)]
        if longer:
            return _most_recent(longer, history) or longer[0]
        return name
    matches = [person for person in people if same_surname(person.split()[-1], name)]
    if matches:
        return _most_recent(matches, history) or matches[0]
    spellings = [other for other in surnames if same_surname(other, name)]
    for spelling in sorted(set(spellings), key=spellings.index):
        if spelling in full_names:
            return full_names[spelling]
    return max(spellings, key=lambda other: (spellings.count(other), -spellings.index(other)))


def _most_recent(candidates: list[str], history: list[tuple[str, str | None]]) -> str | None:
    for canonical, _ in reversed(history):
        if canonical in candidates:
            return canonical
    return None


# Capitalised words that open a sentence or clause, never a name's first word.
_OPENERS = _words(
    """
    when after before if as while although though since because until once today yesterday
    then but and so yet in on at for with from by meanwhile however also this that these
    those last next now where why how what
    """
)
_AFTER_OF = re.compile(r"\bof\s+(?:the\s+)?\Z")
# Up to four capitalised words on one line ("Security" above "The Kremlin ..." is a heading),
# not starting inside initials ("U.S. Treasury" gives no "S. Treasury").
# (Written capital first, the look-behind after it: a pattern that opens with a character class is
# searched for that class, several times faster than trying the look-behind at every position.)
_NAME_RUN = re.compile(
    r"[A-Z](?<![\w.][A-Z])(?:[a-z][\w’'-]*|\.)[ \t]+"
    r"(?:(?:[A-Z][a-z][\w’'-]*|[A-Z]\.)[ \t]+){0,2}[A-Z][a-z][\w’'-]*"
)


def _full_names(text: str) -> dict[str, str]:
    """For each surname written after a first name in ``text``, the longest such full name
    (role words before it left out: "Prime Minister Keir Starmer" gives "Keir Starmer"); or, for
    a word that more often begins the name of an organisation, that name ("Ford" is "Ford Motor
    Company" in an article that names the company three times and "One Ford" once)."""
    names: dict[str, str] = {}
    for match in _NAME_RUN.finditer(text):
        words: list[str] = []
        for word in reversed(match.group().split()):
            if _is_role_word(word):
                break
            words.insert(0, word)
        while words and words[0].casefold() in _OPENERS:
            words = words[1:]  # "When Apple CEO ...": "When" opens the sentence
        if words and words[0].casefold() in HEADING_WORDS and _at_line_start(text, match.start()):
            words = words[1:]  # "Security Russia ...": a heading run into the paragraph
        if len(words) < 2:
            continue
        if len(words) > 2 and _AFTER_OF.search(text, max(0, match.start() - 20), match.start()):
            words = words[-2:]  # "President of the United States Barack Obama"
        surname = _POSSESSIVE.sub("", words[-1])
        full = " ".join([*words[:-1], surname])
        if len(full.split()) > len(names.get(surname, "").split()):
            names[surname] = full
    organisations: Counter[str] = Counter()
    for match in _CAPITALISED_RUN.finditer(text):
        if organisation := _organisation_of_run(match.group()):
            organisations[organisation] += 1
    by_first: dict[str, list[str]] = {}
    for organisation, _ in organisations.most_common():  # "Ford Motors" and "Ford Motors Co"
        by_first.setdefault(organisation.split()[0], []).append(organisation)
    for first, spellings in by_first.items():
        person = names.get(first)
        if person is None or sum(organisations[name] for name in spellings) > text.count(person):
            names[first] = spellings[0]
    return names


def _at_line_start(text: str, position: int) -> bool:
    """Whether only blanks stand between the line's start and ``position``."""
    return not text[text.rfind("\n", 0, position) + 1 : position].strip(" \t")


@lru_cache(maxsize=50_000)
def _organisation_of_run(run: str) -> str | None:
    """:func:`_organisation_name` of a run of capitalised words, remembered: an article repeats
    its names ("Donald Trump", "the White House"), and so does the next article."""
    return _organisation_name(_DETERMINER.sub("", run).split())


def _organisation_name(words: list[str]) -> str | None:
    """The organisation's name at the start of a run of capitalised words, up to its last
    organisation word: "Ford Motor Company Chief Executive Alan Mulally" gives "Ford Motor
    Company"; a run whose first word is one ("Bank of America") is kept whole."""
    keys = [_key(word) for word in words]
    index = next((i for i, key in enumerate(keys) if i and key in ORGANISATION_WORDS), None)
    if index is None:
        return " ".join(words) if len(words) > 1 and keys[0] in ORGANISATION_WORDS else None
    while index + 1 < len(words) and keys[index + 1] in ORGANISATION_WORDS:
        index += 1
    return " ".join(words[: index + 1])


_ACRONYM = re.compile(r"[A-Z]{2,5}")
_CAPITALISED_RUN = re.compile(  # "\b[A-Z]", written as _NAME_RUN is for speed
    r"[A-Z](?<!\w[A-Z])[a-z]+(?:[ \t]+(?:(?:of|and|for|the)[ \t]+)?[A-Z][a-z]+)+"
)
_ACRONYM_FILLERS = frozenset({"of", "and", "for", "the"})


def _expansions(text: str, acronyms: list[str]) -> dict[str, str]:
    """For each acronym, the run of capitalised words in ``text`` whose initials spell it
    ("GM" -> "General Motors", "IMF" -> "International Monetary Fund"), when there is one."""
    wanted = set(acronyms)
    found: dict[str, str] = {}
    for match in _CAPITALISED_RUN.finditer(text):
        words = match.group().split()
        for start in range(len(words)):  # "Monday General Motors" still gives "General Motors"
            if words[start].casefold() in _ACRONYM_FILLERS:
                continue
            tail = words[start:]
            initials = "".join(word[0] for word in tail if word.casefold() not in _ACRONYM_FILLERS)
            if initials in wanted and initials not in found:
                found[initials] = " ".join(tail)
                break
    return found


def _reads_as_person(canonical: str, written: str, role: str | None) -> bool:
    """Whether a named speaker is a person ``he``/``she`` may refer to: a full name, or one
    name with a title or an honorific ("Mr Howard", "Analyst Lee"); not a body ("NATO", "the
    Post") nor a lone name that could be a company's ("Intel said")."""
    if is_organisation(canonical):
        return False
    if len(canonical.split()) >= 2:
        return True
    titled = any(_key(word) in HONORIFICS for word in _TOKEN.findall(written))
    return titled or role is not None


def _resolve_reference(
    written: str, history: list[tuple[str, str | None]], persons: Sequence[str] = ()
) -> str | None:
    """``he``/``she`` or ``the <role>``: the most recent fitting named speaker, else ``None``.
    ``he``/``she`` take the most recent of ``persons``, the named speakers that read as people."""
    phrase = written.strip().casefold()
    if phrase in PERSONAL_PRONOUNS:
        return persons[-1] if persons else None
    match = re.fullmatch(r"the\s+([\w\s.-]+)", phrase)
    if match:
        wanted = match.group(1).split()
        if not all(word.rstrip(".") in ROLE_WORDS for word in wanted) or not any(
            word.rstrip(".") in PERSONAL_TITLES for word in wanted
        ):
            return None
        for canonical, role in reversed(history):
            role_words = set(_key(word) for word in (role or "").split())
            if all(word.rstrip(".") in role_words for word in wanted):
                return canonical
    return None
