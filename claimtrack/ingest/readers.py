"""Reading article files: finding them, telling good from bad, and turning each into records.

Every reader yields :class:`~claimtrack.articles.ArticleRecord` objects, :class:`InputError` for an
input that cannot be used (with the file, the line when there is one, and the reason), and
:class:`InputWarning` for something worth telling that does not stop the article (an unreadable
date). A file-level problem (empty, binary, not UTF-8, too large) yields one error and no records.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from claimtrack.articles import ArticleRecord, normalize_text
from claimtrack.errors import InputError
from claimtrack.ingest.dates import UnreadableDate, parse_published_zoned

SNIFF_BYTES = 8192
HTML_SIZE_FACTOR = 10  # raw HTML may be this many times the text limit before we refuse to parse it
TITLE_MAX_CHARS = 200

# Fields of a JSON record (and of front matter) that are article columns; the rest goes to ``meta``.
_FIELD_ALIASES = {
    "id": "id",
    "title": "title",
    "headline": "title",
    "text": "text",
    "body": "text",
    "published": "published",
    "date": "published",
    "published_at": "published",
    "source": "source",
    "url": "url",
    "story": "story",
}


@dataclass(frozen=True, slots=True)
class InputWarning:
    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


ReadItem = ArticleRecord | InputError | InputWarning


@dataclass(frozen=True, slots=True)
class Limits:
    max_article_bytes: int


def _human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000  # type: ignore[assignment]
    raise AssertionError("unreachable")  # pragma: no cover


# -- finding files --------------------------------------------------------------------------------


def is_url(arg: str) -> bool:
    return arg.startswith(("http://", "https://"))


def discover(args: list[str]) -> Iterator[Path | InputError]:
    """The files named by ``args``, folders walked recursively in name order.

    Hidden files and folders (a leading dot) inside a folder are passed over; symlinks are followed,
    with a loop reported once instead of walked forever.
    """
    for arg in args:
        path = Path(arg)
        try:
            if path.is_dir():
                yield from _walk(path, set())
            elif path.exists():
                yield path
            elif path.is_symlink():
                yield InputError(arg, _dangling_link_reason(path))
            else:
                yield InputError(arg, "no such file or folder")
        except OSError as error:  # a symlink loop named directly, permission denied ...
            yield InputError(arg, error.strerror or str(error))


def _dangling_link_reason(path: Path) -> str:
    try:
        path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
    return "broken symbolic link"


def _walk(folder: Path, seen: set[tuple[int, int]]) -> Iterator[Path | InputError]:
    try:
        info = folder.stat()
    except OSError as error:
        yield InputError(str(folder), error.strerror or str(error))
        return
    key = (info.st_dev, info.st_ino)
    if key in seen:
        yield InputError(str(folder), "symbolic link loop; folder already visited")
        return
    seen = seen | {key}
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        yield InputError(str(folder), error.strerror or str(error))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir():
                yield from _walk(path, seen)
            elif entry.is_file():
                yield path
            elif entry.is_symlink():
                yield InputError(str(path), "broken symbolic link")
        except OSError as error:
            yield InputError(str(path), error.strerror or str(error))


# -- reading one file -----------------------------------------------------------------------------


def read_path(path: Path, limits: Limits) -> Iterator[ReadItem]:
    """Everything one file holds: records, errors and warnings."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        supported = " ".join(sorted(READERS))
        yield InputError(
            str(path), f"unsupported file type {path.suffix or '(none)'!r} (supported: {supported})"
        )
        return
    try:
        size = path.stat().st_size
        if size == 0:
            yield InputError(str(path), "empty file")
            return
        yield from reader(path, size, limits)
    except OSError as error:
        yield InputError(str(path), f"cannot read: {error.strerror or error}")


