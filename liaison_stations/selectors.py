"""Reads shared by the liaison station pages. Each makes a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from deputies.models import Deputy

from .models import Activity, ActivityQuerySet, Attendance, Opinion, OpinionQuerySet

ATTENDED = [s.value for s in Attendance.ATTENDED]


def activities_for(*, user: Any) -> ActivityQuerySet:
    return (
        Activity.objects.visible_to(user)
        .select_related("street_committee", "station")
        .annotate(
            invited_count=Count("attendances", distinct=True),
            attended_count=Count(
                "attendances", filter=Q(attendances__status__in=ATTENDED), distinct=True
            ),
            leave_count=Count(
                "attendances",
                filter=Q(attendances__leave__in=["requested", "approved"]),
                distinct=True,
            ),
        )
    )


def opinions_for(*, user: Any) -> OpinionQuerySet:
    return (
        Opinion.objects.visible_to(user)
        .with_overdue()
        .select_related(
            "street_committee",
            "station",
            "community",
            "assigned_deputy",
            "assigned_unit",
            "recorded_by_deputy",
        )
    )


def _rate(attended: int, total: int) -> float | None:
    return round(100 * attended / total, 1) if total else None


def attendance_by_street(
    *, street_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, dict[str, Any]]:
    """Invitations to closed activities in [start, end], by the street each deputy belonged
    to on the activity's day: {street_id: {total, attended, excused, absent, rate}}."""
    rows = (
        Attendance.objects.filter(
            activity__status=Activity.Status.CLOSED,
            activity__starts_at__date__range=(start, end),
            deputy__memberships__street_committee_id__in=street_ids,
            deputy__memberships__start_date__lte=F("activity__starts_at__date"),
        )
        .filter(
            Q(deputy__memberships__end_date__isnull=True)
            | Q(deputy__memberships__end_date__gte=F("activity__starts_at__date"))
        )
        .values("deputy__memberships__street_committee_id", "status")
        .annotate(n=Count("id"))
    )
    out: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"total": 0, "attended": 0, "excused": 0, "absent": 0}
    )
    for row in rows:
        per = out[row["deputy__memberships__street_committee_id"]]
        per["total"] += row["n"]
        if row["status"] in ATTENDED:
            per["attended"] += row["n"]
        elif row["status"] == Attendance.Status.EXCUSED:
            per["excused"] += row["n"]
        elif row["status"] == Attendance.Status.ABSENT:
            per["absent"] += row["n"]
    for per in out.values():
        per["rate"] = _rate(per["attended"], per["total"])
    return dict(out)


def attendance_by_deputy(
    *, deputies: QuerySet[Deputy], start: dt.date, end: dt.date
) -> QuerySet[Deputy]:
    """Deputies annotated with their invitations, attendance and leave in [start, end]."""
    window = Q(
        attendances__activity__status=Activity.Status.CLOSED,
        attendances__activity__starts_at__date__range=(start, end),
    )
    return deputies.annotate(
        invited=Count("attendances", filter=window),
        attended=Count("attendances", filter=window & Q(attendances__status__in=ATTENDED)),
        excused=Count("attendances", filter=window & Q(attendances__status="excused")),
        absent=Count("attendances", filter=window & Q(attendances__status="absent")),
        leave_asked=Count(
            "attendances", filter=window & ~Q(attendances__leave=Attendance.Leave.NONE)
        ),
    ).filter(invited__gt=0)


def activity_counts_by_street(
    *, street_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    """Activities organised by each street in [start, end]: held (closed) and scheduled."""
    rows = (
        Activity.objects.filter(
            street_committee_id__in=street_ids, starts_at__date__range=(start, end)
        )
        .values("street_committee_id", "status")
        .annotate(n=Count("id"))
    )
    out: dict[int, dict[str, int]] = defaultdict(lambda: {"closed": 0, "scheduled": 0})
    for row in rows:
        out[row["street_committee_id"]][row["status"]] = row["n"]
    return dict(out)


def opinion_counts_by_street(
    *, street_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    """Opinions received in [start, end] by street: collected, handled (replied or closed),
    open, overdue, rejected."""
    today = timezone.localdate()
    rows = (
        Opinion.objects.filter(street_committee_id__in=street_ids, received_on__range=(start, end))
        .values("street_committee_id")
        .annotate(
            collected=Count("id"),
            handled=Count("id", filter=Q(status__in=["replied", "closed"])),
            open=Count("id", filter=Q(status__in=Opinion.OPEN_STATUSES)),
            overdue_count=Count(
                "id", filter=Q(status__in=Opinion.OPEN_STATUSES, reply_deadline__lt=today)
            ),
            rejected=Count("id", filter=Q(status="rejected")),
        )
    )
    return {row.pop("street_committee_id"): row for row in rows}
