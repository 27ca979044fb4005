"""Where an export goes: UTF-8 stdout (a closed pipe ends it quietly) or a file, atomically."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

import click

from tracker.cli.context import UsageProblem
from tracker.export import ExportError, atomic_text


@contextmanager
def _stdout() -> Iterator[TextIO]:
    """UTF-8 stdout whatever the locale; a closed pipe (`| head`) ends the export quietly."""
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        yield out
        out.flush()
    except BrokenPipeError:
        # Point the descriptor at /dev/null so the interpreter's last flush cannot fail too.
        with suppress(OSError, ValueError, io.UnsupportedOperation):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise click.exceptions.Exit(0) from None
    finally:
        with suppress(OSError, ValueError):
            out.detach()


def write_output(output: Path | None, body: Callable[[TextIO], int]) -> int:
    """Run `body` on stdout (no FILE, or `-`) or on FILE written atomically; its count back."""
    if output is None or str(output) == "-":
        with _stdout() as out:
            return body(out)
    try:
        with atomic_text(output) as out:
            return body(out)
    except ExportError as exc:
        raise UsageProblem(str(exc)) from None
