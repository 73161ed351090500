"""Experiment: does the specificity decision gain from its neighbours' scores? (issue 18)

    python evals/commitments/neighbours_experiment.py               # blocks of 50 rows
    python evals/commitments/neighbours_experiment.py --block 25    # or another block size

Not shipped code. Manifesto pledges come in runs: in the corpus a sentence after a pledge is a
pledge half the time, after any other sentence one time in seven. The shipped decision
(``specificity-v1``, stage 1) reads each candidate sentence alone. Stage 2 here is a logistic
regression over the stage-1 log-odds of the sentence and the scores of its neighbours in the same
manifesto: the previous and the next row's stage-1 probability (the highest of its candidate
sentences, 0 when it has none), whether that row has a candidate and whether the rules find in it
a commitment the decision does not judge (a named actor's), whether the previous row ends with a
colon or looks like a heading (eight words or fewer, no closing full stop), whether the row is
first or last of its manifesto, and the mean stage-1 probability of the rows within 2, 5 and 10
rows (and the share of those within 10 that have a candidate). Neighbour *labels* are never read
(but for one ceiling row, below); neighbour *text* is (a user's document has its sentences), also
the text of test-split rows, whose labels are dropped as the file is read.

**Documents**: the TSV's ``manifesto_id`` is a running sentence number that restarts at 0 with
each manifesto, so a document is a run of consecutive rows of one (party, year): eight manifestos
(204 to 1,018 rows).

**Folds** (five, scored on the train split only): each manifesto is cut into blocks of
``--block`` consecutive rows (train and test rows alike; test rows only give neighbours' text),
and the corpus's ``b``-th block goes to fold ``b % 5``. Every manifesto is then in every fold (as
the hash split puts test sentences in every manifesto) while a sentence's neighbours are almost
always in its own fold. Whole manifestos as groups would give eight unequal groups and measure
another thing (a manifesto of a party-year never seen), which the test split does not ask.

**No label through a neighbour**: the stacking is nested. For outer fold ``k``, stage 1 fitted on
the other four folds scores the held-out rows and their neighbours; the rows stage 2 is fitted on
get their scores from an inner split of those four folds (the same blocks), each row and its
neighbours scored by the one inner model that did not see the row's block. So no probability a
row is judged by comes from a model fitted on that row's label, nor, but at a block's two edges
(a neighbour across the edge may have been fitted on), on its neighbours' labels. Stage 1 is the
shipped design (named features and 8,192 hashed words, scikit-learn's LR, the shipped C 0.1).

**Scoring** as ``fit_specificity.py`` reads the extractor: a train row is a pledge when one of its
candidate sentences reaches the threshold or the rules find a commitment the decision does not
judge. P, R and F1 pooled over the five folds' held-out rows, and the mean (sd) of the folds' F1,
at the stage-2 C and threshold best on the pooled predictions (chosen after seeing the folds: a
little optimistic, as in the earlier tables, and alike for every row). "Without neighbours" is
the same nested run with stage 1 alone, and with a stage 2 over the own log-odds only. The
ceiling row gives stage 2 the previous and next rows' gold labels where they are train rows:
what knowing the runs exactly would add, which no user has. Results and the decision taken on
them: docs/benchmarks.md ("The neighbours' scores?").
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
sys.path.insert(0, str(HERE))

from compare_classifiers import f1  # noqa: E402
from fit_specificity import candidates_in, design  # noqa: E402
from score import DATASETS, pledge_split  # noqa: E402

from claimtrack.evals.pledges import read_sentences  # noqa: E402
from claimtrack.extraction.rules.specificity import features  # noqa: E402

BLOCK = 50
FOLDS = 5
STAGE1_C = 0.1  # the shipped choice (fit_specificity.py)
STAGE2_C = (0.01, 0.1, 1.0, 10.0)
THRESHOLDS = np.round(np.arange(0.10, 0.801, 0.0125), 4)


@dataclass(frozen=True)
class Row:
    """One TSV row: its place, its candidates (text only), and its label when it is train."""

    document: tuple[str, str]  # (party, year)
    text: str
    split: str
    pledge: bool | None  # None for a test row: never read here
    candidates: tuple[tuple[str, tuple[str, ...]], ...]
    decided_elsewhere: bool


def read_rows(path: Path) -> list[Row]:
    """Every row with the rules' candidates in it (a few seconds: not cached, so a changed
    pattern is never read stale)."""
    rows: list[Row] = []
    for sentence in read_sentences(path):
        document = (sentence.party or "", sentence.year or "")
        split = pledge_split(sentence.id)
        found, ungated = candidates_in(sentence.text)
        rows.append(
            Row(
                document,
                sentence.text,
                split,
                sentence.pledge if split == "train" else None,
                tuple((text, tuple(rules)) for text, rules in found),
                ungated,
            )
        )
    return rows


@dataclass(frozen=True)
class _Example:  # what fit_specificity.design reads of an example
    features: dict[str, float]


@dataclass(frozen=True)
class Candidates:
    """Every candidate sentence of every row, with its row, as stage 1 reads them."""

    row: np.ndarray
    matrix: sparse.csr_matrix


def all_candidates(rows: Sequence[Row]) -> Candidates:
    examples, owners = [], []
    for index, row in enumerate(rows):
        for text, rules in row.candidates:
            examples.append(_Example(features(text, rules)))
            owners.append(index)
    named = sorted({n for e in examples for n in e.features if not n.startswith("hashed:")})
    return Candidates(np.array(owners), design(examples, named))


def row_folds(rows: Sequence[Row], block_size: int = BLOCK) -> np.ndarray:
    """Each row's fold: the number of its block of ``block_size`` consecutive rows of one
    manifesto (counted over the corpus), modulo :data:`FOLDS`."""
    folds, block, previous, in_block = [], -1, None, block_size
    for row in rows:
        if row.document != previous or in_block == block_size:
            block, in_block = block + 1, 0
        previous, in_block = row.document, in_block + 1
        folds.append(block % FOLDS)
    return np.array(folds)


def stage1(
    candidates: Candidates, labels: np.ndarray, fitted_rows: np.ndarray, scored_rows: np.ndarray
) -> np.ndarray:
    """The stage-1 probability of each candidate of ``scored_rows`` (a boolean mask over rows)
    from a model fitted on the candidates of ``fitted_rows``; NaN elsewhere."""
    fit = fitted_rows[candidates.row]
    model = LogisticRegression(C=STAGE1_C, max_iter=5000)
    model.fit(candidates.matrix[fit], labels[candidates.row[fit]])
    probabilities = np.full(len(candidates.row), np.nan)
    score = scored_rows[candidates.row]
    probabilities[score] = model.predict_proba(candidates.matrix[score])[:, 1]
    return probabilities


def _heading(text: str) -> bool:
    stripped = text.strip()
    return len(stripped.split()) <= 8 and not stripped.endswith((".", ";", ","))


NEIGHBOUR_FEATURES = (
    "prev_p",
    "next_p",
    "prev_candidate",
    "next_candidate",
    "prev_elsewhere",
    "next_elsewhere",
    "prev_colon",
    "prev_heading",
    "no_prev",
    "no_next",
    "window_p",
    "window5_p",
    "window10_p",
    "window10_candidates",
)
WIDEST = 10  # rows either side the widest window reads
# A ceiling, not a feature a user has: the previous and next row's gold label when that row is a
# train row (a test row's label is unknown here: 0, and the "unknown" flag set).
ORACLE_FEATURES = ("prev_gold", "next_gold", "prev_unknown", "next_unknown")


def stage2_rows(
    rows: Sequence[Row], candidates: Candidates, probabilities: np.ndarray, which: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The stage-2 features of the candidates of the rows in ``which`` (indices of candidates),
    their own log-odds first; ``probabilities`` must be set for them and their rows' neighbours
    (NaN for a candidate counts as 0, which does not happen when called right)."""
    row_p = np.zeros(len(rows))
    np.maximum.at(row_p, candidates.row, np.nan_to_num(probabilities))
    has = np.zeros(len(rows), dtype=bool)
    has[candidates.row] = True
    names = NEIGHBOUR_FEATURES + ORACLE_FEATURES
    out = np.zeros((len(which), 1 + len(names)))
    for line, candidate in enumerate(which):
        index = candidates.row[candidate]
        own = min(max(probabilities[candidate], 1e-4), 1 - 1e-4)
        document = rows[index].document
        near = {
            width: [
                j for j in range(index - width, index + width + 1)
                if 0 <= j < len(rows) and j != index and rows[j].document == document
            ]
            for width in (2, 5, WIDEST)
        }  # fmt: skip
        same = near[2]
        prev = index - 1 if index - 1 in same else None
        nxt = index + 1 if index + 1 in same else None
        values = {
            "prev_p": row_p[prev] if prev is not None else 0.0,
            "next_p": row_p[nxt] if nxt is not None else 0.0,
            "prev_candidate": float(prev is not None and has[prev]),
            "next_candidate": float(nxt is not None and has[nxt]),
            "prev_elsewhere": float(prev is not None and rows[prev].decided_elsewhere),
            "next_elsewhere": float(nxt is not None and rows[nxt].decided_elsewhere),
            "prev_colon": float(prev is not None and rows[prev].text.rstrip().endswith(":")),
            "prev_heading": float(prev is not None and _heading(rows[prev].text)),
            "no_prev": float(prev is None),
            "no_next": float(nxt is None),
            "window_p": float(np.mean([row_p[j] for j in same])) if same else 0.0,
            "window5_p": float(np.mean([row_p[j] for j in near[5]])) if near[5] else 0.0,
            "window10_p": float(np.mean([row_p[j] for j in near[10]])) if near[10] else 0.0,
            "window10_candidates": float(np.mean([has[j] for j in near[10]])) if near[10] else 0.0,
            "prev_gold": float(prev is not None and bool(rows[prev].pledge)),
            "next_gold": float(nxt is not None and bool(rows[nxt].pledge)),
            "prev_unknown": float(prev is not None and rows[prev].pledge is None),
            "next_unknown": float(nxt is not None and rows[nxt].pledge is None),
        }
        out[line, 0] = np.log(own / (1 - own))
        out[line, 1:] = [values[name] for name in names]
    return out[:, 0], out[:, 1:]


