"""Ingestion of every supported format into a store on tmp_path, called as a library."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from claimtrack.articles import article_id, normalize_text
from claimtrack.ingest import IngestReport, Limits, ingest_paths
from claimtrack.store import Store

DATA = Path(__file__).parent / "data"


def ingest(store: Store, *paths: Path | str, batch_size: int = 500) -> IngestReport:
    return ingest_paths(
        [str(p) for p in paths],
        store,
        limits=Limits(max_article_bytes=2_000_000),
        batch_size=batch_size,
    )


def rows(store: Store) -> list[dict[str, Any]]:
    """Every stored article as a dict, in ingestion order (read with plain SQL)."""
    with store.read() as con:
        cursor = con.execute(
            "SELECT id, external_id, title, published, published_precision, source, url, text, "
            "origin, meta, revision_of, story, published_offset FROM articles ORDER BY seq"
        )
        names = [d[0] for d in cursor.description]
        found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in found:
        row["meta"] = json.loads(row["meta"]) if row["meta"] else {}
    return found


def one(store: Store) -> dict[str, Any]:
    found = rows(store)
    assert len(found) == 1, found
    return found[0]


def sha_id(text: str) -> str:
    """The id the foundation promises: sha256 of the normalised text, first 16 hex digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    return write(path, "".join(json.dumps(r) + "\n" for r in records))


# -- formats --------------------------------------------------------------------------------------


def test_txt_without_front_matter(tmp_path: Path, store: Store) -> None:
    body = "Mayor opens bridge\nThe mayor opened the bridge on Monday.\nCrowds cheered.\n"
    report = ingest(store, write(tmp_path / "plain.txt", body))

    assert (report.ingested, report.duplicates, report.failed) == (1, 0, [])
    row = one(store)
    assert row["text"] == body.strip()
    assert row["title"] == "Mayor opens bridge"  # first line of a multi-line text
    assert row["published"] is None
    assert row["source"] is None and row["url"] is None
    assert row["origin"] == str((tmp_path / "plain.txt").resolve())


def test_txt_with_front_matter(tmp_path: Path, store: Store) -> None:
    path = write(
        tmp_path / "fm.txt",
        "---\n"
        "title: Port strike ends\n"
        "published: 2026-01-07\n"
        "source: Harbour News\n"
        "url: https://news.example.org/strike\n"
        "language: en\n"
        "---\n"
        "Dock workers returned to work after a ten-day strike.\n",
    )
    report = ingest(store, path)

    assert report.ingested == 1 and not report.failed
    row = one(store)
    assert row["text"] == "Dock workers returned to work after a ten-day strike."
    assert "title:" not in row["text"] and "---" not in row["text"]
    assert row["title"] == "Port strike ends"
    assert row["published"] == datetime(2026, 1, 7)
    assert row["published_precision"] == "day"
    assert row["source"] == "Harbour News"
    assert row["url"] == "https://news.example.org/strike"
    assert row["meta"] == {"language": "en"}


def test_md_heading_is_title_and_crlf_bom_normalised(tmp_path: Path, store: Store) -> None:
    raw = "\ufeff# Budget passes\r\n\r\nThe budget passed by 52 votes to 48.\r\n"
    ingest(store, write(tmp_path / "story.md", raw.encode("utf-8")))

    row = one(store)
    assert row["title"] == "Budget passes"
    assert row["text"] == "# Budget passes\n\nThe budget passed by 52 votes to 48."
    assert row["id"] == sha_id(row["text"])


def test_md_with_front_matter_wins_over_heading(tmp_path: Path, store: Store) -> None:
    ingest(
        store,
        write(
            tmp_path / "story.md",
            '---\ntitle: "From front matter"\npublished: "2026-01-07T10:18:14"\n---\n'
            "# From heading\n\nBody text here.\n",
        ),
    )
    row = one(store)
    assert row["title"] == "From front matter"
    assert row["published"] == datetime(2026, 1, 7, 10, 18, 14)
    assert row["published_precision"] == "time"


def test_html_extracts_article_text_without_page_noise(tmp_path: Path, store: Store) -> None:
    report = ingest(store, DATA / "page.html")

    assert report.ingested == 1 and not report.failed
    row = one(store)
    text = row["text"]
    assert "approve a new pedestrian bridge over the Elm river" in text
    assert "infrastructure fund rather than from new taxes" in text
    assert '"We have waited a long time for this," said one shop owner' in text
    for noise in (
        "SCRIPT-NOISE",
        "trackingPixelSecret",
        "STYLE-NOISE",
        "NAV-NOISE",
        "FOOTER-NOISE",
        "console.log",
        "document.write",
    ):
        assert noise not in text, noise
    assert row["title"] == "Council approves new bridge over the Elm river"
    assert row["source"] == "Riverside Gazette"
    assert row["url"] == "https://gazette.example.org/news/2026/01/council-bridge"
    assert row["published"] is not None and row["published"].date().isoformat() == "2026-01-07"


