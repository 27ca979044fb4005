"""SPEC §5 export records: one flat dict per story, fields in the contract's order."""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import urlsplit

from tracker.models import Story
from tracker.textclean import clean_line, clean_text
from tracker.timeutil import iso

# The SPEC §5 order: JSON keys and CSV columns both follow it.
FIELDS: tuple[str, ...] = (
    "id",
    "feed_url",
    "feed_title",
    "title",
    "url",
    "author",
    "published",
    "first_seen",
    "summary",
    "tags",
    "read",
    "starred",
    "cluster_id",
)

TAG_SEPARATOR = ";"  # CSV joins a story's tags with this

# Characters XML 1.0 forbids (C0 but tab/LF/CR, surrogates, U+FFFE/U+FFFF).
_XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# ASCII a URI/IRI may not carry as is (RFC 3987): percent-encoded in links we write.
_NOT_IN_IRI = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]')
_ENTRY_NAMESPACE = uuid.UUID("6f0c2a53-8c1e-5f7e-9d0a-7472616b6572")  # fixed: ids stay stable


def story_record(story: Story) -> dict[str, Any]:
    """The export record of one story: plain text, ISO 8601 UTC times, tags as a list."""
    return {
        "id": story.id,
        "feed_url": story.feed_url,
        "feed_title": clean_line(story.feed_title),
        "title": clean_line(story.title),
        "url": story.url or None,
        "author": clean_line(story.author) or None,
        "published": iso(story.published),
        "first_seen": iso(story.first_seen),
        "summary": clean_text(story.summary).strip(),
        "tags": list(story.tags),
        "read": story.read,
        "starred": story.starred,
        "cluster_id": story.cluster_id,
    }


def xml_safe(text: str | None) -> str:
    """`text` without the characters XML 1.0 cannot carry at all (even as references)."""
    if not text:
        return ""
    return _XML_ILLEGAL.sub("", text)


def esc(text: str | None) -> str:
    """XML text content or attribute value: illegal characters dropped, markup characters
    escaped (`>` too, so `]]>` can never appear)."""
    return (
        xml_safe(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def web_link(url: str | None) -> str | None:
    """An http(s) URL made safe to write as a link (`<`, `>`, quotes, spaces … percent-encoded);
    None for any other scheme (`javascript:`, `file:`, …) so exports never link to one."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in ("http", "https"):
        return None
    return _NOT_IN_IRI.sub(lambda m: f"%{ord(m.group()):02X}", xml_safe(url))


def entry_id(story: Story) -> str:
    """A stable Atom id: the same story (feed URL + identity key) always gets the same URN."""
    return _urn(f"{story.feed_url}\n{story.key}")


def feed_id(query: str) -> str:
    """A stable Atom feed id for an export of `query`."""
    return _urn(f"tracker-export\n{query}")


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_ENTRY_NAMESPACE, name)}"