def _near(mask: np.ndarray) -> np.ndarray:
    """The rows of ``mask`` and the :data:`WIDEST` rows either side of each."""
    near = mask.copy()
    for shift in range(1, WIDEST + 1):
        near[shift:] |= mask[:-shift]
        near[:-shift] |= mask[shift:]
    return near


@dataclass
class FoldData:
    """One outer fold: stage-2 inputs of the rows fitted on and of the held-out rows."""

    fit_own: np.ndarray
    fit_neighbours: np.ndarray
    fit_labels: np.ndarray
    held_own: np.ndarray
    held_neighbours: np.ndarray
    held_candidates: np.ndarray  # indices of the held-out candidates


def outer_fold(
    rows: Sequence[Row], candidates: Candidates, labels: np.ndarray, folds: np.ndarray, k: int
) -> FoldData:
    train = np.array([row.split == "train" for row in rows])
    fitted = train & (folds != k)
    held = train & (folds == k)
    # held-out rows: stage 1 fitted on the other four folds scores them and their neighbours
    scored = _near(held)
    outer = stage1(candidates, labels, fitted, scored)
    held_candidates = np.flatnonzero(held[candidates.row])
    held_own, held_neighbours = stage2_rows(rows, candidates, outer, held_candidates)
    # rows stage 2 is fitted on: each scored by the inner model that did not see its block
    fit_own, fit_neighbours, fit_labels = [], [], []
    for m in range(FOLDS):
        if m == k:
            continue
        inner_fitted = fitted & (folds != m)
        inner_held = fitted & (folds == m)
        inner = stage1(candidates, labels, inner_fitted, _near(inner_held))
        which = np.flatnonzero(inner_held[candidates.row])
        own, neighbours = stage2_rows(rows, candidates, inner, which)
        fit_own.append(own)
        fit_neighbours.append(neighbours)
        fit_labels.append(labels[candidates.row[which]])
    return FoldData(
        np.concatenate(fit_own),
        np.vstack(fit_neighbours),
        np.concatenate(fit_labels),
        held_own,
        held_neighbours,
        held_candidates,
    )


