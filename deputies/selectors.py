"""Reads on deputies shared by several views. Each returns a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Deputy, StreetMembership, _active_on_q


def deputy_list(*, user: Any, on: dt.date | None = None) -> QuerySet[Deputy]:
    """Deputies the user may see, with their street on ``on`` and term joined."""
    return Deputy.objects.visible_to(user).with_street(on).select_related("term", "district")


def deputy_counts_by_street(
    *, street_ids: list[int], on: dt.date | None = None
) -> dict[int, dict[str, int]]:
    """{street_id: {level: n, 'total': n}} for deputies in office on ``on``. One query."""
    on = on or timezone.localdate()
    rows = (
        StreetMembership.objects.filter(_active_on_q(on), street_committee_id__in=street_ids)
        .filter(deputy__elected_on__lte=on)
        .filter(Q(deputy__left_on__isnull=True) | Q(deputy__left_on__gte=on))
        .values("street_committee_id", "deputy__level")
        .annotate(n=Count("deputy_id", distinct=True))
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"total": 0})
    for row in rows:
        per_street = counts[row["street_committee_id"]]
        per_street[row["deputy__level"]] = row["n"]
        per_street["total"] += row["n"]
    return dict(counts)


def deputy_counts_by_level(*, deputies: QuerySet[Deputy]) -> dict[str, int]:
    """{level: n} over a queryset. One query."""
    return {
        row["level"]: row["n"]
        for row in deputies.order_by().values("level").annotate(n=Count("id"))
    }


def deputy_membership_history(*, deputy: Deputy) -> QuerySet[StreetMembership]:
    return deputy.memberships.select_related("street_committee").order_by("-start_date")
