"""What `feeds add` (autodiscovery), `feeds import` and `feeds export` do, behind thin commands."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from tracker.cli.context import AppContext, UsageProblem
from tracker.cli.output import write_output
from tracker.discover import Discovery, DiscoveryError, FoundFeed, discover
from tracker.opml import OpmlError, from_feeds, import_into_config, read_opml, write_opml
from tracker.textclean import clean_line
from tracker.timeutil import utcnow


def _label(found: FoundFeed) -> str:
    title = clean_line(found.title) if found.title else ""
    return f"{found.kind:9} {found.url}" + (f"  ({title})" if title else "")


def pick_feed(url: str, *, first: bool, timeout: float = 20.0) -> str:
    """The feed URL to add for `url`: itself when it is a feed (or cannot be fetched: then it
    is added as given, with a note), else one of the feeds its page names — the only one, the
    first with `first`, or the user's choice on a terminal."""
    try:
        found: Discovery = asyncio.run(discover(url, timeout=timeout))
    except DiscoveryError as exc:
        click.echo(f"note: could not check {url} ({exc}); adding it as given", err=True)
        return url
    if found.is_feed:
        return url
    if not found.feeds:
        raise UsageProblem(
            f'no feed found at {url}: the page has no <link rel="alternate"> '
            "to an RSS, Atom or JSON Feed document"
        )
    if len(found.feeds) == 1 or first:
        chosen = found.feeds[0].url
        click.echo(f"found {found.feeds[0].kind} feed {chosen}", err=True)
        return chosen
    listing = "\n".join(f"  {n}. {_label(f)}" for n, f in enumerate(found.feeds, start=1))
    if not sys.stdin.isatty():
        raise UsageProblem(
            f"{url} links to {len(found.feeds)} feeds; pass one of them, or --first:\n{listing}"
        )
    click.echo(f"{url} links to {len(found.feeds)} feeds:\n{listing}", err=True)
    number: int = click.prompt(
        "Add which one", type=click.IntRange(1, len(found.feeds)), default=1, err=True
    )
    return found.feeds[number - 1].url


def import_opml(ctx: AppContext, path: Path) -> None:
    """Append an OPML file's feeds (folders and categories as tags) to feeds.toml."""
    try:
        doc = read_opml(path)
    except OpmlError as exc:
        raise UsageProblem(f"{path}: {exc}") from None
    result = import_into_config(ctx.config_path, doc)
    click.echo(f"imported {len(result.added)} feeds into {ctx.config_path}")
    if result.duplicates:
        click.echo(f"skipped {len(result.duplicates)} already listed:")
        for url in result.duplicates:
            click.echo(f"  {url}")
    if result.invalid:
        click.echo(f"skipped {len(result.invalid)} that are not http(s) URLs:")
        for url in result.invalid:
            click.echo(f"  {url}")


def export_opml(ctx: AppContext, output: Path | None) -> int:
    """The feeds of feeds.toml as OPML 2.0 on stdout or, atomically, into `output`."""
    now = utcnow()
    store = ctx.store()
    store.feeds.sync(ctx.config(), now)
    feeds = store.feeds.all(active_only=True)
    count = write_output(output, lambda out: write_opml(from_feeds(feeds), out, now=now))
    if output is not None and str(output) != "-":
        click.echo(f"exported {count} feeds to {output}", err=True)
    return count
