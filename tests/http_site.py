"""A small news site on 127.0.0.1 for the re-check and URL tests: pages, feeds, and failures.

``Site`` serves whatever is put in ``site.pages`` (path -> (status, content type, body)), honours
``If-None-Match`` for pages that have an ETag (answering 304), and records every request (path and
headers) so that tests can check what claimtrack asked for. Real HTTP over a real socket: the
fetch code under test is not patched.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # more headers (e.g. Location)


@dataclass
class Request:
    path: str
    headers: dict[str, str]


@dataclass
class Site:
    pages: dict[str, Page] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def url(self, path: str) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def requested(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def __enter__(self) -> Site:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(
                    Request(self.path, {k.lower(): v for k, v in self.headers.items()})
                )
                page = site.pages.get(self.path)
                if page is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "9")
                    self.end_headers()
                    self.wfile.write(b"not found")
                    return
                if page.etag and self.headers.get("If-None-Match") == page.etag:
                    self.send_response(304)
                    self.send_header("ETag", page.etag)
                    self.end_headers()
                    return
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                if page.etag:
                    self.send_header("ETag", page.etag)
                for name, value in page.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def article_page(title: str, paragraphs: list[str], published: str = "2026-02-10") -> Page:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        "<!doctype html><html><head>"
        f"<title>{title}</title>"
        f'<meta property="article:published_time" content="{published}">'
        "</head><body><nav>Home | World | Sport</nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright Harbour Gazette</footer></body></html>"
    )
    return Page(html.encode("utf-8"))


def rss(title: str, entries: list[tuple[str, str, str]], etag: str | None = None) -> Page:
    """An RSS 2.0 feed of (title, link, pubDate) entries."""
    items = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{date}</pubDate></item>"
        for t, link, date in entries
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.org/</link><description>news</description>"
        f"{items}</channel></rss>"
    )
    return Page(xml.encode("utf-8"), content_type="application/rss+xml", etag=etag)


def redirect(location: str, status: int = 302) -> Page:
    return Page(b"", status=status, headers={"Location": location})
