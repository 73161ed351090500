"""Text from outside, made safe to show on a terminal: its control characters made visible.

Article text, titles, speakers, notes, file names and settings come from the open web or from
whoever wrote the file; a terminal would obey the control characters in them (ESC sequences clear
the screen, set the window title, or, with OSC 52, write to the clipboard). :func:`visible` turns
each one into a character a person can see: the C0 controls and DEL into their Unicode control
pictures (ESC shows as ``␛``, BEL as ``␇``), and the C1 controls, which have no picture, into
``\\x9b``-style escapes. Newline and tab are layout and stay. The command line's human output and
the review queue show outside text through this one function; ``--json`` output keeps the text
exact (JSON escapes control characters itself).
"""

from __future__ import annotations

from typing import Final

KEPT: Final = frozenset("\n\t")
_CONTROL_PICTURES: Final = 0x2400  # U+2400 SYMBOL FOR NULL; U+241B is ␛, U+2421 is ␡


def _visible_form(codepoint: int) -> str:
    if codepoint < 0x20:
        return chr(_CONTROL_PICTURES + codepoint)
    if codepoint == 0x7F:
        return "\u2421"
    return f"\\x{codepoint:02x}"


_TRANSLATION: Final[dict[int, str]] = {
    codepoint: _visible_form(codepoint)
    for codepoint in (*range(0x20), 0x7F, *range(0x80, 0xA0))
    if chr(codepoint) not in KEPT
}


def visible(text: str) -> str:
    """``text`` with every control character but newline and tab made visible (see above)."""
    return text.translate(_TRANSLATION)
