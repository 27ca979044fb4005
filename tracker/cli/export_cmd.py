"""`tracker export [QUERY] --format … [-o FILE]`: stories (or, as OPML, the feed list) out."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli import main
from tracker.cli.context import UsageProblem, get_context
from tracker.cli.feeds_io import export_opml
from tracker.cli.output import write_output
from tracker.cli.queryargs import QueryCommand
from tracker.export import STORY_FORMATS, format_for_path, write_stories
from tracker.export.source import DEFAULT_QUERY, BadQuery, check_query, stories_matching
from tracker.timeutil import utcnow

FORMATS = (*STORY_FORMATS, "opml")


@main.command("export", cls=QueryCommand)
@click.argument("words", nargs=-1, metavar="[QUERY]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format (default: from the -o extension, else json). "
    "opml exports the feed list instead of stories.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to FILE atomically (a temporary file, then a rename); default stdout.",
)
def export(words: tuple[str, ...], fmt: str | None, output: Path | None) -> None:
    """Export the stories matching QUERY (default: is:tagged), streamed in constant memory.

    \b
      tracker export +deepseek @30d --format md -o digest.md
      tracker export --format atom -o deepseek.atom +deepseek
      tracker export is:starred --format csv > starred.csv
      tracker export --format opml -o feeds.opml
    """
    ctx = get_context()
    if fmt is None:
        fmt = (format_for_path(output) if output and str(output) != "-" else None) or "json"
    if fmt == "opml":
        if words:
            raise UsageProblem("--format opml exports the feed list; it takes no query")
        export_opml(ctx, output)
        return
    query = " ".join(words).strip() or DEFAULT_QUERY
    now = utcnow()
    try:
        check_query(query, now)
    except BadQuery as exc:
        raise UsageProblem(f"bad query: {exc}") from None
    store = ctx.store()
    count = write_output(
        output,
        lambda out: write_stories(
            fmt, stories_matching(store, query, now), out, query=query, now=now
        ),
    )
    _report(output, count)


def _report(output: Path | None, count: int) -> None:
    """With -o, say where and how many on stderr (stdout is the export itself otherwise)."""
    if output is not None and str(output) != "-":
        click.echo(f"exported {count} {'story' if count == 1 else 'stories'} to {output}", err=True)
