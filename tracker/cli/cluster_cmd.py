"""`tracker cluster`: catch up on unclustered stories, `--rebuild` all, `--show ID` explain one."""

from __future__ import annotations

import json
import sys
import time

import click

from tracker.cli import main
from tracker.cli.context import UsageProblem, get_context
from tracker.cli.progress import progress_bar
from tracker.poll.lock import PollLock, PollLocked
from tracker.store import Store
from tracker.textclean import clean_line
from tracker.timeutil import iso


@main.command("cluster")
@click.option("--rebuild", is_flag=True, help="Forget all clusters and cluster every story again.")
@click.option("--show", "show_id", type=int, metavar="ID", help="A cluster's stories and why.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def cluster(rebuild: bool, show_id: int | None, as_json: bool, quiet: bool) -> None:
    """Group stories about the same event across sources (done at ingest; this catches up)."""
    ctx = get_context()
    store = ctx.store()
    if show_id is not None:
        _show(store, show_id, as_json)
        return
    bar = not (as_json or quiet) and sys.stderr.isatty()
    started = time.perf_counter()
    try:
        with (
            PollLock(ctx.db_path),
            progress_bar("re-clustering" if rebuild else "clustering", bar) as on_progress,
        ):
            if rebuild:
                done = store.clusters.rebuild(on_progress)
            else:
                done = store.clusters.assign_unclustered(on_progress)
    except PollLocked as exc:
        raise click.ClickException(f"{exc}; try again when it is done") from None
    seconds = time.perf_counter() - started
    clusters = store.clusters.count()
    if as_json:
        summary = {"stories": done, "clusters": clusters, "seconds": round(seconds, 3)}
        click.echo(json.dumps(summary))
    elif not quiet:
        verb = "re-clustered" if rebuild else "clustered"
        click.echo(f"{verb} {done} stories in {seconds:.1f}s; {clusters} clusters")


def _show(store: Store, cluster_id: int, as_json: bool) -> None:
    info = store.clusters.get(cluster_id)
    if info is None:
        raise UsageProblem(f"no cluster {cluster_id}")
    members = store.clusters.members(cluster_id)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "id": info.id,
                    "label": info.label,
                    "size": info.size,
                    "first_seen": iso(info.first_seen),
                    "last_seen": iso(info.last_seen),
                    "stories": [
                        {
                            "id": m.story_id,
                            "feed_title": m.feed_title,
                            "title": m.title,
                            "url": m.url,
                            "published": iso(m.sort_at),
                            "score": m.score,
                            "terms": list(m.terms),
                        }
                        for m in members
                    ],
                },
                ensure_ascii=False,
            )
        )
        return
    click.echo(f"cluster {info.id}: {clean_line(info.label)} ({info.size} stories)")
    for m in members:
        why = f"{m.score:.2f} {', '.join(m.terms)}" if m.terms else "started the cluster"
        when = m.sort_at.strftime("%Y-%m-%d %H:%M")
        click.echo(f"  {when}  {clean_line(m.feed_title)[:24]:24}  {clean_line(m.title)}")
        click.echo(f"  {'':16}  {'':24}  ({clean_line(why)})")
