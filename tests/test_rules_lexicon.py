"""The cue lexicon (``claimtrack/extraction/rules/cues.toml``): one entry per lemma, each form
once, and an example sentence per entry in which the real extractor finds that cue.

Every example sentence is invented.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from claimtrack.extraction.rules import extract_with_rules
from claimtrack.extraction.rules.vocabulary import (
    ADJECTIVE_CUES,
    CUE_FILE,
    CUE_LEXICON,
    CUE_VERBS,
    NOUN_CUES,
    CueEntry,
    load_cue_lexicon,
)

REPO = Path(__file__).resolve().parents[1]


def raw_entries() -> list[dict[str, object]]:
    entries: list[dict[str, object]] = tomllib.loads(CUE_FILE.read_text(encoding="utf-8"))["cue"]
    return entries


def test_no_lemma_has_two_entries() -> None:
    lemmas = Counter(str(entry["lemma"]) for entry in raw_entries())
    assert [lemma for lemma, count in lemmas.items() if count > 1] == []


def test_no_form_is_listed_twice() -> None:
    forms = Counter(form for entry in raw_entries() for form in entry["forms"])  # type: ignore[attr-defined]
    assert [form for form, count in forms.items() if count > 1] == []


def test_every_entry_has_a_known_class_and_an_example() -> None:
    for entry in CUE_LEXICON:
        assert entry.cue_class in ("verb", "phrase", "adjective"), entry.lemma
        assert entry.forms and entry.example.strip(), entry.lemma


def test_the_lexicon_is_what_the_rules_read() -> None:
    assert len(CUE_VERBS) == sum(len(entry.forms) for entry in CUE_LEXICON)
    assert CUE_VERBS["said"] == "say" and CUE_VERBS["called for"] == "call for"
    assert "acknowledged" in CUE_VERBS  # once listed in three tables, now one entry
    assert {"confident", "worried"} <= ADJECTIVE_CUES
    assert CUE_VERBS["worried"] == "worry"  # a verb form that is also a stance after "be"


def _cue_lemma(cue: str) -> str | None:
    """The lemma of the longest cue form that ends ``cue`` ("has repeatedly said": "say")."""
    words = cue.casefold().split()
    for first in range(len(words)):
        form = " ".join(words[first:])
        if form in CUE_VERBS:
            return CUE_VERBS[form]
    return None


def _found_lemmas(entry: CueEntry) -> list[str | None]:
    items = extract_with_rules(entry.example)
    return [_cue_lemma(item.cue) for item in items if item.kind == "claim" and item.cue]


def test_every_example_sentence_triggers_its_entry() -> None:
    missed = {
        entry.lemma: (entry.example, found)
        for entry in CUE_LEXICON
        if entry.lemma not in (found := _found_lemmas(entry))
    }
    assert missed == {}


def test_a_repeated_form_is_refused(tmp_path: Path) -> None:
    lexicon = tmp_path / "cues.toml"
    lexicon.write_text(
        """
[[cue]]
lemma = "say"
class = "verb"
forms = ["say", "said"]
example = "Ana Ruiz said the bridge would reopen."

[[cue]]
lemma = "state"
class = "verb"
forms = ["stated", "said"]
example = "Ana Ruiz stated that the bridge would reopen."
""",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="'state': a form listed twice"):
        load_cue_lexicon(lexicon)


def test_the_lexicon_ships_with_the_package() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = pyproject["tool"]["setuptools"]["package-data"]["claimtrack"]
    assert "extraction/rules/cues.toml" in package_data


def test_every_noun_example_triggers_its_noun_after_a_possessive() -> None:
    with_nouns = [entry for entry in CUE_LEXICON if entry.noun_forms]
    assert with_nouns  # "claim", "assert", ... (see noun_forms in cues.toml)
    missed = {}
    for entry in with_nouns:
        rules = {
            (item.extra.get("rule"), CUE_VERBS.get(item.cue or "") or _noun_lemma(item.cue))
            for item in extract_with_rules(entry.noun_example)
            if item.kind == "claim"
        }
        if ("attribution.possessive", entry.lemma) not in rules:
            missed[entry.lemma] = (entry.noun_example, rules)
    assert missed == {}


def _noun_lemma(cue: str | None) -> str | None:
    """The lemma of the noun form a noun cue holds ("stern warning of": "warn")."""
    words = (cue or "").casefold().split()
    return next((NOUN_CUES[word] for word in words if word in NOUN_CUES), None)


def test_a_noun_form_of_another_entry_is_refused(tmp_path: Path) -> None:
    lexicon = tmp_path / "cues.toml"
    lexicon.write_text(
        '[[cue]]\nlemma = "say"\nclass = "verb"\nforms = ["said"]\nexample = "x"\n'
        '[[cue]]\nlemma = "claim"\nclass = "verb"\nforms = ["claimed"]\nexample = "x"\n'
        'noun_forms = ["said"]\nnoun_example = "x"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="noun form"):
        load_cue_lexicon(lexicon)
