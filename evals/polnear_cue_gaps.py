"""Which gold cues of a PolNeAR split the rules miss, by the cue's head word (train only).

Run from the project root::

    python evals/polnear_cue_gaps.py ../shared/datasets/polnear/data/train
    python evals/polnear_cue_gaps.py ../shared/datasets/polnear/data/train --unknown --top 60
    python evals/polnear_cue_gaps.py ../shared/datasets/polnear/data/train --phrases

One line per lemma, tab-separated, most missed source tokens first:

- ``lemma``: the head word of the gold cue, lemmatised (lemminflect, a verb reading first); a
  cue with a form of the lexicon (``cues.toml``) in it is counted under that form's lemma;
- ``known``: ``yes`` when the lemma has an entry in the lexicon;
- ``gold``: gold attributions whose cue has this head; ``found``: how many of them a predicted
  cue overlaps (the rules' cue, any source); ``missed_src``: gold source tokens of those whose
  cue no predicted cue with a source overlaps (what the lemma costs source recall);
- ``in_cue`` / ``elsewhere``: how often a word with this lemma occurs in the split's text inside
  a gold cue / outside every gold cue, and ``precision`` = in_cue / (in_cue + elsewhere): how
  often the word is a cue when it occurs (only computed for lemmas the lexicon lacks);
- ``forms``: each form seen inside gold cues, ``form:in_cue/elsewhere``.

``--phrases`` lists the cues of several words (auxiliaries and adverbs left out) that hold no
lexicon form, with the same counts for the phrase. Tokens are the scorer's
(:class:`claimtrack.evals.attribution.Tokenizer`). PolNeAR is read by path and never copied; the
script prints counts, and nothing of the corpus is written anywhere.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from lemminflect import getAllLemmas

from claimtrack.evals.attribution import Tokenizer, Tokens
from claimtrack.evals.brat import Attribution, GoldDocument, Span, load_polnear_gold
from claimtrack.extraction.models import Item
from claimtrack.extraction.rules import extract_with_rules
from claimtrack.extraction.rules.vocabulary import CUE_VERBS

_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
# Words of a gold cue that are not its head: auxiliaries, negation, adverbs, determiners,
# prepositions ("in a statement": "statement").
_NOT_HEAD = frozenset(
    str.split(
        """
    has have had having is are was were be been being am will would shall should can could may
    might must do does did not n't never also still just even only already again then now
    repeatedly once first later recently 's ’s 'd ’d 've ’ve to s
    a an the this that these those his her its their our my your some
    in on at for of with by from about into as and or but
    """
    )
)
_LEXICON_LEMMAS = frozenset(CUE_VERBS.values())


@cache
def lemma_of(word: str) -> str:
    """The lemma of one lower-case word: its verb reading first, then noun, then adjective."""
    readings = getAllLemmas(word)
    for upos in ("VERB", "NOUN", "ADJ", "AUX"):
        if upos in readings:
            return str(readings[upos][0])
    return word


def head_words(cue_text: str) -> list[str]:
    """The words of a cue without auxiliaries, negation and -ly adverbs, lower case."""
    words = [word.lower() for word in _WORD.findall(cue_text)]
    return [w for w in words if w not in _NOT_HEAD and not w.endswith("ly")] or words


def lexicon_lemma(cue_text: str) -> str | None:
    """The lemma of the longest lexicon form in the cue ("has called for": "call for")."""
    words = [word.lower() for word in _WORD.findall(cue_text)]
    for size in range(len(words), 0, -1):
        for first in range(len(words) - size + 1):
            lemma = CUE_VERBS.get(" ".join(words[first : first + size]))
            if lemma is not None:
                return lemma
    return None


def cue_lemma(cue_text: str) -> str:
    """The lemma a gold cue is counted under: a lexicon form's, else its head word's."""
    known = lexicon_lemma(cue_text)
    if known is not None:
        return known
    heads = head_words(cue_text)
    return lemma_of(heads[0]) if heads else ""


def cue_form(cue_text: str) -> str:
    """The form a gold cue is counted under with ``--forms``: its head word as written."""
    heads = head_words(cue_text)
    return heads[0] if heads else ""


@dataclass
class LemmaCounts:
    """What one head lemma adds up to over a split."""

    gold: int = 0
    found: int = 0
    missed_source_tokens: int = 0
    in_cue: int = 0
    elsewhere: int = 0
    forms: Counter[str] = field(default_factory=Counter)
    forms_elsewhere: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        seen = self.in_cue + self.elsewhere
        return self.in_cue / seen if seen else 0.0


def _cue_text(document: GoldDocument, attribution: Attribution) -> str:
    return " ".join(document.text[span.start : span.end] for span in attribution.cue)


def _predicted_cues(tokens: Tokenizer, items: list[Item]) -> tuple[list[Tokens], list[Tokens]]:
    """The token sets of the predicted cues, all and those with a source."""
    claims = [item for item in items if item.kind == "claim" and item.cue_span]
    cues, sourced = [], []
    for item in claims:
        assert item.cue_span is not None
        cue = tokens.covered([Span(item.cue_span.start, item.cue_span.end)])
        cues.append(cue)
        if item.speaker_span is not None:
            sourced.append(cue)
    return cues, sourced


def count_gold_cues(
    document: GoldDocument, items: list[Item], keys: Iterable[str], counts: dict[str, LemmaCounts]
) -> None:
    """Add one document's gold attributions, each under its key, to ``counts``."""
    tokens = Tokenizer(document.text)
    cues, sourced = _predicted_cues(tokens, items)
    for attribution, key in zip(document.attributions, keys, strict=True):
        entry = counts[key]
        gold_cue = tokens.covered(attribution.cue)
        entry.gold += 1
        entry.found += any(gold_cue & cue for cue in cues)
        if attribution.source and not any(gold_cue & cue for cue in sourced):
            entry.missed_source_tokens += len(tokens.covered(attribution.source))


