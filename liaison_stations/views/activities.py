"""Staff pages for activities: list, schedule, edit, leave decisions, closing, rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.http import redirect_next
from congress.models import District
from congress.periods import Quarter
from congress.permissions import scope_of

from ..forms import ActivityForm, CloseActivityForm, ListFilterForm, ScheduleWeeklyForm
from ..models import Activity, Attendance
from ..selectors import activities_for, attendance_by_deputy, attendance_by_street
from ..services import (
    activities_schedule_weekly,
    activity_cancel,
    activity_close,
    activity_create,
    activity_update,
    leave_decide,
)
from .common import (
    add_errors,
    paginate,
    require_staff,
    scoped_deputies,
    staff_streets,
    street_filter_choices,
)


def _managed(request: HttpRequest, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.managed_by(request.user).select_related("street_committee", "station"),
        pk=pk,
    )


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    form = ListFilterForm(
        request.GET or None,
        streets=street_filter_choices(request),
        kinds=list(Activity.Kind.choices),
        statuses=list(Activity.Status.choices),
        dates=True,
    )
    activities = activities_for(user=request.user).filter(
        Q(street_committee__isnull=True) | Q(street_committee__in=staff_streets(request))
    )
    upcoming_first = True
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            activities = activities.filter(
                Q(theme__icontains=data["q"])
                | Q(place__icontains=data["q"])
                | Q(station__name__icontains=data["q"])
            )
        if data.get("street"):
            activities = activities.filter(street_committee=data["street"])
        if data.get("kind"):
            activities = activities.filter(kind=data["kind"])
        if data.get("status"):
            activities = activities.filter(status=data["status"])
            upcoming_first = data["status"] == Activity.Status.SCHEDULED
        if data.get("date_from"):
            activities = activities.filter(starts_at__date__gte=data["date_from"])
        if data.get("date_to"):
            activities = activities.filter(starts_at__date__lte=data["date_to"])
    order = ("starts_at",) if upcoming_first and request.GET.get("status") else ("-starts_at",)
    page, querystring = paginate(request, activities.order_by(*order, "id"), 30)
    return render(
        request,
        "liaison_stations/activity_list.html",
        {"form": form, "page": page, "querystring": querystring, "now": timezone.now()},
    )


def _activity_form(request: HttpRequest, activity: Activity | None) -> HttpResponse:
    scope = scope_of(request.user)
    streets = staff_streets(request)
    initial = {}
    if activity is not None:
        local = timezone.localtime(activity.starts_at)
        initial = {
            "kind": activity.kind,
            "theme": activity.theme,
            "street_committee": activity.street_committee_id,
            "station": activity.station_id,
            "place": activity.place,
            "date": local.date(),
            "start_time": local.time(),
            "end_time": timezone.localtime(activity.ends_at).time(),
            "deputies": list(activity.attendances.values_list("deputy_id", flat=True)),
        }
    form = ActivityForm(
        request.POST or None,
        initial=initial,
        streets=streets,
        deputies=scoped_deputies(request),
        allow_district=scope.is_district_staff,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at, ends_at = form.datetimes()
        street = data.get("street_committee")
        try:
            if activity is None:
                district = (
                    street.district
                    if street
                    else District.objects.filter(pk__in=scope.district_ids).first()
                )
                if district is None:
                    raise ValidationError({"street_committee": _("Choose the organising street.")})
                saved = activity_create(
                    district=district,
                    street_committee=street,
                    station=data.get("station"),
                    kind=data["kind"],
                    theme=data["theme"],
                    place=data["place"],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    deputies=data["deputies"],
                    created_by=request.user,
                )
            else:
                saved = activity_update(
                    activity=activity,
                    kind=data["kind"],
                    theme=data["theme"],
                    place=data["place"],
                    station=data.get("station"),
                    street_committee=street,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    deputies=data["deputies"],
                )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("liaison_stations:activity_detail", pk=saved.pk)
    return render(
        request,
        "liaison_stations/activity_form.html",
        {"form": form, "activity": activity},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def activity_create_view(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    return _activity_form(request, None)


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    activity = _managed(request, pk)
    if activity.status != Activity.Status.SCHEDULED:
        messages.warning(request, _("Only a scheduled activity can be changed."))
        return redirect("liaison_stations:activity_detail", pk=pk)
    return _activity_form(request, activity)


@login_required
def activity_schedule(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    form = ScheduleWeeklyForm(
        request.POST or None, streets=staff_streets(request), deputies=scoped_deputies(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = activities_schedule_weekly(
                street_committee=data["street_committee"],
                quarter=form.chosen_quarter(),
                weekday=data["weekday"],
                start_time=data["start_time"],
                duration=dt.timedelta(minutes=int(Decimal(data["hours"]) * 60)),
                stations=list(data["stations"]),
                deputies=list(data["deputies"]),
                per_visit=data["per_visit"],
                theme=data["theme"],
                created_by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(n)d weekly visits scheduled.") % {"n": len(created)})
            return redirect(
                f"{redirect('liaison_stations:activity_list').url}?status=scheduled"
                f"&street={data['street_committee'].pk}"
            )
    return render(
        request,
        "liaison_stations/activity_schedule.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    activity = get_object_or_404(
        activities_for(user=request.user).prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("deputy", "leave_decided_by").order_by(
                    "deputy__name_pinyin"
                ),
            )
        ),
        pk=pk,
    )
    managed = Activity.objects.managed_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "liaison_stations/activity_detail.html",
        {"activity": activity, "managed": managed, "now": timezone.now()},
    )


@login_required
def activity_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    activity = _managed(request, pk)
    if activity.status != Activity.Status.SCHEDULED:
        messages.warning(request, _("This activity is already closed or cancelled."))
        return redirect("liaison_stations:activity_detail", pk=pk)
    attendances = list(
        activity.attendances.select_related("deputy").order_by("deputy__name_pinyin")
    )
    form = CloseActivityForm(request.POST or None, attendances=attendances)
    if request.method == "POST" and form.is_valid():
        try:
            activity_close(
                activity=activity,
                marks=form.marks(),
                residents_received=form.cleaned_data["residents_received"],
                opinions_collected=form.cleaned_data["opinions_collected"],
                summary=form.cleaned_data["summary"],
                closed_by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Activity closed; attendance recorded."))
            return redirect("liaison_stations:activity_detail", pk=pk)
    return render(
        request,
        "liaison_stations/activity_close.html",
        {"form": form, "activity": activity},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def activity_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    activity = _managed(request, pk)
    try:
        activity_cancel(activity=activity, cancelled_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Activity cancelled."))
    return redirect("liaison_stations:activity_detail", pk=pk)


@login_required
@require_POST
def leave_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    attendance = get_object_or_404(
        Attendance.objects.filter(activity__in=Activity.objects.managed_by(request.user)), pk=pk
    )
    approve = request.POST.get("decision") == "approve"
    try:
        leave_decide(
            attendance=attendance,
            approve=approve,
            decided_by=request.user,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            (_("Leave approved for %(name)s.") if approve else _("Leave refused for %(name)s."))
            % {"name": attendance.deputy},
        )
    return redirect_next(request, "liaison_stations:activity_detail", pk=attendance.activity_id)


@login_required
def leave_queue(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    pending = (
        Attendance.objects.filter(
            activity__in=Activity.objects.managed_by(request.user),
            leave=Attendance.Leave.REQUESTED,
            activity__status=Activity.Status.SCHEDULED,
        )
        .select_related("deputy", "activity", "activity__station", "activity__street_committee")
        .order_by("activity__starts_at")
    )
    page, querystring = paginate(request, pending, 50)
    return render(
        request, "liaison_stations/leave_queue.html", {"page": page, "querystring": querystring}
    )


@login_required
def attendance_rates(request: HttpRequest) -> HttpResponse:
    """Attendance rates per street and per deputy for a quarter, leave shown beside."""
    require_staff(request)
    today = timezone.localdate()
    try:
        year, number = (int(x) for x in request.GET.get("quarter", "").split("Q"))
        quarter = Quarter(year, number) if 1 <= number <= 4 else Quarter.containing(today)
    except ValueError:
        quarter = Quarter.containing(today)
    streets = list(staff_streets(request))
    by_street = attendance_by_street(
        street_ids=[s.pk for s in streets], start=quarter.start, end=quarter.end
    )
    rows = [{"street": s, **by_street.get(s.pk, {"total": 0})} for s in streets]
    deputies = attendance_by_deputy(
        deputies=scoped_deputies(request), start=quarter.start, end=quarter.end
    ).order_by("-absent", "-excused", "name_pinyin")
    page, querystring = paginate(request, deputies, 50)
    quarters = []
    q = Quarter.containing(today)
    for _i in range(6):
        quarters.append(q)
        q = Quarter.containing(q.start - dt.timedelta(days=1))
    return render(
        request,
        "liaison_stations/attendance_rates.html",
        {
            "quarter": quarter,
            "quarters": quarters,
            "rows": rows,
            "page": page,
            "querystring": querystring,
        },
    )
