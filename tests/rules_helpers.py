"""What the rules-backend tests share: the claims of an invented text, with their spans checked."""

from __future__ import annotations

from claimtrack.extraction.models import Item
from claimtrack.extraction.rules import extract_with_rules


def claims(text: str) -> list[Item]:
    return [item for item in extract_with_rules(text) if item.kind == "claim"]


def found(text: str) -> list[tuple[str | None, str | None, str]]:
    """(speaker, cue, quote) of each claim, each checked against the text it was cut from."""
    result = []
    for item in claims(text):
        assert item.quote == text[item.span.start : item.span.end]
        if item.speaker_span is not None:
            assert item.speaker == text[item.speaker_span.start : item.speaker_span.end]
        if item.cue_span is not None:
            assert item.cue == text[item.cue_span.start : item.cue_span.end]
        result.append((item.speaker, item.cue, item.quote))
    return result
