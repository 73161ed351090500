"""A statement about another commitment's state attaches to that commitment."""

from __future__ import annotations

from claimtrack.extraction.grounding import Span
from claimtrack.extraction.models import Item
from claimtrack.extraction.references import attach_references
from claimtrack.extraction.rules import extract_with_rules
from claimtrack.store.items import item_id

TEXT = (
    "Britain and France will establish military hubs throughout Ukraine once a ceasefire is "
    "reached, the leaders said. Separately, Germany will send two air defence systems. "
    "The commitment still needs to be finalized by parliament."
)


def commitment(quote: str) -> Item:
    start = TEXT.index(quote)
    return Item("commitment", Span(start, start + len(quote)), quote, quote)


def test_a_state_statement_points_to_the_nearest_commitment_before_it() -> None:
    hubs = commitment("Britain and France will establish military hubs throughout Ukraine")
    german = commitment("Germany will send two air defence systems")
    state = commitment("The commitment still needs to be finalized by parliament")

    attached = attach_references("a1", [state, hubs, german])

    assert attached == 1
    assert state.extra["refers_to"] == item_id(
        "a1", "commitment", german.span.start, german.span.end
    )
    assert "refers_to" not in hubs.extra and "refers_to" not in german.extra


def test_a_statement_with_nothing_before_it_stays_alone() -> None:
    state = commitment("The commitment still needs to be finalized by parliament")

    assert attach_references("a1", [state]) == 0
    assert "refers_to" not in state.extra


def test_the_rules_backend_output_attaches_on_the_seed_sentence() -> None:
    items = extract_with_rules(TEXT)
    state = next(i for i in items if i.quote.startswith("The commitment still needs"))

    attach_references("a1", items)

    target = state.extra.get("refers_to")
    assert target is not None
    referred = next(
        i
        for i in items
        if i.kind == "commitment" and item_id("a1", i.kind, i.span.start, i.span.end) == target
    )
    assert referred.span.end <= state.span.start and "still needs" not in referred.quote


def test_a_statement_naming_a_deal_attaches_to_the_deal_not_the_nearest_commitment() -> None:
    text = (
        "Harbour Lines signed a deal to sell two ferries to the city. "
        "Separately, the mayor will open a new pier in May. "
        "The deal still needs to be ratified by the council."
    )
    items = extract_with_rules(text)
    state = next(i for i in items if i.quote.startswith("The deal still needs"))
    deal = next(i for i in items if i.kind == "commitment" and "deal to sell" in i.quote)
    pier = next(i for i in items if i.kind == "commitment" and "open a new pier" in i.quote)
    assert deal.span.end <= pier.span.end <= state.span.start  # the pier is the nearest before

    attach_references("a1", items)

    assert state.extra["refers_to"] == item_id("a1", "commitment", deal.span.start, deal.span.end)
