"""Sanitized HTML -> plain text with the stdlib parser (paragraphs kept, scripts dropped)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tracker.textclean import clean_text

_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
     "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
     "ol", "p", "pre", "section", "table", "tr", "ul"}
)  # fmt: skip
_SKIP = frozenset({"script", "style", "template", "head", "title"})
_SPACES = re.compile(r"[ \t\f\v\r\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f" {alt} ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "img":
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags gone, entities decoded, blank runs folded."""
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        text = html
    else:
        parser = _Text()
        try:
            parser.feed(html)
            parser.close()
        except (AssertionError, ValueError):  # very broken markup: keep what was read
            pass
        text = "".join(parser.parts)
    text = clean_text(text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
