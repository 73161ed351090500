"""The rules backend's entry point: an article's text in, grounded items out."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from datetime import date

from claimtrack.extraction.deadlines import Deadline, find_deadline
from claimtrack.extraction.grounding import Span
from claimtrack.extraction.models import Item
from claimtrack.extraction.rules.attributions import (
    _BY,
    ATTRIBUTION_RULE_IDS,
    _Attribution,
    _attributions_in,
    _continuation,
    _cues,
    _initial_participle,
    _passive_by,
    _signed_quotations,
    _speaker_labels,
    _speaker_mention,
    _tidy_source,
)
from claimtrack.extraction.rules.claims import _claim_statement, _claim_type, _day, _direct
from claimtrack.extraction.rules.commitment_cues import COMMITMENT_CUES, commitment_triggers
from claimtrack.extraction.rules.commitments import (
    _actors,
    _Commitment,
    _commitments_in,
    _who,
    starts_commitment,
)
from claimtrack.extraction.rules.sentences import _sentences
from claimtrack.extraction.rules.vocabulary import _cue_hits
from claimtrack.extraction.speakers import resolve_speakers

RULE_IDS: tuple[str, ...] = (
    *(f"attribution.{rule_id}" for rule_id in ATTRIBUTION_RULE_IDS),
    *(f"commitment.{name}" for name, _, _ in COMMITMENT_CUES),
)
"""Every rule id an item of the rules backend may record in ``extra["rule"]`` (shown by ``claims
show``): the source rules of ``attributions.SOURCE_RULES`` and the other attribution finders,
then the commitment patterns of ``commitment_cues.COMMITMENT_CUES``."""


def extract_with_rules(
    text: str, *, published: date | None = None, publication: str | None = None
) -> list[Item]:
    """Attributed claims and pending commitments in ``text``, sorted by span start.

    ``published`` dates the claim statements and resolves deadlines; ``publication`` names the
    outlet, so that a source naming it ("the Post") gets it as its canonical speaker.
    """
    attributions: list[_Attribution] = []
    commitments: list[_Commitment] = []
    previous: _Attribution | None = None
    triggers = commitment_triggers(text)
    hits = _cue_hits(text)
    bys = [match.start() for match in _BY.finditer(text)]
    for sentence in _sentences(text):
        if sentence.headline:  # elliptical, and the lead below says it in full
            continue
        cues = _cues(text, sentence, hits)
        found = _attributions_in(text, sentence, cues) or _signed_quotations(text, sentence)
        found = _initial_participle(text, sentence, found) + found
        first_by = bisect.bisect_left(bys, sentence.start)
        if first_by < len(bys) and bys[first_by] < sentence.end:  # "was criticized by ..."
            passives = _passive_by(text, sentence, found)
            if passives:
                found = sorted(found + passives, key=lambda found: found.cue.span.start)
        if not found and previous is not None:
            continued = _continuation(text, sentence, previous, cues)
            found = [continued] if continued else []
        for attribution in found:
            if attribution.source is not None:
                attribution.source = _tidy_source(text, attribution.source, attribution.cue.span)
        found = [a for a in found if not _relative_run_on(text, a, found)]
        attributions.extend(found)
        previous = found[-1] if found else None
        first = bisect.bisect_left(triggers, sentence.start)
        if (first < len(triggers) and triggers[first] < sentence.end) or starts_commitment(
            text, sentence
        ):
            commitments.extend(_commitments_in(text, sentence, stated=not found))
    attributions = _outermost(
        _outside_sources(
            sorted(attributions + _speaker_labels(text), key=lambda found: found.cue.span.start)
        )
    )
    items = _claim_items(text, attributions, published, publication)
    items += _commitment_items(text, commitments, items, published)
    unique: dict[tuple[str, int, int], Item] = {}
    for item in items:
        unique.setdefault((item.kind, item.span.start, item.span.end), item)
    return sorted(unique.values(), key=lambda item: (item.span.start, item.span.end, item.kind))


def _relative_run_on(text: str, attribution: _Attribution, found: list[_Attribution]) -> bool:
    """A source that is only "which" or "that" whose content runs over another cue ("The
    statement, which praised Trump's approach, said ..."): the relative clause is part of the
    main clause's source, and its speaker is no one."""
    source = attribution.source
    if source is None or text[source.start : source.end].casefold() not in ("which", "that"):
        return False
    return any(
        piece.start <= other.cue.span.start < piece.end
        for other in found
        if other is not attribution
        for piece in attribution.contents
    )


def _outside_sources(attributions: list[_Attribution]) -> list[_Attribution]:
    """Without the attributions inside another one's source: in "according to a memo that
    says ..." or "people who said so, officials said", the inner cue is part of a source. After
    "according to" the cue alone decides ("according to fundraising reports filed Monday"); its
    source is read loosely."""
    cues = sorted(found.cue.span.start for found in attributions)
    sources = [
        (found.source, found.cue.lemma == "according to")
        for found in attributions
        if found.source is not None
        and bisect.bisect_left(cues, found.source.end)
        > bisect.bisect_left(cues, found.source.start)
    ]  # only the sources with a cue inside them
    if not sources:
        return attributions
    kept = []
    for found in attributions:
        cue = found.cue.span
        first = min([cue.start, *(piece.start for piece in found.contents)])
        last = max([cue.end, *(piece.end for piece in found.contents)])
        if not any(
            source.start <= (cue.start if loose else first)
            and (cue.end if loose else last) <= source.end
            for source, loose in sources
        ):
            kept.append(found)
    return kept


def _outermost(attributions: list[_Attribution]) -> list[_Attribution]:
    """Without the attributions reported inside another one's content: in "Ruiz said she expects
    the plant to close", "she expects" is part of what Ruiz said, not a claim of its own. A
    content before its cue ("..., an official said") or after "according to" keeps the
    attributions inside it: each is reported."""
    reported = [
        piece
        for found in attributions
        if found.source is not None and found.cue.lemma != "according to" and not found.cue.noun
        for piece in found.contents
        if piece.start >= found.cue.span.end
    ]
    if not reported:
        return attributions
    starts = [piece.start for piece in reported]
    kept = []
    for found in attributions:
        first = found.source.start if found.source is not None else found.cue.span.start
        first = min(first, found.cue.span.start)
        last = max(found.cue.span.end, found.source.end if found.source is not None else 0)
        index = bisect.bisect_right(starts, first)
        if any(piece.end >= last for piece in reported[:index] if piece.start <= first):
            continue
        kept.append(found)
    return kept


# "has not commented", "didn't say": the statement keeps the negation (PolNeAR marks these)
_NEGATED_CUE = re.compile(r"\b(?:not|never)\b|n['’]t\b", re.IGNORECASE)


def _claim_items(
    text: str,
    attributions: list[_Attribution],
    published: date | None,
    publication: str | None,
) -> list[Item]:
    sources = [_speaker_mention(text, a) for a in attributions if a.source is not None]
    resolved = iter(resolve_speakers(sources, text))
    items: list[Item] = []
    for attribution in attributions:
        speaker = canonical = role = mention = None
        if attribution.source is not None:
            name = next(resolved)
            speaker = text[attribution.source.start : attribution.source.end]
            canonical, role, mention = name.canonical, name.role, name.written
            if canonical is None and speaker.strip().casefold() in _RELATIVE_PRONOUNS:
                canonical = mention  # "analysts, who had forecast": the analysts, not "who"
            if publication and speaker.strip().casefold() in (
                publication.casefold(),
                f"the {publication.casefold()}",
            ):
                canonical = publication
        cue = text[attribution.cue.span.start : attribution.cue.span.end]
        for content in attribution.contents:
            quote = text[content.start : content.end]
            direct = _direct(text, content, attribution.sentence)
            lemma = attribution.cue.lemma
            items.append(
                Item(
                    kind="claim",
                    span=content,
                    quote=quote,
                    text=_claim_statement(
                        canonical or mention,
                        lemma,
                        quote,
                        direct,
                        published,
                        negated_cue=cue if _NEGATED_CUE.search(cue) else None,
                    ),
                    speaker=speaker,
                    speaker_canonical=canonical,
                    speaker_role=role,
                    speaker_span=attribution.source,
                    cue=cue,
                    cue_span=attribution.cue.span,
                    direct=direct,
                    claim_type=_claim_type(quote, lemma),
                    extra=_claim_extra(attribution),
                )
            )
    return items


_RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})