@dataclass(frozen=True)
class Arm:
    name: str
    stage2: bool
    columns: tuple[str, ...]  # neighbour features used


def arm_scores(
    arm: Arm, data: Sequence[FoldData], c: float
) -> np.ndarray:  # the held-out candidates' probabilities, in fold order
    chosen = [(NEIGHBOUR_FEATURES + ORACLE_FEATURES).index(name) for name in arm.columns]
    out = []
    for fold in data:
        if not arm.stage2:
            out.append(1 / (1 + np.exp(-fold.held_own)))
            continue
        x_fit = np.column_stack([fold.fit_own, fold.fit_neighbours[:, chosen]])
        x_held = np.column_stack([fold.held_own, fold.held_neighbours[:, chosen]])
        model = LogisticRegression(C=c, max_iter=5000).fit(x_fit, fold.fit_labels)
        out.append(model.predict_proba(x_held)[:, 1])
    return np.concatenate(out)


def evaluate(
    arm: Arm, rows: Sequence[Row], candidates: Candidates, data: Sequence[FoldData],
    folds: np.ndarray,
) -> tuple[float, float, tuple[float, float, float], float, float]:  # fmt: skip
    train = np.array([row.split == "train" for row in rows])
    gold = np.array([bool(row.pledge) for row in rows])
    elsewhere = np.array([row.decided_elsewhere for row in rows])
    held_rows = candidates.row[np.concatenate([fold.held_candidates for fold in data])]
    best: tuple[float, float, float, np.ndarray] | None = None
    for c in STAGE2_C if arm.stage2 else (0.0,):
        scores = arm_scores(arm, data, c)
        for threshold in THRESHOLDS:
            predicted = elsewhere.copy()
            np.logical_or.at(predicted, held_rows, scores >= threshold)
            pooled = f1(predicted[train], gold[train])[2]
            if best is None or pooled > best[0]:
                best = (pooled, c, float(threshold), predicted)
    assert best is not None
    _, c, threshold, predicted = best
    per_fold = [
        f1(predicted[train & (folds == k)], gold[train & (folds == k)])[2] for k in range(FOLDS)
    ]
    pooled_prf = f1(predicted[train], gold[train])
    return c, threshold, pooled_prf, float(np.mean(per_fold)), float(np.std(per_fold))


