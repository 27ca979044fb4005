"""Sanitized HTML -> plain text (paragraphs kept, scripts dropped), with C-speed regexes."""

from __future__ import annotations

import re
from html import unescape

from tracker.textclean import clean_text

_BLOCK_NAMES = (
    "address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr"
    "|li|main|nav|ol|p|pre|section|table|tr|ul"
)
_DROP = re.compile(
    r"<!--.*?(?:-->|$)|<(script|style|template|head|title)\b[^>]*>.*?(?:</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_IMG_ALT = re.compile(r"""<img\b[^>]*?\balt\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>""", re.IGNORECASE)
_BLOCK = re.compile(rf"</?(?:{_BLOCK_NAMES})\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z!?][^>]*>")
_BLANKS = re.compile(r"\n\n\n+")


def _alt(match: re.Match[str]) -> str:
    return f" {match.group(1) or match.group(2) or ''} "


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags gone, entities decoded, whitespace runs in a line
    folded to one space, lines stripped, blank runs folded to one blank line."""
    if not html:
        return ""
    text = html
    if "<" in text:
        text = _DROP.sub("", text)
        text = _IMG_ALT.sub(_alt, text)
        text = _BLOCK.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text:
        text = unescape(text)
    text = clean_text(text)
    lines = (" ".join(line.split()) for line in text.split("\n"))  # str methods: 5x a regex
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
