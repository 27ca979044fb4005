"""`tracker tui` (and bare `tracker`): open the app; Textual is imported only when it runs."""

from __future__ import annotations

import click

from tracker.cli import main
from tracker.cli.context import get_context
from tracker.config import ConfigError


@main.command("tui")
@click.option(
    "--no-mark-read", is_flag=True, help="Opening a story does not mark it read (m does)."
)
@click.option("--light", is_flag=True, help="Start with the light theme.")
def tui(no_mark_read: bool, light: bool) -> None:
    """Open the app over the database (stored stories show at once; `r` polls)."""
    from tracker.tui.app import TrackerApp
    from tracker.tui.data import DataSource
    from tracker.tui.views import Options

    ctx = get_context()
    notice = None
    try:
        config = ctx.config()
    except ConfigError as exc:
        notice = f"{exc} (poll now is off)"
        click.echo(f"tracker: {notice}", err=True)
        config = None
    data = DataSource(ctx.db_path)
    with data.store() as store:
        if config is not None:
            store.feeds.sync(config)
    options = Options(mark_read_on_open=not no_mark_read, config=config, notice=notice)
    app = TrackerApp(data, options, theme="textual-light" if light else "textual-dark")
    app.run()
