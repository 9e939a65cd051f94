"""Staff pages for liaison stations and their reception rota."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..forms import ListFilterForm, ShiftForm, StationForm
from ..models import Activity, LiaisonStation, Opinion, ReceptionShift
from ..services import shift_create, station_save
from .common import (
    add_errors,
    paginate,
    require_staff,
    scoped_deputies,
    staff_streets,
    street_filter_choices,
)


@login_required
def station_list(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    form = ListFilterForm(
        request.GET or None,
        streets=street_filter_choices(request),
        kinds=list(LiaisonStation.Kind.choices),
        statuses=[("active", _("Active")), ("inactive", _("Inactive"))],
    )
    stations = (
        LiaisonStation.objects.visible_to(request.user)
        .select_related("street_committee", "community")
        .annotate(
            opinion_count=Count("opinions", distinct=True),
            activity_count=Count(
                "activities", filter=Q(activities__status=Activity.Status.CLOSED), distinct=True
            ),
        )
        .order_by("street_committee__sort_order", "kind", "name")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            stations = stations.filter(
                Q(name__icontains=data["q"]) | Q(address__icontains=data["q"])
            )
        if data.get("street"):
            stations = stations.filter(street_committee=data["street"])
        if data.get("kind"):
            stations = stations.filter(kind=data["kind"])
        if data.get("status"):
            stations = stations.filter(is_active=data["status"] == "active")
    page, querystring = paginate(request, stations, 30)
    return render(
        request,
        "liaison_stations/station_list.html",
        {"form": form, "page": page, "querystring": querystring},
    )


def _station_form(request: HttpRequest, station: LiaisonStation | None) -> HttpResponse:
    streets = staff_streets(request)
    form = StationForm(request.POST or None, instance=station, streets=streets)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = station_save(station=station, **fields)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": saved.name})
            return redirect("liaison_stations:station_detail", pk=saved.pk)
    return render(
        request,
        "liaison_stations/station_form.html",
        {"form": form, "station": station},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def station_create(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    return _station_form(request, None)


@login_required
def station_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    station = get_object_or_404(LiaisonStation.objects.visible_to(request.user), pk=pk)
    return _station_form(request, station)


@login_required
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    station = get_object_or_404(
        LiaisonStation.objects.visible_to(request.user).select_related(
            "street_committee", "community"
        ),
        pk=pk,
    )
    today = timezone.localdate()
    upcoming = (
        Activity.objects.filter(
            station=station, status=Activity.Status.SCHEDULED, starts_at__date__gte=today
        )
        .annotate(invited_count=Count("attendances"))
        .order_by("starts_at")[:8]
    )
    shifts = (
        ReceptionShift.objects.filter(
            station=station, date__gte=today, date__lte=today + dt.timedelta(days=28)
        )
        .select_related("deputy")
        .order_by("date", "period")
    )
    opinion_counts = Opinion.objects.filter(station=station).aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=Opinion.OPEN_STATUSES)),
        handled=Count("id", filter=Q(status__in=["replied", "closed"])),
    )
    shift_form = ShiftForm(
        deputies=scoped_deputies(request).filter(
            memberships__street_committee=station.street_committee,
            memberships__end_date__isnull=True,
        )
    )
    return render(
        request,
        "liaison_stations/station_detail.html",
        {
            "station": station,
            "upcoming": upcoming,
            "shifts": shifts,
            "opinion_counts": opinion_counts,
            "shift_form": shift_form,
            "public_url": request.build_absolute_uri(
                reverse("public:opinion_form", args=[station.public_code])
            ),
        },
    )


@login_required
def shift_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    station = get_object_or_404(LiaisonStation.objects.visible_to(request.user), pk=pk)
    form = ShiftForm(request.POST or None, deputies=scoped_deputies(request))
    if request.method == "POST" and form.is_valid():
        try:
            shift_create(station=station, **form.cleaned_data)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Shift added."))
    elif request.method == "POST":
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("liaison_stations:station_detail", pk=station.pk)


@login_required
def shifts_week(request: HttpRequest) -> HttpResponse:
    """Who is on duty at which station in a week (this week by default)."""
    require_staff(request)
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        start = today
    start = start - dt.timedelta(days=start.weekday())
    days = [start + dt.timedelta(days=i) for i in range(7)]
    shifts = (
        ReceptionShift.objects.filter(
            station__in=LiaisonStation.objects.visible_to(request.user),
            date__range=(days[0], days[-1]),
        )
        .select_related("station", "station__street_committee", "deputy")
        .order_by("date", "period", "station__name")
    )
    by_day: dict[dt.date, list[ReceptionShift]] = {d: [] for d in days}
    for shift in shifts:
        by_day[shift.date].append(shift)
    return render(
        request,
        "liaison_stations/shifts_week.html",
        {
            "days": [(d, by_day[d]) for d in days],
            "today": today,
            "previous": days[0] - dt.timedelta(days=7),
            "next": days[0] + dt.timedelta(days=7),
            "start": days[0],
            "end": days[-1],
        },
    )
