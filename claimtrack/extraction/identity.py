"""Across articles: which canonical speaker names name the same person or body.

Within one article :func:`claimtrack.extraction.speakers.resolve_speakers` gives every mention a
canonical name, but each article can only use the names it has: one writes "Zelensky", another
"Volodymyr Zelenskyy"; one says "GM", another "General Motors Corporation". :func:`group_names`
puts the canonical names of many articles into groups, one per person or body, by rules that
prefer leaving two names apart to joining two people:

- the same name, ignoring case, a leading "the", a parenthesis ("General Motors Corporation
  (GM)"), a legal suffix ("Corp.", "Inc.") and "Jr.";
- people (names that are not organisations) whose surnames are spelt alike
  (:func:`~claimtrack.extraction.speakers.same_surname`) and whose first names agree, a first
  name against its initial included ("J. Smith", "John Smith");
- a surname alone ("Zelensky") with the one full name it can belong to; with two candidates
  ("Clinton": Bill and Hillary) it stays apart;
- an acronym ("GM") with the one name whose capitalised words it abbreviates;
- a word alone that begins company names ("Ford", "Ford Motor Company") with the one named most
  often, when the companies are named more often than people of that surname ("William Clay
  Ford"); a place does not join its newspaper ("Washington", "Washington Post").

Pure functions over strings; :func:`speakers_by_person` counts the stored items per group
(``claimtrack claims speakers``), and :func:`spellings_of` finds the stored names one speaker goes
by (``claimtrack claims list --speaker``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from claimtrack.extraction.speakers import (
    is_organisation,
    is_pronoun,
    same_surname,
    surname_blocks,
)
from claimtrack.store.items import SpeakerRow

_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_SUFFIXES = frozenset(
    {"corporation", "corp", "co", "company", "inc", "incorporated", "llc", "ltd", "limited",
     "plc", "jr", "sr", "ii", "iii"}
)  # fmt: skip
# Words that make a name a company's, which a lone first word ("Ford") may stand for; a place
# ("Washington") does not stand for its newspaper ("Washington Post").
_COMPANY_WORDS = frozenset(
    {"company", "corporation", "corp", "co", "inc", "llc", "ltd", "plc", "motors", "holdings",
     "industries", "airlines", "airways", "group"}
)  # fmt: skip
_FILLERS = frozenset({"of", "and", "for", "the", "&"})
_ACRONYM = re.compile(r"[A-Z]{2,6}")


def name_key(name: str) -> tuple[str, ...]:
    """The words that decide whether two names are the same name: lower case, without a leading
    "the", a parenthesis, a legal suffix or "Jr."."""
    words = [word.strip(".,").casefold() for word in _PARENTHESES.sub("", name).split()]
    words = [word for word in words if word]
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return tuple(words)


def group_names(names: Iterable[str]) -> list[list[str]]:
    """The distinct ``names`` in groups, one per person or body, and the groups in order of their
    names' total count. In each group the most frequent name of two words or more comes first,
    then the others by count. ``names`` may repeat: the counts decide which name leads a group
    and which company a lone word joins."""
    counts = Counter(name for name in names if name and name.strip())
    groups = _Groups(list(counts))
    keys = {name: name_key(name) for name in counts}
    by_key: dict[tuple[str, ...], str] = {}
    for name in counts:
        if keys[name]:
            groups.join(by_key.setdefault(keys[name], name), name)

    bodies = {groups.find(name) for name in counts if _names_a_body(name, keys[name])}
    people = [name for name in counts if keys[name] and groups.find(name) not in bodies]
    lone_words = {name for name in people if len(keys[name]) == 1}
    lone_words -= _join_organisation_leads(groups, counts, keys, lone_words)
    people = [name for name in people if len(keys[name]) > 1 or name in lone_words]
    _join_people(groups, people, keys)
    _join_acronyms(groups, counts, keys)
    return groups.ordered(counts)


def _names_a_body(name: str, key: tuple[str, ...]) -> bool:
    """An organisation's name, an acronym ("GM", not "TRUMP" in a headline), or one word after
    "the" ("The Guardian": a person is not written so)."""
    if is_organisation(name):
        return True
    if _ACRONYM.fullmatch(name):
        return len(name) <= 4
    return len(key) == 1 and name.split()[0].casefold() == "the"


def _join_people(groups: _Groups, people: list[str], keys: dict[str, tuple[str, ...]]) -> None:
    blocks: dict[str, list[str]] = {}
    for name in people:
        for block in surname_blocks(keys[name][-1]):  # same_surname needs one in common
            blocks.setdefault(block, []).append(name)

    def alike(name: str) -> list[str]:  # the names of the blocks ``name`` is in, itself too
        found = {other: None for b in surname_blocks(keys[name][-1]) for other in blocks[b]}
        return list(found)

    full = {name: None for name in people if len(keys[name]) > 1 and len(keys[name][0]) > 1}
    for first in full:
        for second in alike(first):
            if second in full and second != first:
                a, b = keys[first], keys[second]
                if a[0] == b[0] and same_surname(a[-1], b[-1]):
                    groups.join(first, second)
    for short in (name for name in people if name not in full):  # "J. Smith", "Smith"
        key = keys[short]
        nearby = alike(short)
        owners = {
            groups.find(name)
            for name in nearby
            if name in full
            and same_surname(keys[name][-1], key[-1])
            and (len(key) == 1 or keys[name][0][0] == key[0])
        }
        if len(owners) == 1:  # with two Smiths it could be either: left apart
            groups.join(owners.pop(), short)
        elif not owners and len(key) == 1:
            for other in nearby:
                if (
                    other not in full
                    and len(keys[other]) == 1
                    and same_surname(keys[other][0], key[0])
                ):
                    groups.join(other, short)


def _join_organisation_leads(
    groups: _Groups, counts: Counter[str], keys: dict[str, tuple[str, ...]], lone: set[str]
) -> set[str]:
    """Join each lone word that begins organisation names to the most frequent of them; return
    the words joined (they are bodies, not surnames)."""
    bodies: dict[str, list[str]] = {}
    for name in counts:
        words = {word.strip(".,").casefold() for word in name.split()[1:]}
        if len(keys[name]) > 1 and words & _COMPANY_WORDS:
            bodies.setdefault(keys[name][0], []).append(name)
    people: Counter[str] = Counter()  # items under a full name, by the surname's first letters
    for name in counts:
        if len(keys[name]) > 1 and not is_organisation(name):
            people[keys[name][-1]] += counts[name]
    joined = set()
    for word in lone:
        candidates = bodies.get(keys[word][0])
        if not candidates:
            continue
        namesakes = sum(n for surname, n in people.items() if same_surname(surname, keys[word][0]))
        if sum(counts[name] for name in candidates) > namesakes:
            # "Ford" is Ford Motor Company where the company is named more than any Ford; "Trump"
            # stays a surname beside Trump University.
            groups.join(max(candidates, key=lambda name: (counts[name], -len(name))), word)
            joined.add(word)
    return joined


def _join_acronyms(groups: _Groups, counts: Counter[str], keys: dict[str, tuple[str, ...]]) -> None:
    spelt_out: dict[str, list[str]] = {}
    for name in counts:
        for initials in _initials(name, keys[name]):
            spelt_out.setdefault(initials, []).append(name)
    for acronym in (name for name in counts if _ACRONYM.fullmatch(name)):
        owners = {groups.find(name) for name in spelt_out.get(acronym, ())}
        if len(owners) == 1:
            groups.join(owners.pop(), acronym)


def _initials(name: str, key: tuple[str, ...]) -> set[str]:
    """Initials of a name's capitalised words, with and without its legal suffix: "General Motors
    Corporation" gives GMC and GM."""
    words = [word for word in _PARENTHESES.sub("", name).split() if word[:1].isupper()]
    whole = "".join(word[0] for word in words if word.casefold() not in _FILLERS)
    short = "".join(word[0].upper() for word in key if word not in _FILLERS)
    return {whole, short} if len(words) > 1 else set()


