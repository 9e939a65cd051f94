"""Staff screens for duty records: the review queue, the record list and its export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.http import redirect_next
from congress.models import StreetCommittee
from congress.permissions import scope_of

from ..exports import duty_records_workbook
from ..forms import DutyRecordFilterForm, DutyReturnForm
from ..models import DutyRecord, DutyRecordQuerySet
from ..selectors import duty_records_filter, duty_records_for
from ..services import duty_record_return, duty_records_approve

QUEUE_PAGE_SIZE = 30
LIST_PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _require_staff(request: HttpRequest) -> None:
    if not scope_of(request.user).is_staff_member:
        raise PermissionDenied


def _filtered(request: HttpRequest, base: str) -> tuple[DutyRecordFilterForm, DutyRecordQuerySet]:
    scope = scope_of(request.user)
    streets = (
        StreetCommittee.objects.visible_to(request.user)
        if scope.is_district_staff or len(scope.street_ids) > 1
        else None
    )
    form = DutyRecordFilterForm(request.GET or None, streets=streets)
    if base == "queue":
        del form.fields["status"]  # the queue holds only records waiting for review
    queryset = duty_records_for(user=request.user)
    if base == "queue":
        queryset = queryset.filter(status=DutyRecord.Status.SUBMITTED).exclude(
            deputy__user_id=int(request.user.pk or 0)
        )
    if form.is_bound and form.is_valid():
        queryset = duty_records_filter(queryset, form.cleaned_data)
    return form, queryset


def _querystring(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def duty_review_queue(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
        if not ids:
            messages.warning(request, _("Select at least one record to approve."))
        else:
            reviewable = DutyRecord.objects.reviewable_by(request.user).filter(pk__in=ids)
            if reviewable.count() != len(set(ids)):
                # An id outside the user's scope: refuse the whole request, reveal nothing.
                raise Http404
            count = duty_records_approve(records=reviewable, reviewer=request.user)
            messages.success(request, _("%(n)d records approved.") % {"n": count})
        return redirect_next(request, "deputies:duty_review")
    form, queryset = _filtered(request, "queue")
    queryset = queryset.order_by("date", "id")
    page = Paginator(queryset, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "deputies/duty_review.html",
        {
            "form": form,
            "page": page,
            "querystring": _querystring(request),
            "return_form": DutyReturnForm(),
        },
    )


@login_required
@require_POST
def duty_return(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    record = get_object_or_404(DutyRecord.objects.reviewable_by(request.user), pk=pk)
    form = DutyReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the record is returned."))
    else:
        try:
            duty_record_return(
                record=record, reviewer=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Returned to %(name)s with your reason.") % {"name": record.deputy}
            )
    return redirect_next(request, "deputies:duty_review")


@login_required
def duty_record_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form, queryset = _filtered(request, "all")
    page = Paginator(queryset.order_by("-date", "-id"), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "deputies/duty_record_list.html",
        {"form": form, "page": page, "querystring": _querystring(request)},
    )


@login_required
def duty_record_export(request: HttpRequest) -> FileResponse:
    _require_staff(request)
    _form, queryset = _filtered(request, "all")
    records = queryset.order_by("date", "id")[:EXPORT_LIMIT]
    now = timezone.localtime()
    title = _("Duty records, exported %(time)s") % {"time": now.strftime("%Y-%m-%d %H:%M")}
    workbook = duty_records_workbook(records.iterator(chunk_size=2000), title=title)
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=f"duty-records-{now:%Y%m%d-%H%M}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
