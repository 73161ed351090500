"""A static HTML report of one eval run: each case with expected and predicted side by side.

One self-contained file (inline CSS, no script, no network), so it opens from disk in any browser
and can be attached to a pull request. Every piece of suite or model text goes through
:func:`html.escape`; spans are highlighted by cutting the text at every span boundary and marking
each piece with the roles that cover it, so overlapping and nested spans show as layered marks.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from claimtrack.evals.runs import BRAT, HEADLINE, NATIVE, PLEDGES, TRACKING, EvalRun
from claimtrack.store.evals import EvalCaseRecord

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem; color: #1d1d1f; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: .5rem 0; }
td, th { border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; vertical-align: top; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.side { border: 1px solid #ddd; padding: .5rem .8rem; white-space: pre-wrap; max-height: 40rem;
        overflow: auto; }
.side h3 { margin: 0 0 .4rem 0; font-size: 1rem; white-space: normal; }
mark { background: none; border-radius: 2px; }
mark.claim, mark.content { background: #cfe8ff; }
mark.commitment { background: #ffe3b3; }
mark.source { background: #d7f5d0; }
mark.cue { background: #f5d0e8; }
mark.claim.commitment { background: #e6d4ff; }
.ok { background: #eaf7ea; } .wrong { background: #fdeaea; }
.legend mark { padding: 0 .3rem; }
.muted { color: #666; }
"""


def _number(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}" if value != int(value) or abs(value) <= 1 else f"{value:g}"
    return escape(str(value))


def highlight(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """``text`` escaped, with each ``(start, end, css_class)`` span inside ``<mark>``."""
    spans = [(max(0, s), min(len(text), e), c) for s, e, c in spans if e > s]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        if start >= end:
            continue
        classes = sorted({c for s, e, c in spans if s <= start and end <= e})
        piece = escape(text[start:end])
        if classes:
            pieces.append(f'<mark class="{" ".join(classes)}">{piece}</mark>')
        else:
            pieces.append(piece)
    return "".join(pieces)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], row_class: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        f"<tr{row_class}>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _header(run: EvalRun) -> str:
    r = run.record
    facts = [
        ("run", r.id),
        ("suite", f"{r.suite} ({r.kind}, hash {r.suite_hash[:12]})"),
        ("backend", r.backend),
        ("model", r.model or "-"),
        ("prompt", r.prompt_id),
        ("git commit", (r.git_commit or "-") + (" (uncommitted changes)" if r.git_dirty else "")),
        ("started", f"{r.started_at:%Y-%m-%d %H:%M:%S} UTC ({run.seconds:.2f}s)"),
        (
            "cost",
            f"{r.llm_calls} calls ({r.cache_hits} cached), "
            f"{r.prompt_tokens + r.completion_tokens} tokens, "
            + (f"${r.cost_usd:.4f}" if r.cost_usd is not None else "no price known"),
        ),
    ]
    headline = set(HEADLINE.get(r.kind, ()))
    metrics = _table(
        ("metric", "value"),
        (
            (
                f"<b>{escape(name)}</b>" if name in headline else escape(name),
                f'<span class="num">{_number(value)}</span>',
            )
            for name, value in r.metrics.items()
        ),
    )
    return (
        f"<h1>Eval run {escape(r.id)}</h1>"
        + _table(("", ""), ((escape(k), escape(v)) for k, v in facts))
        + "<h2>Metrics (headline in bold)</h2>"
        + metrics
    )


def _native_case(case: EvalCaseRecord) -> str:
    text = str(case.detail.get("text", ""))
    expected = case.expected or []
    predicted = case.predicted or []
    matched_gold = {g for g, _ in case.detail.get("matches", [])}
    matched_predicted = {p for _, p in case.detail.get("matches", [])}

    def side(title: str, items: list[dict[str, Any]]) -> str:
        marks = highlight(text, ((i["start"], i["end"], i["kind"]) for i in items))
        return f'<div class="side"><h3>{escape(title)}</h3>{marks}</div>'

    def rows(items: list[dict[str, Any]], matched: set[int]) -> list[list[str]]:
        found = []
        for index, item in enumerate(items):
            fields = ", ".join(
                f"{name}: {escape(str(item[name]))}"
                for name in ("cue", "direct", "actors", "condition", "deadline")
                if item.get(name) not in (None, [], "")
            )
            found.append(
                [
                    "matched" if index in matched else "<b>unmatched</b>",
                    escape(item["kind"]),
                    escape(str(item.get("speaker") or "-")),
                    escape(item["quote"]),
                    fields,
                ]
            )
        return found

    header = ("", "kind", "speaker", "quote", "fields")
    return (
        '<div class="sides">'
        + side(f"expected ({len(expected)})", expected)
        + side(f"predicted ({len(predicted)})", predicted)
        + "</div><div class='sides'><div>"
        + _table(header, rows(expected, matched_gold))
        + "</div><div>"
        + _table(header, rows(predicted, matched_predicted))
        + "</div></div>"
    )


