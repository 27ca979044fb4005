"""A click command whose QUERY words may begin with `-` (`-junk`, `-old`) and still be query words.

Plain `ignore_unknown_options` is not enough: click reads `-old` as `-o ld` when `-o` is an
option. Here any word starting with `-` that is not one of the command's own options (nor the
value of one) is kept as a positional word, before click sees it.
"""

from __future__ import annotations

from typing import Any

import click

_MARK = "\x00"  # cannot come from a shell argument, so it cannot clash with a real word


class QueryCommand(click.Command):
    """Use as `@main.command(cls=QueryCommand)` with a `nargs=-1` argument for the query."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value: set[str] = set()
        flags: set[str] = set(ctx.help_option_names)
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                names = {*param.opts, *param.secondary_opts}
                (flags if param.is_flag or param.count else takes_value).update(names)
        marked: list[str] = []
        expect_value = False
        for index, word in enumerate(args):
            if word == "--":
                marked.extend(args[index:])
                break
            name = word.split("=", 1)[0]
            if expect_value:
                marked.append(word)
                expect_value = False
            elif word.startswith("-") and word != "-" and name not in takes_value | flags:
                marked.append(_MARK + word)
            else:
                marked.append(word)
                expect_value = name in takes_value and "=" not in word
        rest = super().parse_args(ctx, marked)
        for param in self.get_params(ctx):
            if isinstance(param, click.Argument) and param.name in ctx.params:
                ctx.params[param.name] = _unmark(ctx.params[param.name])
        return rest


def _unmark(value: Any) -> Any:
    if isinstance(value, str):
        return value.removeprefix(_MARK)
    if isinstance(value, tuple):
        return tuple(_unmark(v) for v in value)
    return value