def test_json_object(tmp_path: Path, store: Store) -> None:
    record = {
        "id": "src-1",
        "title": "One object",
        "text": "A single article in a JSON object.",
        "published": "2026-01-07",
        "source": "Wire",
        "url": "https://wire.example.org/1",
    }
    report = ingest(store, write(tmp_path / "one.json", json.dumps(record)))

    assert report.ingested == 1 and not report.failed
    row = one(store)
    assert row["external_id"] == "src-1"
    assert row["id"] == sha_id("A single article in a JSON object.")
    assert (row["title"], row["source"], row["url"]) == ("One object", "Wire", record["url"])
    assert row["published"] == datetime(2026, 1, 7)


def test_json_list(tmp_path: Path, store: Store) -> None:
    records = [{"id": f"n{i}", "title": f"T{i}", "text": f"Article number {i}."} for i in range(3)]
    report = ingest(store, write(tmp_path / "many.json", json.dumps(records)))

    assert report.ingested == 3 and not report.failed
    assert [r["external_id"] for r in rows(store)] == ["n0", "n1", "n2"]
    assert [r["text"] for r in rows(store)] == [f"Article number {i}." for i in range(3)]


def test_jsonl(tmp_path: Path, store: Store) -> None:
    path = jsonl(
        tmp_path / "feed.jsonl",
        [
            {"id": "a", "text": "First line article.", "source": "Feed"},
            {"id": "b", "text": "Second line article.", "source": "Feed"},
        ],
    )
    # blank lines between records are allowed
    write(path, path.read_text() + "\n\n")
    report = ingest(store, path)

    assert report.ingested == 2 and not report.failed
    found = rows(store)
    assert [r["external_id"] for r in found] == ["a", "b"]
    assert found[1]["origin"] == f"{path.resolve()}:2"


def test_folder_is_walked_recursively_and_hidden_files_skipped(
    tmp_path: Path, store: Store
) -> None:
    write(tmp_path / "in" / "a.txt", "Top level article.")
    write(tmp_path / "in" / "deep" / "er" / "b.md", "Nested article.")
    write(tmp_path / "in" / ".hidden.txt", "Hidden article.")
    write(tmp_path / "in" / ".git" / "c.txt", "Inside a hidden folder.")
    report = ingest(store, tmp_path / "in")

    assert report.ingested == 2 and not report.failed
    assert sorted(r["text"] for r in rows(store)) == ["Nested article.", "Top level article."]


# -- ids and duplicates ---------------------------------------------------------------------------


def test_ids_are_sha256_of_normalised_text(tmp_path: Path, store: Store) -> None:
    texts = ["  Padded text.\r\n", "\ufeffWith a BOM.", "Plain ünïcode — text."]
    jsonl(tmp_path / "ids.jsonl", [{"text": t} for t in texts])
    report = ingest(store, tmp_path / "ids.jsonl")

    expected = [sha_id(normalize_text(t)) for t in texts]
    assert [r["id"] for r in rows(store)] == expected
    assert report.article_ids == expected
    assert expected == [article_id(normalize_text(t)) for t in texts]
    assert [r["text"] for r in rows(store)] == [
        "Padded text.",
        "With a BOM.",
        "Plain ünïcode — text.",
    ]


def test_duplicates_within_one_run(tmp_path: Path, store: Store) -> None:
    jsonl(
        tmp_path / "dup.jsonl",
        [{"text": "Same story."}, {"text": "Other story."}, {"text": "  Same story.\n"}],
    )
    write(tmp_path / "copy.txt", "Same story.")
    report = ingest(store, tmp_path / "dup.jsonl", tmp_path / "copy.txt")

    assert (report.ingested, report.duplicates) == (2, 2)
    assert len(rows(store)) == 2


def test_duplicates_across_runs_add_nothing(tmp_path: Path, store: Store) -> None:
    path = jsonl(tmp_path / "f.jsonl", [{"text": f"Story {i}."} for i in range(4)])
    first = ingest(store, path)
    before = rows(store)
    second = ingest(store, path)

    assert (first.ingested, first.duplicates) == (4, 0)
    assert (second.ingested, second.duplicates) == (0, 4)
    assert second.article_ids == []
    assert rows(store) == before


