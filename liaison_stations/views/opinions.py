"""Staff and handling-unit pages for residents' opinions: list, record, triage, answer."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.models import HandlingUnit, User
from congress.permissions import scope_of

from ..forms import (
    ListFilterForm,
    OpinionAssignForm,
    OpinionRecordForm,
    OpinionRejectForm,
    OpinionReplyForm,
)
from ..models import Activity, Opinion
from ..selectors import opinions_for
from ..services import (
    opinion_assign,
    opinion_close,
    opinion_record,
    opinion_reject,
    opinion_reply,
)
from ..services.opinions import opinion_may_reply
from .common import (
    add_errors,
    paginate,
    require_staff,
    scoped_deputies,
    staff_streets,
    street_filter_choices,
)


def _require_staff_or_unit(request: HttpRequest) -> None:
    scope = scope_of(request.user)
    if not (scope.is_staff_member or scope.is_handling_unit):
        raise PermissionDenied


@login_required
def opinion_list(request: HttpRequest) -> HttpResponse:
    _require_staff_or_unit(request)
    form = ListFilterForm(
        request.GET or None,
        streets=street_filter_choices(request),
        kinds=list(Opinion.Source.choices),
        statuses=list(Opinion.Status.choices),
        categories=list(Opinion.Category.choices),
        dates=True,
        overdue=True,
    )
    form.fields["kind"].label = _("Source")
    opinions = opinions_for(user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        if q := (data.get("q") or "").strip():
            opinions = opinions.filter(Q(content__icontains=q) | Q(tracking_code__iexact=q))
        if data.get("street"):
            opinions = opinions.filter(street_committee=data["street"])
        if data.get("kind"):
            opinions = opinions.filter(source=data["kind"])
        if data.get("status"):
            opinions = opinions.filter(status=data["status"])
        if data.get("category"):
            opinions = opinions.filter(category=data["category"])
        if data.get("date_from"):
            opinions = opinions.filter(received_on__gte=data["date_from"])
        if data.get("date_to"):
            opinions = opinions.filter(received_on__lte=data["date_to"])
        if data.get("overdue"):
            opinions = opinions.overdue()
    page, querystring = paginate(request, opinions.order_by("-received_on", "-id"), 30)
    return render(
        request,
        "liaison_stations/opinion_list.html",
        {"form": form, "page": page, "querystring": querystring},
    )


@login_required
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff_or_unit(request)
    opinion = get_object_or_404(opinions_for(user=request.user), pk=pk)
    can_triage = Opinion.objects.triaged_by(request.user).filter(pk=pk).exists()
    assign_form = None
    if can_triage and opinion.is_open:
        assign_form = OpinionAssignForm(
            deputies=scoped_deputies(request).filter(district_id=opinion.district_id),
            units=HandlingUnit.objects.filter(district_id=opinion.district_id, is_active=True),
            initial={"deputy": opinion.assigned_deputy_id, "unit": opinion.assigned_unit_id},
        )
    history = list(opinion.history.select_related("history_user").order_by("-history_date")[:20])
    return render(
        request,
        "liaison_stations/opinion_detail.html",
        {
            "opinion": opinion,
            "can_triage": can_triage,
            "assign_form": assign_form,
            "can_reply": opinion_may_reply(request.user, opinion)
            and opinion.status in (*Opinion.OPEN_STATUSES, Opinion.Status.REPLIED),
            "reply_form": OpinionReplyForm(initial={"reply": opinion.reply}),
            "reject_form": OpinionRejectForm(),
            "history": history,
        },
    )


def _triaged(request: HttpRequest, pk: int) -> Opinion:
    require_staff(request)
    return get_object_or_404(Opinion.objects.triaged_by(request.user), pk=pk)


def _flash(request: HttpRequest, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


@login_required
@require_POST
def opinion_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _triaged(request, pk)
    form = OpinionAssignForm(
        request.POST,
        deputies=scoped_deputies(request).filter(district_id=opinion.district_id),
        units=HandlingUnit.objects.filter(district_id=opinion.district_id, is_active=True),
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for msg in errors:
                messages.error(request, str(msg))
    else:
        try:
            opinion_assign(
                opinion=opinion,
                assigned_by=request.user,
                deputy=form.cleaned_data.get("deputy"),
                unit=form.cleaned_data.get("unit"),
            )
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("Assigned."))
    return redirect("liaison_stations:opinion_detail", pk=pk)


@login_required
@require_POST
def opinion_reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff_or_unit(request)
    opinion = get_object_or_404(Opinion.objects.visible_to(request.user), pk=pk)
    form = OpinionReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the answer the resident will read."))
    else:
        try:
            opinion_reply(
                opinion=opinion, reply=form.cleaned_data["reply"], replied_by=request.user
            )
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("Answer saved; the resident can read it with the code."))
    return redirect("liaison_stations:opinion_detail", pk=pk)


@login_required
@require_POST
def opinion_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _triaged(request, pk)
    try:
        opinion_close(opinion=opinion, closed_by=request.user)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Closed."))
    return redirect("liaison_stations:opinion_detail", pk=pk)


@login_required
@require_POST
def opinion_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _triaged(request, pk)
    form = OpinionRejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why it is not accepted (e.g. duplicate, spam)."))
    else:
        try:
            opinion_reject(
                opinion=opinion, reason=form.cleaned_data["reason"], rejected_by=request.user
            )
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("Marked as not accepted."))
    return redirect("liaison_stations:opinion_detail", pk=pk)


@login_required
def opinion_record_view(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    streets = staff_streets(request)
    activities = (
        Activity.objects.managed_by(request.user)
        .filter(status=Activity.Status.CLOSED)
        .order_by("-starts_at")[:200]
    )
    form = OpinionRecordForm(
        request.POST or None,
        streets=streets,
        activities=Activity.objects.filter(pk__in=[a.pk for a in activities]),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinion = opinion_record(recorded_by=cast(User, request.user), **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Opinion recorded, code %(code)s.") % {"code": opinion.tracking_code}
            )
            return redirect("liaison_stations:opinion_detail", pk=opinion.pk)
    return render(
        request,
        "liaison_stations/opinion_record.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def opinion_photo(request: HttpRequest, pk: int) -> FileResponse:
    opinion = get_object_or_404(Opinion.objects.visible_to(request.user), pk=pk)
    if not opinion.photo:
        raise Http404
    response = FileResponse(opinion.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response
