"""``claimtrack.toml``: the sources a scheduled re-check reads, and how it runs.

Found beside the database (``claimtrack.toml`` in the same folder) or given with ``--config``.
Relative paths in it are relative to the file's folder, so the file and its inbox can move
together. Example::

    [recheck]
    backend = "rules"            # or "llm" (then OPENAI_* and CLAIMTRACK_MODEL apply)
    stale_after_days = 30        # items with no news for this long are listed as stale
    delay = 1.0                  # seconds between two requests to the same host
    timeout = 20                 # seconds a whole fetch may take (connect, headers, body)

    [[sources]]
    name = "inbox"
    type = "inbox"               # a folder: new files only (by content hash)
    path = "inbox"

    [[sources]]
    name = "wikinews"
    type = "feed"                # RSS or Atom; each entry's page is fetched and extracted
    url = "https://en.wikinews.org/w/index.php?title=Special:NewsFeed&feed=atom"
    delay = 2.0                  # this source's own politeness delay
    max_links = 50               # new entries fetched per run (the rest wait for the next run)

    [[sources]]
    name = "watchlist"
    type = "urls"                # a text file, one URL a line (# comments)
    path = "urls.txt"

    [[sources]]
    name = "council"
    type = "index"               # an HTML page listing articles (a site without a feed)
    url = "https://example.org/news/"
    links = "/news/20"           # optional: a regular expression article links must match
    allow_private = false        # true: links and redirects may reach private addresses

The URLs written here (and in a URL list) are fetched wherever they point; the URLs a feed, an
index page or a redirect hands over must resolve to public addresses unless the source says
``allow_private = true`` (an intranet site, a test server on 127.0.0.1).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from claimtrack.errors import UsageError

CONFIG_NAME = "claimtrack.toml"
MAX_SECONDS = 3600.0  # the longest timeout or delay: more is a typo (1e308 overflowed the clock)


class SourceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    type: Literal["inbox", "feed", "urls", "index"]
    path: Path | None = None
    url: str | None = None
    delay: float | None = Field(None, ge=0, le=MAX_SECONDS, allow_inf_nan=False)
    links: str | None = None  # index: a regular expression the article links must match
    max_links: int = Field(50, gt=0)  # feed, index: new pages fetched per run, in listing order
    allow_private: bool = False  # links and redirects may reach loopback or private addresses

    @model_validator(mode="after")
    def _where(self) -> SourceConfig:
        if self.type in ("inbox", "urls") and self.path is None:
            raise ValueError(f"a {self.type} source needs 'path'")
        if self.type in ("feed", "index") and not self.url:
            raise ValueError(f"a {self.type} source needs 'url'")
        if self.links is not None:
            try:
                re.compile(self.links)
            except re.error as error:
                raise ValueError(f"'links' is not a regular expression: {error}") from None
        return self


class RecheckSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: Literal["rules", "llm"] | None = None
    model: str | None = None
    stale_after_days: int = Field(30, gt=0)
    delay: float = Field(1.0, ge=0, le=MAX_SECONDS, allow_inf_nan=False)
    timeout: float = Field(20.0, gt=0, le=MAX_SECONDS, allow_inf_nan=False)
    max_attempts: int = Field(3, gt=0)  # a page that keeps failing is given up after this many
    concurrency: int = Field(4, gt=0)  # LLM calls in flight (extract and track)
    candidates: int | None = Field(None, gt=0)  # earlier items judged per article (track's k)


class RecheckConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    recheck: RecheckSettings = Field(default_factory=lambda: RecheckSettings.model_validate({}))
    sources: list[SourceConfig] = Field(default_factory=list)
    path: Path | None = Field(None, exclude=True)  # the file it was read from

    @model_validator(mode="after")
    def _unique_names(self) -> RecheckConfig:
        names = [source.name for source in self.sources]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"source names must be unique: {', '.join(repeated)}")
        return self


def find_config(db: Path, given: Path | None) -> Path | None:
    """``--config`` if given (it must exist), else ``claimtrack.toml`` beside the database."""
    if given is not None:
        if not given.is_file():
            raise UsageError(f"{given}: no such config file")
        return given
    beside = db.resolve().parent / CONFIG_NAME
    return beside if beside.is_file() else None


def load_config(path: Path | None) -> RecheckConfig:
    """Read and check the config; one line naming the file (and the line or field) if it is bad.
    No file: no sources (extract, track and the time rules still run)."""
    if path is None:
        return RecheckConfig.model_validate({})
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: invalid TOML: {error}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read: {error}") from error
    try:
        config = RecheckConfig.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise UsageError(f"{path}: {where}: {first['msg']}") from error
    base = path.resolve().parent
    for source in config.sources:
        if source.path is not None and not source.path.is_absolute():
            source.path = base / source.path
    config.path = path
    return config