def test_revisions_by_url_form_a_chain(tmp_path: Path, store: Store) -> None:
    url = "https://news.example.org/story"
    versions = ["Version one of the story.", "Version two, corrected.", "Version three, final."]
    # two revisions in one run, the third in a later run
    jsonl(
        tmp_path / "v12.jsonl",
        [{"text": versions[0], "url": url}, {"text": versions[1], "url": url}],
    )
    jsonl(tmp_path / "v3.jsonl", [{"text": versions[2], "url": url}])
    jsonl(tmp_path / "other.jsonl", [{"text": "Unrelated.", "url": "https://other.example.org/x"}])

    first = ingest(store, tmp_path / "v12.jsonl", tmp_path / "other.jsonl")
    second = ingest(store, tmp_path / "v3.jsonl")

    ids = [sha_id(v) for v in versions]
    by_id = {r["id"]: r for r in rows(store)}
    assert by_id[ids[0]]["revision_of"] is None
    assert by_id[ids[1]]["revision_of"] == ids[0]
    assert by_id[ids[2]]["revision_of"] == ids[1]
    assert by_id[sha_id("Unrelated.")]["revision_of"] is None
    assert (first.ingested, first.revisions) == (3, 1)
    assert (second.ingested, second.revisions) == (1, 1)


def test_same_url_same_text_is_a_duplicate_not_a_revision(tmp_path: Path, store: Store) -> None:
    url = "https://news.example.org/same"
    path = jsonl(tmp_path / "a.jsonl", [{"text": "Unchanged.", "url": url}])
    ingest(store, path)
    report = ingest(store, path)

    assert (report.ingested, report.duplicates, report.revisions) == (0, 1, 0)
    assert one(store)["revision_of"] is None


# -- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2026-01-07", datetime(2026, 1, 7), "day"),
        ("20260107", datetime(2026, 1, 7), "day"),
        ("20260107T101814Z", datetime(2026, 1, 7, 10, 18, 14), "time"),
        ("2026-01-07T10:18:14", datetime(2026, 1, 7, 10, 18, 14), "time"),
        ("2026-01-07T10:18:14+02:00", datetime(2026, 1, 7, 8, 18, 14), "time"),
        ("2026-01-07T23:30:00-05:00", datetime(2026, 1, 8, 4, 30), "time"),
        ("Tue, 07 Jan 2026 10:18:14 GMT", datetime(2026, 1, 7, 10, 18, 14), "time"),
        ("Tue, 07 Jan 2026 10:18:14 +0200", datetime(2026, 1, 7, 8, 18, 14), "time"),
        ("January 7, 2026", datetime(2026, 1, 7), "day"),
        ("7 January 2026", datetime(2026, 1, 7), "day"),
    ],
)
def test_dates_are_read_and_stored_in_utc(
    tmp_path: Path, store: Store, value: str, expected: datetime, precision: str
) -> None:
    report = ingest(store, jsonl(tmp_path / "d.jsonl", [{"text": "Dated.", "published": value}]))

    assert report.warnings == []
    row = one(store)
    assert row["published"] == expected
    assert row["published_precision"] == precision


@pytest.mark.parametrize(
    ("value", "expected", "offset"),
    [
        ("January 9, 2026 2:08 pm EST", datetime(2026, 1, 9, 19, 8), -300),  # pm and zone kept
        ("9 January 2026 14:08 +05:30", datetime(2026, 1, 9, 8, 38), 330),
        ("Jan 9, 2026 2:08 PM", datetime(2026, 1, 9, 14, 8), None),  # no zone: none invented
        ("Fri, 09 Jan 2026 14:08:00 +0530", datetime(2026, 1, 9, 8, 38), 330),  # a feed's
        # IST is India's in English news (dateparser: Israel, +02:00; the feed parser: no zone)
        ("January 9, 2026 2:08 pm IST", datetime(2026, 1, 9, 8, 38), 330),
        ("Fri, 09 Jan 2026 14:08:00 IST", datetime(2026, 1, 9, 8, 38), 330),
    ],
)
def test_news_times_keep_their_afternoon_and_their_zone(
    tmp_path: Path, store: Store, value: str, expected: datetime, offset: int | None
) -> None:
    ingest(store, jsonl(tmp_path / "t.jsonl", [{"text": "Timed.", "published": value}]))

    row = one(store)
    assert (row["published"], row["published_precision"]) == (expected, "time")
    assert row["published_offset"] == offset


