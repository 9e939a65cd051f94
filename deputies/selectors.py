"""Reads on deputies shared by several views. Each returns a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from .models import (
    Deputy,
    DutyPhoto,
    DutyRecord,
    DutyRecordQuerySet,
    StreetMembership,
    _active_on_q,
)


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


# --- Duty records ----------------------------------------------------------------------


def duty_records_for(*, user: Any) -> DutyRecordQuerySet:
    """Records the user may see, with everything a list row shows joined in."""
    return (
        DutyRecord.objects.visible_to(user)
        .select_related("deputy", "duty_type", "reviewed_by")
        .prefetch_related(Prefetch("photos", queryset=DutyPhoto.objects.order_by("position", "id")))
        .annotate(
            street_name=Subquery(
                StreetMembership.objects.filter(
                    deputy_id=OuterRef("deputy_id"), start_date__lte=OuterRef("date")
                )
                .order_by("-start_date")
                .values("street_committee__name")[:1]
            )
        )
    )


def duty_records_filter(queryset: DutyRecordQuerySet, data: dict[str, Any]) -> DutyRecordQuerySet:
    """Apply the cleaned data of a DutyRecordFilterForm."""
    if q := (data.get("q") or "").strip():
        queryset = queryset.filter(
            Q(deputy__name__icontains=q) | Q(deputy__name_pinyin__icontains=q.lower())
        )
    if data.get("deputy"):
        queryset = queryset.filter(deputy_id=data["deputy"])
    if data.get("duty_type"):
        queryset = queryset.filter(duty_type=data["duty_type"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("date_from"):
        queryset = queryset.filter(date__gte=data["date_from"])
    if data.get("date_to"):
        queryset = queryset.filter(date__lte=data["date_to"])
    if data.get("street"):
        queryset = queryset.in_street(data["street"].pk)
    return queryset


def duty_months_of(*, deputy: Deputy, year: int) -> list[dict[str, Any]]:
    """Twelve months of a deputy's year: how many records in each state. One query."""
    rows = (
        DutyRecord.objects.filter(deputy=deputy, date__year=year)
        .annotate(month=ExtractMonth("date"))
        .values("month", "status")
        .annotate(n=Count("id"))
    )
    months: list[dict[str, Any]] = [
        {"month": m, "total": 0, "approved": 0, "submitted": 0, "returned": 0, "withdrawn": 0}
        for m in range(1, 13)
    ]
    for row in rows:
        month = months[row["month"] - 1]
        month[row["status"]] = row["n"]
        month["total"] += row["n"]
    return months


def duty_counts_by_street(
    *, street_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    """{street_id: {status: n, 'total': n}} for records dated in [start, end], by the street
    the deputy belonged to on the record's date. One query."""
    rows = (
        DutyRecord.objects.filter(
            date__range=(start, end),
            deputy__memberships__street_committee_id__in=street_ids,
            deputy__memberships__start_date__lte=F("date"),
        )
        .filter(
            Q(deputy__memberships__end_date__isnull=True)
            | Q(deputy__memberships__end_date__gte=F("date"))
        )
        .values("deputy__memberships__street_committee_id", "status")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"total": 0})
    for row in rows:
        per = counts[row["deputy__memberships__street_committee_id"]]
        per[row["status"]] = row["n"]
        per["total"] += row["n"]
    return dict(counts)
