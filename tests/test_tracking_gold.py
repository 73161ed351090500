"""The tracking gold suite (evals/tracking) is well formed: every case can be checked against text.

Each check is a function that returns a list of problems. The tests run every check on the real
files and expect no problems. The ``*_can_fail`` tests break a copy of the data on purpose and
expect the check to report it, so a check that could never fail would show up.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claimtrack import statuses

ROOT = Path(__file__).parents[1]
SUITE = ROOT / "evals" / "tracking"
CASES = SUITE / "cases.jsonl"
ARTICLES = SUITE / "articles.jsonl"
SOURCE = ROOT.parent / "shared" / "datasets" / "meantime" / "articles.jsonl"
STORIES = ("gm", "stock", "apple")
SPLITS = ("train", "dev")
# the story no case of which is fitted on: all its cases are dev
HELD_OUT_STORY = "apple"
# of the other stories, items whose hash bucket (0-99) is below this go to dev
DEV_BUCKETS = 30

Case = dict[str, Any]
Article = dict[str, Any]

# the relations and statuses claimtrack knows: the gold may use nothing else
RELATIONS = statuses.RELATIONS
STATUSES: dict[str, tuple[str, ...]] = statuses.STATUSES
# relation -> the status it proposes, per kind. A relation missing for a kind is not allowed for
# it, except repeats and unrelated, which propose no status (to_status null) for either kind.
STATUS_FOR: dict[str, dict[str, tuple[str, ...]]] = {
    "claim": {
        "corroborates": ("corroborated",),
        "contradicts": ("contradicted",),
        "retracts": ("retracted",),
    },
    "commitment": {
        "advances": ("in_progress",),
        "finalizes": ("finalized",),
        "fulfils": ("fulfilled", "partially_fulfilled"),
        "contradicts": ("contradicted",),
        "retracts": ("withdrawn",),
        "triggers": ("pending",),
        "stalls": ("stalled",),
    },
}
NO_CHANGE = ("repeats", "unrelated")
EARLIER_KEYS = {"article_id", "kind", "speaker", "actors", "quote", "text", "condition", "deadline"}


def load_jsonl(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            problems.append(f"{path.name}:{n}: blank line")
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"{path.name}:{n}: invalid JSON: {e}")
            continue
        if not isinstance(row, dict):
            problems.append(f"{path.name}:{n}: not an object")
            continue
        rows.append(row)
    return rows, problems


def by_id(articles: list[Article]) -> dict[str, Article]:
    return {a["id"]: a for a in articles}


def item_key(case: Case) -> tuple[str, str]:
    """Cases with the same earlier article and quote track the same item."""
    return case["earlier"]["article_id"], case["earlier"]["quote"]


def split_by_rule(case: Case) -> str:
    """The documented split: the held-out story is all dev; otherwise a stable hash of the item
    puts about 30% of items in dev, and every case of an item in the same split."""
    if case["story"] == HELD_OUT_STORY:
        return "dev"
    article_id, quote = item_key(case)
    digest = hashlib.sha256(f"{article_id}\n{quote}".encode()).hexdigest()
    return "dev" if int(digest[:8], 16) % 100 < DEV_BUCKETS else "train"


# ---- checks: each returns the problems it finds -------------------------------------------


def check_shape(cases: list[Case]) -> list[str]:
    out = []
    for c in cases:
        cid = c.get("id", "?")
        if set(c) != {"id", "story", "split", "earlier", "later", "expected", "note"}:
            out.append(f"{cid}: top-level keys {sorted(c)}")
            continue
        if c["story"] not in STORIES:
            out.append(f"{cid}: story {c['story']!r}")
        e, later, x = c["earlier"], c["later"], c["expected"]
        if not isinstance(e, dict) or set(e) != EARLIER_KEYS:
            out.append(f"{cid}: earlier keys")
            continue
        if not isinstance(later, dict) or set(later) != {"article_id"}:
            out.append(f"{cid}: later keys")
        if not isinstance(x, dict) or set(x) != {"relation", "to_status", "evidence"}:
            out.append(f"{cid}: expected keys")
            continue
        for key in ("speaker", "quote", "text"):
            if not isinstance(e[key], str) or not e[key].strip():
                out.append(f"{cid}: earlier.{key} empty")
        for key in ("condition", "deadline"):
            if e[key] is not None and (not isinstance(e[key], str) or not e[key].strip()):
                out.append(f"{cid}: earlier.{key} must be null or text")
        if not isinstance(c["note"], str) or not c["note"].strip():
            out.append(f"{cid}: note empty")
        if not isinstance(e["actors"], list) or not all(isinstance(a, str) for a in e["actors"]):
            out.append(f"{cid}: actors must be a list of strings")
        elif e["kind"] == "claim" and e["actors"]:
            out.append(f"{cid}: a claim has no actors")
        elif e["kind"] == "commitment" and not e["actors"]:
            out.append(f"{cid}: a commitment needs actors")
    return out


def check_unique_ids(cases: list[Case]) -> list[str]:
    seen: set[str] = set()
    out = []
    for c in cases:
        if c["id"] in seen:
            out.append(f"duplicate id {c['id']}")
        seen.add(c["id"])
    return out


def check_split(cases: list[Case]) -> list[str]:
    """Each case is train or dev as the rule says, so no item is in both."""
    out = []
    for c in cases:
        if c.get("split") not in SPLITS:
            out.append(f"{c['id']}: split {c.get('split')!r}")
        elif c["split"] != split_by_rule(c):
            out.append(f"{c['id']}: split {c['split']}, the rule gives {split_by_rule(c)}")
    return out


def check_split_per_item(cases: list[Case]) -> list[str]:
    """Cases that share an item share a split: an item seen in fitting is never scored."""
    splits: dict[tuple[str, str], set[str | None]] = {}
    first_case: dict[tuple[str, str], str] = {}
    for c in cases:
        splits.setdefault(item_key(c), set()).add(c.get("split"))
        first_case.setdefault(item_key(c), c["id"])
    return [
        f"{first_case[key]}: its item is in {sorted(map(str, found))}"
        for key, found in splits.items()
        if len(found) > 1
    ]


def check_relation_and_status(cases: list[Case]) -> list[str]:
    out = []
    for c in cases:
        kind = c["earlier"]["kind"]
        rel, status = c["expected"]["relation"], c["expected"]["to_status"]
        if kind not in STATUSES:
            out.append(f"{c['id']}: unknown kind {kind!r}")
            continue
        if rel not in RELATIONS:
            out.append(f"{c['id']}: unknown relation {rel!r}")
            continue
        if rel in NO_CHANGE:
            if status is not None:
                out.append(f"{c['id']}: {rel} proposes no status, got {status!r}")
            continue
        if status not in STATUSES[kind]:
            out.append(f"{c['id']}: status {status!r} is not a {kind} status")
        elif rel not in STATUS_FOR[kind]:
            out.append(f"{c['id']}: relation {rel!r} does not apply to a {kind}")
        elif status not in STATUS_FOR[kind][rel]:
            out.append(
                f"{c['id']}: {rel} on a {kind} proposes {STATUS_FOR[kind][rel]}, not {status}"
            )
    return out


def check_articles_present(cases: list[Case], articles: dict[str, Article]) -> list[str]:
    out = []
    for c in cases:
        for side in ("earlier", "later"):
            aid = c[side]["article_id"]
            if aid not in articles:
                out.append(f"{c['id']}: {side} article {aid} not in articles.jsonl")
            elif articles[aid]["story"] != c["story"]:
                out.append(f"{c['id']}: {side} article {aid} is not in story {c['story']}")
    return out


def check_quotes(cases: list[Case], articles: dict[str, Article]) -> list[str]:
    """The quote, and the condition and deadline when given, are verbatim in the earlier text."""
    out = []
    for c in cases:
        e = c["earlier"]
        text = articles[e["article_id"]]["text"]
        if e["quote"] not in text:
            out.append(f"{c['id']}: quote not verbatim in {e['article_id']}")
        for key in ("condition", "deadline"):
            if e[key] is not None and e[key] not in text:
                out.append(f"{c['id']}: {key} not verbatim in {e['article_id']}")
    return out


def check_evidence(cases: list[Case], articles: dict[str, Article]) -> list[str]:
    """Evidence is null exactly for unrelated, otherwise verbatim in the later text."""
    out = []
    for c in cases:
        rel, ev = c["expected"]["relation"], c["expected"]["evidence"]
        aid = c["later"]["article_id"]
        if rel == "unrelated":
            if ev is not None:
                out.append(f"{c['id']}: unrelated takes no evidence")
        elif not isinstance(ev, str) or not ev.strip():
            out.append(f"{c['id']}: {rel} needs evidence")
        elif ev not in articles[aid]["text"]:
            out.append(f"{c['id']}: evidence not verbatim in {aid}")
    return out


def check_order(cases: list[Case], articles: dict[str, Article]) -> list[str]:
    out = []
    for c in cases:
        early = articles[c["earlier"]["article_id"]]["published"]
        late = articles[c["later"]["article_id"]]["published"]
        if not late > early:
            out.append(f"{c['id']}: later published {late}, not after {early}")
    return out


def check_articles_file(articles: list[Article]) -> list[str]:
    out = []
    ids = [a["id"] for a in articles]
    if len(set(ids)) != len(ids):
        out.append("articles.jsonl has duplicate ids")
    if [(a["published"], a["id"]) for a in articles] != sorted(
        (a["published"], a["id"]) for a in articles
    ):
        out.append("articles.jsonl is not sorted by published, then id")
    out += [f"{a['id']}: story {a['story']!r}" for a in articles if a["story"] not in STORIES]
    return out


def check_against_source(articles: list[Article], source: list[Article]) -> list[str]:
    """articles.jsonl holds exactly the source records of the suite's stories, unchanged."""
    wanted = {a["id"]: a for a in source if a.get("story") in STORIES}
    have = by_id(articles)
    out = [f"{i}: missing from articles.jsonl" for i in sorted(wanted.keys() - have.keys())]
    out += [f"{i}: not a source record of {STORIES}" for i in sorted(have.keys() - wanted.keys())]
    out += [
        f"{i}: differs from the source"
        for i in sorted(have)
        if i in wanted and have[i] != wanted[i]
    ]
    return out


