"""Fetching pages and feeds over HTTP: deadlines, address checks, conditional requests, politeness.

urllib3 (already installed with trafilatura) does the HTTP; this module adds what a scheduled job
reading the open web needs:

- **One deadline per request**: connecting, the headers and the body together end at ``timeout``
  seconds, however slowly a server drips bytes (a watchdog shuts the socket down when the time is
  up; urllib3's own timeouts bound each socket operation only).
- **No requests into the private network** from what a page says: a URL found in a feed, an index
  page or a redirect is fetched only when every address its host resolves to is public (not
  loopback, private, link-local such as 169.254.169.254, multicast, unspecified or reserved, in
  IPv4, IPv6 or IPv4 inside IPv6), unless the caller allows private addresses. The check runs
  where the socket is opened, on the very addresses then connected to (resolved once, checked,
  connected): a host that resolves to a public address when looked at and a private one when
  connected to (DNS rebinding) meets the check at the second look-up too. A URL the user wrote
  (``ingest URL``, a source's ``url``, a line of a URL list) is the user's choice and may go
  anywhere; where it redirects is checked like any URL found on the web.
- a per-host delay between requests, ``If-None-Match`` / ``If-Modified-Since`` from what the last
  fetch returned, a size limit, and a :class:`FetchError` with a one-line reason for every failure
  (timeout, refused, HTTP status, too large, a private address).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection

from claimtrack import __version__

# urllib3 logs each retry at WARNING; unconfigured, Python would print those on stderr next to
# claimtrack's own one line per failure
logging.getLogger("urllib3").addHandler(logging.NullHandler())

USER_AGENT = f"claimtrack/{__version__} (+https://github.com/claimtrack/claimtrack)"
MAX_REDIRECTS = 5
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
PRIVATE_HINT = "only a source with allow_private = true in claimtrack.toml may fetch it"


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


# -- which addresses a URL found on the web may reach ---------------------------------------------

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4), which is where it goes."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def non_public_kind(address: str) -> str | None:
    """What kind of non-public address ``address`` is ("loopback", "private", ...), or None when
    it is a public one."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(
        address.split("%", 1)[0]  # an IPv6 scope (fe80::1%eth0)
    )
    if isinstance(ip, ipaddress.IPv6Address):
        ip = _embedded_ipv4(ip) or ip
    kinds = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-public", not ip.is_global),
    )
    return next((kind for kind, applies in kinds if applies), None)


class AddressRefused(urllib3.exceptions.HTTPError):
    """The host resolves to an address a URL found on the web may not reach (not retried)."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        article = "an" if kind[0] in "aeiou" else "a"
        what = f"{article} {kind} address"
        where = (
            f"{address} is {what}" if host == address else f"{host} resolves to {address}, {what}"
        )
        super().__init__(f"{where}; {PRIVATE_HINT}")


class DeadlinePassed(urllib3.exceptions.HTTPError):
    """The request's time was up before a connection was opened (not retried)."""


# -- one request's deadline and address rule, seen by the connections it opens --------------------


class _Deadline:
    """The end of one request (all its redirects): a watchdog shuts down every socket the request
    opened when the time is up, so a blocked read returns at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(self.ends - time.monotonic(), 0.0)

    def watch(self, sock: socket.socket) -> None:
        """Watch ``sock`` (through a duplicate: TLS wrapping detaches the original)."""
        with self._lock:
            if self.expired:
                raise DeadlinePassed("timed out")
            self._sockets.append(sock.dup())

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):  # already closed by the other end
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


@dataclass(frozen=True)
class _Scope:
    """What a connection opened for one request (one redirect hop) must respect."""

    deadline: _Deadline
    allow_private: bool


_current = threading.local()


def _scope() -> _Scope:
    scope: _Scope | None = getattr(_current, "scope", None)
    if scope is None:  # only Fetcher.get opens connections
        raise DeadlinePassed("a connection opened outside Fetcher.get")
    return scope


def _resolve(connection: HTTPConnection) -> list[tuple[Any, ...]]:
    """``getaddrinfo`` for a TCP connection to the host: (family, type, proto, sockaddr)."""
    try:
        found = socket.getaddrinfo(connection._dns_host, connection.port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise urllib3.exceptions.NameResolutionError(connection.host, connection, error) from error
    return [(family, kind, proto, address) for family, kind, proto, _, address in found]


def _checked_socket(connection: HTTPConnection) -> socket.socket:
    """Resolve the host once, refuse it if any address is not allowed, connect to those
    addresses (never to a second look-up), and put the socket under the request's deadline."""
    scope = _scope()
    remaining = scope.deadline.remaining()
    if remaining <= 0:
        raise DeadlinePassed("timed out")
    found = _resolve(connection)
    if not scope.allow_private:
        for *_, address in found:
            kind = non_public_kind(address[0])
            if kind is not None:
                raise AddressRefused(connection.host, address[0], kind)
    timeout = connection.timeout if isinstance(connection.timeout, float | int) else remaining
    last: OSError | None = None
    for family, kind, proto, address in found:
        sock = socket.socket(family, kind, proto)
        try:
            for option in connection.socket_options or ():
                sock.setsockopt(*option)
            sock.settimeout(min(timeout, remaining))
            sock.connect(address)
        except OSError as error:
            sock.close()
            last = error
            continue
        try:
            scope.deadline.watch(sock)
        except DeadlinePassed:
            sock.close()
            raise
        connection._opened_in = scope  # type: ignore[attr-defined]
        return sock
    if isinstance(last, TimeoutError):
        raise urllib3.exceptions.ConnectTimeoutError(connection, "connecting timed out")
    raise urllib3.exceptions.NewConnectionError(connection, f"cannot connect: {last}")


