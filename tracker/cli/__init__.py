"""The `tracker` command line: global options, error handling, and the command groups."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib import import_module

import click

from tracker import __version__
from tracker.cli.context import AppContext, UsageProblem
from tracker.config import ConfigError

# Each module registers its commands on `main` when imported; listed here so `--help` shows all.
COMMAND_MODULES = (
    "tracker.cli.feeds_cmd",
    "tracker.cli.poll_cmd",
    "tracker.cli.list_cmd",
    "tracker.cli.export_cmd",
    "tracker.cli.follow_cmd",
    "tracker.cli.cluster_cmd",
    "tracker.cli.demo_cmd",
    "tracker.cli.tui_cmd",
)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    envvar="TRACKER_DB",
    help="SQLite database (default: env TRACKER_DB, else the user data dir).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    envvar="TRACKER_CONFIG",
    help="feeds.toml (default: env TRACKER_CONFIG, ./feeds.toml, else user config).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.version_option(__version__, prog_name="tracker")
@click.pass_context
def main(ctx: click.Context, db_path: str | None, config_path: str | None, debug: bool) -> None:
    """Follow a fast-moving field through RSS/Atom feeds: poll, read, tag, follow, export."""
    ctx.obj = AppContext(db_path, config_path, debug)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        tui = main.get_command(ctx, "tui")
        if tui is None:
            raise click.UsageError("the app is not available")
        ctx.invoke(tui)


for _name in COMMAND_MODULES:
    try:
        import_module(_name)
    except ModuleNotFoundError as exc:  # a command group still being written
        if exc.name != _name:
            raise


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and map failures to SPEC exit codes: 2 usage/config, 1 anything else."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        main.main(args=args, prog_name="tracker", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code or 0)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return 2 if isinstance(exc, click.UsageError) else exc.exit_code
    except (ConfigError, UsageProblem) as exc:
        click.echo(f"tracker: {exc}", err=True)
        return 2
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except Exception as exc:
        if debug:
            raise
        click.echo(f"tracker: error: {type(exc).__name__}: {exc}", err=True)
        return 1
    return 0


def entry() -> None:
    sys.exit(run())