def _cue_characters(document: GoldDocument) -> list[bool]:
    inside = [False] * len(document.text)
    for attribution in document.attributions:
        for span in attribution.cue:
            inside[span.start : span.end] = [True] * (span.end - span.start)
    return inside


def count_words(document: GoldDocument, counts: dict[str, LemmaCounts], forms: bool) -> None:
    """Add how often each word of the text is inside a gold cue or outside every one."""
    inside = _cue_characters(document)
    for match in _WORD.finditer(document.text):
        word = match.group().lower()
        entry = counts.get(word if forms else lemma_of(word))
        if entry is None:
            continue
        if inside[match.start()]:
            entry.in_cue += 1
            entry.forms[word] += 1
        else:
            entry.elsewhere += 1
            entry.forms_elsewhere[word] += 1


def phrase_of(cue_text: str) -> str | None:
    """A gold cue of several words with no lexicon form in it, its heads joined, else None."""
    heads = head_words(cue_text)
    if len(heads) < 2 or lexicon_lemma(cue_text) is not None:
        return None
    return " ".join(heads)


def count_phrases_elsewhere(document: GoldDocument, counts: dict[str, LemmaCounts]) -> None:
    """Add how often each counted phrase occurs in the text, inside a gold cue or not."""
    inside = _cue_characters(document)
    lowered = document.text.lower()
    for phrase, entry in counts.items():
        pattern = r"(?<![\w'’-])" + re.escape(phrase).replace(r"\ ", r"\s+") + r"(?![\w'’-])"
        for match in re.finditer(pattern, lowered):
            if inside[match.start()]:
                entry.in_cue += 1
            else:
                entry.elsewhere += 1


def gap_counts(documents: list[GoldDocument], by: str) -> dict[str, LemmaCounts]:
    """Per head lemma (``by`` "lemma"), head form ("form") or phrase ("phrase"): the gold cues,
    what the rules found and how often the word is a cue where it occurs."""
    key_of = {"lemma": cue_lemma, "form": cue_form, "phrase": phrase_of}[by]
    counts: dict[str, LemmaCounts] = defaultdict(LemmaCounts)
    for document in documents:
        texts = [_cue_text(document, attribution) for attribution in document.attributions]
        keys = [key_of(text) or "" for text in texts]
        count_gold_cues(document, extract_with_rules(document.text), keys, counts)
    counts.pop("", None)
    counts = dict(counts)
    for document in documents:
        if by == "phrase":
            count_phrases_elsewhere(document, counts)
        else:
            count_words(document, counts, forms=by == "form")
    return counts


def report_lines(
    counts: dict[str, LemmaCounts], known_words: frozenset[str], unknown_only: bool
) -> Iterator[str]:
    """The report, one tab-separated line per key, most missed source tokens first."""
    yield "lemma\tknown\tgold\tfound\tmissed_src\tin_cue\telsewhere\tprecision\tforms"
    ranked = sorted(counts.items(), key=lambda pair: -pair[1].missed_source_tokens)
    for lemma, entry in ranked:
        known = lemma in known_words
        if unknown_only and known:
            continue
        forms = " ".join(
            f"{form}:{n}/{entry.forms_elsewhere[form]}" for form, n in entry.forms.most_common(6)
        )
        precision = f"{entry.precision:.2f}"
        yield (
            f"{lemma}\t{'yes' if known else 'no'}\t{entry.gold}\t{entry.found}\t"
            f"{entry.missed_source_tokens}\t{entry.in_cue}\t{entry.elsewhere}\t{precision}\t{forms}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("split", help="a PolNeAR split folder (data/train)")
    parser.add_argument("--unknown", action="store_true", help="only lemmas the lexicon lacks")
    parser.add_argument("--forms", action="store_true", help="by head form, not lemma")
    parser.add_argument("--phrases", action="store_true", help="cues of several words instead")
    parser.add_argument("--top", type=int, default=80, help="lines to print (default 80)")
    arguments = parser.parse_args()
    documents, _ = load_polnear_gold(arguments.split)
    by = "phrase" if arguments.phrases else "form" if arguments.forms else "lemma"
    known = frozenset(CUE_VERBS) if by != "lemma" else _LEXICON_LEMMAS
    counts = gap_counts(documents, by)
    for number, line in enumerate(report_lines(counts, known, arguments.unknown)):
        if number > arguments.top:
            break
        print(line)
    missed = sum(entry.missed_source_tokens for entry in counts.values())
    unknown = sum(e.missed_source_tokens for k, e in counts.items() if k not in known)
    print(f"# missed source tokens {missed}, on lemmas the lexicon lacks {unknown}")


if __name__ == "__main__":
    main()
