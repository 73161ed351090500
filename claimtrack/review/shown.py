"""What the review queue shows of outside text: always a ``Text``, never markup.

Textual reads a ``str`` handed to a widget (a Static, a Label, a DataTable cell, a Rich table cell,
a notification) as markup: ``[/]`` in an article would crash the screen, ``[@click=...]`` would
become an action that a click runs, ``[bold red]`` and ``[link=...]`` would be obeyed, and
"[the health ministry]" would vanish. Every string that comes from the database, a file or the
environment reaches a widget as a ``Text`` built here, its control characters made visible
(:func:`claimtrack.terminal.visible`): an ESC in an article shows as ``␛``, it never reaches the
terminal.
"""

from __future__ import annotations

from rich.text import Text

from claimtrack.terminal import visible


def plain(value: str | None, style: str = "") -> Text:
    """``value`` as text, exactly as written (None: empty)."""
    return Text(visible(value or ""), style=style, end="")


def with_span(text: str, start: int, end: int, style: str) -> Text:
    """``text`` with ``text[start:end]`` in ``style``. Each piece is made visible on its own, so
    the style falls on the span even where a control character became several characters."""
    shown = plain(text[:start])
    shown.append(visible(text[start:end]), style=style)
    shown.append(visible(text[end:]))
    return shown