# ---- the real files -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    rows, problems = load_jsonl(CASES)
    assert problems == []
    return rows


@pytest.fixture(scope="module")
def article_list() -> list[Article]:
    rows, problems = load_jsonl(ARTICLES)
    assert problems == []
    return rows


@pytest.fixture(scope="module")
def articles(article_list: list[Article]) -> dict[str, Article]:
    return by_id(article_list)


def test_files_are_valid_jsonl() -> None:
    for path in (CASES, ARTICLES):
        _, problems = load_jsonl(path)
        assert problems == [], path


def test_cases_have_the_documented_shape(cases: list[Case]) -> None:
    assert check_shape(cases) == []


def test_case_ids_are_unique(cases: list[Case]) -> None:
    assert check_unique_ids(cases) == []


def test_every_case_is_in_the_split_the_rule_gives(cases: list[Case]) -> None:
    assert check_split(cases) == []
    assert check_split_per_item(cases) == []


def test_both_splits_hold_related_cases_and_hard_negatives(cases: list[Case]) -> None:
    for split in SPLITS:
        chosen = [c for c in cases if c["split"] == split]
        assert any(c["expected"]["relation"] == "unrelated" for c in chosen), split
        assert any(c["expected"]["relation"] != "unrelated" for c in chosen), split
    assert all(c["split"] == "dev" for c in cases if c["story"] == HELD_OUT_STORY)


