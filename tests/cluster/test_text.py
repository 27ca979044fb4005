"""Headline text features: the cached and fast paths give what the plain definitions give."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from tracker.cluster_text import STOPWORDS, lead_terms, lead_words, stem, url_path

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
