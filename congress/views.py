"""Views of the project package: the home router, the staff dashboard and street pages.

These are wiring: they read the other apps through their selectors.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from deputies.models import Deputy, DutyRecord
from deputies.selectors import (
    deputy_counts_by_level,
    deputy_counts_by_street,
    duty_counts_by_street,
)
from liaison_stations.models import Activity, Attendance, Opinion, ReceptionShift
from liaison_stations.selectors import (
    activity_counts_by_street,
    attendance_by_street,
    opinion_counts_by_street,
)
from scoring.models import RankingRow, RankingSnapshot
from scoring.selectors import quarter_room

from .models import StreetCommittee, StreetCommitteePost
from .periods import Quarter
from .permissions import scope_of


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the home of their role."""
    if not request.user.is_authenticated:
        return redirect("login")
    scope = scope_of(request.user)
    if scope.is_staff_member:
        return redirect("dashboard")
    if scope.is_deputy and hasattr(request.user, "deputy"):
        return redirect("mobile_home")
    if scope.is_handling_unit:
        return redirect("liaison_stations:opinion_list")
    return render(request, "congress/no_role.html", status=403)


def _require_staff(request: HttpRequest) -> None:
    if not scope_of(request.user).is_staff_member:
        raise PermissionDenied


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    today = timezone.localdate()
    streets = list(
        StreetCommittee.objects.visible_to(request.user)
        .select_related("district")
        .annotate(community_count=Count("communities", distinct=True))
    )
    counts = deputy_counts_by_street(street_ids=[s.pk for s in streets], on=today)
    levels = Deputy.Level
    rows: list[dict[str, Any]] = []
    for street in streets:
        per = counts.get(street.pk, {"total": 0})
        rows.append({"street": street, "counts": per})
    by_level = deputy_counts_by_level(deputies=Deputy.objects.visible_to(request.user).current())
    chart = {
        "labels": [s.name for s in streets],
        "datasets": [
            {"label": str(label), "data": [counts.get(s.pk, {}).get(value, 0) for s in streets]}
            for value, label in levels.choices
        ],
    }
    quarter = Quarter.containing(today)
    duty_counts = duty_counts_by_street(
        street_ids=[street.pk for street in streets], start=quarter.start, end=quarter.end
    )
    statuses = [
        (DutyRecord.Status.SUBMITTED, "#d9822b"),
        (DutyRecord.Status.APPROVED, "#5b8c5a"),
        (DutyRecord.Status.RETURNED, "#a51c1c"),
    ]
    for row in rows:
        row["duties"] = duty_counts.get(row["street"].pk, {"total": 0})
    duty_totals = {
        status: sum(c.get(status, 0) for c in duty_counts.values())
        for status in DutyRecord.Status.values
    }
    duty_chart = {
        "labels": [s.name for s in streets],
        "datasets": [
            {
                "label": str(DutyRecord.Status(status).label),
                "data": [duty_counts.get(s.pk, {}).get(status, 0) for s in streets],
                "backgroundColor": colour,
            }
            for status, colour in statuses
        ],
    }
    street_ids = [street.pk for street in streets]
    held = activity_counts_by_street(street_ids=street_ids, start=quarter.start, end=quarter.end)
    rates = attendance_by_street(street_ids=street_ids, start=quarter.start, end=quarter.end)
    opinions = opinion_counts_by_street(street_ids=street_ids, start=quarter.start, end=quarter.end)
    for row in rows:
        pk = row["street"].pk
        row["held"] = held.get(pk, {}).get("closed", 0)
        row["rate"] = rates.get(pk, {}).get("rate")
        row["leave"] = rates.get(pk, {}).get("excused", 0)
        row["opinions"] = opinions.get(pk, {})
    station_chart = {
        "labels": [s.name for s in streets],
        "datasets": [
            {
                "type": "bar",
                "label": str(_("Activities held")),
                "data": [row["held"] for row in rows],
                "backgroundColor": "#2f6fb0",
                "yAxisID": "y",
            },
            {
                "type": "bar",
                "label": str(_("Opinions collected")),
                "data": [row["opinions"].get("collected", 0) for row in rows],
                "backgroundColor": "#d9822b",
                "yAxisID": "y",
            },
            {
                "type": "bar",
                "label": str(_("Opinions answered")),
                "data": [row["opinions"].get("handled", 0) for row in rows],
                "backgroundColor": "#5b8c5a",
                "yAxisID": "y",
            },
            {
                "type": "line",
                "label": str(_("Attendance rate %")),
                "data": [row["rate"] for row in rows],
                "borderColor": "#a51c1c",
                "backgroundColor": "#a51c1c",
                "yAxisID": "rate",
            },
        ],
    }
    context: dict[str, Any] = {
        "station_chart": station_chart,
        "overdue_total": sum(o.get("overdue_count", 0) for o in opinions.values()),
        "quarter": quarter,
        "duty_totals": duty_totals,
        "duty_total": sum(duty_totals.values()),
        "duty_chart": duty_chart,
        "today": today,
        "rows": rows,
        "level_cards": [
            {"value": value, "label": label, "count": by_level.get(value, 0)}
            for value, label in levels.choices
        ],
        "total_deputies": sum(by_level.values()),
        "street_count": len(streets),
        "community_count": sum(s.community_count for s in streets),  # type: ignore[attr-defined]
        "chart": chart,
    }
    return render(request, "congress/dashboard.html", context)


