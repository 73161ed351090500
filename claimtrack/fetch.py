"""Fetching pages and feeds over HTTP: timeouts, conditional requests, politeness, one clear error.

urllib3 (already installed with trafilatura) does the HTTP; this module adds what a scheduled job
needs: a per-host delay between requests, ``If-None-Match`` / ``If-Modified-Since`` from what the
last fetch returned, a size limit, and a :class:`FetchError` with a one-line reason for every
failure (timeout, refused, HTTP status, too large).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3

from claimtrack import __version__

# urllib3 logs each retry at WARNING; unconfigured, Python would print those on stderr next to
# claimtrack's own one line per failure
logging.getLogger("urllib3").addHandler(logging.NullHandler())

USER_AGENT = f"claimtrack/{__version__} (+https://github.com/claimtrack/claimtrack)"


class FetchError(Exception):
    """A fetch that failed, with the reason in one line."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 when the conditional request found nothing new
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class Fetcher:
    """One fetcher per run: pooled connections and the time of the last request to each host."""

    timeout: float = 20.0
    delay: float = 1.0  # seconds between two requests to the same host
    max_bytes: int = 20_000_000
    retries: int = 1
    _pool: urllib3.PoolManager = field(init=False, repr=False)
    _last: dict[str, float] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._pool = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=self.timeout, read=self.timeout),
            retries=urllib3.Retry(
                total=self.retries, connect=self.retries, read=0, redirect=5, status=0
            ),
        )

    def _wait_for(self, host: str, delay: float) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)
        self._last[host] = time.monotonic()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        delay: float | None = None,
    ) -> Fetched:
        """GET ``url`` (conditionally when ``etag`` or ``last_modified`` is given)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FetchError(url, "not an http(s) URL")
        self._wait_for(parts.netloc, self.delay if delay is None else delay)
        headers = {"User-Agent": USER_AGENT}  # given headers replace the pool's defaults
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            response = self._pool.request(
                "GET", url, headers=headers, preload_content=False, redirect=True
            )
        except urllib3.exceptions.MaxRetryError as error:
            raise FetchError(url, _reason(error.reason)) from error
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(url, _reason(error)) from error
        try:
            if response.status == 304:
                return Fetched(url, 304, b"", etag, last_modified, None)
            if response.status >= 400:
                raise FetchError(url, f"HTTP {response.status} {response.reason or ''}".strip())
            body = bytearray()
            for piece in response.stream(65536):
                body.extend(piece)
                if len(body) > self.max_bytes:
                    raise FetchError(url, f"larger than {self.max_bytes:,} bytes")
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(url, _reason(error)) from error
        finally:
            response.release_conn()
        final = urljoin(url, response.geturl() or url)  # urllib3 gives the path after redirects
        return Fetched(
            url=str(final),
            status=response.status,
            body=bytes(body),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_type=response.headers.get("Content-Type"),
        )

    def close(self) -> None:
        self._pool.clear()


def _reason(error: BaseException | None) -> str:
    # most specific first: NameResolutionError is a NewConnectionError, which (in urllib3 2) is a
    # ConnectTimeoutError
    if isinstance(error, urllib3.exceptions.NameResolutionError):
        return "cannot resolve the host name"
    if isinstance(error, urllib3.exceptions.NewConnectionError):
        return "cannot connect (connection refused or host unreachable)"
    if isinstance(error, (urllib3.exceptions.TimeoutError)):
        return "timed out"
    if isinstance(error, urllib3.exceptions.ProtocolError):
        return "the connection broke off"
    return " ".join(str(error).split())[:200] if error else "failed"
