"""Headline text features: the cached and fast paths give what the plain definitions give."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from tracker.cluster_text import (
    _WORD,
    STOPWORDS,
    _Cache,
    lead_terms,
    lead_words,
    stem,
    title_words,
    url_path,
)

TRICKY_URLS = [
    "http://a.example/b/c?d=e#f",
    "HTTPS://A.example/Path/To-Story.html",
    "http://a.example",
    "http://a.example?x=/y",
    "http://a.example#f/g",
    "http:///path/only",
    "http://user:pw@a.example:8080/x;p?q",
    "https://a.example/a%20b/%C3%A9t%C3%A9",
    "https://a.example/a#b?c",
    "http://a.example/p\\?q=1",
    "http://a.example/p\tq/r",  # urlsplit drops the tab
    "http://a.\nexample/p",
    "https://[::1]/ipv6/path",
    "https://[::1/broken",  # urlsplit refuses it
    "http://a]example/p",
    "http://bücher.example/straße",
    " http://a.example/leading-space",
    "ftp://a.example/file",
    "mailto:someone@a.example",
    "/relative/path?q",
]


def _reference(url: str) -> str | None:
    try:
        return unquote(urlsplit(url).path)
    except ValueError:
        return None


def test_url_path_is_urlsplits_path() -> None:
    for url in TRICKY_URLS:
        assert url_path(url) == _reference(url), url


@given(
    st.sampled_from(["http://", "https://", "HtTp://", "http:/", "http:", ""]),
    st.text(alphabet="ab.:/?#[]%@ \t\n\\é", max_size=16),
)
def test_url_path_is_urlsplits_path_for_any_url(scheme: str, rest: str) -> None:
    assert url_path(scheme + rest) == _reference(scheme + rest)


def test_lead_terms_are_the_stemmed_lead_words_cached_or_not() -> None:
    text = (
        "Icahn's slate REJECTED: eBay rejects Icahn’s nominees, the board says; "
        "Rejecting it, eBay's board we're told can't wait 2.5 days for the cut-off"
    )
    expected = [stem(w) for w in lead_words(text) if len(w) > 2 and w not in STOPWORDS]
    assert "icahn" in expected and "were" not in expected
    assert lead_terms(text) == expected
    assert lead_terms(text) == expected  # every token cached now


@given(st.text(alphabet="aAbS3.,'’ \t\n\u00a0\u2003\x1c-é", max_size=40))
def test_lead_terms_match_the_regular_expression_for_any_text(text: str) -> None:
    """`lead_terms` reads chunks between spaces; `_WORD` over the whole text is the definition
    (its last token dropped, even when a later chunk holds no token)."""
    expected = [stem(w) for w in lead_words(text) if len(w) > 2 and w not in STOPWORDS]
    assert lead_terms(text) == expected


def _title_words_reference(title: str) -> list[tuple[str, str]]:
    """`title_words` as first written, with no cache: the definition the fast one must give."""
    raw = _WORD.findall(title)
    words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in raw]
    content = [w for w in words if w[:1].isalpha() and w.lower() not in STOPWORDS]
    capitals = sum(1 for w in content if w[:1].isupper())
    shouting = sum(1 for w in content if w.isupper() and len(w) > 1)
    title_case = bool(content) and capitals >= 0.7 * len(content)
    shouting_case = bool(content) and shouting >= 0.5 * len(content)
    out: list[tuple[str, str]] = []
    for i, w in enumerate(words):
        low = w.lower().replace("’", "").replace("'", "")
        if w[:1].isdigit():
            kind = "num"
        elif len(w) > 1 and w.isupper() and not shouting_case:
            kind = "caps"
        elif w.islower():
            kind = "plain" if i > 0 else ""
        elif i > 0 and not title_case and not shouting_case:
            kind = "name"
        else:
            kind = ""
        out.append((low, kind))
    return out


HEADLINES = [
    "Fed's Charles Plosser sees high bar for tapering",
    "Stocks Fall After Fed Official Hints At Tapering",
    "Carl Icahn Rift Hurts eBay (EBAY)",
    "DEEPSEEK R1 SHOCKS NVIDIA INVESTORS",
    "Nvidia’s $593bn loss: DeepSeek's R1, V3 and the AI race in 2025",
    "the a of 3.5 2,000 it's O'Neil's",
    "",
]


@given(
    st.lists(
        st.sampled_from(
            ["Nvidia", "NVIDIA", "nvidia", "DeepSeek's", "AI", "a", "The", "the", "R1", "3.5",
             "O'Neil", "it’s", "Über", "über", "x", "X", "2,000", "says", "SAYS", "étude"]
        ),
        max_size=12,
    ).map(" ".join)
)  # fmt: skip
def test_title_words_cached_or_not_give_the_plain_definition(title: str) -> None:
    assert title_words(title) == _title_words_reference(title)
    assert title_words(title) == _title_words_reference(title)  # every token cached now


@given(st.text(alphabet="aAbS3.,'’ \t\n\u00a0\u2003\x1c-éÜ", max_size=40))
def test_title_words_of_any_text_give_the_plain_definition(title: str) -> None:
    """`title_words` reads chunks between spaces; the reference runs `_WORD` over it all."""
    assert title_words(title) == _title_words_reference(title)


def test_title_words_of_real_headlines() -> None:
    for title in HEADLINES:
        assert title_words(title) == _title_words_reference(title), title


def test_a_full_cache_still_answers_but_keeps_no_more() -> None:
    calls: list[str] = []

    def shout(word: str) -> str:
        calls.append(word)
        return word.upper()

    cache = _Cache(shout, limit=2)
    assert [cache[w] for w in ("a", "b", "c", "a", "c")] == ["A", "B", "C", "A", "C"]
    assert sorted(cache) == ["a", "b"] and calls == ["a", "b", "c", "c"]