ARMS = (
    Arm("without neighbours: stage 1 alone (as shipped)", False, ()),
    Arm("without neighbours: stage 2 over the own log-odds", True, ()),
    Arm("with neighbours: previous and next probability", True, ("prev_p", "next_p")),
    Arm("with neighbours: previous and next rows", True, NEIGHBOUR_FEATURES[:-3]),
    Arm(
        "with neighbours: windows of 2, 5, 10 rows",
        True,
        ("window_p", "window5_p", "window10_p", "window10_candidates"),
    ),
    Arm("with neighbours: all", True, NEIGHBOUR_FEATURES),
    Arm("ceiling, not available: the neighbours' gold labels", True, ORACLE_FEATURES),
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pledges", type=Path, default=DATASETS / "pledges/sentences.tsv")
    parser.add_argument("--block", type=int, default=BLOCK, help="rows in a fold's block")
    args = parser.parse_args(argv)
    rows = read_rows(args.pledges)
    candidates = all_candidates(rows)
    labels = np.array([bool(row.pledge) for row in rows])  # False for test rows: never fitted on
    folds = row_folds(rows, args.block)
    train = np.array([row.split == "train" for row in rows])
    sizes = [int((train & (folds == k)).sum()) for k in range(FOLDS)]
    print(f"rows {len(rows)} (train {int(train.sum())}, pledges {int(labels.sum())}), "
          f"candidate sentences {len(candidates.row)}, blocks of {args.block}, "
          f"train rows by fold {sizes}")  # fmt: skip
    data = [outer_fold(rows, candidates, labels, folds, k) for k in range(FOLDS)]
    print("| variant | stage-2 C | threshold | pooled P | R | F1 | F1 mean of 5 folds (sd) |")
    print("|---|---|---|---|---|---|---|")
    for arm in ARMS:
        c, threshold, (p, r, f), mean, sd = evaluate(arm, rows, candidates, data, folds)
        print(f"| {arm.name} | {c:g} | {threshold:.3f} | {p:.3f} | {r:.3f} | {f:.3f} | "
              f"**{mean:.3f}** ({sd:.3f}) |", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
