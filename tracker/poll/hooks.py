"""What runs inside a feed's ingest transaction after new stories land: rules and follows.

Clustering is not one of them: the poller clusters in a process of its own
(`tracker.poll.cluster_process`), after the feed's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tracker.models import Config
from tracker.store import Store


def apply_ingest_hooks(
    store: Store,
    new_ids: Sequence[int],
    updated_ids: Sequence[int],
    config: Config,
    now: datetime,
) -> None:
    """Tag by rules, gather into follows.

    Called by the poller inside the feed's write transaction, so a failure rolls the feed's
    whole ingest back and is reported as that feed's error.
    """
    if not new_ids and not updated_ids:
        return
    if config.rules:
        from tracker.rules import apply_rules  # the query parser loads only when there is work

        apply_rules(store, config.rules, [*new_ids, *updated_ids], now)
    if not new_ids:
        return
    store.follows.gather_new(list(new_ids), now)
