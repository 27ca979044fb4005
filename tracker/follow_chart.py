"""Pure text charts of stories per day: a sparkline and a block chart with axes, any width."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

BLOCKS = " ▁▂▃▄▅▆▇█"
_LABEL_GAP = 2  # columns between two date labels


@dataclass(frozen=True, slots=True)
class Binned:
    """Counts folded so they fit a width: each value covers `per` consecutive days."""

    values: tuple[int, ...]
    per: int

    @property
    def caption(self) -> str:
        return "stories per day" if self.per == 1 else f"stories per {self.per} days"


def fold(counts: Sequence[int], width: int) -> Binned:
    """Sum consecutive days so that at most `width` values remain."""
    width = max(1, width)
    per = max(1, math.ceil(len(counts) / width))
    values = tuple(sum(counts[i : i + per]) for i in range(0, len(counts), per))
    return Binned(values, per)


def level(value: int, top: int, steps: int) -> int:
    """`value` on a scale of 0..steps where `top` is full; anything above zero shows."""
    if value <= 0 or top <= 0:
        return 0
    return max(1, min(steps, round(value * steps / top)))


def sparkline(counts: Sequence[int], width: int) -> str:
    """One line of blocks (a zero day is a space, any story at least `▁`)."""
    binned = fold(counts, width)
    top = max(binned.values, default=0)
    return "".join(BLOCKS[level(v, top, 8)] for v in binned.values)


def block_chart(counts: Sequence[int], start: date, width: int, height: int = 4) -> list[str]:
    """A bar chart `height` rows tall in at most `width` columns, with a y axis (max, 0) and a
    line of date labels under it. Few days draw as wider bars; many are folded (see `fold`)."""
    if not counts:
        return ["(no stories yet)"]
    axis = len(str(max(counts))) + 2  # " 60 " before the axis character
    binned = fold(counts, max(1, width - axis - 1))
    if len(str(max(binned.values))) + 2 > axis:  # folding made the top value longer
        axis = len(str(max(binned.values))) + 2
        binned = fold(counts, max(1, width - axis - 1))
    plot = max(1, width - axis - 1)
    col = max(1, min(6, plot // len(binned.values)))
    top = max(binned.values)
    units = [level(v, top, height * 8) for v in binned.values]
    lines = []
    for row in range(height):
        base = (height - 1 - row) * 8
        bars = "".join(BLOCKS[max(0, min(8, u - base))] * col for u in units)
        label = str(top) if row == 0 else ""
        tick = "┤" if row == 0 else "│"
        lines.append(f"{label:>{axis - 1}} {tick}{bars}".rstrip())
    lines.append(f"{'0':>{axis - 1}} └" + "─" * (col * len(units)))
    lines.append(" " * (axis + 1) + _date_labels(start, binned, col, width - axis - 1))
    return lines


def _date_labels(start: date, binned: Binned, col: int, room: int) -> str:
    """`Jan 20   Jan 27 …` under the columns they name, never overlapping."""
    step = math.ceil((6 + _LABEL_GAP) / col)  # "Jan 20" is at most 6 wide
    out = ""
    for i in range(0, len(binned.values), step):
        text = _short(start + timedelta(days=i * binned.per))
        if i * col + len(text) > room:
            break
        out = out.ljust(i * col) + text
    return out


def _short(day: date) -> str:
    return f"{day:%b} {day.day}"