def _check_bytes(path: Path, data: bytes) -> str | InputError:
    """Decode a whole file, or say in one line why it is not UTF-8 text."""
    if b"\x00" in data:
        return InputError(str(path), "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return InputError(str(path), f"invalid UTF-8 (byte {error.start})", line)


def _too_large(
    path: Path | str, size: int, limit: int, what: str = "file", line: int | None = None
) -> InputError:
    return InputError(
        str(path),
        f"{what} is {_human_size(size)}, over the article limit of {_human_size(limit)} "
        "(raise it with --max-bytes or CLAIMTRACK_MAX_ARTICLE_BYTES)",
        line,
    )


def _first_line_title(text: str, markdown: bool) -> str | None:
    first, _, rest = text.partition("\n")
    first = first.strip()
    if markdown:
        if not first.startswith("#"):
            return None
        first = first.lstrip("#").strip()
    if not first or not rest.strip() or len(first) > TITLE_MAX_CHARS:
        return None
    return first


@cache
def _front_matter_handler() -> Any:
    """python-frontmatter's YAML handler, refusing aliases: a 500-byte front matter of nested
    aliases ("billion laughs") would otherwise expand to gigabytes when kept in ``meta``."""
    import yaml
    from frontmatter.default_handlers import YAMLHandler

    class NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(None, None, "aliases are not allowed", mark)
            return super().compose_node(parent, index)

    class NoAliasHandler(YAMLHandler):
        def load(self, fm: str, **kwargs: object) -> Any:
            return yaml.load(fm, Loader=NoAliasLoader)  # a SafeLoader: no arbitrary objects

    return NoAliasHandler()


def _read_text_file(path: Path, size: int, limits: Limits) -> Iterator[ReadItem]:
    if size > limits.max_article_bytes:
        yield _too_large(path, size, limits.max_article_bytes)
        return
    decoded = _check_bytes(path, path.read_bytes())
    if isinstance(decoded, InputError):
        yield decoded
        return
    fields: dict[str, Any] = {}
    body = decoded.removeprefix("\ufeff")
    if body.startswith("---"):
        import frontmatter
        import yaml

        try:
            metadata, body = frontmatter.parse(body, handler=_front_matter_handler())
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(error, "problem", None) or "not valid YAML"
            yield InputError(str(path), f"invalid front matter: {problem}", line)
            return
        fields = {str(key): value for key, value in metadata.items()}  # YAML keys may be dates
    text = normalize_text(body)
    if "title" not in fields and "headline" not in fields:
        title = _first_line_title(text, markdown=path.suffix.lower() == ".md")
        if title:
            fields["title"] = title
    yield from _record(fields, text, path, None, str(path.resolve()), limits)


def _read_html(path: Path, size: int, limits: Limits) -> Iterator[ReadItem]:
    if size > limits.max_article_bytes * HTML_SIZE_FACTOR:
        yield _too_large(path, size, limits.max_article_bytes * HTML_SIZE_FACTOR, "HTML file")
        return
    yield from html_records(path.read_bytes(), str(path), str(path.resolve()), limits)


def html_records(
    data: bytes,
    where: str,
    origin: str,
    limits: Limits,
    *,
    defaults: Mapping[str, Any] | None = None,
) -> Iterator[ReadItem]:
    """The article in a web page (a file's bytes or a fetched page), extracted with trafilatura.

    ``defaults`` fill the fields the page does not give (a feed entry's title, date and link).
    """
    if b"\x00" in data:
        yield InputError(where, "binary file (contains NUL bytes), not HTML")
        return
    import trafilatura

    document = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = normalize_text(getattr(document, "text", None) or "")
    if not text:
        yield InputError(where, "no article text found in the HTML")
        return
    fields: dict[str, Any] = {
        "title": getattr(document, "title", None),
        "published": getattr(document, "date", None),
        "source": getattr(document, "sitename", None),
        "url": getattr(document, "url", None),
    }
    page_url = fields["url"]
    if not (isinstance(page_url, str) and page_url.startswith(("http://", "https://"))):
        fields["url"] = None  # a relative or missing link: the URL it was fetched from wins
    for key, value in (defaults or {}).items():
        if value and not fields.get(key):
            fields[key] = value
    yield from _record(fields, text, where, None, origin, limits)


def _read_json(path: Path, size: int, limits: Limits) -> Iterator[ReadItem]:
    decoded = _check_bytes(path, path.read_bytes())
    if isinstance(decoded, InputError):
        yield decoded
        return
    try:
        document = json.loads(decoded)
    except json.JSONDecodeError as error:
        yield InputError(
            str(path), f"invalid JSON: {error.msg} (column {error.colno})", error.lineno
        )
        return
    except RecursionError:
        yield InputError(str(path), "invalid JSON: nested too deeply")
        return
    items = document if isinstance(document, list) else [document]
    origin = str(path.resolve())
    for index, item in enumerate(items, start=1):
        where = f"item {index}: " if isinstance(document, list) else ""
        if not isinstance(item, Mapping):
            yield InputError(str(path), f"{where}expected an article object, got {_kind(item)}")
            continue
        for result in _record_from_fields(item, path, None, f"{origin}#{index}", limits):
            if isinstance(result, InputError) and where:
                yield InputError(str(path), where + result.reason)
            else:
                yield result


def _read_jsonl(path: Path, size: int, limits: Limits) -> Iterator[ReadItem]:
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
        if b"\x00" in head:
            yield InputError(str(path), "binary file (contains NUL bytes), not JSON lines")
            return
        stream.seek(0)
        origin = str(path.resolve())
        non_blank = 0
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            non_blank += 1
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield InputError(
                    str(path), f"invalid UTF-8 (byte {error.start} of the line)", number
                )
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                yield InputError(
                    str(path), f"invalid JSON: {error.msg} (column {error.colno})", number
                )
                continue
            except RecursionError:
                yield InputError(str(path), "invalid JSON: nested too deeply", number)
                continue
            if not isinstance(item, Mapping):
                yield InputError(
                    str(path), f"expected an article object, got {_kind(item)}", number
                )
                continue
            yield from _record_from_fields(item, path, number, f"{origin}:{number}", limits)
        if non_blank == 0:
            yield InputError(str(path), "no articles in the file (only blank lines)")


def _kind(value: object) -> str:
    return {list: "a list", str: "a string", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


# -- from fields to a record ----------------------------------------------------------------------


def _record_from_fields(
    item: Mapping[str, Any], path: Path, line: int | None, origin: str, limits: Limits
) -> Iterator[ReadItem]:
    raw_text = item.get("text", item.get("body"))
    if raw_text is None:
        yield InputError(str(path), "record has no 'text'", line)
        return
    if not isinstance(raw_text, str):
        yield InputError(str(path), f"'text' is {_kind(raw_text)}, not a string", line)
        return
    yield from _record(dict(item), normalize_text(raw_text), path, line, origin, limits)


def _record(
    fields: dict[str, Any],
    text: str,
    path: Path | str,
    line: int | None,
    origin: str,
    limits: Limits,
) -> Iterator[ReadItem]:
    """Validate the text and the known fields; keep the unknown ones in ``meta``."""
    if not text:
        yield InputError(str(path), "no text (the article is empty)", line)
        return
    if "\x00" in text:
        yield InputError(str(path), "text contains NUL characters", line)
        return
    size = len(text.encode("utf-8"))
    if size > limits.max_article_bytes:
        yield _too_large(path, size, limits.max_article_bytes, "text", line)
        return
    known: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    for key, value in fields.items():
        column = _FIELD_ALIASES.get(key)
        if column is None:
            meta[key] = value
        elif column != "text" and column not in known:
            known[column] = value
    record = ArticleRecord(text=text, origin=origin, meta=_jsonable(meta))
    for column in ("title", "source", "url", "id", "story"):
        value = known.get(column)
        if value is None or value == "":
            continue
        if not isinstance(value, (str, int)):
            yield InputWarning(str(path), f"ignored {column!r}: {_kind(value)}, not text", line)
            continue
        value = str(value).strip()
        if column == "id":
            record.external_id = value
        else:
            setattr(record, column, value)
    try:
        published = parse_published_zoned(known.get("published"))
    except UnreadableDate as error:
        yield InputWarning(str(path), f"{error}; recorded as undated", line)
        published = None
    if published is not None:
        record.published, record.published_precision, record.published_offset = published
    yield record


def _jsonable(meta: dict[str, Any]) -> dict[str, Any]:
    """Front matter may hold dates and other YAML types: keep them as text."""
    kept: dict[str, Any] = json.loads(json.dumps(meta, default=str, ensure_ascii=False))
    return kept


READERS: dict[str, Callable[[Path, int, Limits], Iterator[ReadItem]]] = {
    ".txt": _read_text_file,
    ".md": _read_text_file,
    ".markdown": _read_text_file,
    ".html": _read_html,
    ".htm": _read_html,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
}
