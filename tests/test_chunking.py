"""Long articles are split into overlapping pieces that each fit the budget."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.extraction.chunking import CHARS_PER_TOKEN, split_into_chunks

PARAGRAPH = st.text(alphabet="abcdefgh .", min_size=1, max_size=900).map(str.strip).filter(bool)


def test_an_article_that_fits_is_one_piece() -> None:
    text = "One paragraph.\nAnother one."
    assert [(c.start, c.end) for c in split_into_chunks(text, 1000)] == [(0, len(text))]


def test_pieces_overlap_by_a_paragraph_where_they_fit() -> None:
    paragraphs = [f"Paragraph {n} " + "word " * 60 for n in range(8)]
    text = "\n".join(paragraphs)

    chunks = split_into_chunks(text, 200)

    assert len(chunks) > 1
    for before, after in pairwise(chunks):
        assert after.start < before.end  # shared text: a claim on the boundary is seen whole


@settings(max_examples=60, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=30), st.integers(min_value=50, max_value=400))
def test_pieces_cover_everything_fit_and_always_move_on(paragraphs: list[str], budget: int) -> None:
    text = "\n".join(paragraphs)

    chunks = split_into_chunks(text, budget)

    covered: set[int] = set()
    for chunk in chunks:
        covered.update(range(chunk.start, chunk.end))
        if len(chunks) > 1:
            assert chunk.end - chunk.start <= budget * CHARS_PER_TOKEN
    assert all(i in covered for i, char in enumerate(text) if char != "\n")
    for before, after in pairwise(chunks):
        assert after.end > before.end  # no piece lies inside the one before: no wasted call
        assert after.start > before.start