def _claim_extra(attribution: _Attribution) -> dict[str, object]:
    """What a claim records beyond its fields: the rule that found it ("attribution.inverted"),
    and whether it continues the attribution of the sentence before."""
    extra: dict[str, object] = {"continued": True} if attribution.continued else {}
    extra["rule"] = f"attribution.{attribution.rule}"
    return extra


# a time before the commitment's verb that sets a limit ("By 2030, the council will ...");
# another ("The agency on Friday ordered Solvik to recall ...") says when it was decided
_LIMIT = re.compile(r"(?:by|within|before|until|no later than|in time for)\b", re.IGNORECASE)


def _deadline_of(quote: str, commitment: _Commitment, published: date | None) -> Deadline | None:
    """The deadline of a commitment: one in its action or condition, else one elsewhere in its
    sentence that sets a limit ("By 2030, ..."), not a day that says when it was decided."""
    for part in (commitment.action, commitment.condition or ""):
        found = find_deadline(part, published) if part else None
        if found is not None:
            return found
    found = find_deadline(quote, published)
    return found if found is not None and _LIMIT.match(found.text) else None


# a limit that opens the sentence, before the commitment's subject: "By 2030, the council will"
_FRONTED = re.compile(
    r"(?:\A|[.!?]\s+|\n)\s*(?P<limit>(?:By|Within|Before|No later than)\s[^,.;:]{2,40}),\s*\Z"
)