@login_required
def street_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    streets = list(
        StreetCommittee.objects.visible_to(request.user)
        .select_related("district")
        .annotate(community_count=Count("communities", distinct=True))
    )
    counts = deputy_counts_by_street(street_ids=[s.pk for s in streets])
    for street in streets:
        street.deputy_counts = counts.get(street.pk, {"total": 0})  # type: ignore[attr-defined]
    return render(request, "congress/streetcommittee_list.html", {"streets": streets})


@login_required
def street_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    today = timezone.localdate()
    street = get_object_or_404(
        StreetCommittee.objects.visible_to(request.user)
        .select_related("district")
        .prefetch_related(
            "communities",
            Prefetch(
                "posts",
                queryset=StreetCommitteePost.objects.filter(end_date__isnull=True).order_by(
                    "post", "start_date"
                ),
                to_attr="current_posts",
            ),
        ),
        pk=pk,
    )
    deputies = (
        Deputy.objects.visible_to(request.user)
        .in_street(street.pk, today)
        .current()
        .only("id", "name", "level", "gender", "sector")
        .order_by("level", "name_pinyin")
    )
    counts = deputy_counts_by_street(street_ids=[street.pk], on=today).get(street.pk, {})
    return render(
        request,
        "congress/streetcommittee_detail.html",
        {"street": street, "deputies": deputies, "counts": counts, "levels": Deputy.Level},
    )


@login_required
def mobile_home(request: HttpRequest) -> HttpResponse:
    """The deputy's phone home."""
    deputy = (
        Deputy.objects.filter(user_id=int(request.user.pk or 0))
        .with_street()
        .select_related("term", "district")
        .first()
    )
    if deputy is None:
        raise Http404
    today = timezone.localdate()
    now = timezone.now()
    upcoming = list(
        Attendance.objects.filter(
            deputy=deputy, activity__status=Activity.Status.SCHEDULED, activity__starts_at__gt=now
        )
        .select_related("activity", "activity__station")
        .order_by("activity__starts_at")[:3]
    )
    next_shift = (
        ReceptionShift.objects.filter(deputy=deputy, date__gte=today)
        .select_related("station")
        .order_by("date", "period")
        .first()
    )
    quarter = Quarter.containing(today)
    points_row = (
        RankingRow.objects.filter(
            deputy=deputy,
            snapshot__status=RankingSnapshot.Status.LIVE,
            snapshot__year=quarter.year,
            snapshot__quarter=quarter.number,
        )
        .select_related("snapshot")
        .first()
    )
    open_opinions = Opinion.objects.filter(
        assigned_deputy=deputy, status__in=Opinion.OPEN_STATUSES
    ).count()
    duty_counts = dict.fromkeys(DutyRecord.Status.values, 0) | {
        row["status"]: row["n"]
        for row in DutyRecord.objects.filter(deputy=deputy, date__year=today.year)
        .values("status")
        .annotate(n=Count("id"))
    }
    contacts = []
    if deputy.street_id:  # type: ignore[attr-defined]
        contacts = list(
            StreetCommitteePost.objects.filter(
                street_committee_id=deputy.street_id,  # type: ignore[attr-defined]
                end_date__isnull=True,
                post__in=[StreetCommitteePost.Post.DIRECTOR, StreetCommitteePost.Post.SECRETARY],
            ).select_related("street_committee")
        )
    return render(
        request,
        "deputies/mobile_home.html",
        {
            "deputy": deputy,
            "today": today,
            "contacts": contacts,
            "duty_counts": duty_counts,
            "upcoming": upcoming,
            "next_shift": next_shift,
            "open_opinions": open_opinions,
            "points_row": points_row,
            "points_room": quarter_room(points_row) if points_row else [],
            "quarter": quarter,
            "now": now,
            "days_in_office": (today - deputy.elected_on).days,
        },
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Residents (public pages under /o/) get a page without the staff navigation."""
    template = "404_public.html" if request.path.startswith("/o/") else "404.html"
    return render(request, template, status=404)
