"""Writes on duty records: a deputy submits, withdraws and resubmits; staff review."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.points import points_changed

from ..models import Deputy, DutyPhoto, DutyRecord, DutyType
from ..photos import photo_prepare

MIN_DESCRIPTION_CHARS = 5
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def duty_description_check(text: str) -> str:
    """A description says what was done: five characters at least, and more than one word
    when written without Chinese characters."""
    cleaned = text.strip()
    compact = re.sub(r"\s+", "", cleaned)
    if not compact:
        raise ValidationError({"description": _("Describe what you did.")}, code="required")
    if len(compact) < MIN_DESCRIPTION_CHARS or (
        not _CJK.search(cleaned) and len(cleaned.split()) < 2
    ):
        raise ValidationError(
            {"description": _("Say a little more about what you did (at least 5 characters).")},
            code="too_short",
        )
    return cleaned


def duty_date_check(*, deputy: Deputy, date: dt.date) -> None:
    today = timezone.localdate()
    if date > today:
        raise ValidationError(
            {
                "date": _("The date cannot be in the future (today is %(today)s).")
                % {"today": today.isoformat()}
            },
            code="future",
        )
    first_day = max(deputy.elected_on, deputy.term.start_date)
    if date < first_day:
        raise ValidationError(
            {
                "date": _("The date is before your term of office began (%(start)s).")
                % {"start": first_day.isoformat()}
            },
            code="before_term",
        )
    if deputy.left_on and date > deputy.left_on:
        raise ValidationError(
            {
                "date": _("The date is after you left office (%(end)s).")
                % {"end": deputy.left_on.isoformat()}
            },
            code="after_term",
        )


@transaction.atomic
def duty_photo_upload(*, deputy: Deputy, upload: UploadedFile, position: int = 0) -> DutyPhoto:
    """Store one photo for the deputy, not yet attached to a record."""
    prepared = photo_prepare(upload)
    photo = DutyPhoto(
        deputy=deputy, width=prepared.width, height=prepared.height, position=position
    )
    photo.image.save("photo.jpg", prepared.full, save=False)
    photo.thumbnail.save("thumb.jpg", prepared.thumbnail, save=False)
    photo.save()
    return photo


def _photos_for(
    *, deputy: Deputy, photo_ids: Sequence[int], record: DutyRecord | None
) -> list[DutyPhoto]:
    # Order by id: the default ordering joins the record, and FOR UPDATE cannot lock
    # through that outer join on PostgreSQL.
    photos = list(
        DutyPhoto.objects.select_for_update().filter(deputy=deputy, id__in=photo_ids).order_by("id")
    )
    allowed = [p for p in photos if p.record_id is None or (record and p.record_id == record.pk)]
    if len(allowed) != len(set(photo_ids)):
        raise ValidationError({"photos": _("A photo could not be found; add it again.")})
    if len(allowed) > DutyRecord.MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("At most %(n)d photos per record.") % {"n": DutyRecord.MAX_PHOTOS}}
        )
    order = {pid: i for i, pid in enumerate(photo_ids)}
    return sorted(allowed, key=lambda p: order[p.pk])


@transaction.atomic
def duty_record_submit(
    *,
    deputy: Deputy,
    duty_type: DutyType,
    date: dt.date,
    description: str,
    place: str = "",
    photo_ids: Sequence[int] = (),
    client_token: uuid.UUID,
    record: DutyRecord | None = None,
) -> tuple[DutyRecord, bool]:
    """Create a record (or resubmit a returned/withdrawn one). Returns (record, created).

    A second call with the same client token (a double tap, a resent form) returns the
    record the first call made and changes nothing.
    """
    if record is None:
        existing = DutyRecord.objects.filter(deputy=deputy, client_token=client_token).first()
        if existing is not None:
            return existing, False
    errors: dict[str, Any] = {}
    try:
        description = duty_description_check(description)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        duty_date_check(deputy=deputy, date=date)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not duty_type.is_active:
        errors["duty_type"] = [_("This duty type is no longer in use; choose another.")]
    if errors:
        raise ValidationError(errors)
    photos = _photos_for(deputy=deputy, photo_ids=photo_ids, record=record)

    now = timezone.now()
    created = record is None
    if record is None:
        record = DutyRecord(deputy=deputy, client_token=client_token)
    else:
        record = DutyRecord.objects.select_for_update().get(pk=record.pk)
        if record.deputy_id != deputy.pk:
            raise PermissionDenied
        if not record.is_editable_by_deputy:
            raise ValidationError(_("Only a returned or withdrawn record can be changed."))
    record.duty_type = duty_type
    record.date = date
    record.place = place.strip()
    record.description = description
    record.status = DutyRecord.Status.SUBMITTED
    record.return_reason = ""
    record.submitted_at = now
    record.reviewed_at = None
    record.reviewed_by = None
    record.full_clean()
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # The same token raced in from a second request: that one won.
        return DutyRecord.objects.get(deputy=deputy, client_token=client_token), False
    keep = {p.pk for p in photos}
    DutyPhoto.objects.filter(record=record).exclude(pk__in=keep).delete()
    for position, photo in enumerate(photos):
        photo.record = record
        photo.position = position
        photo.save(update_fields=["record", "position", "updated_at"])
    return record, created


@transaction.atomic
def duty_record_withdraw(*, record: DutyRecord, deputy: Deputy) -> DutyRecord:
    record = DutyRecord.objects.select_for_update().get(pk=record.pk)
    if record.deputy_id != deputy.pk:
        raise PermissionDenied
    if not record.can_withdraw:
        raise ValidationError(_("Only a record waiting for review can be withdrawn."))
    record.status = DutyRecord.Status.WITHDRAWN
    record.save(update_fields=["status", "updated_at"])
    return record


@transaction.atomic
def duty_records_approve(*, records: Iterable[DutyRecord], reviewer: Any) -> int:
    """Approve the given records that are still waiting; returns how many changed."""
    ids = [r.pk for r in records]
    now = timezone.now()
    pending = list(
        DutyRecord.objects.select_for_update(of=("self",))
        .select_related("deputy")
        .filter(pk__in=ids, status=DutyRecord.Status.SUBMITTED)
    )
    for record in pending:
        # One save per record so the history shows who approved what and when.
        record.status = DutyRecord.Status.APPROVED
        record.reviewed_at = now
        record.reviewed_by = reviewer
        record._change_reason = "approved"  # type: ignore[attr-defined]
        record.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
    changed = {(r.deputy.district_id, r.date) for r in pending}
    for district_id, day in changed:
        points_changed(district_id=district_id, day=day)
    return len(pending)


@transaction.atomic
def duty_record_return(*, record: DutyRecord, reviewer: Any, reason: str) -> DutyRecord:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the record is returned.")})
    record = DutyRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != DutyRecord.Status.SUBMITTED:
        raise ValidationError(_("This record is no longer waiting for review."))
    record.status = DutyRecord.Status.RETURNED
    record.return_reason = reason[:500]
    record.reviewed_at = timezone.now()
    record.reviewed_by = reviewer
    record.full_clean()
    record.save(
        update_fields=["status", "return_reason", "reviewed_at", "reviewed_by", "updated_at"]
    )
    return record


def duty_photos_purge_orphans(*, older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Delete photos uploaded with a form that was never completed."""
    cutoff = timezone.now() - older_than
    count = 0
    for photo in DutyPhoto.objects.filter(record__isnull=True, created_at__lt=cutoff):
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)
        photo.delete()
        count += 1
    return count
