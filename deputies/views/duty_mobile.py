"""The deputy's phone screens for duty records (履职登记, 我的履职)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import DutyRecordForm
from ..models import Deputy, DutyPhoto, DutyRecord, DutyType
from ..selectors import duty_months_of, duty_records_for
from ..services import (
    duty_photo_upload,
    duty_record_submit,
    duty_record_withdraw,
)


def _own_deputy(request: HttpRequest) -> Deputy:
    deputy = Deputy.objects.filter(user_id=int(request.user.pk or 0)).select_related("term").first()
    if deputy is None:
        raise Http404
    return deputy


def _add_form_errors(form: DutyRecordForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _duty_form_response(
    request: HttpRequest, deputy: Deputy, record: DutyRecord | None
) -> HttpResponse:
    """Shared by create and edit: photos are stored as they arrive, so a form that fails
    validation shows them again and the deputy adds nothing twice."""
    kept: list[DutyPhoto] = []
    if request.method == "POST":
        form = DutyRecordForm(request.POST, request.FILES)
        form.is_valid()
        kept_ids: list[int] = form.cleaned_data.get("kept_photos") or []
        holder = Q(record__isnull=True) | Q(record=record) if record else Q(record__isnull=True)
        found = {p.pk: p for p in DutyPhoto.objects.filter(holder, deputy=deputy, id__in=kept_ids)}
        kept = [found[pid] for pid in kept_ids if pid in found]
        uploads = request.FILES.getlist("photos")
        if len(kept) + len(uploads) > DutyRecord.MAX_PHOTOS:
            form.add_error(
                "photos",
                _("At most %(n)d photos per record; you chose %(m)d.")
                % {"n": DutyRecord.MAX_PHOTOS, "m": len(kept) + len(uploads)},
            )
        else:
            for upload in uploads:
                try:
                    kept.append(duty_photo_upload(deputy=deputy, upload=upload, position=len(kept)))
                except ValidationError as exc:
                    form.add_error("photos", exc.messages)
        if not form.errors:
            try:
                saved, created = duty_record_submit(
                    deputy=deputy,
                    duty_type=form.cleaned_data["duty_type"],
                    date=form.cleaned_data["date"],
                    place=form.cleaned_data["place"],
                    description=form.cleaned_data["description"],
                    photo_ids=[p.pk for p in kept],
                    client_token=form.cleaned_data["client_token"],
                    record=record,
                )
            except ValidationError as exc:
                _add_form_errors(form, exc)
            else:
                if created or record is not None:
                    messages.success(request, _("Submitted. Your street committee will review it."))
                else:
                    messages.info(request, _("This record was already submitted."))
                response = redirect(
                    reverse("deputies:my_duty_detail", args=[saved.pk]) + "?saved=1"
                )
                response.set_cookie(
                    "last_duty_type",
                    str(saved.duty_type_id),
                    max_age=3600 * 24 * 365,
                    samesite="Lax",
                )
                return response
    else:
        initial: dict[str, Any] = {"date": timezone.localdate()}
        if record is not None:
            initial.update(
                duty_type=record.duty_type_id,
                date=record.date,
                place=record.place,
                description=record.description,
                client_token=record.client_token,
            )
            kept = list(record.photos.all())
        else:
            last = request.COOKIES.get("last_duty_type") or (
                DutyRecord.objects.filter(deputy=deputy)
                .order_by("-submitted_at")
                .values_list("duty_type_id", flat=True)
                .first()
            )
            if last:
                initial["duty_type"] = last
        form = DutyRecordForm(initial=initial)
    form.initial["kept_photos"] = ",".join(str(p.pk) for p in kept)
    if form.is_bound:
        # Re-render the hidden list with the photos stored during this attempt.
        data = form.data.copy()  # type: ignore[attr-defined]
        data["kept_photos"] = form.initial["kept_photos"]
        form.data = data
    return render(
        request,
        "deputies/duty_form_mobile.html",
        {
            "form": form,
            "record": record,
            "kept_photos": kept,
            "max_photos": DutyRecord.MAX_PHOTOS,
            "free_slots": max(0, DutyRecord.MAX_PHOTOS - len(kept)),
            "hints": {
                str(pk): hint
                for pk, hint in DutyType.objects.filter(is_active=True).values_list("pk", "hint")
            },
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def duty_create(request: HttpRequest) -> HttpResponse:
    return _duty_form_response(request, _own_deputy(request), None)


@login_required
def duty_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = _own_deputy(request)
    record = get_object_or_404(DutyRecord.objects.filter(deputy=deputy), pk=pk)
    if not record.is_editable_by_deputy:
        messages.warning(request, _("Only a returned or withdrawn record can be changed."))
        return redirect("deputies:my_duty_detail", pk=record.pk)
    return _duty_form_response(request, deputy, record)


@login_required
def my_duty_list(request: HttpRequest) -> HttpResponse:
    deputy = _own_deputy(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = max(deputy.term.start_date.year, min(year, today.year))
    records = list(
        duty_records_for(user=request.user)
        .filter(deputy=deputy, date__year=year)
        .order_by("-date", "-id")
    )
    groups = [
        {"month": month, "records": list(items)}
        for month, items in groupby(records, key=lambda r: r.date.month)
    ]
    months = duty_months_of(deputy=deputy, year=year)
    return render(
        request,
        "deputies/my_duty_list.html",
        {
            "deputy": deputy,
            "year": year,
            "years": list(range(today.year, deputy.term.start_date.year - 1, -1)),
            "groups": groups,
            "months": months,
            "active_months": sum(1 for m in months if m["total"]),
            "counts": {
                status: sum(m[status] for m in months) for status in DutyRecord.Status.values
            },
            "today": today,
        },
    )


@login_required
def my_duty_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = _own_deputy(request)
    record = get_object_or_404(duty_records_for(user=request.user).filter(deputy=deputy), pk=pk)
    return render(request, "deputies/my_duty_detail.html", {"record": record})


@login_required
@require_POST
def my_duty_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = _own_deputy(request)
    record = get_object_or_404(DutyRecord.objects.filter(deputy=deputy), pk=pk)
    try:
        duty_record_withdraw(record=record, deputy=deputy)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Withdrawn. You can change it and submit it again."))
    return redirect("deputies:my_duty_detail", pk=record.pk)


@login_required
def duty_photo(request: HttpRequest, pk: int, size: str) -> FileResponse:
    """Photos are personal data: served only to who may see the record (or, before the
    record exists, to the deputy who uploaded them)."""
    photo = get_object_or_404(DutyPhoto.objects.select_related("deputy"), pk=pk)
    allowed = photo.deputy.user_id == request.user.pk or (
        photo.record_id is not None
        and DutyRecord.objects.visible_to(request.user).filter(pk=photo.record_id).exists()
    )
    if not allowed:
        raise Http404
    field = photo.thumbnail if size == "thumb" else photo.image
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response
