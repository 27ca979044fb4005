"""Headline text features for clustering: tokens, a light stemmer, stopwords, URL slug words."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import chain
from typing import TypeVar
from urllib.parse import unquote, urlsplit

# Function words plus words that headlines use for every kind of story ("says", "update").
_STOPWORDS_TEXT = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them then there these
    they this those through to too under until up very was we were what when where which while
    who whom why will with would you your yours yourself via vs amid despite
    says say said saying told tells tell new news report reports reported update updates updated
    breaking latest live video videos photo photos watch read heres get gets got make makes one
    two may might still yet first last week day today yesterday year years
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# URL path pieces that name the site's machinery rather than the story.
_URL_STOPWORDS_TEXT = """
    www com org net html htm shtml php asp aspx cms jsp story stories article articles news
    index post posts blog blogs item items content entry view viewall print default page
    amp utm source campaign feed rss track reflink id ssf apps pbcs dll aid
"""
URL_STOPWORDS = frozenset(_URL_STOPWORDS_TEXT.split())

# Possessive (never backtracking): the same words, since all that follows the first run is
# optional, for a fifth less matching work
_WORD = re.compile(r"[A-Za-z0-9]++(?:[.,][0-9]++)*+(?:['’][A-Za-z]++)?+")
_URL_PIECE = re.compile(r"[^/\\\-_.,+=&;:~!|()\[\]\s]+")
_VOWEL = re.compile(r"[aeiouy]")

_V = TypeVar("_V")


class _Cache(dict[str, _V]):
    """str -> `make(str)`, computed on a miss and kept while under `limit` entries (about
    130 bytes each on real feed text).

    Its bound `__getitem__` is called, or mapped, in C: a hit costs no Python frame."""

    __slots__ = ("_limit", "_make")

    def __init__(self, make: Callable[[str], _V], limit: int = 200_000) -> None:
        super().__init__()
        self._make, self._limit = make, limit

    def __missing__(self, key: str) -> _V:
        value = self._make(key)
        if len(self) < self._limit:
            self[key] = value
        return value


def _stem(w: str) -> str:
    """A light suffix stripper (plurals, -ed, -ing, -ly …): cheap, good enough to make
    "rejects"/"rejected"/"rejecting" meet; numbers and short words are left alone."""
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ingly", "edly", "ing", "ed", "ly", "ment", "ness", "ation", "ations"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            base = w[: -len(suffix)]
            if not _VOWEL.search(base):
                break
            if len(base) > 2 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]  # "stopped" -> "stop"
            w = base
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]  # "rate"/"rated" -> "rat": both sides agree
    if w.endswith("y") and len(w) > 4:
        w = w[:-1] + "i"
    return w


stem: Callable[[str], str] = _Cache(_stem).__getitem__  # `_stem`, cached


def title_words(title: str) -> list[tuple[str, str]]:
    """(word, kind) for each word of a headline, lowercased, possessives dropped.

    kind is "name" for a capitalised word inside a sentence-case headline, "plain" for a
    lowercase one, "caps" for an ALL-CAPS word in a headline that is not shouting, "num" for a
    number, and "" where the writing says nothing (first word, Title Case headlines)."""
    facts = list(map(_title_facts, _WORD.findall(title)))
    content = capitals = shouting = 0
    for fact in facts:
        if fact[1]:
            content += 1
            capitals += fact[2]
            shouting += fact[3]
    title_case = content > 0 and capitals >= 0.7 * content
    shouting_case = content > 0 and shouting >= 0.5 * content
    out: list[tuple[str, str]] = []
    for i, (low, _, _, multi_upper, digit, lower) in enumerate(facts):
        if digit:
            kind = "num"
        elif multi_upper and not shouting_case:
            kind = "caps"
        elif lower:
            kind = "plain" if i > 0 else ""
        elif i > 0 and not title_case and not shouting_case:
            kind = "name"
        else:
            kind = ""
        out.append((low, kind))
    return out


# A `_WORD` token -> what `title_words` asks of it: (lowercase word, a content word, starts with
# a capital, ALL CAPS and longer than one letter, starts with a digit, all lowercase). Headlines
# reuse most of their words, and these string tests were most of the cost of `title_words`.
_Facts = tuple[str, bool, bool, bool, bool, bool]


def _facts_of(token: str) -> _Facts:
    w = token[:-2] if token.endswith(("'s", "’s")) else token
    low = w.lower()
    multi_upper = len(w) > 1 and w.isupper()
    return (
        low.replace("’", "").replace("'", ""),
        w[:1].isalpha() and low not in STOPWORDS,
        w[:1].isupper(),
        multi_upper,
        w[:1].isdigit(),
        w.islower(),
    )


_title_facts = _Cache(_facts_of).__getitem__


def lead_words(text: str) -> list[str]:
    """The words of `title_words(text)` without their kinds and without the last word (which
    a cut through the text may have split): the lead of a summary."""
    return [_lead_word(token) for token in _WORD.findall(text)[:-1]]


def lead_terms(text: str) -> list[str]:
    """The stemmed terms of `lead_words(text)`, without stopwords and words under 3 letters.

    A summary lead is read for every story at ingest, and after a few stories nearly all its
    words were seen before, so they are cached as `str.split` cuts them (`_WORD` never matches
    a space): looking the chunks up costs a fifth of what the regular expression did."""
    terms = list(chain.from_iterable(map(_chunk_terms, text.split())))
    return list(filter(None, terms[:-1]))  # the last word may be cut: see `lead_words`


def _lead_term(token: str) -> str:
    """A `_WORD` token's term in a lead, "" for a word a lead does not count."""
    word = _lead_word(token)
    return stem(word) if len(word) > 2 and word not in STOPWORDS else ""


