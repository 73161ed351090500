"""Reading gold attributions from a brat standoff folder laid out as PolNeAR is.

Layout: ``<root>/text/<name>.txt`` is an article and ``<root>/attributions/<name>_<annotator>.ann``
holds its annotation, with character offsets into the text file (read as UTF-8, newlines kept as
they are, so offsets count the same characters brat counted). The annotator is what follows the
last ``_`` of the file stem; the rest is the article name.

**One annotator per article.** When an article has several annotators' files (PolNeAR dev has two
such articles), the file of the first annotator in sorted order is read and the others are left
alone, so the gold set does not depend on directory listing order. The chosen annotator is kept in
:attr:`GoldDocument.annotator`.

Lines of an ``.ann`` file:

- ``T`` (text-bound): ``T1<TAB>Source 89 106<TAB>The New York Post``; a discontinuous span lists
  its pieces as ``start end;start end``. The offsets must lie inside the text and the span text
  must be what the offsets cut from the article (compared with whitespace runs collapsed, since
  brat joins the pieces of a discontinuous span with a space).
- ``E`` (event): ``E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1``. Events whose type is
  ``Attribution`` or starts with ``Attribution-`` (PolNeAR also has ``Attribution-no-source``) are
  attributions; the type does not decide whether there is a source, the ``Source`` argument does.
  brat numbers repeated roles (``Content2``): their pieces are merged into the role's span.
  Arguments with other roles are ignored.
- every other line type (``A``, ``R``, ``N``, ``#`` notes, ...) and blank lines are ignored.

An attribution event without a ``Cue`` or without a ``Content`` argument is skipped, as Citron's
PARC extractor (``bbc/citron`` ``scripts/preprocess/parc_extractor.py``,
``ParcParser.get_parc_attributions``) skips relations without a cue or content; PolNeAR dev has one
such event (an ``E`` line with a trigger and no arguments). Unlike that extractor, an attribution
without a ``Source`` is kept, with ``source=None``.

A line that cannot be read (a ``T`` line without offsets, offsets outside the text, an ``E``
argument naming an undefined id, ...) raises :class:`~claimtrack.errors.InputError` naming the file
and line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from claimtrack.errors import InputError

TEXT_DIR = "text"
ANNOTATION_DIR = "attributions"
ROLES = ("Source", "Cue", "Content")

_OFFSETS = re.compile(r"\d+ \d+(?:;\d+ \d+)*")
_ROLE = re.compile(r"(?P<role>.*?)(?P<number>\d*)")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Characters ``start`` (inclusive) to ``end`` (exclusive) of an article's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}: need 0 <= start <= end")


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who (source) says (cue) what (content); each part is its span's pieces, in text order.

    ``source`` is ``None`` when the attribution has no source span (an empty tuple counts as none
    when scoring too).
    """

    source: tuple[Span, ...] | None
    cue: tuple[Span, ...]
    content: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One article and its gold attributions, in the order the annotation file defines them."""

    name: str
    text: str = field(repr=False)
    attributions: tuple[Attribution, ...]
    annotator: str | None = None


def read_brat_folder(root: str | Path) -> tuple[list[GoldDocument], list[InputError]]:
    """Read every annotated article under ``root``, sorted by name, and the errors of the
    articles that could not be read (the rest are read all the same).

    Articles without an annotation file are not gold for "no attributions" and are left out; an
    annotation file without its text file, or with a line that does not parse, is left out with
    an :class:`InputError` naming the file, the line and why. A folder that is not a brat
    attribution folder raises it.
    """
    root = Path(root)
    text_dir, annotation_dir = root / TEXT_DIR, root / ANNOTATION_DIR
    for folder in (text_dir, annotation_dir):
        if not folder.is_dir():
            raise InputError(str(root), f"not a brat attribution folder: {folder} is missing")
    chosen: dict[str, tuple[str, Path]] = {}
    for ann_path in sorted(annotation_dir.glob("*.ann")):
        name, sep, annotator = ann_path.stem.rpartition("_")
        if not sep or not name or not annotator:
            raise InputError(str(ann_path), "file name is not <article>_<annotator>.ann")
        if name not in chosen or annotator < chosen[name][0]:
            chosen[name] = (annotator, ann_path)
    documents = []
    rejected = []
    for name in sorted(chosen):
        annotator, ann_path = chosen[name]
        text_path = text_dir / f"{name}.txt"
        try:
            if not text_path.is_file():
                raise InputError(str(ann_path), f"no text file {text_path} for this annotation")
            text = _read_utf8(text_path)
            attributions = parse_ann(_read_utf8(ann_path), text, str(ann_path))
        except InputError as error:
            rejected.append(error)
            continue
        documents.append(GoldDocument(name, text, attributions, annotator))
    return documents, rejected


def load_polnear_gold(split_dir: str | Path) -> tuple[list[GoldDocument], list[InputError]]:
    """Gold attributions of one PolNeAR split, e.g. ``../shared/datasets/polnear/data/dev``, and
    the annotation files left out because they could not be read (three in train).

    Raises :class:`InputError` when the folder is not a brat attribution folder or holds no
    readable annotations.
    """
    documents, rejected = read_brat_folder(split_dir)
    if not documents:
        if rejected:
            raise InputError(str(split_dir), f"no readable .ann file; the first: {rejected[0]}")
        raise InputError(str(split_dir), "no .ann files under attributions/")
    return documents, rejected


def parse_ann(content: str, text: str, path: str = "<ann>") -> tuple[Attribution, ...]:
    """The attributions of one ``.ann`` file's ``content`` over the article ``text``.

    ``path`` only names the file in errors.
    """
    spans: dict[str, tuple[Span, ...]] = {}
    events: list[tuple[int, str, str]] = []
    for number, line in _annotation_lines(content):
        if not line.strip():
            continue
        ident, _, rest = line.partition("\t")
        if ident.startswith("T"):
            if ident in spans:
                raise InputError(path, f"{ident} is defined twice", number)
            spans[ident] = _parse_text_bound(rest, text, path, number)
        elif ident.startswith("E"):
            events.append((number, ident, rest))
    attributions = []
    for number, ident, rest in events:
        attribution = _parse_event(ident, rest, spans, path, number)
        if attribution is not None:
            attributions.append(attribution)
    return tuple(attributions)


_ANNOTATION_START = re.compile(r"(?:[TEARMN]\d+|#\d*|\*)[\t ]")


def _annotation_lines(content: str) -> list[tuple[int, str]]:
    """(line number, annotation) for each annotation of an ``.ann`` file. A span whose text
    crosses a line break is written over several lines (three PolNeAR train files do it): a line
    that does not start an annotation continues the one before."""
    found: list[tuple[int, str]] = []
    for number, line in enumerate(content.splitlines(), start=1):
        if found and not _ANNOTATION_START.match(line):
            first, text = found[-1]
            found[-1] = (first, f"{text}\n{line}")
        else:
            found.append((number, line))
    return found


def _parse_text_bound(rest: str, text: str, path: str, number: int) -> tuple[Span, ...]:
    type_and_offsets, tab, span_text = rest.partition("\t")
    label, _, offsets = type_and_offsets.partition(" ")
    if not tab or not label or not _OFFSETS.fullmatch(offsets):
        raise InputError(
            path, "expected 'T<n><TAB><type> <start> <end>[;<start> <end>]<TAB><text>'", number
        )
    pieces = []
    for piece in offsets.split(";"):
        start, end = (int(value) for value in piece.split(" "))
        if not start < end <= len(text):
            raise InputError(
                path,
                f"span {start} {end} is empty, reversed or past the end of the text "
                f"({len(text)} characters)",
                number,
            )
        pieces.append(Span(start, end))
    cut = " ".join(text[span.start : span.end] for span in pieces)
    if _squash(cut) != _squash(span_text):
        raise InputError(path, f"span text does not match the article at offsets {offsets}", number)
    return tuple(sorted(pieces))


def _parse_event(
    ident: str, rest: str, spans: dict[str, tuple[Span, ...]], path: str, number: int
) -> Attribution | None:
    arguments = rest.split()
    if not arguments:
        raise InputError(path, f"event {ident} has no type", number)
    parts: dict[str, list[Span]] = defaultdict(list)
    event_type = ""
    for position, argument in enumerate(arguments):
        role, colon, target = argument.partition(":")
        if not colon or not role or not target:
            raise InputError(path, f"event argument {argument!r} is not <role>:<id>", number)
        if target not in spans:
            raise InputError(
                path, f"event {ident} refers to {target}, which is not defined", number
            )
        if position == 0:
            event_type = role
            continue
        match = _ROLE.fullmatch(role)
        base = match.group("role") if match else role
        if base in ROLES:
            parts[base].extend(spans[target])
    if event_type != "Attribution" and not event_type.startswith("Attribution-"):
        return None
    if not parts["Cue"] or not parts["Content"]:
        return None
    source = tuple(sorted(parts["Source"])) or None
    return Attribution(source, tuple(sorted(parts["Cue"])), tuple(sorted(parts["Content"])))


def _squash(value: str) -> str:
    return _WHITESPACE.sub(" ", value).strip()


def _read_utf8(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(str(path), f"not UTF-8 ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror}") from None
