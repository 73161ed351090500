"""Golden snapshot of the rules backend: every item it extracts from the project's own articles.

The articles are ``data/articles`` (the 30 MEANTIME ``gm`` reports and the seed) and the seed
suite ``evals/seed``. Any change to what the rules extract from them (a new item, one lost, a
speaker, cue, span, text or commitment field that moves) fails here with the articles and items
that differ. When the change is meant, write the snapshot again and explain the differences in
the commit::

    UPDATE_RULES_GOLDEN=1 python -m pytest tests/test_rules_golden.py

The rule that made an item (``extra["rule"]``) is left out: renaming a rule changes no output.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import frontmatter
import pytest

from claimtrack.extraction.models import Item
from claimtrack.extraction.rules import extract_with_rules

REPO = Path(__file__).resolve().parents[1]
SNAPSHOT = REPO / "tests/data/rules_golden.json"


def golden_articles() -> dict[str, tuple[str, date | None]]:
    """The articles the snapshot covers, by name: text and publication date."""
    articles: dict[str, tuple[str, date | None]] = {}
    for path in sorted((REPO / "data/articles").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            articles[f"{path.parent.name}/{row['id']}"] = (row["text"], _day(row["published"]))
    for path in sorted((REPO / "data/articles").rglob("*.md")):
        post = frontmatter.load(path)
        articles[f"{path.parent.name}/{path.stem}"] = (post.content, _day(post["published"]))
    for line in (REPO / "evals/seed/suite.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if all(row["text"] != text for text, _ in articles.values()):
            articles[f"evals-seed/{row['id']}"] = (row["text"], _day(row["published"]))
    return articles


def _day(value: object) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _span(span: Any) -> list[int] | None:
    return [span.start, span.end] if span is not None else None


def item_record(item: Item) -> dict[str, Any]:
    """What the snapshot keeps of one item: every field a user or a scorer reads."""
    return {
        "kind": item.kind,
        "span": _span(item.span),
        "quote": item.quote,
        "text": item.text,
        "speaker": item.speaker,
        "speaker_canonical": item.speaker_canonical,
        "speaker_role": item.speaker_role,
        "speaker_span": _span(item.speaker_span),
        "cue": item.cue,
        "cue_span": _span(item.cue_span),
        "direct": item.direct,
        "claim_type": item.claim_type,
        "actors": list(item.actors),
        "action": item.action,
        "condition": item.condition,
        "deadline_text": item.deadline_text,
        "deadline": item.deadline.isoformat() if item.deadline else None,
        "stage": item.stage,
        "extra": {key: value for key, value in item.extra.items() if key != "rule"},
    }


def extracted() -> dict[str, list[dict[str, Any]]]:
    return {
        name: [item_record(item) for item in extract_with_rules(text, published=published)]
        for name, (text, published) in golden_articles().items()
    }


def test_the_rules_extract_the_golden_items() -> None:
    found = extracted()
    if os.environ.get("UPDATE_RULES_GOLDEN"):
        SNAPSHOT.write_text(
            json.dumps(found, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        pytest.skip("snapshot written")
    golden = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert sorted(found) == sorted(golden), "the snapshot covers other articles"
    differences = {
        name: {
            "lost": [item for item in golden[name] if item not in items],
            "new": [item for item in items if item not in golden[name]],
        }
        for name, items in found.items()
        if items != golden[name]
    }
    assert not differences, json.dumps(differences, ensure_ascii=False, indent=1)[:6000]


def test_the_snapshot_covers_the_articles_and_the_seed() -> None:
    golden = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert len(golden) >= 31  # 30 MEANTIME gm reports and the seed
    seed = golden["seed/coalition-of-the-willing-2026-01-07"]
    kinds = {item["kind"] for item in seed}
    assert kinds == {"claim", "commitment"}
    assert any(item["speaker"] == "Starmer" for item in seed)
