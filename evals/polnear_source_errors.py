"""List the rules backend's source errors on a PolNeAR split, to tune on (train only).

Run from the project root::

    python evals/polnear_source_errors.py ../shared/datasets/polnear/data/train
    python evals/polnear_source_errors.py ../shared/datasets/polnear/data/train --kind wrong

One line per error, tab-separated: the kind, the document, the cue as written, the gold source,
the predicted source and the rule that made the prediction. Kinds:

- ``wrong``: a predicted cue overlaps a gold cue and both have a source, but not the same tokens;
- ``extra``: a predicted source whose cue overlaps no gold cue with a source;
- ``missed``: a gold source whose cue overlaps no predicted cue with a source.

Tokens are the scorer's (:class:`claimtrack.evals.attribution.Tokenizer`), so a line is an error
exactly when it costs source overlap. PolNeAR is read by path and never copied.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from claimtrack.evals.attribution import Tokenizer
from claimtrack.evals.brat import GoldDocument, Span, load_polnear_gold
from claimtrack.extraction.models import Item
from claimtrack.extraction.rules import extract_with_rules


@dataclass(frozen=True)
class SourceError:
    kind: str
    document: str
    cue: str
    gold: str
    predicted: str
    rule: str

    def line(self) -> str:
        fields = (self.kind, self.document, self.cue, self.gold, self.predicted, self.rule)
        return "\t".join(" ".join(value.split()) for value in fields)


def _text(document: GoldDocument, spans: tuple[Span, ...] | None) -> str:
    return " … ".join(document.text[span.start : span.end] for span in spans or ())


def document_errors(document: GoldDocument, items: list[Item]) -> Iterator[SourceError]:
    """Every source error of one document's items against its gold attributions."""
    tokens = Tokenizer(document.text)
    gold = [a for a in document.attributions if a.source]
    claims = [i for i in items if i.kind == "claim" and i.cue_span and i.speaker_span]
    gold_cues = [tokens.covered(a.cue) for a in gold]
    seen: set[tuple[int, int]] = set()
    for item in claims:
        assert item.cue_span is not None and item.speaker_span is not None
        key = (item.cue_span.start, item.speaker_span.start)
        if key in seen:
            continue
        seen.add(key)
        cue = tokens.covered([Span(item.cue_span.start, item.cue_span.end)])
        source = tokens.covered([Span(item.speaker_span.start, item.speaker_span.end)])
        rule = str(item.extra.get("rule"))
        partners = [a for a, c in zip(gold, gold_cues, strict=True) if c & cue]
        if not partners:
            yield SourceError("extra", document.name, item.cue or "", "", item.speaker or "", rule)
            continue
        if any(tokens.covered(a.source or ()) == source for a in partners):
            continue
        gold_text = _text(document, partners[0].source)
        yield SourceError(
            "wrong", document.name, item.cue or "", gold_text, item.speaker or "", rule
        )
    predicted_cues = [
        tokens.covered([Span(i.cue_span.start, i.cue_span.end)]) for i in claims if i.cue_span
    ]
    for attribution, cue in zip(gold, gold_cues, strict=True):
        if not any(cue & other for other in predicted_cues):
            cue_text = _text(document, attribution.cue)
            gold_text = _text(document, attribution.source)
            yield SourceError("missed", document.name, cue_text, gold_text, "", "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("split", help="a PolNeAR split folder (data/train)")
    parser.add_argument("--kind", choices=("wrong", "extra", "missed"), help="only this kind")
    arguments = parser.parse_args()
    documents, _ = load_polnear_gold(arguments.split)
    kinds: Counter[str] = Counter()
    for document in documents:
        for error in document_errors(document, extract_with_rules(document.text)):
            kinds[error.kind] += 1
            if arguments.kind in (None, error.kind):
                print(error.line())
    print("# " + ", ".join(f"{kind} {n}" for kind, n in kinds.most_common()))


if __name__ == "__main__":
    main()
