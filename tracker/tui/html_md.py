"""Feed HTML (already sanitized at parse time) to Markdown for the reader pane; no Textual here.

Every piece of text is backslash-escaped, so feed text cannot form Markdown or HTML of its own;
only http(s) links become links.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

_SPECIAL = re.compile(r"([\\`*_\[\]()#+\-.!<>&|~{}=\"])")
_SPACE = re.compile(r"\s+")
_BLOCKS = {
    "p", "div", "section", "article", "figure", "figcaption", "header", "footer", "table",
    "tr", "dl", "dt", "dd", "main", "aside", "hr", "details", "summary",
}  # fmt: skip
_SKIP = {"script", "style", "head", "title", "template", "noscript", "svg", "math"}


def escape_md(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def safe_link(href: str | None) -> str | None:
    """An http(s) URL that can sit inside `<…>` in Markdown, else None."""
    if not href:
        return None
    href = href.strip()
    if urlsplit(href).scheme.lower() not in ("http", "https"):
        return None
    if any(c in href for c in "<> \t\n\\") or href.startswith("-"):
        return None
    return href


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, bool]] = []  # (markdown, is a list item)
        self.line: list[str] = []
        self.prefix: list[str] = []  # "> " for quotes, list indentation
        self.lists: list[list[int]] = []  # one counter per open list (-1: bullets)
        self.links: list[str | None] = []
        self.skip = 0
        self.pre = 0
        self.heading = ""

    def flush(self) -> None:
        text = "".join(self.line).strip()
        self.line = []
        if text:
            lead = "".join(self.prefix)
            item = bool(self.lists) and text.lstrip().startswith(("- ", *"0123456789"))
            self.blocks.append((lead + self.heading + text.replace("\n", "\n" + lead), item))
        self.heading = ""

    def markdown(self) -> str:
        """Blocks apart by a blank line; list items of one list by a newline (a tight list)."""
        out: list[str] = []
        previous = False
        for text, item in self.blocks:
            if out:
                out.append("\n" if item and previous else "\n\n")
            out.append(text)
            previous = item
        return "".join(out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCKS:
            self.flush()
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.flush()
            self.heading = "#" * min(int(tag[1]) + 1, 6) + " "
        elif tag == "br":
            self.line.append("\\\n")
        elif tag in ("strong", "b"):
            self.line.append("**")
        elif tag in ("em", "i"):
            self.line.append("*")
        elif tag == "code" and not self.pre:
            self.line.append("`")
        elif tag == "pre":
            self.flush()
            self.pre += 1
            self.line.append("```\n")
        elif tag == "blockquote":
            self.flush()
            self.prefix.append("> ")
        elif tag in ("ul", "ol"):
            self.flush()
            self.lists.append([0 if tag == "ol" else -1])
        elif tag == "li":
            self.flush()
            depth = max(len(self.lists) - 1, 0)
            counter = self.lists[-1] if self.lists else [-1]
            if counter[0] >= 0:
                counter[0] += 1
                self.line.append("   " * depth + f"{counter[0]}. ")
            else:
                self.line.append("   " * depth + "- ")
        elif tag == "a":
            link = safe_link(values.get("href"))
            self.links.append(link)
            if link:
                self.line.append("[")
        elif tag == "img":
            alt = _SPACE.sub(" ", values.get("alt") or "").strip()
            if alt:
                self.line.append(escape_md(f"[image: {alt}]"))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(self.skip - 1, 0)
        elif tag in _BLOCKS or tag in ("h1", "h2", "h3", "h4", "h5", "h6", "li"):
            self.flush()
        elif tag in ("strong", "b"):
            self.line.append("**")
        elif tag in ("em", "i"):
            self.line.append("*")
        elif tag == "code" and not self.pre:
            self.line.append("`")
        elif tag == "pre" and self.pre:
            self.pre -= 1
            self.line.append("\n```")
            self.flush()
        elif tag == "blockquote" and self.prefix:
            self.flush()
            self.prefix.pop()
        elif tag in ("ul", "ol") and self.lists:
            self.flush()
            self.lists.pop()
        elif tag == "a" and self.links:
            link = self.links.pop()
            if link:
                self.line.append(f"](<{link}>)")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            self.line.append(data.replace("```", "ˋˋˋ"))
        else:
            self.line.append(escape_md(_SPACE.sub(" ", data)))


def html_to_markdown(html: str) -> str:
    """Markdown for `html`; plain text (no tags) comes back as escaped paragraphs."""
    if "<" not in html:
        return text_to_markdown(html)
    converter = _Converter()
    converter.feed(html)
    converter.close()
    converter.flush()
    return converter.markdown()


def text_to_markdown(text: str) -> str:
    """Plain text as escaped Markdown paragraphs."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n\n".join(escape_md(_SPACE.sub(" ", p).strip()) for p in paragraphs)