class _Groups:
    """Union-find over names."""

    def __init__(self, names: list[str]) -> None:
        self._parent = {name: name for name in names}

    def find(self, name: str) -> str:
        while self._parent[name] != name:
            self._parent[name] = self._parent[self._parent[name]]
            name = self._parent[name]
        return name

    def join(self, first: str, second: str) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self._parent[b] = a

    def ordered(self, counts: Counter[str]) -> list[list[str]]:
        members: dict[str, list[str]] = {}
        for name in self._parent:
            members.setdefault(self.find(name), []).append(name)
        # a name of two words or more leads ("Barack Obama", not "Obama"; "General Motors", not
        # "GM"), the most frequent of them first
        groups = [
            sorted(group, key=lambda name: (len(name.split()) < 2, -counts[name], name))
            for group in members.values()
        ]
        return sorted(groups, key=lambda group: (-sum(counts[name] for name in group), group[0]))


def spellings_of(speaker: str, stored: Sequence[str]) -> list[str]:
    """The names in ``stored`` (canonical speakers) that are ``speaker`` spelt another way:
    "Zelenskiy" finds "Volodymyr Zelensky" (one article's spelling) and "Zelenskyy" (another's).
    A first name, if given, must agree; the surname may differ as :func:`same_surname` allows.
    An acronym finds the names whose capitalised words it abbreviates ("IMF": "International
    Monetary Fund"). Each name found brings the other names of its person or body across
    articles (:func:`group_names`): "General Motors" finds "GM" too."""
    wanted = speaker.split()
    if not wanted:
        return []
    acronym = speaker.strip() if re.fullmatch(r"[A-Z]{2,6}", speaker.strip()) else None
    found: list[str] = []
    for canonical in dict.fromkeys(stored):
        words = canonical.split()
        if not words:
            continue
        if acronym and "".join(w[0] for w in words if w[0].isupper()) == acronym:
            found.append(canonical)  # "GM" for "General Motors"
            continue
        if not same_surname(words[-1], wanted[-1]):
            continue
        if len(wanted) > 1 and len(words) > 1 and words[0].casefold() != wanted[0].casefold():
            continue
        found.append(canonical)
    if not found:
        return found
    chosen = set(found)
    return [name for group in group_names(stored) if chosen.intersection(group) for name in group]