def _fronted_limit(text: str, start: int, published: date | None) -> Deadline | None:
    """The deadline a sentence opens with, when the commitment starts right after it."""
    fronted = _FRONTED.search(text, max(0, start - 60), start)
    return find_deadline(fronted["limit"], published) if fronted else None


def _commitment_items(
    text: str,
    commitments: list[_Commitment],
    claims: list[Item],
    published: date | None,
) -> list[Item]:
    items: list[Item] = []
    for commitment in commitments:
        span = commitment.span
        reporter = _reporting_claim(span, claims)
        deadline = _deadline_of(text[span.start : span.end], commitment, published) or (
            _fronted_limit(text, span.start, published)
        )
        items.append(
            Item(
                kind="commitment",
                span=span,
                quote=text[span.start : span.end],
                text=_commitment_statement(
                    text, commitment, reporter, deadline.date if deadline else None, published
                ),
                speaker=reporter.speaker if reporter else None,
                speaker_canonical=reporter.speaker_canonical if reporter else None,
                speaker_role=reporter.speaker_role if reporter else None,
                speaker_span=reporter.speaker_span if reporter else None,
                cue=reporter.cue if reporter else None,
                cue_span=reporter.cue_span if reporter else None,
                actors=_actors(commitment.subject, reporter, commitment.reported_by),
                action=commitment.action,
                condition=commitment.condition,
                deadline_text=deadline.text if deadline else None,
                deadline=deadline.date if deadline else None,
                stage=commitment.stage,
                extra={"commitment_cue": commitment.cue, "rule": f"commitment.{commitment.rule}"},
            )
        )
    return items


def _reporting_claim(span: Span, claims: Iterable[Item]) -> Item | None:
    """The claim whose content holds ``span`` (the narrowest), i.e. who reported a commitment."""
    holding = [
        claim
        for claim in claims
        if claim.span.start <= span.start and span.end <= claim.span.end + 2
    ]
    return min(holding, key=lambda claim: claim.span.end - claim.span.start) if holding else None


def _commitment_statement(
    text: str,
    commitment: _Commitment,
    reporter: Item | None,
    deadline: date | None,
    published: date | None,
) -> str:
    """The commitment as one sentence: the clause, its deadline, who reported it and when."""
    clause = re.sub(r"\s+", " ", text[commitment.span.start : commitment.span.end])
    clause = re.sub(r"[\"“”]", "", clause).strip()
    parts = [clause[:1].upper() + clause[1:]]
    if deadline is not None:
        parts.append(f"(deadline {_day(deadline)})")
    who = _who(reporter) if reporter else None
    if who:
        parts.append(
            f"(according to {who}" + (f", reported on {_day(published)})" if published else ")")
        )
    elif published:
        parts.append(f"(reported on {_day(published)})")
    return " ".join(parts)
