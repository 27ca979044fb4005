"""Automatic tags from `[[rule]]`s: applied to new stories at ingest and re-applied to history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tracker.models import RuleConfig
from tracker.query import QueryError, parse
from tracker.store import Store, write


@dataclass(frozen=True, slots=True)
class RuleResult:
    """What one rule did (or, in a dry run, would do)."""

    rule: RuleConfig
    matched: int  # stories the query matches
    tagged: int  # stories that got (would get) the tag now
    error: str | None = None  # the query does not parse: the rule is skipped

    def describe(self, *, dry_run: bool = False) -> str:
        head = f"+{self.rule.tag} <- {self.rule.query}"
        if self.error:
            return f"{head}: skipped, bad query: {self.error}"
        verb = "would tag" if dry_run else "tagged"
        return f"{head}: {self.matched} matching, {verb} {self.tagged}"


class _DryRun(Exception):
    """Raised to roll back a dry run's transaction."""


def apply_rules(
    store: Store, rules: Sequence[RuleConfig], story_ids: Sequence[int], now: datetime
) -> list[RuleResult]:
    """Tag the given stories (just ingested) by every rule; joins the caller's transaction.

    A tag carries its rule (source 'rule', rule = the query); one the user removed by hand is
    never put back. A rule whose query no longer parses is skipped, never failing the ingest.
    """
    if not story_ids:
        return [RuleResult(rule, 0, 0) for rule in rules]
    return [_apply(store, rule, story_ids, now) for rule in rules]


def apply_to_history(
    store: Store, rules: Sequence[RuleConfig], now: datetime, *, dry_run: bool = False
) -> list[RuleResult]:
    """Re-apply every rule to every stored story; a dry run changes nothing."""
    results: list[RuleResult] = []
    try:
        with write(store.db):
            results = [_apply(store, rule, None, now) for rule in rules]
            if dry_run:  # same statements, exact counts, then rolled back
                raise _DryRun
    except _DryRun:
        pass
    return results


def _apply(
    store: Store, rule: RuleConfig, within: Sequence[int] | None, now: datetime
) -> RuleResult:
    try:
        query = parse(rule.query)
    except QueryError as exc:
        return RuleResult(rule, 0, 0, str(exc))
    if query.root is None:  # an empty query would tag everything: not what a rule means
        return RuleResult(rule, 0, 0, "empty query")
    matched = store.search.ids(query, now=now, within=within)
    # INSERT OR IGNORE: a story that has the tag already (from anyone) keeps its provenance.
    tagged = store.tags.add(matched, [rule.tag], now, source="rule", rule=rule.query)
    return RuleResult(rule, len(matched), tagged)