def speakers_by_person(rows: Sequence[SpeakerRow]) -> tuple[list[dict[str, Any]], int]:
    """Who the items of ``rows`` are from: one row per person or body, its names across articles
    grouped (:func:`group_names`), with counts and the first and last article date; most items
    first. Also the number of items with no named speaker."""
    named = [row for row in rows if row.speaker_canonical]
    groups = group_names(row.speaker_canonical for row in named if row.speaker_canonical)
    person_of = {name: group[0] for group in groups for name in group}
    names_of = {group[0]: group for group in groups}
    by_person: dict[str, list[SpeakerRow]] = {}
    for row in named:
        by_person.setdefault(person_of[str(row.speaker_canonical)], []).append(row)
    speakers = [_speaker(person, names_of[person], mine) for person, mine in by_person.items()]
    speakers.sort(key=lambda speaker: (-speaker["items"], speaker["name"]))
    return speakers, len(rows) - len(named)


def _speaker(person: str, names: list[str], rows: list[SpeakerRow]) -> dict[str, Any]:
    dates = [row.published for row in rows if row.published is not None]
    return {
        "name": person,
        "names": names,
        "written": _by_frequency(
            row.speaker for row in rows if row.speaker and not is_pronoun(row.speaker)
        ),
        "roles": _by_frequency(row.speaker_role for row in rows if row.speaker_role),
        "items": len(rows),
        "claims": sum(row.kind == "claim" for row in rows),
        "commitments": sum(row.kind == "commitment" for row in rows),
        "articles": len({row.article_id for row in rows}),
        "first_published": _day(min(dates)) if dates else None,
        "last_published": _day(max(dates)) if dates else None,
    }


def _day(moment: date | datetime) -> str:
    return (moment.date() if isinstance(moment, datetime) else moment).isoformat()


def _by_frequency(values: Iterable[str]) -> list[str]:
    return [value for value, _ in Counter(values).most_common()]