def test_relations_are_known_and_statuses_fit_the_kind(cases: list[Case]) -> None:
    assert check_relation_and_status(cases) == []


def test_both_articles_are_in_the_suite(cases: list[Case], articles: dict[str, Article]) -> None:
    assert check_articles_present(cases, articles) == []


def test_quotes_are_verbatim_in_the_earlier_article(
    cases: list[Case], articles: dict[str, Article]
) -> None:
    assert check_quotes(cases, articles) == []


def test_evidence_is_verbatim_in_the_later_article(
    cases: list[Case], articles: dict[str, Article]
) -> None:
    assert check_evidence(cases, articles) == []


def test_the_later_article_is_published_after_the_earlier(
    cases: list[Case], articles: dict[str, Article]
) -> None:
    assert check_order(cases, articles) == []


def test_articles_file_is_sorted_and_limited_to_the_suite_stories(
    article_list: list[Article],
) -> None:
    assert check_articles_file(article_list) == []


def test_articles_equal_the_meantime_source(article_list: list[Article]) -> None:
    if not SOURCE.exists():
        pytest.skip(f"{SOURCE} not present")
    source, problems = load_jsonl(SOURCE)
    assert problems == []
    assert check_against_source(article_list, source) == []


def test_the_suite_has_enough_related_cases_and_hard_negatives(cases: list[Case]) -> None:
    related = [c for c in cases if c["expected"]["relation"] != "unrelated"]
    assert len(related) >= 35
    assert len(cases) - len(related) >= 20


