"""Commitments of the rules backend, scored on two corpora nobody on this project wrote.

Run from the project root with the interpreter claimtrack is installed in::

    python evals/commitments/score.py                 # pledges (train) and MEANTIME
    python evals/commitments/score.py --test          # and the pledges' test split, at the end
    python evals/commitments/score.py --pledges-only  # or --meantime-only
    python evals/commitments/score.py --errors meantime:gm   # list one corpus part's errors
    python evals/commitments/score.py --errors pledges:train

**Pledges** (``../shared/datasets/pledges/sentences.tsv``, read by path, never copied): a sentence
is predicted a pledge when the rules find a commitment in it alone, as ``claimtrack eval run`` does
(:mod:`claimtrack.evals.pledges`). The sentences are split once by a hash of their id (the TSV
line): three in ten are ``test``, the rest ``train``. Rules are developed on ``train`` only; the
rule subset is chosen on ``train`` (below); ``test`` is reported, not looked at.

**MEANTIME** (``../shared/datasets/meantime/factuality/{gm,apple,stock}``): the commitments a
reader expects are the event mentions annotated FUTURE, CERTAIN or PROBABLE, POS, that are actions
somebody does. MEANTIME marks no agent, so "with an agent" is read from the tokens: the event is a
verb in a future or intended verb group (``will``/``would``/``shall``/``'ll``/``to`` right before
it, with at most ``be``, ``not``-less adverbs or ``also`` between; "will be closed" counts: a
passive names what someone will do), and not a state (``be``, ``have``, ``remain``, ``equal``,
``cost`` ...). Each sentence is rebuilt from its tokens and given to the rules alone. A gold event
is found when a predicted commitment's span covers it; a predicted commitment is right when its
span covers a gold event. Story-wise: for each story, the rule subset is chosen on the other two
and the held-out story is scored with it (and with every rule, for comparison).

**Rule subset** (the only thing fitted): starting from every ``commitment.*`` rule, drop the rule
whose removal raises the training F1 most, while one does. The extractor itself is not changed:
the figures say which rules carry their weight where.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from claimtrack.evals.pledges import read_sentences as read_pledges
from claimtrack.extraction.grounding import Span
from claimtrack.extraction.rules import extract_with_rules

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT.parent / "shared" / "datasets"
sys.path.insert(0, str(ROOT / "evals" / "factuality"))
from fit import detokenise, read_sentences  # noqa: E402  (the MEANTIME CoNLL reader)

STORIES = ("gm", "apple", "stock")
TEST_SHARE = 3  # in ten: the pledge sentences whose id hashes to 0, 1 or 2 are the test split
FUTURE_MARKERS = frozenset({"will", "would", "shall", "'ll", "to", "wo"})
BETWEEN = frozenset({"be", "also", "soon", "then", "now", "still", "reportedly", "eventually"})
STATES = frozenset(
    [
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "remain",
        "remains",
        "become",
        "mean",
        "means",
        "equal",
        "equals",
        "cost",
        "costs",
        "seem",
        "appear",
        "exist",
        "last",
        "total",
        "amount",
        "stand",
    ]
)


@dataclass(frozen=True)
class Prediction:
    span: Span
    rule: str


def predict(text: str) -> list[Prediction]:
    """The commitments the rules find in ``text`` alone, with their rule ids."""
    return [
        Prediction(item.span, str(item.extra.get("rule", "")))
        for item in extract_with_rules(text)
        if item.kind == "commitment"
    ]


# ---------------------------------------------------------------- pledges


@dataclass(frozen=True)
class PledgeCase:
    id: str
    text: str
    pledge: bool
    predicted: tuple[Prediction, ...]


def pledge_split(case_id: str) -> str:
    """``test`` for three sentences in ten, by a hash of the id; ``train`` for the rest."""
    return (
        "test"
        if int(hashlib.sha256(case_id.encode()).hexdigest(), 16) % 10 < TEST_SHARE
        else "train"
    )


def pledge_cases(path: Path) -> dict[str, list[PledgeCase]]:
    split: dict[str, list[PledgeCase]] = {"train": [], "test": []}
    for sentence in read_pledges(path):
        case = PledgeCase(
            sentence.id, sentence.text, sentence.pledge, tuple(predict(sentence.text))
        )
        split[pledge_split(sentence.id)].append(case)
    return split


def pledge_scores(cases: Sequence[PledgeCase], rules: frozenset[str]) -> dict[str, float]:
    predicted = [any(p.rule in rules for p in case.predicted) for case in cases]
    return prf(
        sum(p and c.pledge for p, c in zip(predicted, cases, strict=True)),
        sum(predicted),
        sum(c.pledge for c in cases),
    )


# ---------------------------------------------------------------- MEANTIME


@dataclass(frozen=True)
class MeantimeSentence:
    story: str
    text: str
    gold: tuple[Span, ...]  # future, certain or probable, positive actions
    future: tuple[Span, ...]  # every future event not negated, whatever its certainty
    predicted: tuple[Prediction, ...]


def meantime_sentences(data: Path, story: str) -> list[MeantimeSentence]:
    sentences = []
    for path in sorted((data / story).glob("*.conll")):
        for rows in read_sentences(path):
            mentions = list(events(rows))
            if not mentions:  # MEANTIME annotates the first sentences of each article only
                continue
            tokens = [row[1] for row in rows]
            text, spans = detokenise(tokens)
            gold = tuple(
                Span(spans[first][0], spans[last][1])
                for first, last, labels in mentions
                if is_expected_commitment(tokens, first, labels)
            )
            future = tuple(
                Span(spans[first][0], spans[last][1])
                for first, last, (_, polarity, time) in mentions
                if time == "FUTURE" and polarity != "NEG"
            )
            sentences.append(MeantimeSentence(story, text, gold, future, tuple(predict(text))))
    return sentences


def events(rows: list[list[str]]) -> Iterable[tuple[int, int, tuple[str, ...]]]:
    """Each event mention: its first and last token and its (certainty, polarity, time)."""
    found: dict[str, list[int]] = {}
    labels: dict[str, tuple[str, ...]] = {}
    for index, row in enumerate(rows):
        if row[2] == "_":
            continue
        event = row[2].split("-", 2)[2]
        found.setdefault(event, []).append(index)
        if row[2].startswith("B-"):
            labels[event] = tuple(column.split("-")[1] for column in row[3:6])
    for event, indices in found.items():
        yield indices[0], indices[-1], labels.get(event, ("UNDERSPECIFIED",) * 3)


def is_expected_commitment(tokens: Sequence[str], first: int, labels: tuple[str, ...]) -> bool:
    certainty, polarity, time = labels
    if time != "FUTURE" or polarity != "POS" or certainty not in ("CERTAIN", "PROBABLE"):
        return False
    if tokens[first].casefold() in STATES:
        return False
    position = first - 1
    while position >= 0 and (
        tokens[position].casefold() in BETWEEN or tokens[position].casefold().endswith("ly")
    ):
        position -= 1
    return position >= 0 and tokens[position].casefold() in FUTURE_MARKERS


def meantime_counts(
    sentences: Sequence[MeantimeSentence], rules: frozenset[str]
) -> tuple[int, int, int, int, int]:
    """Gold events found, gold events, predictions right, predictions covering some future
    event (a plan MEANTIME leaves of unspecified certainty), predictions."""
    found = gold = right = future = predicted = 0
    for sentence in sentences:
        spans = [p.span for p in sentence.predicted if p.rule in rules]
        gold += len(sentence.gold)
        found += sum(any(covers(span, event) for span in spans) for event in sentence.gold)
        predicted += len(spans)
        right += sum(any(covers(span, event) for event in sentence.gold) for span in spans)
        future += sum(any(covers(span, event) for event in sentence.future) for span in spans)
    return found, gold, right, future, predicted


def covers(span: Span, event: Span) -> bool:
    return span.start <= event.start and event.end <= span.end


def meantime_scores(
    sentences: Sequence[MeantimeSentence], rules: frozenset[str]
) -> dict[str, float]:
    found, gold, right, future, predicted = meantime_counts(sentences, rules)
    precision = right / predicted if predicted else 0.0
    recall = found / gold if gold else 0.0
    return {
        "precision": precision,
        "future_precision": future / predicted if predicted else 0.0,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "gold": float(gold),
        "predicted": float(predicted),
    }


# ---------------------------------------------------------------- shared


def prf(true_positives: int, predicted: int, gold: int) -> dict[str, float]:
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "gold": float(gold),
            "predicted": float(predicted)}  # fmt: skip


def all_rules() -> frozenset[str]:
    from claimtrack.extraction.rules import RULE_IDS

    return frozenset(rule for rule in RULE_IDS if rule.startswith("commitment."))


def choose_rules(score: Callable[[frozenset[str]], dict[str, float]]) -> frozenset[str]:
    """Drop, one at a time, the rule whose removal raises F1 most, while one does."""
    rules = all_rules()
    best = score(rules)["f1"]
    while len(rules) > 1:
        trials = {rule: score(rules - {rule})["f1"] for rule in sorted(rules)}
        rule, f1 = max(trials.items(), key=lambda trial: trial[1])
        if f1 <= best:
            break
        rules, best = rules - {rule}, f1
    return rules


def line(name: str, scores: dict[str, float]) -> str:
    future = scores.get("future_precision")
    return (
        f"{name:<28} P {scores['precision']:.3f}  R {scores['recall']:.3f}  "
        f"F1 {scores['f1']:.3f}  (gold {scores['gold']:.0f}, predicted {scores['predicted']:.0f})"
        + (f"  P(any future event) {future:.3f}" if future is not None else "")
    )


def dropped(rules: frozenset[str]) -> str:
    gone = sorted(all_rules() - rules)
    return "dropped: " + (", ".join(gone) if gone else "none")


def report_pledges(path: Path, *, test: bool) -> None:
    split = pledge_cases(path)
    chosen = choose_rules(lambda rules: pledge_scores(split["train"], rules))
    print(f"Pledges ({path}), split by a hash of the sentence id")
    print(line("train, every rule", pledge_scores(split["train"], all_rules())))
    print(line("train, rules chosen on train", pledge_scores(split["train"], chosen)))
    print(f"  {dropped(chosen)}")
    if test:
        print(line("test, every rule", pledge_scores(split["test"], all_rules())))
        print(line("test, rules chosen on train", pledge_scores(split["test"], chosen)))


def report_meantime(data: Path) -> None:
    by_story = {story: meantime_sentences(data, story) for story in STORIES}
    print(f"\nMEANTIME ({data}): future, certain or probable, positive actions; story-wise")
    for story in STORIES:
        train = [s for other in STORIES if other != story for s in by_story[other]]
        chosen = choose_rules(lambda rules, train=train: meantime_scores(train, rules))
        print(line(f"{story}, every rule", meantime_scores(by_story[story], all_rules())))
        print(line(f"{story}, chosen on the others", meantime_scores(by_story[story], chosen)))
        print(f"  {dropped(chosen)}")
    every = [s for story in STORIES for s in by_story[story]]
    print(line("all three, every rule", meantime_scores(every, all_rules())))


def list_pledge_errors(cases: Sequence[PledgeCase]) -> None:
    for case in cases:
        predicted = bool(case.predicted)
        if predicted != case.pledge:
            rules = ",".join(p.rule for p in case.predicted)
            print(f"{'FN' if case.pledge else 'FP'} {case.id} [{rules}] {case.text}")


def list_meantime_errors(sentences: Sequence[MeantimeSentence]) -> None:
    for sentence in sentences:
        spans = [p.span for p in sentence.predicted]
        for event in sentence.gold:
            if not any(covers(span, event) for span in spans):
                print(f"FN {mark(sentence.text, event)}")
        for prediction in sentence.predicted:
            if not any(covers(prediction.span, event) for event in sentence.gold):
                future = any(covers(prediction.span, event) for event in sentence.future)
                kind = "FP(future)" if future else "FP"
                print(f"{kind} [{prediction.rule}] {mark(sentence.text, prediction.span)}")


def mark(text: str, span: Span) -> str:
    return f"{text[: span.start]}[[{text[span.start : span.end]}]]{text[span.end :]}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pledges", type=Path, default=DATASETS / "pledges/sentences.tsv")
    parser.add_argument("--meantime", type=Path, default=DATASETS / "meantime/factuality")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--pledges-only", action="store_true")
    only.add_argument("--meantime-only", action="store_true")
    parser.add_argument(
        "--test", action="store_true", help="also score the pledges' test split (once, at the end)"
    )
    parser.add_argument(
        "--errors", help="pledges:train or meantime:STORY: list that part's errors instead"
    )
    args = parser.parse_args(argv)
    if args.errors:
        corpus, _, part = args.errors.partition(":")
        if corpus == "pledges":
            list_pledge_errors(pledge_cases(args.pledges)[part])
        else:
            list_meantime_errors(meantime_sentences(args.meantime, part))
        return 0
    if not args.meantime_only:
        report_pledges(args.pledges, test=args.test)
    if not args.pledges_only:
        report_meantime(args.meantime)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
