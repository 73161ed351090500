"""``claimtrack articles list`` and ``claimtrack articles show``."""

from __future__ import annotations

import click
from rich.table import Table

from claimtrack.cli.app import (
    AppContext,
    info_line,
    json_option,
    json_or_page,
    limit_option,
    listed_line,
    markup_safe,
    pass_app,
    print_json,
    stdout_console,
)
from claimtrack.store import articles as article_rows
from claimtrack.terminal import visible


@click.group()
def articles() -> None:
    """The articles in the database."""


@articles.command("list")
@limit_option
@click.option("--source", default=None, help="Only articles from this source (exact name).")
@click.option("--search", default=None, help="Only articles whose title or text contains this.")
@click.option("--story", default=None, help="Only articles of this story (any case).")
@json_option
@pass_app
def list_articles(
    app: AppContext,
    limit: int | None,
    source: str | None,
    search: str | None,
    story: str | None,
    as_json: bool,
) -> None:
    """List articles by publication date (undated ones last), with their story.

    Times are shown in the zone the article gave, with it (2026-01-09 14:08 +05:30), or
    marked "(no zone given)"; --json keeps the stored UTC time and its offset.

    \b
    Examples:
      claimtrack articles list --source Wikinews --limit 10
      claimtrack articles list --search Chrysler --json
      claimtrack articles list --story gm
    """
    chosen = article_rows.ArticleFilter(source, search, story)
    with app.store.read() as con:
        page = json_or_page(
            lambda shown: article_rows.iter_articles(con, chosen, limit=shown),
            lambda: article_rows.count_articles(con, chosen),
            lambda article: article.summary(),
            limit=limit,
            as_json=as_json,
        )
    if page is None:
        return
    found, total = page
    table = Table(box=None, pad_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("source")
    table.add_column("story")
    table.add_column("title", overflow="ellipsis")
    for article in found:
        table.add_row(
            article.id,
            article.published_label if article.published else "-",
            markup_safe(article.source or "-"),
            markup_safe(article.story or "-"),
            markup_safe(article.title or "(untitled)"),
        )
    stdout_console().print(table)
    info_line(listed_line(len(found), total, "article"))


@articles.command("show")
@click.argument("article_id")
@json_option
@pass_app
def show_article(app: AppContext, article_id: str, as_json: bool) -> None:
    """Show one article with its text.

    ARTICLE_ID is the id from 'articles list', a unique prefix of it (4 characters or more), or
    the id the source record gave (for example wikinews-127227).
    """
    with app.store.read() as con:
        article = article_rows.get_article(con, article_id)
    if as_json:
        print_json(article.detail())
        return
    out = stdout_console()
    out.print(f"[bold]{markup_safe(article.title or '(untitled)')}[/]")
    details = [
        ("id", article.id),
        ("published", article.published_label if article.published else "unknown"),
        ("source", article.source),
        ("story", article.story),
        ("url", article.url),
        ("source id", article.external_id),
        ("revision of", article.revision_of),
        ("from", article.origin),
    ]
    for label, value in details:
        if value:
            out.print(f"[dim]{label}:[/] {markup_safe(value)}", soft_wrap=True)
    out.print()
    out.print(visible(article.text), markup=False, soft_wrap=True)
