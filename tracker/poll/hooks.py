"""What runs inside a feed's ingest transaction after new stories land: rules, follows, clusters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from importlib import import_module
from typing import Any

from tracker.models import Config
from tracker.store import Store


def apply_ingest_hooks(
    store: Store,
    new_ids: Sequence[int],
    updated_ids: Sequence[int],
    config: Config,
    now: datetime,
) -> None:
    """Tag by rules, gather into follows, assign clusters; each only when its code is present.

    Called by the poller inside the feed's write transaction, so a failure rolls the feed's
    whole ingest back and is reported as that feed's error.
    """
    if not new_ids and not updated_ids:
        return
    rules = _optional_module("tracker.rules")
    apply_rules = getattr(rules, "apply_rules", None)
    if apply_rules is not None and config.rules:
        apply_rules(store, config.rules, [*new_ids, *updated_ids], now)
    if not new_ids:
        return
    follows: Any = getattr(store, "follows", None)
    if follows is not None and hasattr(follows, "gather_new"):
        follows.gather_new(list(new_ids), now)
    clusters: Any = getattr(store, "clusters", None)
    if clusters is not None and hasattr(clusters, "assign"):
        clusters.assign(list(new_ids), now)


def _optional_module(name: str) -> object | None:
    try:
        return import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None
