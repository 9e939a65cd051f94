"""Views of the project package: the home router, the staff dashboard and street pages.

These are wiring: they read the other apps through their selectors.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from deputies.models import Deputy, DutyRecord
from deputies.selectors import (
    deputy_counts_by_level,
    deputy_counts_by_street,
    duty_counts_by_street,
)

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
        return redirect("deputies:mobile_home")
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
    context: dict[str, Any] = {
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
