"""The query language (SPEC §3): text -> a typed AST. Pure: no SQL, no I/O."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from tracker.config import TAG_NAME
from tracker.queryast import (
    And,
    DateRange,
    Field,
    FieldName,
    Follow,
    Node,
    Not,
    Or,
    Query,
    Sort,
    State,
    StateName,
    Tag,
    Text,
    walk,
)
from tracker.querydates import DATE_FORMS, DateBound, parse_point, parse_range
from tracker.querylex import Token, tokenize

__all__ = [
    "And", "DateBound", "DateRange", "Field", "Follow", "Node", "Not", "Or", "Query",
    "QueryError", "Sort", "State", "Tag", "Text", "parse", "walk",
]  # fmt: skip

MAX_TERMS = 200
MAX_DEPTH = 32
STATES: tuple[StateName, ...] = ("unread", "read", "starred", "tagged", "untagged")
SORTS: tuple[Sort, ...] = ("new", "old", "relevance")
FIELDS = ("title", "author", "feed", "site", "tag", "is", "follow", "since", "until", "sort")


class QueryError(ValueError):
    """A malformed query: `str()` reads `column 14: unexpected ')'; expected a term`."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message, position)
        self.message = message
        self.position = position  # 1-based column

    def __str__(self) -> str:
        return f"column {self.position}: {self.message}"


def parse(text: str, now: datetime | None = None) -> Query:
    """Parse a query; relative dates stay relative unless `now` is given. Raises QueryError."""
    parser = _Parser(tokenize(text, QueryError))
    root = parser.parse()
    query = Query(text=text, root=root, sort=parser.sort)
    return query.resolved(now) if now is not None else query


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary ([AND] unary)*; unary := NOT unary."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.at = 0
        self.depth = 0
        self.terms = 0
        self.sort: Sort | None = None

    def peek(self) -> Token:
        return self.tokens[self.at]

    def fail(self, token: Token, expected: str) -> QueryError:
        what = "end of query" if token.kind == "end" else repr(token.text)
        return QueryError(f"unexpected {what}; expected {expected}", token.position)

    def parse(self) -> Node | None:
        node = self.or_expr()
        token = self.peek()
        if token.kind != "end":  # only a stray ')' stops the loops early
            raise self.fail(token, "a term, OR or the end of the query")
        return node

    def or_expr(self) -> Node | None:
        if self.peek().kind == "or":
            raise self.fail(self.peek(), "a term")
        items = [self.and_expr()]
        while self.peek().kind == "or":
            self.at += 1
            if self.peek().kind in ("end", "rparen", "or"):
                raise self.fail(self.peek(), "a term")
            items.append(self.and_expr())
        kept = [i for i in items if i is not None]
        if len(items) > 1 and len(kept) < len(items):
            kept = []  # `x OR sort:new`: a branch with no condition matches everything
        return None if not kept else kept[0] if len(kept) == 1 else Or(tuple(kept))

    def and_expr(self) -> Node | None:
        items: list[Node] = []
        while self.peek().kind not in ("end", "rparen", "or"):
            if self.peek().kind == "and":
                token = self.peek()
                self.at += 1
                if not items or self.peek().kind in ("end", "rparen", "or", "and"):
                    raise self.fail(self.peek() if items else token, "a term")
            node = self.unary()
            if node is not None:
                items.append(node)
        return None if not items else items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node | None:
        token = self.peek()
        if token.kind in ("not", "minus"):
            self.at += 1
            self.enter(token)
            inner = self.unary()
            self.depth -= 1
            if inner is None:
                raise QueryError(f"{token.text!r} cannot apply to sort:", token.position)
            return Not(inner)
        if token.kind == "lparen":
            self.at += 1
            self.enter(token)
            if self.peek().kind in ("rparen", "end"):
                raise self.fail(self.peek(), "a term")
            node = self.or_expr()
            if self.peek().kind != "rparen":
                raise self.fail(self.peek(), "')'")
            self.at += 1
            self.depth -= 1
            return node
        if token.kind in ("word", "phrase", "field", "tag"):
            self.at += 1
            self.terms += 1
            if self.terms > MAX_TERMS:
                raise QueryError(f"too many terms (at most {MAX_TERMS})", token.position)
            return self.term(token)
        raise self.fail(token, "a term")

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(f"nested too deeply (at most {MAX_DEPTH} levels)", token.position)

    def term(self, token: Token) -> Node | None:
        if token.kind == "phrase":
            return self.text_term(token, token.value, phrase=True)
        if token.kind == "tag":
            return self.tag(token, token.value)
        if token.kind == "word":
            if token.value.startswith("@"):
                return self.dates(token, token.value[1:], "@")
            return self.text_term(token, token.value, phrase=False)
        return self.field(token)

    def text_term(self, token: Token, value: str, *, phrase: bool, title: bool = False) -> Text:
        if not any(c.isalnum() for c in value):
            raise QueryError(f"{token.text!r} has no letters or digits to search for",
                             token.position)  # fmt: skip
        return Text(value, phrase=phrase, prefix=token.prefix, field="title" if title else None)

    def tag(self, token: Token, name: str) -> Tag:
        if not TAG_NAME.match(name):
            raise QueryError(f"{name!r} is not a tag name; expected letters, digits, _ . -",
                             token.position)  # fmt: skip
        return Tag(name)

    def dates(self, token: Token, value: str, how: str) -> DateRange:
        try:
            start, end = parse_range(value)
        except ValueError as exc:
            raise QueryError(f"{exc}; expected {DATE_FORMS}", token.position) from None
        if how == "until":
            if end is not None:
                raise QueryError("until: takes one date, not a range", token.position)
            return DateRange(None, parse_point(value, end=True))
        return DateRange(start, end)

    def field(self, token: Token) -> Node | None:
        name, value = token.field, token.value
        if name not in FIELDS:
            known = ", ".join(f + ":" for f in FIELDS)
            raise QueryError(f"unknown field {name + ':'!r}; expected one of {known}",
                             token.position)  # fmt: skip
        if not value.strip():
            raise QueryError(f"expected a value after {name + ':'!r}", token.position)
        if name == "title":
            return self.text_term(token, value, phrase=token.quoted, title=True)
        if name in ("author", "feed", "site"):
            return Field(cast(FieldName, name), value.strip())
        if name == "tag":
            return self.tag(token, value)
        if name == "follow":
            return Follow(value.strip())
        if name in ("since", "until"):
            return self.dates(token, value, name)
        if name == "is":
            return State(cast(StateName, self.choice(token, value, STATES)))
        self.sort = cast(Sort, self.choice(token, value, SORTS))
        return None

    def choice(self, token: Token, value: str, options: tuple[str, ...]) -> str:
        if value.lower() not in options:
            listed = ", ".join(options[:-1]) + " or " + options[-1]
            raise QueryError(f"unknown {token.field}: value {value!r}; expected {listed}",
                             token.position)  # fmt: skip
        return value.lower()