def _brat_case(case: EvalCaseRecord) -> str:
    text = str(case.detail.get("text", ""))

    def spans(attributions: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
        found = []
        for attribution in attributions:
            for role in ("content", "source", "cue"):
                for start, end in attribution.get(role) or []:
                    found.append((start, end, role))
        return found

    expected, predicted = case.expected or [], case.predicted or []
    return (
        '<div class="sides">'
        f'<div class="side"><h3>gold ({len(expected)} attributions)</h3>'
        f"{highlight(text, spans(expected))}</div>"
        f'<div class="side"><h3>predicted ({len(predicted)} attributions)</h3>'
        f"{highlight(text, spans(predicted))}</div></div>"
    )


def _cases(run: EvalRun) -> str:
    if run.kind == TRACKING:
        rows = []
        for case in run.cases:
            ok = bool(case.metrics.get("correct"))
            e, p = case.expected or {}, case.predicted or {}
            rows.append(
                f'<tr class="{"ok" if ok else "wrong"}"><td>{escape(case.case_id)}</td>'
                f"<td>{escape(str(e.get('relation')))} → {escape(str(e.get('to_status')))}</td>"
                f"<td>{escape(str(p.get('relation')))} → {escape(str(p.get('to_status')))}</td>"
                f"<td>{escape(str(p.get('evidence') or ''))}</td>"
                f"<td class='num'>{_number(case.metrics.get('retrieved_rank'))}</td></tr>"
            )
        return (
            "<h2>Cases</h2><table><thead><tr><th>case</th><th>expected</th><th>predicted</th>"
            "<th>evidence</th><th>retrieval rank</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )
    if run.kind == PLEDGES:
        wrong = [c for c in run.cases if not c.metrics.get("correct")]
        rows = []
        for case in wrong:
            expected = bool((case.expected or {}).get("pledge"))
            label = "missed pledge" if expected else "false pledge"
            quotes = "; ".join(
                escape(c["quote"]) for c in (case.predicted or {}).get("commitments", [])
            )
            rows.append(
                f'<tr class="wrong"><td>{escape(case.case_id)}</td><td>{label}</td>'
                f"<td>{escape(str(case.detail.get('text', '')))}</td><td>{quotes}</td></tr>"
            )
        return (
            f"<h2>Sentences judged wrong ({len(wrong)} of {len(run.cases)})</h2>"
            "<table><thead><tr><th>case</th><th>error</th><th>sentence</th>"
            "<th>predicted commitments</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )
    render = _native_case if run.kind == NATIVE else _brat_case
    legend = (
        '<p class="legend">Highlights: <mark class="claim">claim / content</mark> '
        '<mark class="commitment">commitment</mark> <mark class="source">source</mark> '
        '<mark class="cue">cue</mark></p>'
    )
    sections = []
    for case in run.cases:
        title = case.detail.get("title")
        sections.append(
            f'<section class="case" id="case-{escape(case.case_id)}">'
            f"<h2>{escape(case.case_id)}"
            + (f' <span class="muted">{escape(str(title))}</span>' if title else "")
            + f' <span class="muted">score {_number(case.score)}</span></h2>'
            + render(case)
            + "</section>"
        )
    return legend + "".join(sections)


def render_html(run: EvalRun) -> str:
    """The report for ``run`` (with its cases) as one HTML document."""
    if run.kind not in (NATIVE, BRAT, TRACKING, PLEDGES):
        raise ValueError(f"no report for suite kind {run.kind!r}")
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>claimtrack eval {escape(run.run_id)}</title><style>{STYLE}</style></head><body>"
        + _header(run)
        + _cases(run)
        + "</body></html>\n"
    )
