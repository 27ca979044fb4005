"""`tracker follow …`: list, add, show (text, Markdown, JSON), pin/exclude/release, remove."""

from __future__ import annotations

import json
import shutil

import click

from tracker.cli import main
from tracker.cli.context import AppContext, UsageProblem, get_context
from tracker.follow import Follow
from tracker.follow_chart import sparkline
from tracker.follow_render import to_json_text, to_markdown, to_text
from tracker.store import Store
from tracker.textclean import clean_line
from tracker.timeutil import iso, utcnow

RECENT_DAYS = 14  # the sparkline `follow list` draws
_LOOSE = {"ignore_unknown_options": True}  # a query such as `-junk deepseek` works as written


def query_error(text: str) -> str | None:
    """The query language's message for a bad query, None when it parses."""
    if not text.strip():
        return "the query is empty"
    try:
        from tracker.query import QueryError, parse
    except ImportError:  # the parser is not there yet: every query is accepted
        return None
    try:
        parse(text)
    except QueryError as exc:
        return str(exc)
    return None


def _synced(ctx: AppContext) -> Store:
    """The store with the follows of feeds.toml in it."""
    store = ctx.store()
    store.follows.sync(ctx.config(), utcnow())
    return store


def _follow(store: Store, name: str) -> Follow:
    follow = store.follows.get(name)
    if follow is None:
        known = ", ".join(repr(f.name) for f in store.follows.all(counts=False)) or "none"
        raise UsageProblem(f"no follow named {name!r} (follows: {known})")
    return follow


@main.group()
def follow() -> None:
    """Follow a story over time: a named query plus stories pinned or excluded by hand."""


@follow.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of follows.")
def list_follows(as_json: bool) -> None:
    """Follows with their story counts and stories new since each was last opened."""
    store = _synced(get_context())
    follows = store.follows.all()
    if as_json:
        records = [
            {
                "name": f.name,
                "query": f.query,
                "origin": f.origin,
                "stories": f.story_count,
                "new": f.new_count,
                "created_at": iso(f.created_at),
                "last_opened_at": iso(f.last_opened_at),
            }
            for f in follows
        ]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    if not follows:
        click.echo("no follows: add one with `tracker follow add NAME QUERY`")
        return
    recent = store.follows.recent_counts(RECENT_DAYS, utcnow())
    days = f"last {RECENT_DAYS} days"
    click.echo(f"{'follow':30} {'stories':>7} {'new':>5}  {days:{RECENT_DAYS}}  query")
    for f in follows:
        name = clean_line(f.name)[:30]
        spark = sparkline(recent.get(f.id, [0] * RECENT_DAYS), RECENT_DAYS)
        click.echo(
            f"{name:30} {f.story_count:>7,} {f.new_count:>5,}  {spark:{RECENT_DAYS}}  "
            f"{clean_line(f.query)}"
        )


@follow.command("add", context_settings=_LOOSE)
@click.argument("name")
@click.argument("query", nargs=-1, required=True)
def add(name: str, query: tuple[str, ...]) -> None:
    """Follow QUERY as NAME; stories already stored that match join it now."""
    text = " ".join(query)
    name = clean_line(name).strip()
    if not name:
        raise UsageProblem("a follow needs a name")
    problem = query_error(text)
    if problem:
        raise UsageProblem(f"bad query: {problem}")
    store = _synced(get_context())
    if store.follows.get(name) is not None:
        raise UsageProblem(f"a follow named {name!r} already exists")
    _, gathered = store.follows.add(name, text, utcnow())
    click.echo(f"following {name!r}: {gathered:,} stored {'story' if gathered == 1 else 'stories'}")


@follow.command("show")
@click.argument("name")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "json"]),
    default="text",
    show_default=True,
    help="text is a visit (it resets the new count); md and json are dossiers for elsewhere.",
)
def show(name: str, fmt: str) -> None:
    """The dossier: timeline by day, sources with first coverage, first report, stories."""
    store = _synced(get_context())
    follow = _follow(store, name)
    dossier = store.follows.dossier(follow.name)
    assert dossier is not None
    if fmt == "json":
        click.echo(to_json_text(dossier), nl=False)
    elif fmt == "md":
        click.echo(to_markdown(dossier), nl=False)
    else:
        width = min(160, max(60, shutil.get_terminal_size((80, 24)).columns))
        click.echo(to_text(dossier, width), nl=False)
        store.follows.mark_opened(follow.id, utcnow())


@follow.command("pin")
@click.argument("name")
@click.argument("story_ids", nargs=-1, required=True, type=int)
def pin(name: str, story_ids: tuple[int, ...]) -> None:
    """Pin stories into a follow by id: they stay whatever its query says."""
    _mark(name, story_ids, "pinned")


@follow.command("exclude")
@click.argument("name")
@click.argument("story_ids", nargs=-1, required=True, type=int)
def exclude(name: str, story_ids: tuple[int, ...]) -> None:
    """Exclude stories from a follow by id: they never join it again."""
    _mark(name, story_ids, "excluded")


@follow.command("release")
@click.argument("name")
@click.argument("story_ids", nargs=-1, required=True, type=int)
def release(name: str, story_ids: tuple[int, ...]) -> None:
    """Undo pins and exclusions by id: the follow's query decides again."""
    _mark(name, story_ids, "released")


def _mark(name: str, story_ids: tuple[int, ...], what: str) -> None:
    store = _synced(get_context())
    follow = _follow(store, name)
    repo = store.follows
    mark = {"pinned": repo.pin, "excluded": repo.exclude, "released": repo.release}[what]
    count = mark(follow.id, list(story_ids), utcnow())
    if not count:
        several = len(story_ids) > 1
        if what == "released":
            raise UsageProblem(f"{'none of those stories is' if several else 'not'} pinned or "
                               f"excluded in {follow.name!r}")  # fmt: skip
        raise UsageProblem(f"no such {'stories' if several else 'story'}")
    click.echo(f"{what} {count} {'story' if count == 1 else 'stories'} in {follow.name!r}")


@follow.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    """Stop following NAME (its stories stay in the database)."""
    store = _synced(get_context())
    follow = _follow(store, name)
    if follow.origin == "config":
        raise UsageProblem(f"{name!r} is defined in {get_context().config_path}; remove it there")
    store.follows.remove(follow.name)
    click.echo(f"removed {follow.name!r}")
