"""Feed HTML -> safe HTML: ammonia (Rust, via nh3) with an explicit allow-list, links absolute."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

import nh3

# Roughly feedparser's acceptable elements, less forms, media and legacy presentation tags.
TAGS = frozenset(
    {
        "a", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "big", "blockquote",
        "br", "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details",
        "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "main", "mark", "nav", "ol",
        "p", "pre", "q", "s", "samp", "section", "small", "span", "strike", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u",
        "ul", "var", "wbr",
    }
)  # fmt: skip
# Removed together with everything inside them, not just their tags (any other tag outside
# TAGS goes and its text stays).
DROPPED_WITH_CONTENT = frozenset(
    {
        "applet", "canvas", "embed", "frame", "frameset", "head", "iframe", "noembed",
        "noframes", "noscript", "object", "script", "select", "style", "svg", "template",
        "textarea", "title", "xmp",
    }
)  # fmt: skip
# No style, class, id or event handlers anywhere; URLs only in href/src, which ammonia checks
# against URL_SCHEMES after decoding entities (`jav&#x61;script:` goes too).
ATTRIBUTES = {
    "*": {"title", "lang"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# An HTML parser's time grows with the square of the nesting depth (<dl><dt> 20,000 deep took 3 s
# in ammonia): longer fragments are cleaned in pieces of so many tags, a few ms each at worst.
# Each piece comes out well-formed and clean, so their concatenation is too; only formatting
# that spans a cut is closed there (pieces are cut before a block where one is near).
CHUNK_TAGS = 1000
_TAG_START = re.compile(r"<[/!?a-zA-Z]")
_BLOCK = re.compile(
    r"<(?:p|div|h[1-6]|ul|ol|dl|table|blockquote|pre|figure|section|article)\b", re.I
)
# Feeds write `<iframe ... />` as XHTML; an HTML parser takes all that follows for the iframe's
# text (and drops it with the iframe). Closing them keeps the rest, as feedparser did.
_SELF_CLOSED_RAW = re.compile(
    r"<(iframe|noembed|noframes|noscript|script|style|textarea|title|xmp)\b([^<>]*?)/\s*>",
    re.IGNORECASE,
)


def sanitize_html(html: str, base: str | None = None) -> str:
    """`html` with only allow-listed tags and attributes, and http(s)/mailto links; relative
    links are made absolute against `base` when it is an http(s) URL, else left relative."""
    if not html:
        return ""
    if not (base and base.lower().startswith(("http://", "https://"))):
        base = None
    if "/>" in html:
        html = _SELF_CLOSED_RAW.sub(r"<\1\2></\1>", html)
    cleaner = _cleaner(base)
    if html.count("<") <= CHUNK_TAGS:
        return cleaner.clean(html)
    return "".join(cleaner.clean(chunk) for chunk in _chunks(html))


def _chunks(html: str) -> list[str]:
    """`html` cut before a tag every CHUNK_TAGS tags at most, preferably before a block."""
    starts = [m.start() for m in _TAG_START.finditer(html)]
    cuts = [0]
    first = 0  # index in `starts` of the first tag of the current chunk
    while len(starts) - first > CHUNK_TAGS:
        last = first + CHUNK_TAGS
        near = range(last, last - CHUNK_TAGS // 2, -1)
        first = next((k for k in near if _BLOCK.match(html, starts[k])), last)
        cuts.append(starts[first])
    cuts.append(len(html))
    return [html[a:b] for a, b in pairwise(cuts)]


@lru_cache(maxsize=32)
def _cleaner(base: str | None) -> nh3.Cleaner:
    try:
        return _make_cleaner(("rewrite_with_base", base) if base else "pass_through")
    except ValueError:  # a base URL ammonia cannot parse: keep relative links as they are
        return _make_cleaner("pass_through")


def _make_cleaner(relative: nh3.UrlRelative) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        url_relative=relative,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
