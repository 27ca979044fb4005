"""`tracker demo`: serve the sample feeds on loopback, poll them into a demo DB, open the app."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from click.core import ParameterSource

from tracker.cli import main
from tracker.cli.context import AppContext, UsageProblem, get_context
from tracker.cli.progress import poll_progress
from tracker.demo.server import serve_in_background
from tracker.demo.setup import DemoCounts, NotADemoDatabase, build_demo, config_path_for
from tracker.poll.lock import PollLocked


@main.command("demo")
@click.option("--no-open", is_flag=True, help="Stop after polling: print the database and counts.")
@click.option("--json", "as_json", is_flag=True, help="With --no-open: print the counts as JSON.")
@click.option(
    "--db",
    "demo_db",
    type=click.Path(dir_okay=False),
    default=None,
    help="The demo database (same as the global --db given before `demo`).",
)
@click.pass_context
def demo_command(
    click_ctx: click.Context, no_open: bool, as_json: bool, demo_db: str | None
) -> None:
    """Offline demo: poll the packaged sample feeds from 127.0.0.1 into a demo database.

    The database is --db when given on the command line, else demo.db beside your own
    database, which is never touched. Each run rebuilds it from scratch.
    """
    ctx = get_context()
    db_path = Path(demo_db) if demo_db else _demo_db_path(click_ctx, ctx)
    with serve_in_background() as server:
        try:
            with poll_progress(
                "demo: polling sample feeds", sys.stderr.isatty() and not as_json
            ) as on_progress:
                config, counts = build_demo(db_path, server.port, on_progress)
        except NotADemoDatabase as exc:
            raise UsageProblem(str(exc)) from None
        except PollLocked as exc:
            raise UsageProblem(f"{exc}: is another demo running?") from None
        if no_open:
            _report(db_path, counts, as_json)
            return
        # The app polls through the same server ("r"), so it runs while the server does.
        click_ctx.obj = AppContext(str(db_path), config.path, ctx.debug)
        click_ctx.call_on_close(click_ctx.obj.close)
        tui = main.get_command(click_ctx, "tui")
        if tui is None:
            _report(db_path, counts, as_json)
            raise click.ClickException("the app is not available in this build")
        click_ctx.invoke(tui)


def _demo_db_path(click_ctx: click.Context, ctx: AppContext) -> Path:
    """`--db` typed on this command line; otherwise `demo.db` beside the user's database."""
    root = click_ctx.find_root()
    if root.get_parameter_source("db_path") is ParameterSource.COMMANDLINE:
        return ctx.db_path
    own = ctx.db_path
    return own.with_name("tracker-demo.db" if own.name == "demo.db" else "demo.db")


def _report(db_path: Path, counts: DemoCounts, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"db": str(db_path), **counts.to_json()}, ensure_ascii=False))
        return
    click.echo(f"demo database: {db_path}")
    click.echo(f"demo config:   {config_path_for(db_path)}")
    click.echo(
        f"{counts.feeds} feeds ({counts.failing} failing) · {counts.stories} stories · "
        f"{len(counts.tags)} tags · {len(counts.follows)} follows · {counts.clusters} clusters · "
        f"polled in {counts.seconds:.1f}s"
    )
    for name, stories in counts.follows.items():
        click.echo(f"  follow {name!r}: {stories} stories")
    top = ", ".join(f"{tag} {n}" for tag, n in list(counts.tags.items())[:8])
    click.echo(f"  tags: {top}")
    click.echo(
        f"open it: tracker demo (rebuilds it), or tracker --db {db_path} --config "
        f"{config_path_for(db_path)} (the sample server has stopped: polls there fail)"
    )
