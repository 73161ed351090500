"""Grounding: quotes are located verbatim, and what cannot be grounded never passes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.extraction.grounding import ArticleIndex, locate
from claimtrack.extraction.models import ArticleExtraction

TEXT = (
    "Dated 2026-01-07. Starmer said the meeting had made \u201cgood progress\u201d \u2014 so far."
)


def claim(quote: str, speaker: str = "Starmer") -> dict[str, object]:
    return {
        "speaker": speaker,
        "quote": quote,
        "direct": True,
        "claim_type": "evaluation",
        "claim": "Starmer said the meeting had made good progress.",
    }


def test_a_model_s_straight_quotes_and_dashes_map_to_the_article_s_characters() -> None:
    span = locate(TEXT, 'made "good progress" - so far')
    assert span is not None
    assert span.of(TEXT) == "made \u201cgood progress\u201d \u2014 so far"


@pytest.mark.parametrize(
    ("quote", "speaker"),
    [
        ("Poland is a nation in Eastern Europe", "Starmer"),  # not in the text
        ("2026-01-07", "Starmer"),  # in the text, but a date is no claim
        ("good progress", "Vladimir Putin"),  # a speaker the article does not name
    ],
)
def test_ungrounded_items_are_refused_then_dropped_and_counted(quote: str, speaker: str) -> None:
    answer = {"claims": [claim("good progress"), claim(quote, speaker)]}
    with pytest.raises(ValueError, match="not grounded"):
        ArticleExtraction.model_validate(answer, context={"article": ArticleIndex(TEXT)})

    dropped: list[str] = []
    kept = ArticleExtraction.model_validate(
        answer, context={"article": ArticleIndex(TEXT), "lenient": True, "dropped": dropped}
    )
    assert [c.quote for c in kept.claims] == ["good progress"]
    assert len(dropped) == 1


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=300), st.data())
def test_any_substring_round_trips_through_its_offsets(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=len(text)))
    quote = text[start:end]

    span = ArticleIndex(text).locate(quote)

    if len(quote.strip()) < 3:
        return  # too short to ground: refused on purpose
    assert span is not None
    assert text[span.start : span.end] == quote  # verbatim, wherever it occurs first
