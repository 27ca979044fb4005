"""Removing control characters and escape sequences from text that came from outside."""

from __future__ import annotations

import re

# ANSI/VT escape sequences (CSI, OSC incl. OSC 8/52, DCS/PM/APC/SOS strings, 2-char ESC forms),
# both 7-bit (ESC-introduced) and 8-bit (C1) introducers. Removed whole so no payload survives.
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?                         # CSI
    | (?:\x1b[\]P^_X]|[\x9d\x90\x9e\x9f\x98])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?  # OSC, DCS...
    | \x1b[ -/]*[0-~]?                                         # other ESC sequences
    """,
    re.VERBOSE,
)
# C0 except tab and newline, DEL, C1; also carriage return (kept lines stay lines).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ASCII_CONTROLS = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])
_BIDI_OVERRIDES = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str | None) -> str:
    """Text with escape sequences and control characters (C0 but tab/newline, DEL, C1) removed."""
    if not value:
        return ""
    if is_clean(value):  # every escape starts with a control character
        return value
    value = value.replace("\r\n", "\n")
    value = _ESCAPES.sub("", value)
    return _CONTROLS.sub("", value)


def clean_line(value: str | None) -> str:
    """`clean_text` for one-line fields (titles, authors): whitespace runs folded to one space,
    and bidi overrides removed so a title cannot reorder the columns beside it."""
    if value and value.isprintable():  # no controls, no bidi overrides, no space but " "
        if "  " not in value and value[0] != " " and value[-1] != " ":
            return value
        return " ".join(value.split())
    text = _BIDI_OVERRIDES.sub("", clean_text(value))
    return " ".join(text.split())


def is_clean(value: str) -> bool:
    """Whether `clean_text` leaves `value` as it is (it has no control character but tab and
    newline): a byte deletion for ASCII text and `isprintable` for the rest, a fraction of a
    regex search's cost (controls, like every space but " ", are not printable)."""
    if value.isascii():
        return len(value.encode().translate(None, _ASCII_CONTROLS)) == len(value)
    probe = value.replace("\n", " ")
    if "\t" in probe:
        probe = probe.replace("\t", " ")
    return probe.isprintable() or not _CONTROLS.search(value)


def clean_optional(value: str | None) -> str | None:
    """`clean_line` that keeps "nothing" as None."""
    text = clean_line(value)
    return text or None