# ---- every check can fail -------------------------------------------------------------------


def broken(cases: list[Case], edit: Callable[[Case], None], index: int = 0) -> list[Case]:
    out = copy.deepcopy(cases)
    edit(out[index])
    return out


def first(cases: list[Case], relation: str) -> int:
    return next(i for i, c in enumerate(cases) if c["expected"]["relation"] == relation)


def test_load_jsonl_can_fail(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": 1}\n{not json}\n[1]\n', encoding="utf-8")
    rows, problems = load_jsonl(path)
    assert rows == [{"id": 1}]
    assert len(problems) == 2


def test_check_shape_can_fail(cases: list[Case]) -> None:
    assert check_shape(broken(cases, lambda c: c.pop("note")))
    assert check_shape(broken(cases, lambda c: c.update(story="ford")))
    assert check_shape(broken(cases, lambda c: c.pop("split")))
    assert check_shape(broken(cases, lambda c: c["earlier"].update(quote=" ")))
    i = next(i for i, c in enumerate(cases) if c["earlier"]["kind"] == "claim")
    assert check_shape(broken(cases, lambda c: c["earlier"].update(actors=["X"]), i))
    j = next(i for i, c in enumerate(cases) if c["earlier"]["kind"] == "commitment")
    assert check_shape(broken(cases, lambda c: c["earlier"].update(actors=[]), j))


def test_check_split_can_fail(cases: list[Case]) -> None:
    assert check_split(broken(cases, lambda c: c.update(split="test")))
    train = next(i for i, c in enumerate(cases) if c["split"] == "train")
    assert check_split(broken(cases, lambda c: c.update(split="dev"), train))
    apple = next(i for i, c in enumerate(cases) if c["story"] == HELD_OUT_STORY)
    assert check_split(broken(cases, lambda c: c.update(split="train"), apple))


def test_check_split_per_item_can_fail(cases: list[Case]) -> None:
    keys = [item_key(c) for c in cases]
    shared = next(i for i, key in enumerate(keys) if keys.count(key) > 1)
    flipped = "dev" if cases[shared]["split"] == "train" else "train"
    assert check_split_per_item(broken(cases, lambda c: c.update(split=flipped), shared))


def test_check_unique_ids_can_fail(cases: list[Case]) -> None:
    assert check_unique_ids(broken(cases, lambda c: c.update(id=cases[1]["id"])))


def test_check_relation_and_status_can_fail(cases: list[Case]) -> None:
    assert check_relation_and_status(broken(cases, lambda c: c["expected"].update(relation="x")))
    i = first(cases, "unrelated")
    assert check_relation_and_status(
        broken(cases, lambda c: c["expected"].update(to_status="open"), i)
    )
    j = next(
        i
        for i, c in enumerate(cases)
        if c["earlier"]["kind"] == "commitment" and c["expected"]["relation"] == "fulfils"
    )
    # a claim status on a commitment, a wrong status for the relation, a relation not for the kind
    assert check_relation_and_status(
        broken(cases, lambda c: c["expected"].update(to_status="corroborated"), j)
    )
    assert check_relation_and_status(
        broken(cases, lambda c: c["expected"].update(to_status="stalled"), j)
    )
    assert check_relation_and_status(broken(cases, lambda c: c["earlier"].update(kind="claim"), j))


def test_check_articles_present_can_fail(cases: list[Case], articles: dict[str, Article]) -> None:
    assert check_articles_present(
        broken(cases, lambda c: c["later"].update(article_id="wikinews-0")), articles
    )
    stock = next(a for a in articles.values() if a["story"] == "stock")
    gm_case = next(i for i, c in enumerate(cases) if c["story"] == "gm")
    assert check_articles_present(
        broken(cases, lambda c: c["later"].update(article_id=stock["id"]), gm_case), articles
    )


def test_check_quotes_can_fail(cases: list[Case], articles: dict[str, Article]) -> None:
    assert check_quotes(
        broken(cases, lambda c: c["earlier"].update(quote=c["earlier"]["quote"] + " x")), articles
    )
    assert check_quotes(
        broken(cases, lambda c: c["earlier"].update(condition="if pigs fly")), articles
    )
    assert check_quotes(broken(cases, lambda c: c["earlier"].update(deadline="by 2099")), articles)


def test_check_evidence_can_fail(cases: list[Case], articles: dict[str, Article]) -> None:
    i = first(cases, "fulfils")
    assert check_evidence(
        broken(
            cases, lambda c: c["expected"].update(evidence=c["expected"]["evidence"][1:] + "!"), i
        ),
        articles,
    )
    assert check_evidence(broken(cases, lambda c: c["expected"].update(evidence=None), i), articles)
    j = first(cases, "repeats")
    assert check_evidence(broken(cases, lambda c: c["expected"].update(evidence=None), j), articles)
    k = first(cases, "unrelated")
    later_text = articles[cases[k]["later"]["article_id"]]["text"]
    assert check_evidence(
        broken(cases, lambda c: c["expected"].update(evidence=later_text[:40]), k), articles
    )


def test_check_order_can_fail(cases: list[Case], articles: dict[str, Article]) -> None:
    def swap(c: Case) -> None:
        c["earlier"]["article_id"], c["later"]["article_id"] = (
            c["later"]["article_id"],
            c["earlier"]["article_id"],
        )

    assert check_order(broken(cases, swap), articles)
    same_day = broken(cases, lambda c: c["later"].update(article_id=c["earlier"]["article_id"]))
    assert check_order(same_day, articles)


def test_check_articles_file_can_fail(article_list: list[Article]) -> None:
    assert check_articles_file(list(reversed(article_list)))
    assert check_articles_file([*article_list, article_list[-1]])
    assert check_articles_file([*article_list[:-1], {**article_list[-1], "story": "ford"}])


def test_check_against_source_can_fail(article_list: list[Article]) -> None:
    source = copy.deepcopy(article_list)
    assert check_against_source(article_list, source) == []
    changed = [{**article_list[0], "text": article_list[0]["text"] + " "}, *article_list[1:]]
    assert check_against_source(changed, source)
    assert check_against_source(article_list[1:], source)
    # a source record of a suite story that the suite lacks, and a record of another story
    missing = [*source, {"id": "wikinews-x", "story": "apple", "text": ""}]
    assert check_against_source(article_list, missing)
    other = {"id": "wikinews-y", "story": "ford", "text": ""}
    assert check_against_source([*article_list, other], [*source, other])
