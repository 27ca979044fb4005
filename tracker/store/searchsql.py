"""A query AST -> SQL conditions over `stories s` with bound parameters, and FTS5 expressions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from tracker.query import And, DateRange, Field, Follow, Node, Not, Or, State, Tag, Text

FTS_IDS = "SELECT rowid AS id FROM stories_fts WHERE stories_fts MATCH ?"
TAG_IDS = "SELECT story_id AS id FROM story_tags WHERE tag = ?"
FOLLOW_IDS = (
    "SELECT fs.story_id AS id FROM follow_stories fs JOIN follows fo ON fo.id = fs.follow_id "
    "WHERE fo.name = ? AND fs.how != 'exclude'"
)
FEED_IDS = (
    "SELECT id FROM feeds WHERE COALESCE(title, '') LIKE ? ESCAPE '\\' "
    "OR COALESCE(feed_title, '') LIKE ? ESCAPE '\\' OR url LIKE ? ESCAPE '\\'"
)
STATE_SQL = {
    "unread": "s.read = 0",
    "read": "s.read = 1",
    "starred": "s.starred = 1",
    "tagged": "EXISTS (SELECT 1 FROM story_tags t WHERE t.story_id = s.id)",
    "untagged": "NOT EXISTS (SELECT 1 FROM story_tags t WHERE t.story_id = s.id)",
}


@dataclass(slots=True)
class Sql:
    """A condition and its parameters, in order."""

    text: str
    params: list[object] = field(default_factory=list)


def fts_able(node: Node) -> bool:
    """Whether FTS5 alone can answer `node` (text terms under AND/OR, NOT beside a positive)."""
    if isinstance(node, Text):
        return True
    if isinstance(node, Or):
        return all(fts_able(i) for i in node.items)
    if isinstance(node, And):
        positive = [i for i in node.items if not isinstance(i, Not)]
        negative = [i.item for i in node.items if isinstance(i, Not)]
        return bool(positive) and all(fts_able(i) for i in positive + negative)
    return False


def fts_expr(node: Node) -> str:
    """The FTS5 expression for an `fts_able` node: every user term is a quoted FTS5 string."""
    if isinstance(node, Text):
        quoted = '"' + node.value.replace('"', '""') + '"' + ("*" if node.prefix else "")
        return f"title : {quoted}" if node.field == "title" else quoted
    if isinstance(node, Or):
        return "(" + " OR ".join(fts_expr(i) for i in node.items) + ")"
    if isinstance(node, And):
        positive = [fts_expr(i) for i in node.items if not isinstance(i, Not)]
        negative = [fts_expr(i.item) for i in node.items if isinstance(i, Not)]
        expr = "(" + " AND ".join(positive) + ")"
        return f"({expr} NOT ({' OR '.join(negative)}))" if negative else expr
    raise ValueError(f"not a full-text node: {node!r}")


def fts_conjunction(nodes: list[Node]) -> str:
    """One FTS5 expression for the AND of `nodes` (each fts_able, or Not of one)."""
    return fts_expr(And(tuple(nodes))) if len(nodes) > 1 else fts_expr(nodes[0])


def id_set(node: Node) -> Sql | None:
    """A `SELECT id …` of the stories matching `node` without reading story rows (full text,
    tags, follows and their AND/OR/NOT), or None when story columns are needed."""
    if fts_able(node):
        return Sql(FTS_IDS, [fts_expr(node)])
    if isinstance(node, Tag):
        return Sql(TAG_IDS, [node.name])
    if isinstance(node, Follow):
        return Sql(FOLLOW_IDS, [node.name])
    if isinstance(node, Or):
        parts = [id_set(i) for i in node.items]
        if any(p is None for p in parts):
            return None
        return _compound(" UNION ", [p for p in parts if p is not None])
    if isinstance(node, And):
        positive = [id_set(i) for i in node.items if not isinstance(i, Not)]
        negative = [id_set(i.item) for i in node.items if isinstance(i, Not)]
        if not positive or any(p is None for p in positive + negative):
            return None
        found = _compound(" INTERSECT ", [p for p in positive if p is not None])
        if negative:
            found = _compound(" EXCEPT ", [found, *(p for p in negative if p is not None)])
        return found
    return None


def _compound(operator: str, parts: list[Sql]) -> Sql:
    if len(parts) == 1:
        return parts[0]
    text = operator.join(f"SELECT id FROM ({p.text})" for p in parts)
    return Sql(f"SELECT id FROM ({text})", [x for p in parts for x in p.params])


def db_bound(moment: datetime) -> str:
    """A time as stored text, the year always 4 digits (`0999-…` sorts before `2025-…`)."""
    naive = moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    return naive.isoformat(timespec="seconds") + "Z"


def like_pattern(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def condition(node: Node, now: datetime, *, correlated_fts: bool = False) -> Sql:
    """A SQL boolean over `s` for any node; text goes through FTS5 (`correlated_fts`: probe
    the index per row instead of building the whole match set once)."""
    if fts_able(node):
        if correlated_fts:
            probe = "EXISTS (SELECT 1 FROM stories_fts WHERE stories_fts MATCH ? AND rowid = s.id)"
            return Sql(probe, [fts_expr(node)])
        return Sql(f"s.id IN ({FTS_IDS})", [fts_expr(node)])
    if isinstance(node, And | Or):
        parts = [condition(i, now) for i in node.items]
        joiner = " AND " if isinstance(node, And) else " OR "
        return Sql(
            "(" + joiner.join(p.text for p in parts) + ")", [x for p in parts for x in p.params]
        )
    if isinstance(node, Not):
        inner = condition(node.item, now)
        return Sql(f"NOT ({inner.text})", inner.params)
    if isinstance(node, Tag):
        return Sql("EXISTS (SELECT 1 FROM story_tags t WHERE t.story_id = s.id AND t.tag = ?)",
                   [node.name])  # fmt: skip
    if isinstance(node, State):
        return Sql(STATE_SQL[node.name])
    if isinstance(node, Follow):
        return Sql(f"s.id IN ({FOLLOW_IDS})", [node.name])
    if isinstance(node, DateRange):
        bounds: list[str] = []
        params: list[object] = []
        if node.start is not None:
            bounds.append("s.sort_at >= ?")
            params.append(db_bound(node.start.resolve(now)))
        if node.end is not None:
            bounds.append("s.sort_at < ?")
            params.append(db_bound(node.end.resolve(now)))
        return Sql("(" + " AND ".join(bounds) + ")", params)
    if isinstance(node, Field):
        return _field(node)
    raise ValueError(f"unknown query node: {node!r}")


def _field(node: Field) -> Sql:
    if node.name == "author":
        return Sql("s.author LIKE ? ESCAPE '\\'", [like_pattern(node.value)])
    if node.name == "feed":
        pattern = like_pattern(node.value)
        return Sql(f"s.feed_id IN ({FEED_IDS})", [pattern, pattern, pattern])
    site = normal_site(node.value)
    # LIKE (in C) narrows to URLs that mention the host; the Python function then checks it.
    return Sql("(s.url LIKE ? ESCAPE '\\' AND tracker_site(s.url, ?))", [like_pattern(site), site])


def normal_site(value: str) -> str:
    """`site:` value -> a bare lower-case host (`https://www.x.com/a` -> `www.x.com`)."""
    value = value.strip().lower()
    if "://" in value:
        value = host_of(value) or value
    return value.split("/", 1)[0].rstrip(".")


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.rstrip(".") if host else None


def site_matches(url: object, site: object) -> int:
    """SQL function: 1 when the URL's host is `site` or a subdomain of it."""
    if not isinstance(url, str) or not isinstance(site, str) or not site:
        return 0
    host = host_of(url)
    return int(host is not None and (host == site or host.endswith("." + site)))
