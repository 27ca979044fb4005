"""`tracker list QUERY`, `tracker tag QUERY +a -b` and `tracker rules apply [--dry-run]`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import click

from tracker.cli import main
from tracker.cli.context import UsageProblem, get_context
from tracker.cli.queryargs import QueryCommand
from tracker.config import TAG_NAME
from tracker.export import RECORD_FORMATS, story_record, write_stories
from tracker.models import Story
from tracker.query import And, Not, Query, QueryError, Tag, parse
from tracker.rules import apply_to_history
from tracker.store import Store
from tracker.textclean import clean_line
from tracker.timeutil import utcnow

LIST_FORMATS = ("table", *RECORD_FORMATS)
QUERY_HELP = """\b
Query language:
  word  "a phrase"  deep*      full text (title, summary, content)
  title:word  author:name  feed:text  site:domain
  +tag  tag:name  -tag         has / lacks a tag
  is:unread|read|starred|tagged|untagged   follow:"name"
  @7d  @3-weeks-ago  @2025-01-20  @2025-01-20--2025-02-01
  since:DATE  until:DATE       (dates are UTC days)
  a b (AND)  a OR b  NOT a  ( … )        sort:new|old|relevance
"""
_PAGE = 500


def parse_or_exit(text: str) -> Query:
    """The parsed query, or a usage error (exit 2) naming the column and what was expected."""
    try:
        return parse(text, now=utcnow())
    except QueryError as exc:
        raise UsageProblem(f"bad query: {exc}") from None


@main.command("list", cls=QueryCommand, epilog=QUERY_HELP)
@click.argument("words", nargs=-1, metavar="[QUERY]...")
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True,
              help="At most this many stories (0: all of them).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(LIST_FORMATS), default="table",
              show_default=True, help="Output format.")  # fmt: skip
def list_stories(words: tuple[str, ...], limit: int, fmt: str) -> None:
    """Stories matching QUERY, newest first (the query language is below).

    \b
      tracker list deepseek +china is:unread @7d
      tracker list '(nvidia OR "nasdaq") NOT feed:reddit' --format jsonl
      tracker list --limit 5 -- -junk is:unread
    """
    query = parse_or_exit(" ".join(words))
    stories = _matching(get_context().store(), query, limit)
    if fmt == "table":
        shown = 0
        for story in stories:
            click.echo(_table_line(story))
            shown += 1
        if shown == 0 and sys.stdout.isatty():
            click.echo("no stories match", err=True)
        return
    if fmt in ("json", "jsonl"):
        _write_records(get_context().store(), stories, fmt)
    else:
        write_stories(fmt, stories, sys.stdout, query=query.text)


def _write_records(store: Store, stories: Iterator[Story], fmt: str) -> None:
    """SPEC §5 records plus `tag_rules`: for each tag a rule set, that rule's query."""
    out = sys.stdout
    first = True
    if fmt == "json":
        out.write("[")
    for story in stories:
        record = story_record(story)
        record["tag_rules"] = {
            name: rule for name, source, rule in store.tags.of_story(story.id) if source == "rule"
        }
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        if fmt == "json":
            out.write(("\n" if first else ",\n") + text)
        else:
            out.write(text + "\n")
        first = False
    if fmt == "json":
        out.write("]\n" if first else "\n]\n")


def _matching(store: Store, query: Query, limit: int) -> Iterator[Story]:
    """Up to `limit` stories (all when 0), a page at a time: memory stays small."""
    if limit == 0:  # every match, in the query's order (relevance included)
        yield from store.search.iter(query)
        return
    left = limit or sys.maxsize
    cursor = None
    while left > 0:
        page = store.search.page(query, min(left, _PAGE), after=cursor)
        yield from page.stories
        left -= len(page.stories)
        cursor = page.next_cursor
        if cursor is None:
            return


def _table_line(story: Story) -> str:
    flags = ("*" if story.starred else " ") + ("N" if not story.read else " ")
    when = story.sort_at.strftime("%Y-%m-%d %H:%M")
    feed = clean_line(story.feed_title)[:18]
    tags = f"  [{' '.join(story.tags)}]" if story.tags else ""
    return f"{story.id:>8} {when} {flags} {feed:18}  {clean_line(story.title)}{tags}"


@main.command("tag", cls=QueryCommand, epilog=QUERY_HELP)
@click.argument("words", nargs=-1, required=True, metavar="QUERY +NAME... -NAME...")
def tag(words: tuple[str, ...]) -> None:
    """Add (+NAME) and remove (-NAME) tags on every story matching QUERY; prints the count.

    The trailing +NAME/-NAME words are the changes, the words before them the query (quote a
    query that itself ends in +name: `tracker tag "deepseek +china" +ai`).

    \b
      tracker tag deepseek -junk
      tracker tag 'deepseek is:unread' +ai +china
    """
    query_words, changes = _split_changes(list(words))
    query = parse_or_exit(" ".join(query_words))
    if query.root is None:
        raise UsageProblem("tag needs a query that selects stories (to tag everything, say so: "
                           "e.g. `@100y`)")  # fmt: skip
    store = get_context().store()
    now = utcnow()
    changed: set[int] = set()
    parts: list[str] = []
    for sign, name in changes:
        # The stories this change affects: matching, and lacking (or having) the tag.
        assert query.root is not None
        has = Tag(name)
        narrowed = And((query.root, Not(has) if sign == "+" else has))
        ids = store.search.ids(Query(query.text, narrowed), now=now)
        if sign == "+":
            store.tags.add(ids, [name], now)
        else:
            store.tags.remove(ids, [name], now)
        changed.update(ids)
        parts.append(f"{sign}{name} {len(ids)}")
    noun = "story" if len(changed) == 1 else "stories"
    click.echo(f"{len(changed)} {noun} changed ({', '.join(parts)})")


def _split_changes(words: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """(query words, [(sign, tag)]): the trailing +name/-name words are the changes."""
    cut = len(words)
    while cut > 0 and _change(words[cut - 1]) is not None:
        cut -= 1
    if cut == 0:  # every word looks like a change: the first one is the query
        cut = 1
    changes = [c for c in (_change(w) for w in words[cut:]) if c is not None]
    if not changes:
        raise UsageProblem("nothing to do: give tags to add (+NAME) or remove (-NAME) after "
                           "the query")  # fmt: skip
    return words[:cut], changes


def _change(word: str) -> tuple[str, str] | None:
    if len(word) > 1 and word[0] in "+-" and TAG_NAME.match(word[1:]):
        return word[0], word[1:]
    return None


@main.group("rules")
def rules() -> None:
    """Automatic tags from the [[rule]] tables of feeds.toml."""


@rules.command("apply")
@click.option("--dry-run", is_flag=True, help="Count what would be tagged; change nothing.")
def rules_apply(dry_run: bool) -> None:
    """Re-apply every rule to the stored stories; prints counts per rule.

    Tags a user removed by hand stay removed; each tag records the rule that set it.
    """
    ctx = get_context()
    config = ctx.config()
    if not config.rules:
        click.echo(f"no rules in {config.path}")
        return
    results = apply_to_history(ctx.store(), config.rules, utcnow(), dry_run=dry_run)
    for result in results:
        click.echo(result.describe(dry_run=dry_run))
    total = sum(r.tagged for r in results)
    click.echo(f"{'would tag' if dry_run else 'tagged'} {total} in all")
