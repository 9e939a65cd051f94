"""The deputy's phone: upcoming activities and leave, shifts, opinions."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import StreetCommittee, User
from deputies.models import Deputy

from ..forms import LeaveRequestForm, OpinionRecordForm, OpinionReplyForm
from ..models import Activity, Attendance, Opinion, ReceptionShift
from ..services import leave_request, opinion_record, opinion_reply
from .common import add_errors


def _own_deputy(request: HttpRequest) -> Deputy:
    deputy = Deputy.objects.filter(user_id=int(request.user.pk or 0)).with_street().first()
    if deputy is None:
        raise Http404
    return deputy


@login_required
def my_activities(request: HttpRequest) -> HttpResponse:
    deputy = _own_deputy(request)
    now = timezone.now()
    rows = Attendance.objects.filter(deputy=deputy).select_related(
        "activity", "activity__station", "activity__street_committee"
    )
    upcoming = rows.filter(
        activity__status=Activity.Status.SCHEDULED, activity__ends_at__gte=now
    ).order_by("activity__starts_at")
    past = rows.filter(activity__status=Activity.Status.CLOSED).order_by("-activity__starts_at")[
        :20
    ]
    year_rows = rows.filter(
        activity__status=Activity.Status.CLOSED, activity__starts_at__year=now.year
    )
    counts = {s: 0 for s in Attendance.Status.values}
    for status in year_rows.values_list("status", flat=True):
        counts[status] += 1
    attended = sum(counts[s] for s in Attendance.ATTENDED)
    total = sum(counts.values())
    return render(
        request,
        "liaison_stations/my_activities.html",
        {
            "upcoming": upcoming,
            "past": past,
            "counts": counts,
            "attended": attended,
            "total": total,
            "rate": round(100 * attended / total) if total else None,
            "now": now,
        },
    )


@login_required
def my_leave_request(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = _own_deputy(request)
    attendance = get_object_or_404(
        Attendance.objects.filter(deputy=deputy).select_related("activity", "activity__station"),
        pk=pk,
    )
    form = LeaveRequestForm(request.POST or None, initial={"reason": attendance.leave_reason})
    if request.method == "POST" and form.is_valid():
        try:
            leave_request(attendance=attendance, deputy=deputy, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Leave requested. Your street committee will answer."))
            return redirect("liaison_stations:my_activities")
    return render(
        request,
        "liaison_stations/my_leave_request.html",
        {"form": form, "attendance": attendance, "activity": attendance.activity},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def my_shifts(request: HttpRequest) -> HttpResponse:
    deputy = _own_deputy(request)
    today = timezone.localdate()
    shifts = (
        ReceptionShift.objects.filter(deputy=deputy, date__gte=today)
        .select_related("station")
        .order_by("date", "period")[:20]
    )
    return render(request, "liaison_stations/my_shifts.html", {"shifts": shifts, "today": today})


@login_required
def my_opinions(request: HttpRequest) -> HttpResponse:
    deputy = _own_deputy(request)
    base = Opinion.objects.with_overdue().select_related("street_committee", "community")
    assigned = base.filter(assigned_deputy=deputy).order_by("status", "reply_deadline")[:30]
    recorded = base.filter(recorded_by_deputy=deputy).order_by("-received_on", "-id")[:30]
    return render(
        request, "liaison_stations/my_opinions.html", {"assigned": assigned, "recorded": recorded}
    )


@login_required
def my_opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = _own_deputy(request)
    opinion = get_object_or_404(
        Opinion.objects.visible_to(request.user).select_related("street_committee", "community"),
        pk=pk,
    )
    can_reply = opinion.assigned_deputy_id == deputy.pk and opinion.status in (
        *Opinion.OPEN_STATUSES,
        Opinion.Status.REPLIED,
    )
    form = OpinionReplyForm(request.POST or None, initial={"reply": opinion.reply})
    if request.method == "POST":
        if not can_reply:
            raise Http404
        if form.is_valid():
            try:
                opinion_reply(
                    opinion=opinion, reply=form.cleaned_data["reply"], replied_by=request.user
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request, _("Answer saved; the resident can read it with the code.")
                )
                return redirect("liaison_stations:my_opinion_detail", pk=pk)
    return render(
        request,
        "liaison_stations/my_opinion_detail.html",
        {"opinion": opinion, "form": form, "can_reply": can_reply},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def my_opinion_record(request: HttpRequest) -> HttpResponse:
    deputy = _own_deputy(request)
    street_id = getattr(deputy, "street_id", None)
    if street_id is None:
        messages.error(request, _("You are not in a street delegation; ask your committee office."))
        return redirect("liaison_stations:my_opinions")
    streets = StreetCommittee.objects.filter(pk=street_id)
    activities = Activity.objects.filter(
        attendances__deputy=deputy, status=Activity.Status.CLOSED
    ).order_by("-starts_at")[:20]
    form = OpinionRecordForm(
        request.POST or None,
        streets=streets,
        activities=Activity.objects.filter(pk__in=[a.pk for a in activities]),
        initial={"street_committee": street_id},
    )
    form.fields["street_committee"].widget = form.fields["street_committee"].hidden_widget()
    if request.method == "POST" and form.is_valid():
        try:
            opinion = opinion_record(
                recorded_by=cast(User, request.user), deputy=deputy, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Opinion recorded, code %(code)s.") % {"code": opinion.tracking_code}
            )
            return redirect("liaison_stations:my_opinions")
    return render(
        request,
        "liaison_stations/my_opinion_record.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
