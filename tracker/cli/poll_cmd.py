"""`tracker poll`: sync feeds.toml, poll the due feeds, report (progress bar, summary or JSON)."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import TYPE_CHECKING

import click

from tracker.cli import main, started
from tracker.cli.context import UsageProblem, get_context
from tracker.cli.progress import poll_progress
from tracker.models import PollResult
from tracker.textclean import clean_line
from tracker.timeutil import utcnow

if TYPE_CHECKING:  # the poller (aiohttp, ...) loads only when `tracker poll` runs
    from tracker.poll.poller import PollSummary


@main.command("poll")
@click.option("--all", "every", is_flag=True, help="Poll every active feed, due or not.")
@click.option("--feed", "urls", multiple=True, metavar="URL", help="Poll just this feed.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 256),
    default=None,
    help="Requests in flight (default: settings.concurrency).",
)
def poll_command(
    every: bool, urls: tuple[str, ...], as_json: bool, quiet: bool, concurrency: int | None
) -> None:
    """Fetch the feeds that are due and store their new stories (for cron)."""
    from tracker.poll.parsepool import ParsePool

    ctx = get_context()
    config = ctx.config()
    store = ctx.store()
    store.feeds.sync(config)
    store.follows.sync(config, utcnow())
    known = set(store.feeds.urls())
    for url in urls:
        if url not in known:
            raise UsageProblem(f"--feed {url}: not in {config.path}")
    parsers = ParsePool()
    if store.feeds.never_polled(urls):  # a body to parse: the parsers start before the imports
        parsers.start()
    ctx.close()  # the poller opens its own connection
    from tracker.poll.lock import PollLocked
    from tracker.poll.poller import poll

    started()  # the poller's imports too are there for good
    bar = not (as_json or quiet) and sys.stderr.isatty()
    try:
        with poll_progress("polling", bar) as on_progress:
            summary = asyncio.run(
                poll(ctx.db_path, config, urls=urls, every=every, progress=on_progress,
                     concurrency=concurrency, parser=parsers)
            )  # fmt: skip
    except PollLocked as exc:
        click.echo(f"tracker: {exc}; skipping this run", err=True)
        return
    finally:
        parsers.close()
    for result in summary.results:
        if result.status in ("error", "gone"):
            click.echo(_error_line(result), err=True)
    for warning in summary.warnings:
        click.echo(f"warning: {clean_line(warning)}", err=True)
    if not quiet:  # a feed that was read despite flaws: worth telling its owner, not cron
        for result in summary.results:
            if result.warning:
                click.echo(f"warning: {result.url}: {clean_line(result.warning)}", err=True)
    if as_json:
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False))
    elif not quiet:
        click.echo(_summary_line(summary))


def _error_line(r: PollResult) -> str:
    return f"{r.status}: {r.url}: {clean_line(r.error or '')}"


def _summary_line(s: PollSummary) -> str:
    c = s.counts()
    return (
        f"polled {c['feeds']} feeds in {s.seconds:.1f}s: {c['ok']} ok, "
        f"{c['not_modified']} not modified, {c['errors']} failed; "
        f"{c['new_stories']} new stories, {c['updated_stories']} updated"
    )
