"""Sentence meaning offline (tracking/meaning.py) and the local vectors as the default retrieval."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest
from click.testing import CliRunner

from claimtrack.cli import cli
from claimtrack.errors import ClaimtrackError
from claimtrack.store import Store
from claimtrack.tracking import meaning
from claimtrack.tracking.embeddings import (
    SHORTLIST,
    EmbeddingSearch,
    EndpointEmbedder,
    LocalEmbedder,
    StoredVectors,
    nearest,
    search_for,
    unit_rows,
)
from claimtrack.tracking.pipeline import build_index
from claimtrack.tracking.retrieval import Order

EARLIER = (
    "---\ntitle: Ford plans\npublished: 2006-01-23\n---\n"
    "Ford said it will phase out the Taurus sedan by the end of the year.\n"
)
LATER = (
    "---\ntitle: Taurus gone\npublished: 2006-10-27\n---\n"
    "The last Taurus rolled off the line on Friday, a spokesman said.\n"
)
LATEST = (
    "---\ntitle: Ford results\npublished: 2007-01-25\n---\n"
    "Ford said it lost $12.7 billion in 2006, the worst year in its history.\n"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with the Taurus announcement and the later report of its end."""
    found = tmp_path / "in"
    found.mkdir()
    (found / "a.md").write_text(EARLIER, encoding="utf-8")
    (found / "b.md").write_text(LATER, encoding="utf-8")
    return found


