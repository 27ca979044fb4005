"""The pure dossier: day buckets with zero days, sources, clusters as one row, and the charts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tracker.follow import Follow, Member, build_dossier
from tracker.follow_chart import block_chart, fold, sparkline
from tracker.models import Story

T0 = datetime(2025, 1, 20, 10, 2, tzinfo=UTC)
FOLLOW = Follow(1, "R1", "deepseek", "user", T0, last_opened_at=T0 + timedelta(days=6))


def story(sid: int, feed: str, at: datetime, cluster: int | None = None) -> Story:
    return Story(
        id=sid,
        feed_id=hash(feed) % 100,
        feed_url=f"https://{feed.lower()}.example/feed",
        feed_title=feed,
        key=str(sid),
        url=f"https://{feed.lower()}.example/{sid}",
        title=f"story {sid}",
        author=None,
        summary="",
        published=at,
        first_seen=at,
        sort_at=at,
        read=False,
        starred=False,
        cluster_id=cluster,
    )


def member(s: Story, added: datetime | None = None, how: str = "match") -> Member:
    return Member(s, "pin" if how == "pin" else "match", added or s.first_seen)


def test_timeline_includes_zero_days_and_sources_by_first_coverage() -> None:
    members = [
        member(story(1, "Blog", T0)),
        member(story(2, "HN", T0 + timedelta(hours=3))),
        member(story(3, "Reuters", T0 + timedelta(days=3))),
        member(story(4, "HN", T0 + timedelta(days=3, hours=1))),
    ]
    d = build_dossier(FOLLOW, members, {})
    assert [(t.day.day, t.count) for t in d.timeline] == [(20, 2), (21, 0), (22, 0), (23, 2)]
    assert [(s.feed_title, s.first, s.count) for s in d.sources] == [
        ("Blog", T0, 1),
        ("HN", T0 + timedelta(hours=3), 2),
        ("Reuters", T0 + timedelta(days=3), 1),
    ]
    assert d.first is not None and d.first.id == 1
    assert [day.day for day in d.days] == [date(2025, 1, 23), date(2025, 1, 20)]
    assert d.total == 4 and d.new_count == 0  # all joined before the last visit


def test_cluster_members_of_one_day_share_a_row_with_other_sources() -> None:
    late = T0 + timedelta(days=7)
    members = [
        member(story(10, "Reuters", late, cluster=5), added=late),
        member(story(11, "Verge", late + timedelta(hours=1), cluster=5), added=late),
        member(story(12, "Blog", late + timedelta(hours=2)), added=T0, how="pin"),
    ]
    d = build_dossier(FOLLOW, members, {5: 7})
    (day,) = d.days
    assert day.count == 3
    assert [(r.story.id, r.story_ids, r.others) for r in day.rows] == [
        (12, (12,), 0),
        (10, (10, 11), 6),
    ]
    assert day.rows[0].pinned and not day.rows[1].pinned
    assert d.new_count == 2 and day.rows[1].new and not day.rows[0].new


def test_never_opened_counts_everything_new_and_empty_follow_is_empty() -> None:
    never = Follow(2, "x", "x", "user", T0, None)
    d = build_dossier(never, [member(story(1, "Blog", T0))], {})
    assert (d.new_count, d.since) == (1, None)
    empty = build_dossier(never, [], {})
    assert (empty.total, empty.timeline, empty.first, empty.days) == (0, (), None, ())


def test_fold_sums_days_to_fit_and_names_the_bin() -> None:
    binned = fold([1, 2, 3, 4, 5], 2)
    assert (binned.values, binned.per, binned.caption) == ((6, 9), 3, "stories per 3 days")
    assert fold([1, 2], 80).caption == "stories per day"


def test_sparkline_shows_any_story_and_blank_zero_days() -> None:
    assert sparkline([0, 1, 8, 4], 10) == " ▁█▄"
    assert len(sparkline(list(range(400)), 80)) <= 80


def test_block_chart_fits_the_width_with_axis_and_labels() -> None:
    counts = [0] * 10 + [3, 9, 60, 30, 12, 4, 1] + [0] * 50
    for width, top in ((40, 90), (80, 60), (120, 60)):  # at 40 columns two days share a bar
        lines = block_chart(counts, date(2025, 1, 10), width)
        assert all(len(line) <= width for line in lines), width
        assert lines[0].startswith(f" {top} ┤") and lines[-2].startswith("  0 └")
        assert lines[-1].lstrip().startswith("Jan 10")
    assert block_chart([], date(2025, 1, 1), 80) == ["(no stories yet)"]
