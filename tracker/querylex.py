"""Splitting query text into tokens (words, phrases, `field:value`, operators), with columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Kind = Literal["word", "phrase", "field", "tag", "lparen", "rparen", "and", "or", "not",
               "minus", "end"]  # fmt: skip
_OPERATORS: dict[str, Kind] = {"AND": "and", "OR": "or", "NOT": "not"}
_SPECIAL = '()"'


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    text: str  # as typed, for messages
    position: int  # 1-based column
    value: str = ""
    field: str = ""  # for kind "field": the lower-cased name before ':'
    quoted: bool = False  # the value was a "quoted string"
    prefix: bool = False  # a trailing `*`


def _separator(char: str) -> bool:
    return char.isspace() or ord(char) < 32 or 127 <= ord(char) < 160


def tokenize(text: str, error: Callable[[str, int], Exception]) -> list[Token]:
    """Tokens of `text`, ending with an `end` token; `error(message, column)` for bad input."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if _separator(char):
            i += 1
        elif char in "()":
            tokens.append(Token("lparen" if char == "(" else "rparen", char, i + 1))
            i += 1
        elif char == '"':
            start = i
            value, i = _quoted(text, i, error)
            prefix = i < n and text[i] == "*"
            i += prefix
            tokens.append(Token("phrase", text[start:i], start + 1, value, prefix=prefix))
        else:
            start = i
            while i < n and not _separator(text[i]) and text[i] not in _SPECIAL:
                i += 1
            run = text[start:i]
            if run.endswith(":") and i < n and text[i] == '"' and _is_field(run[:-1]):
                value, i = _quoted(text, i, error)
                prefix = i < n and text[i] == "*"
                i += prefix
                tokens.append(Token("field", text[start:i], start + 1, value,
                                    run[:-1].lower(), quoted=True, prefix=prefix))  # fmt: skip
            else:
                before_special = i < n and text[i] in '("'
                tokens.extend(_run(run, start + 1, error, before_special))
    tokens.append(Token("end", "", n + 1))
    return tokens


def _quoted(text: str, i: int, error: Callable[[str, int], Exception]) -> tuple[str, int]:
    """The string between the quote at `i` and the next one; returns it and the index after."""
    close = text.find('"', i + 1)
    if close < 0:
        raise error("unterminated quote; expected a closing '\"'", i + 1)
    return text[i + 1 : close], close + 1


def _is_field(name: str) -> bool:
    return name.isascii() and name.isalpha()


def _run(
    run: str, position: int, error: Callable[[str, int], Exception], before_special: bool = False
) -> list[Token]:
    """One unquoted run of characters: an operator, `-x`, `+tag`, `field:value` or a word."""
    if run in _OPERATORS:
        return [Token(_OPERATORS[run], run, position)]
    if run[0] in "+-":
        rest = run[1:]
        if run == "-" and before_special:  # -"a phrase", -( … )
            return [Token("minus", "-", position)]
        if not rest:
            raise error(f"expected a tag name after {run!r}", position)
        if run[0] == "+":
            return [Token("tag", run, position, rest)]
        minus = Token("minus", "-", position)
        if rest[0] in "+-@" or _field_split(rest) is not None:
            return [minus, *_run(rest, position + 1, error, before_special)]
        return [minus, Token("tag", rest, position + 1, rest)]
    split = _field_split(run)
    if split is not None:
        name, value = split
        prefix = value.endswith("*") and name == "title"
        if prefix:
            value = value.rstrip("*")
        return [Token("field", run, position, value, name, prefix=prefix)]
    prefix = run.endswith("*") and not run.startswith("@")
    return [Token("word", run, position, run.rstrip("*") if prefix else run, prefix=prefix)]


def _field_split(run: str) -> tuple[str, str] | None:
    name, colon, value = run.partition(":")
    if not colon or not _is_field(name) or value.startswith("//"):
        return None
    return name.lower(), value