@pytest.mark.parametrize("missing", [None, "", "   "])
def test_missing_date_is_null_without_warning(
    tmp_path: Path, store: Store, missing: str | None
) -> None:
    record: dict[str, Any] = {"text": "Undated."}
    if missing is not None:
        record["published"] = missing
    report = ingest(store, jsonl(tmp_path / "d.jsonl", [record]))

    assert report.warnings == [] and report.failed == []
    row = one(store)
    assert row["published"] is None and row["published_precision"] is None


@pytest.mark.parametrize("unreadable", ["yesterday", "Jan 2026", "last Tuesday", "soon"])
def test_unreadable_date_is_null_with_a_warning(
    tmp_path: Path, store: Store, unreadable: str
) -> None:
    path = jsonl(
        tmp_path / "d.jsonl",
        [
            {"text": "Fine date.", "published": "2026-01-07"},
            {"text": "Vague.", "published": unreadable},
        ],
    )
    report = ingest(store, path)

    # the article is kept, undated, and the warning says where and what
    assert report.ingested == 2 and report.failed == []
    assert len(report.warnings) == 1
    warning = report.warnings[0]
    assert warning.path == str(path) and warning.line == 2
    assert unreadable in warning.reason
    by_text = {r["text"]: r for r in rows(store)}
    assert by_text["Vague."]["published"] is None
    assert by_text["Vague."]["published_precision"] is None
    assert by_text["Fine date."]["published"] == datetime(2026, 1, 7)


def test_front_matter_date_with_zone_is_utc(tmp_path: Path, store: Store) -> None:
    ingest(
        store,
        write(tmp_path / "z.md", "---\npublished: 2026-01-07T10:18:14+02:00\n---\nZoned text.\n"),
    )
    assert one(store)["published"] == datetime(2026, 1, 7, 8, 18, 14)
    assert one(store)["published_offset"] == 120  # the zone it was given in, to show it


# -- meta -----------------------------------------------------------------------------------------


def test_unknown_fields_are_kept_in_meta(tmp_path: Path, store: Store) -> None:
    record = {
        "id": "x-1",
        "text": "With extras.",
        "title": "Extras",
        "story": "gm",
        "license": "CC BY 2.5",
        "tags": ["cars", "jobs"],
        "stats": {"words": 2, "score": 0.5},
        "flag": None,
    }
    ingest(store, jsonl(tmp_path / "m.jsonl", [record]))

    row = one(store)
    assert row["meta"] == {
        "license": "CC BY 2.5",
        "tags": ["cars", "jobs"],
        "stats": {"words": 2, "score": 0.5},
        "flag": None,
    }
    # known fields become columns, not meta
    assert row["external_id"] == "x-1" and row["title"] == "Extras" and row["story"] == "gm"


def test_front_matter_extra_fields_kept_as_text(tmp_path: Path, store: Store) -> None:
    ingest(
        store,
        write(tmp_path / "m.md", "---\nupdated: 2026-01-08\nauthor: Jane Doe\n---\nBody.\n"),
    )
    assert one(store)["meta"] == {"updated": "2026-01-08", "author": "Jane Doe"}


def test_front_matter_with_non_text_keys(tmp_path: Path, store: Store) -> None:
    report = ingest(
        store, write(tmp_path / "k.md", "---\n2026-01-08: updated\n42: answer\n---\nBody.\n")
    )
    assert report.failed == []
    assert one(store)["meta"] == {"2026-01-08": "updated", "42": "answer"}


# -- batching -------------------------------------------------------------------------------------


def test_batches_across_boundaries_store_everything_and_count_right(
    tmp_path: Path, store: Store
) -> None:
    url = "https://news.example.org/rolling"
    records = [{"id": f"r{i}", "text": f"Record {i}."} for i in range(10)]
    # a duplicate of record 1 after the first batch has been written, and a revision
    # chain whose links cross batch boundaries (records 2 -> 5 -> 8)
    for index in (2, 5, 8):
        records[index]["url"] = url
    records.append({"id": "again", "text": "Record 1."})
    path = jsonl(tmp_path / "batch.jsonl", records)

    report = ingest(store, path, batch_size=3)

    assert (report.ingested, report.duplicates, report.revisions) == (10, 1, 2)
    found = rows(store)
    assert [r["external_id"] for r in found] == [f"r{i}" for i in range(10)]
    by_ext = {r["external_id"]: r for r in found}
    assert by_ext["r5"]["revision_of"] == by_ext["r2"]["id"]
    assert by_ext["r8"]["revision_of"] == by_ext["r5"]["id"]
    assert len(report.article_ids) == len(set(report.article_ids)) == 10

    again = ingest(store, path, batch_size=3)
    assert (again.ingested, again.duplicates) == (0, 11)
