"""Statements about another item's state attach to that item.

"The commitment still needs to be finalized" is not a commitment of its own: it says where an
earlier commitment of the same article stands. A commitment whose quote opens with such a
reference ("the commitment", "the deal", "this agreement", "it") points to the nearest commitment
before it in the article that is not itself a reference: ``extra["refers_to"]`` holds that item's
id, and ``claims show`` and ``claims list --json`` show it. Deliberately plain (nearest preceding
commitment); both backends go through it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from claimtrack.extraction.models import Item

_REFERENCE = re.compile(
    r"^\W*(?:(?:the|this|that|these|those|such|said)\s+(?:\w+\s+)?"
    r"(?:commitments?|agreements?|deals?|plans?|pledges?|declarations?|guarantees?|promises?|"
    r"measures?|package|accord|treaty|arrangements?|proposals?|bill|contract)\b"
    r"|(?:it|they)\s+(?:still\s+)?(?:needs?|has|have|must|awaits?|requires?)\b)",
    re.IGNORECASE,
)


# What a statement of another commitment's state says: it still needs, awaits or requires
# something ("the plan also envisions building" is a commitment of its own, not a state).
_STATE = re.compile(
    r"\b(?:needs?|requires?|required|awaits?|awaiting|yet\s+to|must|pending|subject\s+to|"
    r"approval|finali[sz]|ratif)",
    re.IGNORECASE,
)


def is_reference(item: Item) -> bool:
    return (
        item.kind == "commitment"
        and bool(_REFERENCE.match(item.quote))
        and bool(_STATE.search(item.quote))
    )


def _about(reference: Item, earlier: Sequence[Item]) -> Item:
    """The commitment a reference is about: the nearest earlier one that names what it names
    ("the deal" after "agreed a deal to sell ferries", past a later "will open a pier"), else
    the nearest earlier one ("the commitment", "it")."""
    named = _NAMED_THING.match(reference.quote)
    if named is not None:
        stem = named.group("thing").casefold().rstrip("s")
        for other in reversed(earlier):
            if re.search(rf"\b{re.escape(stem)}s?\b", other.quote, re.IGNORECASE):
                return other
    return earlier[-1]


# A reference that names a particular thing (not "the commitment", "the pledge", "it").
_NAMED_THING = re.compile(
    r"^\W*(?:the|this|that|these|those|such|said)\s+(?:\w+\s+)?(?P<thing>agreements?|deals?|"
    r"plans?|declarations?|measures?|package|accord|treaty|arrangements?|proposals?|bill|"
    r"contract)\b",
    re.IGNORECASE,
)


def attach_references(article_id: str, items: Sequence[Item]) -> int:
    """Set ``refers_to`` on the commitments that state another one's state; returns how many."""
    from claimtrack.store.items import item_id  # the id the referred item is stored under

    commitments = sorted((i for i in items if i.kind == "commitment"), key=lambda i: i.span.start)
    attached = 0
    for position, item in enumerate(commitments):
        if not is_reference(item):
            continue
        earlier = [
            other
            for other in commitments[:position]
            if not is_reference(other) and other.span.end <= item.span.start
        ]
        if earlier:
            target = _about(item, earlier)
            item.extra["refers_to"] = item_id(
                article_id, target.kind, target.span.start, target.span.end
            )
            attached += 1
    return attached
