"""The seam between the apps that produce points and the scoring app.

Services that change anything a deputy's points depend on (an approved duty record, a
closed activity's attendance, an accepted opinion, ...) call ``points_changed``. The
scoring app subscribes in its ``ready()`` and marks the period dirty; no producing app
imports scoring. Listeners run after the surrounding transaction commits, so a rolled-back
write never triggers a recompute, and a listener's failure never fails the user's write.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

Listener = Callable[[int, dt.date], None]
_listeners: list[Listener] = []


def on_points_changed(listener: Listener) -> Listener:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def points_changed(*, district_id: int, day: dt.date) -> None:
    def notify() -> None:
        for listener in list(_listeners):
            try:
                listener(district_id, day)
            except Exception:  # a listener must never break the write that triggered it
                logger.exception("points_changed listener %r failed", listener)

    transaction.on_commit(notify)
