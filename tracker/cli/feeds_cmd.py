"""`tracker feeds …`: list feeds with their health, add and remove them in feeds.toml."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tracker.cli import main
from tracker.cli.context import UsageProblem, get_context
from tracker.cli.feeds_io import export_opml, import_opml, pick_feed
from tracker.config import TAG_NAME, check_url
from tracker.config_edit import add_feeds, remove_feed
from tracker.models import Feed
from tracker.textclean import clean_line
from tracker.timeutil import iso


@main.group()
def feeds() -> None:
    """Manage the feeds listed in feeds.toml."""


def _feed_record(feed: Feed) -> dict[str, object]:
    return {
        "url": feed.url,
        "title": feed.display_title,
        "tags": list(feed.tags),
        "active": feed.active,
        "stories": feed.story_count,
        "unread": feed.unread_count,
        "last_status": feed.last_status,
        "http_status": feed.http_status,
        "last_error": feed.last_error,
        "error_count": feed.error_count,
        "last_polled_at": iso(feed.last_polled_at),
        "next_poll_at": iso(feed.next_poll_at),
    }


@feeds.command("list")
@click.option("--errors", is_flag=True, help="Only feeds whose last poll failed.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per feed, as a list.")
def list_feeds(errors: bool, as_json: bool) -> None:
    """Feeds with their state: stories, unread, last poll, next poll, last error."""
    ctx = get_context()
    store = ctx.store()
    store.feeds.sync(ctx.config())
    rows = store.feeds.all(with_counts=True)
    if errors:
        rows = [f for f in rows if f.failing]
    if as_json:
        click.echo(json.dumps([_feed_record(f) for f in rows], indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(
            "no feeds with errors" if errors else "no feeds: add one with `tracker feeds add URL`"
        )
        return
    for feed in rows:
        mark = {"error": "!", "gone": "x", None: " "}.get(feed.last_status, " ")
        if not feed.active:
            mark = "-"
        polled = iso(feed.last_polled_at) or "never"
        line = (
            f"{mark} {clean_line(feed.display_title)[:40]:40} {feed.story_count:>6} "
            f"{feed.unread_count:>6}  {polled:20}  {feed.url}"
        )
        click.echo(line)
        if feed.failure:
            click.echo(f"    {feed.failure}")


@feeds.command("add")
@click.argument("url")
@click.option("--tag", "tags", multiple=True, help="Tag every story of this feed (repeatable).")
@click.option("--title", default=None, help="A title to show instead of the feed's own.")
@click.option("--first", is_flag=True, help="A page linking several feeds: take the first.")
@click.option("--no-discover", is_flag=True, help="Add URL as given, without fetching it.")
def add(url: str, tags: tuple[str, ...], title: str | None, first: bool, no_discover: bool) -> None:
    """Add a feed to feeds.toml (comments and order are kept).

    A web page URL is fetched and the feed its <link rel="alternate"> names is added instead.
    """
    ctx = get_context()
    try:
        url = check_url(url)
    except ValueError as exc:
        raise UsageProblem(str(exc)) from None
    for tag in tags:
        if not TAG_NAME.match(tag):
            raise UsageProblem(f"{tag!r} is not a tag name (letters, digits, _ . -)")
    if not no_discover:
        url = pick_feed(url, first=first)
    added, _ = add_feeds(ctx.config_path, [(url, title, tags)])
    click.echo(f"added {url}" if added else f"already listed: {url}")


@feeds.command("remove")
@click.argument("url")
def remove(url: str) -> None:
    """Remove a feed from feeds.toml (its stories stay in the database)."""
    ctx = get_context()
    if not remove_feed(ctx.config_path, url):
        raise UsageProblem(f"{url} is not in {ctx.config_path}")
    ctx.store().feeds.sync(ctx.config())
    click.echo(f"removed {url}")


@feeds.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(file: Path) -> None:
    """Add the feeds of an OPML file (folders and categories become tags; duplicates skipped)."""
    import_opml(get_context(), file)


@feeds.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def export(output: Path | None) -> None:
    """The feed list as OPML 2.0 (tags as folders and `category`), to stdout or FILE."""
    export_opml(get_context(), output)
