"""Bad inputs: one clear error naming the file (and line), the rest of the run goes on.

Each kind of bad input is ingested next to a good file: the good one must be stored, the bad one
must leave no rows behind, and the error must say where and why.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import RunCli

from claimtrack.errors import InputError
from claimtrack.ingest import IngestReport, Limits, ingest_paths
from claimtrack.store import Store

GOOD_TEXT = "A perfectly good article about the harbour."


def ingest(store: Store, *paths: Path | str, max_bytes: int = 2_000_000) -> IngestReport:
    return ingest_paths([str(p) for p in paths], store, limits=Limits(max_article_bytes=max_bytes))


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def origins(store: Store) -> list[str]:
    with store.read() as con:
        return [
            row[0] for row in con.execute("SELECT origin FROM articles ORDER BY seq").fetchall()
        ]


def texts(store: Store) -> list[str]:
    with store.read() as con:
        return [row[0] for row in con.execute("SELECT text FROM articles ORDER BY seq").fetchall()]


def rows_from(store: Store, path: Path) -> list[str]:
    """Origins of rows read from ``path`` (origin is the resolved path, maybe with :line or #n)."""
    resolved = str(path.resolve())
    return [
        o for o in origins(store) if o == resolved or o.startswith((resolved + ":", resolved + "#"))
    ]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write(tmp_path / "good" / "good.txt", GOOD_TEXT + "\n")


def only_failure(report: IngestReport) -> InputError:
    assert len(report.failed) == 1, [f.message for f in report.failed]
    return report.failed[0]


def assert_good_stored_and_bad_left_nothing(store: Store, bad: Path) -> None:
    assert GOOD_TEXT in texts(store)
    assert rows_from(store, bad) == []


def alias_bomb(levels: int) -> str:
    """Front matter of nested YAML aliases: a few hundred bytes that expand to 9 ** levels."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "---\n" + "\n".join(lines) + "\n---\nBody.\n"


# -- one test per kind ----------------------------------------------------------------------------


def test_missing_path(tmp_path: Path, store: Store, good: Path) -> None:
    missing = tmp_path / "nowhere" / "story.txt"
    report = ingest(store, missing, good)

    failure = only_failure(report)
    assert failure.path == str(missing)
    assert "no such file" in failure.reason
    assert report.ingested == 1
    assert texts(store) == [GOOD_TEXT]


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".json", ".jsonl"])
def test_empty_file(tmp_path: Path, store: Store, good: Path, suffix: str) -> None:
    bad = write(tmp_path / f"empty{suffix}", b"")
    report = ingest(store, bad, good)

    failure = only_failure(report)
    assert failure.path == str(bad)
    assert failure.reason == "empty file"
    assert_good_stored_and_bad_left_nothing(store, bad)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_blank_text_file(tmp_path: Path, store: Store, good: Path, suffix: str) -> None:
    bad = write(tmp_path / f"blank{suffix}", "  \n\n\t\n")
    report = ingest(store, bad, good)

    failure = only_failure(report)
    assert failure.path == str(bad)
    assert "no text" in failure.reason
    assert_good_stored_and_bad_left_nothing(store, bad)


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".json", ".jsonl"])
def test_binary_file(tmp_path: Path, store: Store, good: Path, suffix: str) -> None:
    png_like = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256))
    bad = write(tmp_path / f"image{suffix}", png_like)
    report = ingest(store, bad, good)

    failure = only_failure(report)
    assert failure.path == str(bad)
    assert "binary file" in failure.reason
    assert_good_stored_and_bad_left_nothing(store, bad)


@pytest.mark.parametrize("suffix", [".txt", ".md", ".json"])
def test_invalid_utf8_file(tmp_path: Path, store: Store, good: Path, suffix: str) -> None:
    content = '{"text": "caf\xe9 ok"}' if suffix == ".json" else "First line.\nCaf\xe9 au lait.\n"
    bad = write(tmp_path / f"latin1{suffix}", content.encode("latin-1"))
    report = ingest(store, bad, good)

    failure = only_failure(report)
    assert failure.path == str(bad)
    assert "invalid UTF-8" in failure.reason
    if suffix != ".json":
        assert failure.line == 2  # the line with the bad byte
    assert_good_stored_and_bad_left_nothing(store, bad)


def test_invalid_utf8_line_in_jsonl_keeps_other_lines(
    tmp_path: Path, store: Store, good: Path
) -> None:
    bad = write(
        tmp_path / "mixed.jsonl",
        b'{"text": "Line one."}\n{"text": "caf\xe9"}\n{"text": "Line three."}\n',
    )
    report = ingest(store, bad, good)

    failure = only_failure(report)
    assert (failure.path, failure.line) == (str(bad), 2)
    assert "invalid UTF-8" in failure.reason
    resolved = str(bad.resolve())
    assert rows_from(store, bad) == [f"{resolved}:1", f"{resolved}:3"]
    assert GOOD_TEXT in texts(store)


def test_malformed_json_line_keeps_good_lines(tmp_path: Path, store: Store, good: Path) -> None:
    bad = write(
        tmp_path / "feed.jsonl",
        '{"text": "Line one."}\n{"text": "broken\n\n{"text": "Line four."}\n[1, 2]\n',
    )
    report = ingest(store, bad, good)

    assert [(f.path, f.line) for f in report.failed] == [(str(bad), 2), (str(bad), 5)]
    assert "invalid JSON" in report.failed[0].reason
    assert "expected an article object" in report.failed[1].reason
    assert report.failed[0].message.startswith(f"{bad}:2: ")
    resolved = str(bad.resolve())
    assert rows_from(store, bad) == [f"{resolved}:1", f"{resolved}:4"]
    assert report.ingested == 3


def test_malformed_json_file(tmp_path: Path, store: Store, good: Path) -> None:
    bad = write(tmp_path / "broken.json", '{\n  "text": "unterminated,\n  "title": 1\n')
    report = ingest(store, bad, good)

    failure = only_failure(report)
    assert failure.path == str(bad)
    assert "invalid JSON" in failure.reason
    assert failure.line is not None
    assert_good_stored_and_bad_left_nothing(store, bad)


def test_jsonl_with_one_bad_line_is_one_error(tmp_path: Path, store: Store, good: Path) -> None:
    bad = write(tmp_path / "junk.jsonl", "not json\n\n")
    report = ingest(store, bad, good)

    failure = only_failure(report)
    assert (failure.path, failure.line) == (str(bad), 1)
    assert "invalid JSON" in failure.reason
    assert_good_stored_and_bad_left_nothing(store, bad)


def test_jsonl_with_only_blank_lines(tmp_path: Path, store: Store, good: Path) -> None:
    bad = write(tmp_path / "blank.jsonl", "\n  \n\n")
    report = ingest(store, bad, good)

    failure = only_failure(report)
    assert failure.path == str(bad) and "no articles" in failure.reason
    assert_good_stored_and_bad_left_nothing(store, bad)


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"title": "No text here"}, "no 'text'"),
        ({"title": "Null text", "text": None}, "no 'text'"),
        ({"title": "Numeric text", "text": 42}, "not a string"),
        ({"title": "Blank text", "text": "   \n "}, "no text"),
    ],
)
def test_record_without_text(
    tmp_path: Path, store: Store, good: Path, record: dict[str, object], reason: str
) -> None:
    as_object = write(tmp_path / "object.json", json.dumps(record))
    as_line = write(
        tmp_path / "lines.jsonl", json.dumps({"text": "Kept line."}) + "\n" + json.dumps(record)
    )
    as_item = write(tmp_path / "list.json", json.dumps([{"text": "Kept item."}, record]))
    report = ingest(store, as_object, as_line, as_item, good)

    assert [(f.path, f.line) for f in report.failed] == [
        (str(as_object), None),
        (str(as_line), 2),
        (str(as_item), None),
    ]
    assert all(reason in f.reason for f in report.failed)
    assert report.failed[2].reason.startswith("item 2: ")
    assert rows_from(store, as_object) == []
    assert sorted(texts(store)) == sorted([GOOD_TEXT, "Kept line.", "Kept item."])


def test_front_matter_without_body(tmp_path: Path, store: Store, good: Path) -> None:
    bad = write(tmp_path / "only-meta.md", "---\ntitle: Nothing follows\n---\n\n")
    report = ingest(store, bad, good)

    failure = only_failure(report)
    assert failure.path == str(bad) and "no text" in failure.reason
    assert_good_stored_and_bad_left_nothing(store, bad)


def test_invalid_front_matter(tmp_path: Path, store: Store, good: Path) -> None:
    bad = write(tmp_path / "bad-yaml.md", "---\ntitle: [unclosed\nsource: x\n---\nBody.\n")
    report = ingest(store, bad, good)

    failure = only_failure(report)
    assert failure.path == str(bad) and "front matter" in failure.reason
    assert_good_stored_and_bad_left_nothing(store, bad)


def test_front_matter_alias_bomb_is_refused(tmp_path: Path, store: Store, good: Path) -> None:
    # a small "billion laughs" (9 ** 6 strings); the command-line test below has the full one
    bad = write(tmp_path / "bomb.md", alias_bomb(6))
    report = ingest(store, bad, good)

    failure = only_failure(report)
    assert (failure.path, failure.line) == (str(bad), 3)
    assert "invalid front matter" in failure.reason and "aliases" in failure.reason
    assert_good_stored_and_bad_left_nothing(store, bad)


def test_front_matter_cannot_build_python_objects(tmp_path: Path, store: Store, good: Path) -> None:
    marker = tmp_path / "pwned"
    bad = write(
        tmp_path / "evil.md",
        f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\nBody.\n',
    )
    report = ingest(store, bad, good)

    failure = only_failure(report)
    assert failure.path == str(bad) and "invalid front matter" in failure.reason
    assert not marker.exists()
    assert_good_stored_and_bad_left_nothing(store, bad)


def test_text_over_size_limit_in_text_file(tmp_path: Path, store: Store, good: Path) -> None:
    bad = write(tmp_path / "long.txt", "word " * 100)
    report = ingest(store, bad, good, max_bytes=200)

    failure = only_failure(report)
    assert failure.path == str(bad)
    assert "over the article limit" in failure.reason and "200 bytes" in failure.reason
    assert "--max-bytes" in failure.reason
    assert_good_stored_and_bad_left_nothing(store, bad)


def test_text_over_size_limit_in_jsonl_names_the_line(
    tmp_path: Path, store: Store, good: Path
) -> None:
    bad = write(
        tmp_path / "feed.jsonl",
        json.dumps({"text": "Short line."}) + "\n" + json.dumps({"text": "x" * 300}) + "\n",
    )
    report = ingest(store, bad, good, max_bytes=200)

    failure = only_failure(report)
    assert (failure.path, failure.line) == (str(bad), 2)
    assert "over the article limit" in failure.reason
    assert failure.message.startswith(f"{bad}:2: ")
    assert rows_from(store, bad) == [f"{bad.resolve()}:1"]


def test_size_limit_counts_utf8_bytes_and_is_inclusive(
    tmp_path: Path, store: Store, good: Path
) -> None:
    at_limit = "é" * 100  # 100 characters, 200 bytes
    over_limit = "é" * 100 + "!"  # 201 bytes
    path = write(
        tmp_path / "sizes.jsonl",
        json.dumps({"text": at_limit}) + "\n" + json.dumps({"text": over_limit}) + "\n",
    )
    report = ingest(store, path, good, max_bytes=200)

    failure = only_failure(report)
    assert failure.line == 2 and "201 bytes" in failure.reason
    assert at_limit in texts(store) and over_limit not in texts(store)


@pytest.mark.parametrize("name", ["report.pdf", "notes.docx", "README", "data.csv"])
def test_unknown_extension(tmp_path: Path, store: Store, good: Path, name: str) -> None:
    bad = write(tmp_path / name, "Some text that would be readable.\n")
    report = ingest(store, bad, good)

    failure = only_failure(report)
    assert failure.path == str(bad)
    assert "unsupported file type" in failure.reason
    assert ".jsonl" in failure.reason  # says what is supported
    assert_good_stored_and_bad_left_nothing(store, bad)


def test_symlink_loop_in_folder(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "corpus"
    write(folder / "a.txt", GOOD_TEXT)
    write(folder / "sub" / "b.txt", "Another good article.")
    (folder / "sub" / "back").symlink_to(folder, target_is_directory=True)

    report = ingest(store, folder)

    failure = only_failure(report)
    assert failure.path == str(folder / "sub" / "back")
    assert "symbolic link loop" in failure.reason
    # each file read once, not once per trip round the loop
    assert (report.ingested, report.duplicates) == (2, 0)


def test_self_referencing_symlink(tmp_path: Path, store: Store, good: Path) -> None:
    folder = tmp_path / "links"
    folder.mkdir()
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")

    named = ingest(store, folder / "loop.txt", good)
    walked = ingest(store, folder)

    failure = only_failure(named)
    assert failure.path == str(folder / "loop.txt")
    assert "symbolic link" in failure.reason and "loop" in failure.reason
    assert named.ingested == 1
    walked_reasons = {Path(f.path).name: f.reason for f in walked.failed}
    assert walked_reasons.keys() == {"loop.txt", "dangling.txt"}
    assert "broken symbolic link" in walked_reasons["dangling.txt"]
    assert "symbolic link" in walked_reasons["loop.txt"]


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_deeply_nested_json(tmp_path: Path, store: Store, good: Path, suffix: str) -> None:
    bad = write(tmp_path / f"deep{suffix}", "[" * 100_000 + "\n")
    report = ingest(store, bad, good)

    failure = only_failure(report)
    assert failure.path == str(bad)
    assert "nested too deeply" in failure.reason
    assert_good_stored_and_bad_left_nothing(store, bad)


def test_deeply_nested_but_closed_json_value(tmp_path: Path, store: Store, good: Path) -> None:
    depth = 100_000
    line = '{"text": "Nested meta.", "extra": ' + "[" * depth + "]" * depth + "}\n"
    bad = write(tmp_path / "deep.jsonl", line)
    report = ingest(store, bad, good)

    failure = only_failure(report)
    assert (failure.path, failure.line) == (str(bad), 1)
    assert_good_stored_and_bad_left_nothing(store, bad)


def test_unreachable_url_is_one_error_and_the_rest_goes_on(store: Store, good: Path) -> None:
    # port 9 (discard) on the loopback: nothing listens, the connection is refused at once
    report = ingest(store, "http://127.0.0.1:9/story", good)

    failure = only_failure(report)
    assert failure.path == "http://127.0.0.1:9/story"
    assert "cannot connect" in failure.reason
    assert texts(store) == [GOOD_TEXT]


# -- the command line over a folder of every bad kind ---------------------------------------------


def build_bad_folder(root: Path) -> tuple[Path, dict[str, str]]:
    """A folder with one good file and one file of every bad kind; returns the bad paths and
    a word their error must contain."""
    folder = root / "inbox"
    write(folder / "good.md", "# Good\n\n" + GOOD_TEXT + "\n")
    expected = {
        "empty.txt": "empty file",
        "binary.txt": "binary file",
        "latin1.md": "invalid UTF-8",
        "lines.jsonl": "invalid JSON",
        "notext.json": "no 'text'",
        "huge.jsonl": "over the article limit",
        "slides.pdf": "unsupported file type",
        "deep.json": "nested too deeply",
        "bomb.md": "aliases are not allowed",
    }
    write(folder / "empty.txt", b"")
    write(folder / "binary.txt", b"GIF89a\x00\x01\x00\x01")
    write(folder / "latin1.md", "Caf\xe9 noir.\n".encode("latin-1"))
    write(folder / "lines.jsonl", '{"text": "Good line."}\n{not json}\n')
    write(folder / "notext.json", '{"title": "Headline only"}')
    write(folder / "huge.jsonl", json.dumps({"text": "y" * 2000}) + "\n")
    write(folder / "slides.pdf", "%PDF-1.4 not really")
    write(folder / "deep.json", "[" * 100_000)
    write(folder / "bomb.md", alias_bomb(9))
    (folder / "nested").mkdir()
    (folder / "nested" / "up").symlink_to(folder, target_is_directory=True)
    expected["nested/up"] = "symbolic link loop"
    return folder, {str(folder / name): word for name, word in expected.items()}


@pytest.mark.parametrize("command", ["ingest", "run"])
def test_cli_reports_each_bad_input_once(tmp_path: Path, run_cli: RunCli, command: str) -> None:
    folder, bad = build_bad_folder(tmp_path)
    missing = str(tmp_path / "missing.txt")
    bad[missing] = "no such file"
    db = tmp_path / "cli.duckdb"

    result: subprocess.CompletedProcess[str] = run_cli(
        command, folder, missing, "--max-bytes", "1000", "--json", db=db
    )

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == len(bad), result.stderr
    for path, word in bad.items():
        matching = [line for line in errors if line.startswith(f"error: {path}")]
        assert len(matching) == 1, (path, errors)
        assert word in matching[0], matching[0]

    summary = json.loads(result.stdout)
    assert sorted(f["path"] for f in summary["failed"]) == sorted(bad)
    assert all(f["error"] for f in summary["failed"])
    ingested = summary["ingested"] if command == "ingest" else summary["articles_ingested"]
    assert ingested == 2  # good.md and the good line of lines.jsonl

    listed = json.loads(run_cli("articles", "list", "--json", db=db).stdout)
    assert sorted(a["title"] or "" for a in listed) == ["", "Good"]


def test_cli_deeply_nested_json_is_one_error_no_traceback(tmp_path: Path, run_cli: RunCli) -> None:
    deep = write(tmp_path / "deep.json", "[" * 100_000)
    result = run_cli("ingest", deep, db=tmp_path / "d.duckdb")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert [line for line in lines if line.startswith("error:")] == [
        f"error: {deep}: invalid JSON: nested too deeply"
    ]


def test_cli_max_bytes_from_environment(tmp_path: Path, run_cli: RunCli) -> None:
    story = write(tmp_path / "story.txt", "z" * 500)
    db = tmp_path / "env.duckdb"

    refused = run_cli("ingest", story, db=db, env={"CLAIMTRACK_MAX_ARTICLE_BYTES": "100"})
    option_wins = run_cli(
        "ingest", story, "--max-bytes", "1000", db=db, env={"CLAIMTRACK_MAX_ARTICLE_BYTES": "100"}
    )

    assert refused.returncode == 1 and "over the article limit of 100 bytes" in refused.stderr
    assert option_wins.returncode == 0, option_wins.stderr
