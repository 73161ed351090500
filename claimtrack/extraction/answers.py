"""From a model's answer to grounded items: each quote located in the chunk the model read (or
else in the article), speakers and cues looked for near it, and one item per span."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from claimtrack.extraction.grounding import ArticleIndex, Span
from claimtrack.extraction.models import PUBLICATION_SPEAKERS, ArticleExtraction, ClaimOut, Item

CUE_WINDOW = 300  # characters around the quote where its speaker and cue are looked for


def items_from_answer(
    answer: ArticleExtraction,
    index: ArticleIndex,
    chunk: Span,
    published: date | None,
    publication: str,
) -> list[Item]:
    """Grounded :class:`Item` objects for a validated answer about ``chunk`` of the article."""
    text = index.text
    in_chunk = _chunk_locator(index, chunk)
    found: list[Item] = []
    for claim in answer.claims:
        span = in_chunk(claim.quote)
        if span is None:
            continue
        speaker_span = _near(index, claim.speaker, span)
        cue_span = _near(index, claim.cue, span) if claim.cue else None
        found.append(
            Item(
                kind="claim",
                span=span,
                quote=span.of(text),
                text=claim.claim,
                speaker=speaker_span.of(text) if speaker_span else claim.speaker,
                speaker_canonical=_canonical(claim, publication),
                speaker_role=claim.speaker_role,
                speaker_span=speaker_span,
                cue=cue_span.of(text) if cue_span else claim.cue,
                cue_span=cue_span,
                direct=claim.direct,
                claim_type=claim.claim_type,
            )
        )
    for commitment in answer.commitments:
        span = in_chunk(commitment.quote)
        if span is None:
            continue
        reporter = commitment.reported_by
        reporter_span = _near(index, reporter, span) if reporter else None
        stage = commitment.stage
        if commitment.condition and stage == "proposed":
            stage = "conditional"
        found.append(
            Item(
                kind="commitment",
                span=span,
                quote=span.of(text),
                text=commitment.statement,
                speaker=reporter_span.of(text) if reporter_span else reporter,
                speaker_canonical=reporter,
                speaker_span=reporter_span,
                actors=list(commitment.actors),
                action=commitment.action,
                condition=commitment.condition,
                deadline_text=commitment.deadline,
                deadline=_deadline(commitment.deadline, published),
                stage=stage,
            )
        )
    return found


def _chunk_locator(index: ArticleIndex, chunk: Span) -> Callable[[str], Span | None]:
    """Find a quote in the chunk the model read (offsets into the whole article), else anywhere
    in the article: a phrase the article repeats must not land on another chunk's occurrence."""
    if chunk.start == 0 and chunk.end >= len(index.text):
        return index.locate
    piece = ArticleIndex(chunk.of(index.text))

    def locate(quote: str) -> Span | None:
        found = piece.locate(quote)
        if found is not None:
            return Span(chunk.start + found.start, chunk.start + found.end)
        return index.locate(quote, near=chunk.start)

    return locate


def _canonical(claim: ClaimOut, publication: str) -> str:
    """The publication speaks its own unattributed claims; otherwise the model's canonical name."""
    if claim.speaker.strip().casefold() in PUBLICATION_SPEAKERS:
        return publication
    return claim.speaker_canonical or claim.speaker


def _deadline(text: str | None, published: date | None) -> date | None:
    if not text:
        return None
    from claimtrack.extraction.deadlines import resolve_deadline

    return resolve_deadline(text, published)


def _near(index: ArticleIndex, words: str | None, span: Span) -> Span | None:
    if not words:
        return None
    found = index.locate(words, near=span.start)
    if found is None or abs(found.start - span.start) > CUE_WINDOW + (span.end - span.start):
        return None
    return found


def merge_items(items: list[Item]) -> list[Item]:
    """One item per (kind, span); an item inside another of the same kind is the same item."""
    ordered = sorted(items, key=lambda i: (i.kind, i.span.start, -(i.span.end - i.span.start)))
    kept: list[Item] = []
    for item in ordered:
        if any(
            other.kind == item.kind
            and other.span.start <= item.span.start
            and item.span.end <= other.span.end
            for other in kept
        ):
            continue
        kept.append(item)
    return sorted(kept, key=lambda i: (i.span.start, i.kind))
