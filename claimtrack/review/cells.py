"""How the queue words a proposal in a few columns: the relation as a word with its colour, the
item's own words (without the extraction's date clause, nor the speaker's name that a column of
its own shows), the evidence's day, source and state.

Every value from the data goes through :mod:`claimtrack.review.shown`, so it stays text.
"""

from __future__ import annotations

import re
from datetime import datetime

from rich.text import Text

from claimtrack.review.shown import plain
from claimtrack.store.proposals import ProposalRow
from claimtrack.times import format_published

# the colour says the family; the word always says the relation (colour is never the only sign)
RELATION_STYLES = {
    "corroborates": "green",
    "fulfils": "bold green",
    "finalizes": "cyan",
    "advances": "cyan",
    "contradicts": "bold red",
    "retracts": "red",
    "stalls": "yellow",
    "triggers": "magenta",
    "deadline_passed": "yellow",
    "mentions": "blue",
    "repeats": "dim",
}
STATE_STYLES = {"proposed": "", "skipped": "italic", "accepted": "dim", "rejected": "dim"}
NEW_MARK = "●"  # before the state of a proposal made since the reviewer's last session

# ", as reported on 7 January 2026," as the offline extractor words a claim
_REPORTED = re.compile(r",? as reported on \d{1,2} [A-Z][a-z]+ \d{4},?(?P<next>\s+[\"“'‘]?)")


def own_words(text: str | None) -> str:
    """The item's text on one line, without the extractor's "as reported on DATE" clause (the
    date is a column of its own): 'Ruiz said, as reported on 7 January 2026, that X' reads
    'Ruiz said that X'; before a quotation the comma stays ('Ruiz said, "X"')."""

    def keep_comma(found: re.Match[str]) -> str:
        follows = found.group("next")
        comma = follows.strip() or found.string.startswith("According to")
        return ("," if comma else "") + follows

    return _REPORTED.sub(keep_comma, " ".join((text or "").split()), count=1)


def item_words(text: str | None, *speakers: str | None, room: int | None = None) -> str:
    """The item's own words for a row that shows the speaker in a column of its own: without
    the date clause and without the speaker's name when the words begin with it ('Bo Lind said
    that X' beside 'Bo Lind' reads 'said that X'). ``speakers`` are the names the speaker goes
    by (as written, canonical); a name longer than ``room`` (the speaker column's width, where
    it would be cut) stays in the words. A name followed by anything but a space or a comma
    ('Bo Lind's plan') is kept, and so are words that are the name alone."""
    words = own_words(text)
    for speaker in speakers:
        name = " ".join((speaker or "").split())
        if not name or (room is not None and len(name) > room):
            continue
        rest = words[len(name) :]
        if words.casefold().startswith(name.casefold()) and rest[:1] in (" ", ","):
            return rest.lstrip(" ,") or words
    return words


def relation_cell(proposal: ProposalRow) -> Text:
    """The relation as a word in its colour; ``!`` when other open proposals disagree."""
    relation = plain(proposal.relation, style=RELATION_STYLES.get(proposal.relation, ""))
    if proposal.conflicts_with:
        relation.append("!", style="bold red")
    if proposal.state in ("accepted", "rejected"):
        relation.stylize("dim")
    return relation


def evidence_day(proposal: ProposalRow) -> str:
    """The evidence article's day in the zone its source gave ('undated' without a date)."""
    shown = format_published(
        proposal.article_published, proposal.article_precision, proposal.article_offset
    )
    return shown[:10]


def is_new(proposal: ProposalRow, since: datetime | None) -> bool:
    """Whether ``proposal`` was made after ``since`` (naive UTC; None: nothing is marked)."""
    return since is not None and datetime.fromisoformat(proposal.created_at) > since


def state_cell(proposal: ProposalRow, since: datetime | None) -> Text:
    """The review state, marked when the proposal is new since the last session."""
    shown = plain(proposal.state, style=STATE_STYLES.get(proposal.state, ""))
    if is_new(proposal, since):
        shown = Text.assemble((f"{NEW_MARK} ", "bold yellow"), shown)
    return shown