@pytest.fixture
def unloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process-wide model not loaded yet (restored after the test)."""
    monkeypatch.setattr(meaning, "_model", None)


def test_a_paraphrase_is_nearer_than_another_statement_about_the_same_actor() -> None:
    item = "Ford will phase out the Taurus"

    paraphrase = meaning.similarity(item, "The Taurus was discontinued")
    same_actor = meaning.similarity(item, "Ford reported record sales")

    assert paraphrase > same_actor + 0.1


def test_vectors_are_unit_float32_rows_and_empty_input_is_empty() -> None:
    vectors = meaning.embed(["GM filed for bankruptcy", "", "We will consider bankruptcy"])

    assert vectors.dtype == np.float32 and vectors.shape == (3, meaning.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), [1, 0, 1], atol=1e-5)
    assert meaning.embed([]).shape == (0, meaning.DIMENSIONS)


def test_the_model_loads_with_no_network(
    monkeypatch: pytest.MonkeyPatch, unloaded: None, tmp_path: Path
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv("HOME", str(tmp_path))  # no cache of a hub to fall back on either

    vectors = meaning.embed(["Ford will cut 30,000 jobs"])

    assert vectors.shape == (1, meaning.DIMENSIONS) and meaning.MODEL_ID.startswith("wordllama")


def test_missing_weights_are_one_clear_error_naming_the_package(
    monkeypatch: pytest.MonkeyPatch, unloaded: None
) -> None:
    monkeypatch.setitem(sys.modules, "wordllama", None)  # import fails as if not installed

    with pytest.raises(ClaimtrackError, match=r"pip install 'wordllama"):
        meaning.embed(["anything"])


def test_nearest_ranks_rows_by_their_best_query() -> None:
    matrix = np.eye(4, dtype=np.float32)
    queries = np.array([[0, 0.6, 0.8, 0], [0.28, 0, 0, 0.96]], dtype=np.float32)

    found = nearest(matrix, queries, 3)

    assert [(row, round(score, 2), query) for row, score, query in found] == [
        (3, 0.96, 1), (2, 0.8, 0), (1, 0.6, 0),
    ]  # fmt: skip


def test_the_setting_chooses_local_endpoint_or_no_vectors() -> None:
    def settings() -> object:
        return object()

    local = search_for(None, settings)
    endpoint = search_for("text-embedding-3-small", settings)

    assert local is not None and isinstance(local.embedder, LocalEmbedder)
    assert endpoint is not None and isinstance(endpoint.embedder, EndpointEmbedder)
    assert endpoint.model == "text-embedding-3-small"
    assert search_for("none", settings) is None and search_for("None", settings) is None


def run(db: Path, folder: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["--db", str(db), "run", str(folder), "--json"], env=env)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def stored_vectors(db: Path) -> list[tuple[str, int]]:
    with duckdb.connect(str(db)) as con:
        return [
            (row[0], row[1])
            for row in con.execute(
                "SELECT model, count(*) FROM item_embeddings GROUP BY model"
            ).fetchall()
        ]


def items(db: Path) -> int:
    with duckdb.connect(str(db)) as con:
        row = con.execute("SELECT count(*) FROM items").fetchone()
    assert row is not None
    return int(row[0])


def test_item_vectors_are_stored_once_and_only_new_items_embedded_later(
    folder: Path, db_path: Path
) -> None:
    run(db_path, folder)
    first = items(db_path)
    assert first > 0 and stored_vectors(db_path) == [(meaning.MODEL_ID, first)]

    again = EmbeddingSearch(LocalEmbedder())
    again.ensure_items(Store(db_path))
    assert again.embedded_items == 0 and again.error is None

    (folder / "c.md").write_text(LATEST, encoding="utf-8")
    run(db_path, folder)
    later = EmbeddingSearch(LocalEmbedder())
    later.ensure_items(Store(db_path))
    assert items(db_path) > first and later.embedded_items == 0
    assert stored_vectors(db_path) == [(meaning.MODEL_ID, items(db_path))]


def test_vectors_turned_off_are_neither_computed_nor_stored(folder: Path, db_path: Path) -> None:

    summary = run(db_path, folder, env={"CLAIMTRACK_EMBEDDINGS_MODEL": "none"})

    assert summary["articles_tracked"] == 2 and items(db_path) > 0
    assert stored_vectors(db_path) == []


def test_missing_weights_stop_tracking_with_one_line_naming_the_package(
    monkeypatch: pytest.MonkeyPatch, unloaded: None, folder: Path, db_path: Path
) -> None:
    """The offline judge reads sentence meaning: without the weights it cannot judge at all, so
    the run stops once with the fix (not one failure per article), the ingested and extracted
    work kept, and nothing stored as tracked."""
    monkeypatch.setitem(sys.modules, "wordllama", None)

    result = CliRunner().invoke(cli, ["--db", str(db_path), "run", str(folder)])

    assert result.exit_code != 0
    lines = [line for line in result.stderr.splitlines() if "pip install 'wordllama" in line]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    assert stored_vectors(db_path) == []
    store = Store(db_path)
    with store.read() as con:
        assert con.execute("SELECT count(*) FROM extractions WHERE status = 'done'").fetchone() == (
            2,
        )
        assert con.execute("SELECT count(*) FROM trackings").fetchone() == (0,)


def test_local_vectors_find_the_paraphrase_and_nothing_for_an_unrelated_article(
    tmp_path: Path, db_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(EARLIER, encoding="utf-8")
    run(db_path, folder, env={"CLAIMTRACK_EMBEDDINGS_MODEL": "none"})
    store = Store(db_path)
    search = EmbeddingSearch(LocalEmbedder())
    search.ensure_items(store)
    index = build_index(store)
    by_id = {item.id: item for item in index.items}
    later = Order(None, 10**9)

    def found(sentence: str) -> list[str]:
        hits = search.hits(store, by_id.get, [(0, len(sentence))], sentence, "new", later, 8)
        return [hit.item.id for hit in hits]

    assert search.embedded_items == len(by_id) > 0
    assert found("Production of the Taurus ended in October.")
    assert found("The library will open on Sundays from May.") == []


def test_the_shortlist_on_the_first_dimensions_keeps_the_nearest_rows() -> None:
    rng = np.random.default_rng(3)
    matrix = rng.standard_normal((3 * SHORTLIST, 16)).astype(np.float32)
    queries = unit_rows(matrix[[5, 4000]] + 0.05)  # near two of the rows

    stored = StoredVectors([str(n) for n in range(len(matrix))], matrix, prefix=8)
    found = stored.nearest(queries, 10)

    assert stored.coarse is not None and stored.coarse.shape == (len(matrix), 8)
    assert found[:2] == nearest(stored.matrix, queries, 10)[:2]
    assert {row for row, _, _ in found[:2]} == {5, 4000}
