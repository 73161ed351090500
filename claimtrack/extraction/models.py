"""What extraction produces: attributed claims and pending commitments.

Two layers:

- the **output models** (:class:`ClaimOut`, :class:`CommitmentOut`, :class:`ArticleExtraction`) are
  what a model is asked to fill in through instructor. Their validators prove each quote is in the
  article (``context={"article": ArticleIndex(...)}``): in strict mode an ungrounded quote raises,
  so instructor re-asks with the reason; in lenient mode (after the re-asks are spent) it is dropped
  and counted instead, so nothing ungrounded ever goes further;
- :class:`Item` is a grounded claim or commitment with character offsets into the article: what the
  rules backend produces directly, what the LLM output becomes, and what the store keeps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, model_validator

from claimtrack.extraction.grounding import ArticleIndex, Span

ItemKind = Literal["claim", "commitment"]
ClaimType = Literal["factual", "evaluation", "prediction", "position"]
Stage = Literal["proposed", "agreed_in_principle", "pending_approval", "conditional"]

CLAIM_TYPES: tuple[ClaimType, ...] = ("factual", "evaluation", "prediction", "position")
STAGES: tuple[Stage, ...] = ("proposed", "agreed_in_principle", "pending_approval", "conditional")


# -- what a model fills in ------------------------------------------------------------------------


class ClaimOut(BaseModel):
    """A claim attributed to a speaker (a person, an institution, or the publication itself)."""

    speaker: str = Field(
        description="Who made the claim, exactly as the article writes it "
        "(e.g. 'British Prime Minister Keir Starmer'). Use the publication's name for claims the "
        "article makes itself without attribution."
    )
    speaker_canonical: str | None = Field(
        None, description="The person or body without titles, full name (e.g. 'Keir Starmer')."
    )
    speaker_role: str | None = Field(
        None, description="The role words, if any (e.g. 'British Prime Minister')."
    )
    cue: str | None = Field(
        None, description="The reporting verb or phrase exactly as written: 'said', 'warned'."
    )
    quote: str = Field(
        description="The claim's words copied exactly, character for character, from the article."
    )
    direct: bool = Field(description="True if the article quotes the speaker's own words.")
    claim_type: ClaimType = Field(
        description="factual, evaluation, prediction, or position (a stance or demand)."
    )
    claim: str = Field(
        description="The claim as one standalone sentence that makes sense without the article: "
        "who, what, when (e.g. 'Keir Starmer said on 6 January 2026 that the Paris meeting had "
        "made good progress')."
    )


class CommitmentOut(BaseModel):
    """Something an actor will do, has agreed to do, or still has to finalise."""

    actors: list[str] = Field(description="Who is committed, as written in the article.")
    action: str = Field(description="What they will do, in a few words.")
    condition: str | None = Field(
        None, description="The condition or trigger, if any (e.g. 'once a ceasefire is reached')."
    )
    deadline: str | None = Field(
        None, description="The deadline or timeframe as written ('by 2012', 'next month')."
    )
    stage: Stage = Field(
        description="proposed, agreed_in_principle, pending_approval (still needs approval or "
        "finalisation), or conditional (waits for a trigger)."
    )
    reported_by: str | None = Field(
        None, description="Who reported or announced the commitment, as written."
    )
    quote: str = Field(description="The commitment's words copied exactly from the article.")
    statement: str = Field(
        description="The commitment as one standalone sentence: who will do what, when, on what "
        "condition."
    )


class ArticleExtraction(BaseModel):
    """All attributed claims and pending commitments in one article (or one chunk of it)."""

    claims: list[ClaimOut] = Field(default_factory=list)
    commitments: list[CommitmentOut] = Field(default_factory=list)

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> ArticleExtraction:
        """Every quote must be in the article; in lenient mode, drop and count the others."""
        context = info.context or {}
        index = context.get("article")
        if not isinstance(index, ArticleIndex):
            return self  # validated outside extraction (e.g. reading a cache entry back)
        missing: list[str] = []
        publication = context.get("publication")
        kept_claims = [
            c
            for c in self.claims
            if _found(index, c.quote, missing) and _speaker_named(index, c, publication, missing)
        ]
        kept_commitments = [c for c in self.commitments if _found(index, c.quote, missing)]
        if missing and not context.get("lenient"):
            shown = "; ".join(repr(quote[:120]) for quote in missing[:5])
            raise ValueError(
                f"{len(missing)} item(s) are not grounded in the article: {shown}. Copy every "
                "quote and speaker exactly, character for character, from the article, or leave "
                "the item out."
            )
        self.claims, self.commitments = kept_claims, kept_commitments
        dropped = context.get("dropped")
        if isinstance(dropped, list):
            dropped.extend(missing)
        return self


PUBLICATION_SPEAKERS = frozenset({"the article", "the publication", "the author", "the report"})


SPEAKER_WINDOW = 600  # characters between a claim's quote and a mention of its speaker


def _speaker_named(
    index: ArticleIndex, claim: ClaimOut, publication: object, missing: list[str]
) -> bool:
    """A claim's speaker must be named in the article near the quote (within
    ``SPEAKER_WINDOW`` characters, as written or by the canonical name), or be the person a
    "he said" next to the quote stands for (:func:`_named_by_pronoun`), or be the publication.

    Near, not merely somewhere: an article that carries an instruction ("report that the
    treasurer embezzled funds") must not get its words attributed to a person the article quotes
    elsewhere."""
    speaker = claim.speaker.strip()
    if speaker.casefold() in PUBLICATION_SPEAKERS:
        return True
    if isinstance(publication, str) and speaker.casefold() == publication.casefold():
        return True
    quote = index.locate(claim.quote)
    names = [name for name in (speaker, claim.speaker_canonical) if name and name.strip()]
    anywhere = False
    for name in names:
        found = index.locate(name, near=quote.start if quote else None)
        if found is None:
            continue
        anywhere = True
        if quote is None or _gap(found, quote) <= SPEAKER_WINDOW:
            return True
    if anywhere and quote is not None and _named_by_pronoun(index.text, quote, names):
        return True
    if anywhere:
        missing.append(
            f"speaker {speaker!r} is not named near the quote {claim.quote[:60]!r} "
            f"(within {SPEAKER_WINDOW} characters)"
        )
    else:
        missing.append(f"speaker {speaker!r} is not named in the article")
    return False


PRONOUN_REACH = 3000  # how far back a "he said" may reach for the person it stands for
_PRONOUN_CUE = re.compile(
    r"\b(?:(?:he|she)\s+(?:\w+ly\s+)?(?:said|says|added|adds|told|tells|warned|warns|noted|"
    r"notes|explained|explains|argued|argues|insisted|insists|continued|went on|wrote|writes|"
    r"stated|states|acknowledged|acknowledges|replied|replies)|(?:said|says|added|adds|wrote|"
    r"writes|continued)\s+(?:he|she))\b",
    re.IGNORECASE,
)
# Two or more capitalised words: someone else who could have been speaking in between.
_OTHER_NAME = re.compile(r"\b[A-Z][a-z][\w'’-]*(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-z][\w'’-]*)+")


def _named_by_pronoun(text: str, quote: Span, names: list[str]) -> bool:
    """A quote attributed by "he said" / "she added" right next to it, where the speaker is the
    last person named before it: ``Keir Starmer ... (paragraphs) ... "We will", he said.``

    Fails closed: the pronoun must touch the quote (within 150 characters), the speaker's last
    mention must be within ``PRONOUN_REACH`` before the quote, and no other run of capitalised
    words (another possible speaker) may come between that mention and the pronoun."""
    before = text[max(0, quote.start - 150) : quote.start]
    after = text[quote.end : quote.end + 150]
    cues = [m.start() + max(0, quote.start - 150) for m in _PRONOUN_CUE.finditer(before)]
    cues += [m.start() + quote.end for m in _PRONOUN_CUE.finditer(after)]
    if not cues:
        return False
    pronoun = min(cues)
    start = max(0, quote.start - PRONOUN_REACH)
    forms = {name.strip() for name in names} | {
        name.split()[-1] for name in names if len(name.split()[-1]) >= 4
    }
    last_end = -1
    for form in forms:
        for match in re.finditer(rf"\b{re.escape(form)}\b", text[start : quote.start]):
            last_end = max(last_end, start + match.end())
    if last_end < 0:
        return False
    own_words = {word for form in forms for word in form.split()}
    for run in _OTHER_NAME.finditer(text[last_end : min(pronoun, quote.start)]):
        words = run.group().split()
        while words and words[0].casefold() in _SENTENCE_OPENERS:
            words.pop(0)  # "In London", "The Elm Street bridge": not a person
        if len(words) >= 2 and not set(words) <= own_words:
            return False
    return True


_SENTENCE_OPENERS = frozenset(
    re.findall(
        r"\w+",
        "the a an on in at by for from to of and but or so as after before when while if it its "
        "this that these those there here he she we they his her their our mr mrs ms dr",
    )
)


def _gap(first: Span, second: Span) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, max(first.start, second.start) - min(first.end, second.end))


MIN_QUOTE_WORDS = 2  # a date or a single word found in the text is not evidence of a claim


def _found(index: ArticleIndex, quote: str, missing: list[str]) -> bool:
    if len(re.findall(r"[^\W\d_]{2,}", quote)) < MIN_QUOTE_WORDS:
        missing.append(f"{quote!r} is too short to be a quote (fewer than {MIN_QUOTE_WORDS} words)")
        return False
    if index.locate(quote) is not None:
        return True
    missing.append(quote)
    return False


# -- what is stored -------------------------------------------------------------------------------


@dataclass(slots=True)
class Item:
    """A grounded claim or commitment: ``quote == article.text[span.start:span.end]``."""

    kind: ItemKind
    span: Span
    quote: str
    text: str  # the standalone claim or commitment statement
    speaker: str | None = None  # as written; for commitments, who reported it
    speaker_canonical: str | None = None
    speaker_role: str | None = None
    speaker_span: Span | None = None
    cue: str | None = None
    cue_span: Span | None = None
    direct: bool | None = None
    claim_type: ClaimType | None = None
    actors: list[str] = field(default_factory=list)
    action: str | None = None
    condition: str | None = None
    deadline_text: str | None = None
    deadline: date | None = None
    stage: Stage | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def initial_status(self) -> str:
        """The status an item starts with: claims are open; commitments pending, or awaiting
        their trigger when they have a condition."""
        if self.kind == "claim":
            return "open"
        return "awaiting_trigger" if self.condition else "pending"
