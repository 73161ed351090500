"""Event factuality: evidence counts as done only when the sentence reports the event as done.

Invented sentences, one per form the tracking judge must not mistake for a done event, and the
plain reports it must accept; the model file and the fitting script end to end.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from claimtrack.tracking import factuality
from claimtrack.tracking.factuality import Factuality, assess
from claimtrack.tracking.factuality_words import tokenize

ROOT = Path(__file__).parents[1]


def at(sentence: str, word: str) -> Factuality:
    """Assess the event ``word`` (its first occurrence) in ``sentence``."""
    start = sentence.index(word)
    return assess(sentence, (start, start + len(word)))


NOT_HAPPENED = [
    # (sentence, event word, label, a word the cue must contain)
    ("Britain signed a declaration of intent in the event a peace deal is reached.", "reached",
     "conditional", "in the event"),
    ("Once a ceasefire is reached, Britain and France will establish military hubs.", "reached",
     "conditional", "once"),
    ("If the talks succeed, both sides will sign the accord.", "succeed", "conditional", "if"),
    ("Should peace be established, troops would be deployed.", "established", "conditional",
     "should"),
    ("The two leaders will sign the treaty.", "sign", "planned", "will"),
    ("The minister is to sign the treaty on Friday.", "sign", "planned", "is to"),
    ("The government plans to sign the deal.", "sign", "planned", "plans to"),
    ("The president is expected to sign the bill.", "sign", "planned", "expected to"),
    ("The company may sign the deal.", "sign", "possible", "may"),
    ("Officials said they could sign the accord.", "sign", "possible", "could"),
    ("The senator did not sign the letter.", "sign", "negated", "not"),
    ("The government has not signed the agreement.", "signed", "negated", "not"),
    ("Kyiv refused to sign the document.", "sign", "negated", "refused"),
    ("He never signed the contract.", "signed", "negated", "never"),
    ("The company didn’t sign the deal.", "sign", "negated", "didn’t"),  # as written
    ("Activists urged the government to sign the treaty.", "sign", "demanded", "urged"),
    ("The opposition called for the deal to be signed.", "signed", "demanded", "called for"),
    ("The ministry reportedly signed the accord.", "signed", "reported", "reportedly"),
    ("The document awaited signature by the president.", "signature", "planned",
     "awaited ... signature"),
    ("It only needed the governor's signature.", "signature", "planned", "needed ... signature"),
    ("The treaty is yet to be signed.", "signed", "planned", "yet to"),
]  # fmt: skip

HAPPENED = [
    ("The two countries signed the deal on Tuesday.", "signed"),
    ("The agreement was signed in Paris.", "signed"),
    ("The treaty has been signed.", "signed"),
    ("GM completed the sale of its Saturn unit.", "completed"),
    ("Officials said the ceasefire was reached on Monday.", "reached"),
]


@pytest.mark.parametrize(("sentence", "word", "label", "cue"), NOT_HAPPENED)
def test_an_event_not_reported_as_done_is_not_happened(
    sentence: str, word: str, label: str, cue: str
) -> None:
    result = at(sentence, word)
    assert (result.label, result.happened()) == (label, False)
    assert result.cue is not None and cue in result.cue


@pytest.mark.parametrize(("sentence", "word"), HAPPENED)
def test_an_event_reported_as_done_happened(sentence: str, word: str) -> None:
    result = at(sentence, word)
    assert result.label == "happened" and result.happened()
    assert result.cue is None
    assert result.p_happened >= factuality.load_model().threshold


def test_the_model_probability_separates_done_from_planned() -> None:
    done = at("The two countries signed the deal on Tuesday.", "signed")
    planned = at("The two countries will sign the deal on Tuesday.", "sign")
    assert done.p_happened > 0.8 > 0.2 > planned.p_happened


def test_an_ongoing_event_is_factual_but_not_done() -> None:
    result = at("Talks are continuing in Geneva.", "continuing")
    assert result.label == "ongoing"
    assert result.reports_as_factual() and not result.happened()


def test_without_a_span_a_conditional_clause_makes_the_sentence_conditional() -> None:
    sentence = (
        "Britain and France signed a declaration of intent to deploy troops "
        "in the event a peace deal is reached."
    )
    result = assess(sentence)
    assert (result.label, result.cue) == ("conditional", "in the event")
    assert assess("Britain and France signed a declaration of intent.").happened()


def test_without_a_span_the_content_of_a_report_is_judged() -> None:
    assert assess("Officials said the deal was signed on Monday.").happened()
    assert assess("Officials said the deal would be signed on Monday.").label == "planned"


def test_without_a_span_a_denied_copula_is_the_predicate() -> None:
    """'has not been in recession': the copula before a preposition is the sentence's predicate
    (it once read the preposition as a verb and judged only 'Japan', as happened)."""
    assert assess("Japan has not been in recession since 2001.").label == "negated"
    assert assess("The country has been in recession since March.").happened()


def test_once_as_a_time_adverb_is_not_a_condition() -> None:
    assert at("The board once again approved the plan.", "approved").happened()
    assert at("The committee meets once a week and approved the plan.", "approved").happened()


def test_an_elliptical_if_does_not_make_a_later_event_conditional() -> None:
    sentence = "Sales doubled if compared to the profit reaped a year earlier."
    assert at(sentence, "reaped").label != "conditional"
    assert at("We will act if necessary, said the minister.", "said").label != "conditional"


def test_tokens_keep_offsets_and_split_contractions() -> None:
    sentence = "They won’t sign, he said."
    tokens = tokenize(sentence)
    assert tokens.words[:3] == ["they", "will", "n't"]
    assert [sentence[start:end] for start, end in tokens.spans][:3] == ["They", "wo", "n’t"]


def test_the_model_file_loads_and_assess_reports_its_version() -> None:
    document = json.loads(factuality.MODEL_FILE.read_text(encoding="utf-8"))
    model = factuality.load_model()
    assert model.version == document["version"]
    assert len(model.weights) == len(document["features"]) == len(document["coefficients"])
    assert document["feature_set"] == factuality.FEATURE_SET
    assert assess("The deal was signed.").model_version == document["version"]


def test_a_model_fitted_for_other_features_is_refused(tmp_path: Path) -> None:
    document = json.loads(factuality.MODEL_FILE.read_text(encoding="utf-8"))
    document["feature_set"] = factuality.FEATURE_SET + 1
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match="feature set"):
        factuality.load_model(stale)


# -- the fitting script on a tiny synthetic corpus ---------------------------------------------


def load_fit_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "factuality_fit", ROOT / "evals/factuality/fit.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def conll_sentence(tokens: list[str], event: int, gold: tuple[str, str, str], number: int) -> str:
    lines = []
    for index, token in enumerate(tokens):
        if index == event:
            tags = [f"B-E-{number}"] + [f"B-{value}-{number}" for value in gold]
        else:
            tags = ["_"] * 4
        lines.append("\t".join([str(index + 1), token, *tags]))
    return "\n".join(lines) + "\n\n"


SYNTHETIC = [
    (["The", "firm", "signed", "the", "deal", "."], 2, ("CERTAIN", "POS", "NON_FUTURE")),
    (["The", "firm", "will", "sign", "the", "deal", "."], 3, ("CERTAIN", "POS", "FUTURE")),
    (
        ["The", "firm", "did", "n't", "sell", "the", "unit", "."],
        4,
        ("CERTAIN", "NEG", "NON_FUTURE"),
    ),
    (["Shares", "rose", "on", "Monday", "."], 1, ("CERTAIN", "POS", "NON_FUTURE")),
    (["Prices", "may", "fall", "."], 2, ("POSSIBLE", "POS", "FUTURE")),
    (["The", "bank", "cut", "rates", "."], 2, ("CERTAIN", "POS", "NON_FUTURE")),
]


def test_the_fit_script_cross_validates_and_writes_a_loadable_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for story in ("alpha", "beta", "gamma"):
        (tmp_path / story).mkdir()
        text = "".join(
            conll_sentence(tokens, event, gold, number)
            for number, (tokens, event, gold) in enumerate(SYNTHETIC, start=1)
        )
        (tmp_path / story / "doc.conll").write_text(text, encoding="utf-8")
    out = tmp_path / "model.json"
    assert load_fit_script().main(["--data", str(tmp_path), "--out", str(out)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in table[1:4]] == ["alpha", "beta", "gamma"]
    document = json.loads(out.read_text(encoding="utf-8"))
    assert set(document["story_cv"]) == {"alpha", "beta", "gamma"}
    assert document["story_cv"]["alpha"]["n"] == len(SYNTHETIC)
    assert 0.0 <= document["story_cv"]["alpha"]["accuracy"] <= 1.0
    assert factuality.load_model(out).version == document["version"]


def test_detokenising_keeps_event_spans() -> None:
    fit = load_fit_script()
    rows = [line.split("\t") for line in conll_sentence(*SYNTHETIC[2][:3], 7).split("\n") if line]
    (mention,) = fit.sentence_mentions("alpha", rows)
    assert mention.sentence == "The firm didn't sell the unit."
    assert mention.sentence[slice(*mention.span)] == "sell"
    assert not mention.happened
