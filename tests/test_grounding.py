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


PARAGRAPH = (
    "The talks in the old conference hall went on for most of the afternoon, and officials "
    "said little about the details as the afternoon wore on and the rain kept falling. "
)


def pronoun_article(between: str) -> str:
    return (
        "Prime Minister Keir Starmer met the delegation on Tuesday.\n\n"
        + PARAGRAPH * 4
        + between
        + "\n\n\u201cWe will build the bridge by May,\u201d he said.\n"
    )


def test_a_quote_attributed_by_he_said_far_from_the_name_is_grounded() -> None:
    text = pronoun_article("In London the mood was calm.")
    quote = "We will build the bridge by May,"
    assert text.index(quote) - text.index("Keir Starmer") > 600  # beyond the speaker window

    answer = {"claims": [claim(quote, speaker="Keir Starmer")]}
    kept = ArticleExtraction.model_validate(answer, context={"article": ArticleIndex(text)})

    assert [c.speaker for c in kept.claims] == ["Keir Starmer"]


def test_he_said_does_not_reach_past_another_name() -> None:
    text = pronoun_article("Emmanuel Macron spoke next.")  # "he" may be Macron
    answer = {"claims": [claim("We will build the bridge by May,", speaker="Keir Starmer")]}

    with pytest.raises(ValueError, match="not named near the quote"):
        ArticleExtraction.model_validate(answer, context={"article": ArticleIndex(text)})


def test_a_far_name_without_a_pronoun_next_to_the_quote_is_not_enough() -> None:
    text = pronoun_article("").replace("he said", "the statement read")
    answer = {"claims": [claim("We will build the bridge by May,", speaker="Keir Starmer")]}

    with pytest.raises(ValueError, match="not named near the quote"):
        ArticleExtraction.model_validate(answer, context={"article": ArticleIndex(text)})