def _chunk_terms_of(chunk: str) -> tuple[str, ...]:
    """A run of non-space characters -> the `_lead_term` of each `_WORD` token in it."""
    return tuple(map(_lead_terms, _WORD.findall(chunk)))


def _lead_word(token: str) -> str:
    """A `_WORD` token as `lead_words` gives it: possessive dropped, lowercase, no apostrophe."""
    if token.endswith(("'s", "’s")):
        token = token[:-2]
    return token.lower().replace("’", "").replace("'", "")


_lead_terms = _Cache(_lead_term).__getitem__
# Real text has many more distinct chunks than words ("AI,", "(AI)", "AI's"): the first 50,000
# (~6 MB) hold the common ones; the rest cost what the regular expression always did.
_chunk_terms = _Cache(_chunk_terms_of, 50_000).__getitem__


# The path of a plain http(s) URL as urlsplit finds it: the netloc ends at the first / ? or #,
# the path at the next ? or #. Left to urlsplit: brackets in the netloc (IPv6, or invalid) and
# tabs or line breaks before the query (urlsplit removes them first).
_HTTP_PATH = re.compile(r"(?i:https?)://[^/?#\[\]\t\r\n]*(/[^?#\t\r\n]*)?(?:[?#]|\Z)")


def url_path(url: str) -> str | None:
    """`urlsplit(url).path` unquoted, None for a URL urlsplit refuses. An ASCII http(s) URL is
    matched by `_HTTP_PATH` instead: urlsplit costs more than all the rest of `url_words`."""
    plain = _HTTP_PATH.match(url) if url.isascii() else None
    if plain is not None:
        return unquote(plain.group(1) or "")
    try:
        return unquote(urlsplit(url).path)
    except ValueError:
        return None


def url_words(url: str | None) -> list[str]:
    """Lowercase words of a URL's path (the "slug"), without the site's own machinery."""
    if not url:
        return []
    path = url_path(url)
    if path is None:
        return []
    words: list[str] = []
    for piece in _URL_PIECE.findall(path):
        if not piece.isalpha() or not piece.isascii():
            continue  # ids, dates, numbers
        if not (piece.islower() or piece.isupper() or piece[1:].islower()):
            continue  # camelCase ids such as "H2EvwJSKcVE"
        low = piece.lower()
        if len(low) < 3 or low in URL_STOPWORDS or low in STOPWORDS or not _VOWEL.search(low):
            continue
        words.append(low)
    return words
