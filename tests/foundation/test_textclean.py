"""textclean's fast paths give what its plain definition gives, on any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.textclean import (
    _BIDI_OVERRIDES,
    _CONTROLS,
    _ESCAPES,
    clean_line,
    clean_text,
    is_clean,
)

# Spaces, controls, escapes and bidi overrides mixed with plain and non-ASCII letters.
PIECES = list("ab \t\n\r\x0b\x0c\x1b[]\\\x07\x9b\x9c\x9d\x85\xa0é\u2028\u3000\u202e\u2066")
TEXT = st.lists(st.sampled_from([*PIECES, "\x1b[31m", "\x1b]8;;", "  ", " \n"]), max_size=30).map(
    "".join
)


def _clean_text_plainly(value: str) -> str:
    if not _CONTROLS.search(value):
        return value
    return _CONTROLS.sub("", _ESCAPES.sub("", value.replace("\r\n", "\n")))


@settings(max_examples=1000)
@given(TEXT)
def test_clean_text_and_clean_line_match_their_definition(value: str) -> None:
    assert clean_text(value) == _clean_text_plainly(value)
    assert is_clean(value) == (_clean_text_plainly(value) == value)
    assert clean_line(value) == " ".join(
        _BIDI_OVERRIDES.sub("", _clean_text_plainly(value)).split()
    )


def test_controls_escapes_and_overrides_go() -> None:
    assert clean_text("a\x1b[31mred\x1b[0m\tb\nc\x07\x9b2J") == "ared\tb\nc"
    assert clean_line("  a \u202eb\t\n c\x00 ") == "a b c"
    assert clean_line("plain title") == "plain title"
    assert clean_text("lines\nand\ttabs") == "lines\nand\ttabs"
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", clean_text("\x1b]52;c;ZXZp\x07x"))
