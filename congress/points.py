"""The seam between the apps that produce points and the scoring app.

Services that change anything a deputy's points depend on (an approved duty record, a
closed activity's attendance, an accepted opinion, ...) call ``points_changed`` inside
their transaction. The scoring app subscribes in its ``ready()``: it marks the period dirty
in that same transaction (so the mark commits or rolls back with the change) and enqueues
a recompute after commit. No producing app imports scoring.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Listener = Callable[[int, dt.date], None]
_listeners: list[Listener] = []


def on_points_changed(listener: Listener) -> Listener:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def points_changed(*, district_id: int, day: dt.date) -> None:
    for listener in list(_listeners):
        listener(district_id, day)
