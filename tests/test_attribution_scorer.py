"""The attribution scorer and the brat reader, on invented sentences (never PolNeAR text).

Expected values are worked out by hand in the comments. Tokens are runs of word characters or
single other characters, so ``"It is safe,"`` is six tokens: ``" It is safe , "``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack.errors import InputError
from claimtrack.evals.attribution import COUNT_NAMES, METRIC_NAMES, score_attributions
from claimtrack.evals.brat import (
    Attribution,
    GoldDocument,
    Span,
    load_polnear_gold,
    parse_ann,
    read_brat_folder,
)

POLNEAR_DEV = Path(__file__).parents[1] / "../shared/datasets/polnear/data/dev"

TEXT = (
    'Mayor Ada Quill said the bridge will reopen in May. "It is safe," the engineer added. '
    "Critics doubt it."
)


def at(text: str, phrase: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``phrase`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Span(start, start + len(phrase))


def attribution(source: str | None, cue: str, *content: str, text: str = TEXT) -> Attribution:
    return Attribution(
        source=(at(text, source),) if source else None,
        cue=(at(text, cue),),
        content=tuple(at(text, piece) for piece in content),
    )


MAYOR = attribution("Mayor Ada Quill", "said", "the bridge will reopen in May")
ENGINEER = attribution("the engineer", "added", '"It is safe,"')
GOLD = [GoldDocument("bridge", TEXT, (MAYOR, ENGINEER))]


def scores_for(*predicted: Attribution) -> dict[str, float]:
    return score_attributions(GOLD, {"bridge": predicted})


def test_metric_names_are_the_contract() -> None:
    assert len(METRIC_NAMES) == 18
    assert "content_overlap_f1" in METRIC_NAMES
    assert "source_exact_precision" in METRIC_NAMES
    scores = scores_for(MAYOR, ENGINEER)
    assert set(scores) == set(METRIC_NAMES) | set(COUNT_NAMES)


def test_perfect_prediction_scores_one_everywhere() -> None:
    scores = scores_for(MAYOR, ENGINEER)
    assert {name: scores[name] for name in METRIC_NAMES} == dict.fromkeys(METRIC_NAMES, 1.0)
    assert scores["gold_attributions"] == 2
    assert scores["predicted_attributions"] == 2
    assert scores["documents"] == 1


def test_content_cut_short_is_not_exact_but_overlaps() -> None:
    # Gold content "the bridge will reopen in May" is 6 tokens; the prediction stops 7 characters
    # early, at "the bridge will reopen": 4 tokens, all inside gold.
    # Exact: the mayor's content no longer matches, the engineer's still does:
    #   precision 1/2, recall 1/2, F1 1/2.
    # Overlap: gold content tokens 6 + 6 ('"It is safe,"' is 6 tokens) = 12, predicted 4 + 6 = 10,
    #   shared 10: precision 10/10 = 1, recall 10/12 = 5/6, F1 = 2 * 1 * 5/6 / (1 + 5/6) = 10/11.
    short = attribution("Mayor Ada Quill", "said", "the bridge will reopen")
    scores = scores_for(short, ENGINEER)
    assert scores["content_exact_precision"] == pytest.approx(0.5)
    assert scores["content_exact_recall"] == pytest.approx(0.5)
    assert scores["content_overlap_precision"] == pytest.approx(1.0)
    assert scores["content_overlap_recall"] == pytest.approx(5 / 6)
    assert scores["content_overlap_f1"] == pytest.approx(10 / 11)
    assert scores["cue_exact_f1"] == scores["source_exact_f1"] == 1.0


def test_single_content_off_by_one_word() -> None:
    # Only the mayor: exact content F1 0, overlap precision 1, recall 4/6, F1 (4/3)/(5/3) = 0.8.
    gold = [GoldDocument("bridge", TEXT, (MAYOR,))]
    short = attribution("Mayor Ada Quill", "said", "the bridge will reopen")
    scores = score_attributions(gold, {"bridge": [short]})
    assert scores["content_exact_f1"] == 0.0
    assert scores["content_overlap_f1"] == pytest.approx(0.8)


def test_exact_match_is_by_token_as_in_citron() -> None:
    # Starting one character late ("he bridge ...") still covers the same six tokens, so it is an
    # exact match; taking in the final "." adds a token: overlap precision 6/7, recall 1.
    late = Span(MAYOR.content[0].start + 1, MAYOR.content[0].end)
    assert TEXT[late.start : late.end].startswith("he bridge")
    shifted = Attribution(MAYOR.source, MAYOR.cue, (late,))
    assert scores_for(shifted, ENGINEER)["content_exact_f1"] == 1.0

    gold = [GoldDocument("bridge", TEXT, (MAYOR,))]
    longer = attribution("Mayor Ada Quill", "said", "the bridge will reopen in May.")
    scores = score_attributions(gold, {"bridge": [longer]})
    assert scores["content_exact_f1"] == 0.0
    assert scores["content_overlap_precision"] == pytest.approx(6 / 7)
    assert scores["content_overlap_recall"] == 1.0


def test_missing_source_lowers_source_recall_only() -> None:
    # The engineer predicted without a source. Source exact: 1 prediction with a source, matched;
    # 2 gold sources, 1 matched: precision 1, recall 1/2, F1 2/3.
    # Source overlap: gold tokens "Mayor Ada Quill" 3 + "the engineer" 2 = 5, predicted 3,
    # shared 3: precision 1, recall 3/5, F1 = 1.2 / 1.6 = 0.75.
    sourceless = attribution(None, "added", '"It is safe,"')
    scores = scores_for(MAYOR, sourceless)
    assert scores["source_exact_precision"] == 1.0
    assert scores["source_exact_recall"] == pytest.approx(0.5)
    assert scores["source_exact_f1"] == pytest.approx(2 / 3)
    assert scores["source_overlap_precision"] == 1.0
    assert scores["source_overlap_recall"] == pytest.approx(0.6)
    assert scores["source_overlap_f1"] == pytest.approx(0.75)
    for role in ("cue", "content"):
        for match in ("exact", "overlap"):
            assert scores[f"{role}_{match}_f1"] == 1.0
    assert scores["predicted_attributions_without_source"] == 1
    assert scores["gold_attributions_without_source"] == 0


def test_gold_without_source_is_not_counted_for_source() -> None:
    gold = [GoldDocument("bridge", TEXT, (MAYOR, attribution(None, "added", '"It is safe,"')))]
    right = score_attributions(
        gold, {"bridge": [MAYOR, attribution(None, "added", '"It is safe,"')]}
    )
    assert right["source_exact_f1"] == 1.0
    assert right["source_overlap_f1"] == 1.0
    # Inventing a source the gold does not have is a false positive: source precision 1/2.
    invented = score_attributions(gold, {"bridge": [MAYOR, ENGINEER]})
    assert invented["source_exact_precision"] == pytest.approx(0.5)
    assert invented["source_exact_recall"] == 1.0


def test_extra_false_positive_lowers_precision_only() -> None:
    # "Critics doubt it." has no gold attribution. Exact: 2 of 3 predictions match for every role,
    # all gold found: precision 2/3, recall 1.
    # Overlap: cue gold "said" + "added" = 2 tokens, predicted 3: precision 2/3.
    # Source gold 5 tokens, predicted 5 + 1 ("Critics"): 5/6.
    # Content gold 12, predicted 12 + 2 ("it ."): 12/14.
    spurious = attribution("Critics", "doubt", "it.")
    scores = scores_for(MAYOR, ENGINEER, spurious)
    for role in ("source", "cue", "content"):
        assert scores[f"{role}_exact_precision"] == pytest.approx(2 / 3)
        assert scores[f"{role}_exact_recall"] == 1.0
        assert scores[f"{role}_overlap_recall"] == 1.0
    assert scores["cue_overlap_precision"] == pytest.approx(2 / 3)
    assert scores["source_overlap_precision"] == pytest.approx(5 / 6)
    assert scores["content_overlap_precision"] == pytest.approx(12 / 14)


def test_repeated_prediction_does_not_raise_recall() -> None:
    # The mayor predicted three times, the engineer missed: every prediction matches (precision 1)
    # but only one of two gold attributions is found (recall 1/2). Citron would count three true
    # positives against one false negative and give recall 3/4.
    scores = scores_for(MAYOR, MAYOR, MAYOR)
    assert scores["cue_exact_precision"] == 1.0
    assert scores["cue_exact_recall"] == pytest.approx(0.5)


def test_source_and_content_need_an_overlapping_cue() -> None:
    # Right source and content, but hung on the engineer's cue: cue, source and content all miss.
    wrong_cue = Attribution(MAYOR.source, ENGINEER.cue, MAYOR.content)
    gold = [GoldDocument("bridge", TEXT, (MAYOR,))]
    scores = score_attributions(gold, {"bridge": [wrong_cue]})
    assert scores["cue_exact_f1"] == 0.0
    assert scores["source_exact_f1"] == 0.0
    assert scores["content_exact_f1"] == 0.0
    assert scores["content_overlap_f1"] == 1.0  # overlap does not look at the cue


SPLIT = 'Yesterday. "We will win," Ada Quill said, "and soon."'
SPLIT_GOLD = attribution("Ada Quill", "said", '"We will win,"', '"and soon."', text=SPLIT)


def test_discontinuous_spans() -> None:
    gold = [GoldDocument("split", SPLIT, (SPLIT_GOLD,))]

    def score(*content: Span) -> dict[str, float]:
        predicted = Attribution(SPLIT_GOLD.source, SPLIT_GOLD.cue, content)
        return score_attributions(gold, {"split": [predicted]})

    first, second = SPLIT_GOLD.content
    # Both pieces, in either order: exact.
    assert score(first, second)["content_exact_f1"] == 1.0
    assert score(second, first)["content_exact_f1"] == 1.0
    # Only the first piece: '"We will win,"' is 6 tokens, '"and soon."' 5, gold 11.
    # Overlap precision 6/6, recall 6/11, F1 = (12/11) / (17/11) = 12/17.
    only_first = score(first)
    assert only_first["content_exact_f1"] == 0.0
    assert only_first["content_overlap_f1"] == pytest.approx(12 / 17)
    # One span over both pieces takes in "Ada Quill said ," (4 tokens): precision 11/15, recall 1.
    whole = score(Span(first.start, second.end))
    assert whole["content_exact_f1"] == 0.0
    assert whole["content_overlap_precision"] == pytest.approx(11 / 15)
    assert whole["content_overlap_recall"] == 1.0


def test_no_predictions_gives_zero_not_an_error() -> None:
    scores = score_attributions(GOLD, {})
    assert dict.fromkeys(METRIC_NAMES, 0.0) == {name: scores[name] for name in METRIC_NAMES}
    assert scores["predicted_attributions"] == 0


def test_nothing_to_find_and_nothing_found_gives_zero() -> None:
    # Citron's rule: a zero denominator gives 0.0, so an empty role does not score a free 1.0.
    scores = score_attributions([GoldDocument("empty", TEXT, ())], {"empty": []})
    assert dict.fromkeys(METRIC_NAMES, 0.0) == {name: scores[name] for name in METRIC_NAMES}
    assert scores["gold_attributions"] == 0


def test_predictions_for_unknown_document_are_refused() -> None:
    with pytest.raises(ValueError, match="not in gold: elsewhere"):
        score_attributions(GOLD, {"elsewhere": [MAYOR]})


# --- brat reader ------------------------------------------------------------------------------

FIXTURE_TEXT = (
    'The council reports that fares will rise. "Buses," she said, "will run late."\n'
    "Officials are expected to confirm it.\n"
)


def span_line(ident: str, label: str, *phrases: str) -> str:
    pieces = [at(FIXTURE_TEXT, phrase) for phrase in phrases]
    offsets = ";".join(f"{piece.start} {piece.end}" for piece in pieces)
    return f"{ident}\t{label} {offsets}\t{' '.join(phrases)}"


FIXTURE_ANN = "\n".join(
    [
        span_line("T1", "Source", "The council"),
        span_line("T2", "Cue", "reports"),
        span_line("T3", "Content", "that fares will rise"),
        span_line("T4", "Attribution", "reports"),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        span_line("T5", "Source", "she"),
        span_line("T6", "Cue", "said"),
        span_line("T7", "Content", '"Buses,"', '"will run late."'),
        span_line("T8", "Attribution", "said"),
        "E2\tAttribution:T8 Cue:T6 Source:T5 Content:T7",
        span_line("T9", "Cue", "are expected"),
        span_line("T10", "Content", "to confirm"),
        span_line("T11", "Content", "it"),
        span_line("T12", "Attribution-no-source", "are expected"),
        "E3\tAttribution-no-source:T12 Content:T10 Cue:T9 Content2:T11",
        "E4\tAttribution-no-source:T12 ",  # a trigger and nothing else: skipped
        span_line("T13", "Discuss", "Officials"),
        "E5\tDiscussion:T13 Cue:T9 Content:T10",  # not an attribution: ignored
        "A1\tUncertain E1",
        "R1\tLink Arg1:T1 Arg2:T5",
        "#1\tAnnotatorNotes T1\tinvented note",
        "",
    ]
)


def write_folder(root: Path, ann: str, annotator: str = "a1", name: str = "council") -> Path:
    (root / "text").mkdir(parents=True, exist_ok=True)
    (root / "attributions").mkdir(parents=True, exist_ok=True)
    (root / "text" / f"{name}.txt").write_text(FIXTURE_TEXT, encoding="utf-8")
    path = root / "attributions" / f"{name}_{annotator}.ann"
    path.write_text(ann, encoding="utf-8")
    return path


def test_brat_folder_is_read(tmp_path: Path) -> None:
    write_folder(tmp_path, FIXTURE_ANN)
    [document], rejected = read_brat_folder(tmp_path)
    assert rejected == []
    assert document.name == "council"
    assert document.annotator == "a1"
    assert document.text == FIXTURE_TEXT
    council, she, expected = document.attributions

    def text_of(spans: tuple[Span, ...] | None) -> list[str]:
        return [FIXTURE_TEXT[s.start : s.end] for s in spans or ()]

    assert text_of(council.source) == ["The council"]
    assert text_of(council.cue) == ["reports"]
    assert text_of(council.content) == ["that fares will rise"]
    assert text_of(she.content) == ['"Buses,"', '"will run late."']  # discontinuous
    assert expected.source is None
    assert text_of(expected.cue) == ["are expected"]
    assert text_of(expected.content) == ["to confirm", "it"]  # Content and Content2 merged


def test_first_annotator_in_sorted_order_is_chosen(tmp_path: Path) -> None:
    only_first = "\n".join(FIXTURE_ANN.splitlines()[:5])
    write_folder(tmp_path, FIXTURE_ANN, annotator="b2")
    write_folder(tmp_path, only_first, annotator="a9")
    [document], _ = read_brat_folder(tmp_path)
    assert document.annotator == "a9"
    assert len(document.attributions) == 1


def test_brat_gold_scores_one_against_itself(tmp_path: Path) -> None:
    write_folder(tmp_path, FIXTURE_ANN)
    gold, _ = read_brat_folder(tmp_path)
    scores = score_attributions(gold, {doc.name: doc.attributions for doc in gold})
    assert all(scores[name] == 1.0 for name in METRIC_NAMES)
    assert scores["gold_attributions_without_source"] == 1


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ("T20\tContent 10 x\tfoo", "expected 'T<n>"),
        ("T20\tContent 10 12", "expected 'T<n>"),
        ("T20\tContent 5000 5004\tfoo", "past the end of the text"),
        ("T20\tContent 4 11\tnot the article", "does not match the article"),
        ("E20\tAttribution:T4 Cue:T99", "refers to T99, which is not defined"),
        ("E20\tAttribution:T4 CueT2", "is not <role>:<id>"),
        ("T1\tSource 0 3\tThe", "T1 is defined twice"),
    ],
)
def test_a_malformed_line_leaves_its_file_out_with_one_error(
    tmp_path: Path, bad_line: str, reason: str
) -> None:
    lines = FIXTURE_ANN.splitlines()
    lines.insert(2, bad_line)  # line 3 of the file
    path = write_folder(tmp_path, "\n".join(lines))
    write_folder(tmp_path, FIXTURE_ANN, name="harbour")  # a good file beside it

    documents, [error] = read_brat_folder(tmp_path)

    assert [d.name for d in documents] == ["harbour"]  # the rest is read
    assert error.path == str(path)
    assert error.line == 3
    assert reason in error.reason
    assert f"{path}:3" in str(error)


def test_an_annotation_without_its_text_is_left_out_with_one_error(tmp_path: Path) -> None:
    write_folder(tmp_path, FIXTURE_ANN)
    (tmp_path / "text" / "council.txt").unlink()

    documents, [error] = read_brat_folder(tmp_path)

    assert documents == [] and "no text file" in error.reason
    with pytest.raises(InputError, match=r"no readable \.ann file"):
        load_polnear_gold(tmp_path)


def test_folder_without_annotations_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a brat attribution folder"):
        load_polnear_gold(tmp_path)


# --- PolNeAR, read by path, never copied --------------------------------------------------------


@pytest.mark.skipif(not POLNEAR_DEV.is_dir(), reason="PolNeAR dev is not at ../shared/datasets")
def test_polnear_dev_gold_scores_one_against_itself() -> None:
    gold, rejected = load_polnear_gold(POLNEAR_DEV)
    assert len(gold) == 84 and rejected == []
    scores = score_attributions(gold, {doc.name: doc.attributions for doc in gold})
    assert {name: scores[name] for name in METRIC_NAMES} == dict.fromkeys(METRIC_NAMES, 1.0)
    assert scores["documents"] == 84
    # Read with the first annotator of the two articles annotated twice, one empty event skipped.
    assert scores["gold_attributions"] == 2192
    assert scores["gold_attributions_without_source"] == 126


# --- property ----------------------------------------------------------------------------------


@st.composite
def gold_documents(draw: st.DrawFn) -> GoldDocument:
    text = draw(st.text(alphabet="ab ,.\n\u00e9", min_size=1, max_size=80))
    if not text.strip():
        text += "x"
    solid = [i for i, char in enumerate(text) if not char.isspace()]

    def span() -> Span:
        # A span over at least one non-space character, so it covers at least one token.
        anchor = draw(st.sampled_from(solid))
        start = draw(st.integers(0, anchor))
        end = draw(st.integers(anchor + 1, len(text)))
        return Span(start, end)

    def spans(most: int) -> tuple[Span, ...]:
        return tuple(span() for _ in range(draw(st.integers(1, most))))

    attributions = []
    for index in range(draw(st.integers(1, 5))):
        has_source = index == 0 or draw(st.booleans())  # at least one source to score
        attributions.append(Attribution(spans(2) if has_source else None, spans(2), spans(3)))
    return GoldDocument("doc", text, tuple(attributions))


@given(gold_documents())
def test_gold_against_itself_is_always_one(document: GoldDocument) -> None:
    scores = score_attributions([document], {document.name: document.attributions})
    assert {name: scores[name] for name in METRIC_NAMES} == dict.fromkeys(METRIC_NAMES, 1.0)


def test_parse_ann_names_the_path_it_is_given() -> None:
    with pytest.raises(InputError) as caught:
        parse_ann("T1\tCue 0 3\tabc\nT2 broken", "abc", "memory.ann")
    assert str(caught.value).startswith("memory.ann:2:")


def test_a_span_whose_text_crosses_a_line_break_is_read_over_several_lines() -> None:
    text = "Point 3.\n\nThe mayor said the bridge would reopen."
    start = text.index("3.")
    ann = (
        f"T1\tContent {start} {text.index('mayor') + 5}\t3.\n"
        "\n"
        "The mayor\n"
        f"T2\tCue {text.index('said')} {text.index('said') + 4}\tsaid\n"
        f"T3\tAttribution {text.index('said')} {text.index('said') + 4}\tsaid\n"
        "E1\tAttribution:T3 Cue:T2 Content:T1\n"
    )

    [attribution] = parse_ann(ann, text, "wrapped.ann")

    assert attribution.content is not None
    [content] = attribution.content
    assert text[content.start : content.end] == "3.\n\nThe mayor"


def test_eval_run_scores_without_an_unreadable_file_names_it_and_exits_1(
    tmp_path: Path, run_cli: Any
) -> None:
    write_folder(tmp_path, FIXTURE_ANN)
    bad = write_folder(tmp_path, FIXTURE_ANN.replace("\treports\n", "\tsays\n", 1), name="x")

    ran = run_cli("eval", "run", tmp_path, "--backend", "rules", "--json", db=tmp_path / "e.db")

    assert ran.returncode == 1
    errors = [line for line in ran.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"{bad}:2:" in errors[0] and "does not match" in errors[0]
    report = json.loads(ran.stdout)
    assert report["metrics"]["documents"] == 1 and report["metrics"]["documents_left_out"] == 1
