"""The one door a tracking backend goes through: a :class:`Judge` judges a page of articles.

The page driver (:func:`claimtrack.tracking.pipeline.track_articles`) plans the pages, hands each
to the judge, and writes what comes back; the judges differ only in how they reach a verdict:
:class:`RulesJudge` here (cue words, no model) and
:class:`~claimtrack.tracking.llm_judge.LLMJudge` (one call per article).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from claimtrack.errors import ClaimtrackError
from claimtrack.store import Store, utc_now
from claimtrack.store import trackings as rows
from claimtrack.tracking.evidence import ArticleToTrack
from claimtrack.tracking.retrieval import ItemIndex
from claimtrack.tracking.rules import RULES_TRACK_VERSION, judge_with_rules

if TYPE_CHECKING:
    from claimtrack.llm import CallRecord


@dataclass
class JudgeOutcome:
    """What a judge made of one article: its judgements, or why there are none."""

    judgements: list[rows.Judgement]
    calls: list[CallRecord] = field(default_factory=list)
    cache_entries: list[tuple[str, Any]] = field(default_factory=list)  # (key, answer) to store
    dropped: list[str] = field(default_factory=list)  # judgements that could not be used
    error: str | None = None
    transport_failure: bool = False  # the endpoint could not be reached
    asked_model: bool = False  # the article needed a model's answer (fresh or cached)
    finished_at: datetime = field(default_factory=utc_now)


class Judge(Protocol):
    """A tracking backend: names what it is (for records and the pending query) and judges
    pages of articles, one :class:`JudgeOutcome` per article in the page's order."""

    backend: str
    model: str | None
    prompt_id: str

    @property
    def endpoint_down(self) -> str | None:
        """Why the backend gave up on its endpoint in this run (then no further page is
        worth starting), or None."""

    async def open(self, index: ItemIndex) -> None:
        """Before the first page: ``index`` is where the pages' candidates come from."""

    async def judge_page(
        self, store: Store, page: Sequence[ArticleToTrack]
    ) -> list[JudgeOutcome]: ...

    async def close(self) -> None:
        """After the last page (or a failure): release what :meth:`open` took."""


class RulesJudge:
    """The offline judge (:func:`claimtrack.tracking.rules.judge_with_rules`), page by page."""

    backend = "rules"
    model: str | None = None
    endpoint_down: str | None = None  # it has none

    def __init__(self) -> None:
        self.prompt_id = f"track-rules@{RULES_TRACK_VERSION}"
        self.idf: dict[str, float] = {}

    async def open(self, index: ItemIndex) -> None:
        self.idf = index.idf

    async def judge_page(self, store: Store, page: Sequence[ArticleToTrack]) -> list[JudgeOutcome]:
        return [self.judge_article(article) for article in page]

    def judge_article(self, article: ArticleToTrack) -> JudgeOutcome:
        try:
            return JudgeOutcome(judge_with_rules(article, self.idf))
        except ClaimtrackError:  # the judge cannot run at all (its vectors are not installed)
            raise
        except Exception as error:  # a rule bug costs this article, not the run
            return JudgeOutcome([], error=f"rules judge failed: {type(error).__name__}: {error}")

    async def close(self) -> None:
        return None