class _GuardedHTTPConnection(HTTPConnection):
    """A connection whose socket is opened by :func:`_checked_socket`, and that serves only the
    request it was opened for (no keep-alive across requests, whose address rules differ)."""

    def _new_conn(self) -> socket.socket:
        return _checked_socket(self)

    def request(self, *args: Any, **kwargs: Any) -> None:
        if self.sock is not None and getattr(self, "_opened_in", None) is not _scope():
            self.close()  # opened for another request: connect (and check) again
        super().request(*args, **kwargs)


class _GuardedHTTPSConnection(_GuardedHTTPConnection, HTTPSConnection):
    pass


class _GuardedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


# -- the fetcher ----------------------------------------------------------------------------------


@dataclass
class Fetcher:
    """One fetcher per run: pooled connections and the time of the last request to each host."""

    timeout: float = 20.0  # seconds for a whole request: connect, redirects, headers and body
    delay: float = 1.0  # seconds between two requests to the same host
    max_bytes: int = 20_000_000
    retries: int = 1
    _pool: urllib3.PoolManager = field(init=False, repr=False)
    _last: dict[str, float] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._pool = urllib3.PoolManager(
            retries=urllib3.Retry(
                total=self.retries, connect=self.retries, read=0, redirect=0, status=0
            ),
        )
        self._pool.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}

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
        allow_private: bool = False,
        user_url: bool = False,
    ) -> Fetched:
        """GET ``url`` (conditionally when ``etag`` or ``last_modified`` is given), following
        redirects, all within ``timeout`` seconds.

        Private addresses are refused unless ``allow_private``; ``user_url`` says the user wrote
        ``url`` (not a page): it may then be private itself, but not where it redirects."""
        headers = {"User-Agent": USER_AGENT}  # given headers replace the pool's defaults
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = _Deadline(self.timeout)
        try:
            current = url
            for hop in range(MAX_REDIRECTS + 1):
                parts = urlsplit(current)
                if parts.scheme not in ("http", "https") or not parts.netloc:
                    raise FetchError(url, f"not an http(s) URL: {current[:200]}")
                if hop == 0:
                    self._wait_for(parts.netloc, self.delay if delay is None else delay)
                scope = _Scope(deadline, allow_private or (user_url and hop == 0))
                response = self._request(url, current, headers, scope)
                location = response.get_redirect_location()
                if response.status not in REDIRECT_STATUSES or not location:
                    return self._read(url, current, response, deadline, etag, last_modified)
                response.close()  # a redirect's body is not read
                response.release_conn()
                current = urljoin(current, str(location))
            raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")
        finally:
            deadline.close()

    def _request(
        self, url: str, current: str, headers: dict[str, str], scope: _Scope
    ) -> urllib3.BaseHTTPResponse:
        remaining = scope.deadline.remaining()
        _current.scope = scope
        try:
            return self._pool.request(
                "GET",
                current,
                headers=headers,
                preload_content=False,
                redirect=False,
                timeout=urllib3.Timeout(connect=remaining, read=remaining),
            )
        except AddressRefused as error:
            raise FetchError(url, f"refused: {error}") from error
        except urllib3.exceptions.MaxRetryError as error:
            raise FetchError(url, _reason(error.reason, scope.deadline)) from error
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(url, _reason(error, scope.deadline)) from error
        finally:
            _current.scope = None

    def _read(
        self,
        url: str,
        final: str,
        response: urllib3.BaseHTTPResponse,
        deadline: _Deadline,
        etag: str | None,
        last_modified: str | None,
    ) -> Fetched:
        body = bytearray()
        try:
            if response.status == 304:
                return Fetched(url, 304, b"", etag, last_modified, None)
            if response.status >= 400:
                raise FetchError(url, f"HTTP {response.status} {response.reason or ''}".strip())
            for piece in response.stream(65536):
                body.extend(piece)
                if len(body) > self.max_bytes:
                    raise FetchError(url, f"larger than {self.max_bytes:,} bytes")
                if deadline.expired:
                    raise FetchError(url, _timed_out(deadline))
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(url, _reason(error, deadline)) from error
        finally:
            response.close()  # never reused: the next request connects (and is checked) anew
            response.release_conn()
        if deadline.expired:  # the watchdog cut the body short and it looked complete
            raise FetchError(url, _timed_out(deadline))
        return Fetched(
            url=final,
            status=response.status,
            body=bytes(body),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_type=response.headers.get("Content-Type"),
        )

    def close(self) -> None:
        self._pool.clear()


def _timed_out(deadline: _Deadline) -> str:
    return f"timed out (no complete answer within {deadline.seconds:g} s)"


def _reason(error: BaseException | None, deadline: _Deadline) -> str:
    # a broken connection after the watchdog fired is the deadline, whatever urllib3 calls it
    if deadline.expired or isinstance(error, DeadlinePassed):
        return _timed_out(deadline)
    if isinstance(error, AddressRefused):
        return f"refused: {error}"
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
