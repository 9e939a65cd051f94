"""Residents' opinions: submitted by QR code or recorded, triaged, answered, rated."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import (
    Community,
    HandlingUnit,
    RoleAssignment,
    StreetCommittee,
    User,
)
from congress.permissions import scope_of
from congress.points import points_changed
from deputies.models import Deputy
from deputies.photos import photo_prepare

from ..models import Activity, LiaisonStation, Opinion

MIN_CONTENT_CHARS = 5
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def _clean_content(content: str) -> str:
    content = content.strip()
    if len(re.sub(r"\s+", "", content)) < MIN_CONTENT_CHARS:
        raise ValidationError(
            {"content": _("Please describe the matter in a few words (at least 5 characters).")}
        )
    if len(content) > 2000:
        raise ValidationError({"content": _("Please keep it under 2,000 characters.")})
    return content


def _clean_contact(name: str, phone: str, consent: bool) -> tuple[str, str]:
    name = name.strip()
    # People type numbers as 138-0000-1111 or 138 0000 1111; a landline keeps its dash.
    phone = re.sub(r"\s", "", phone)
    if re.fullmatch(r"1[\d-]{10,14}", phone):
        phone = phone.replace("-", "")
    if phone and not PHONE_RE.match(phone):
        raise ValidationError(
            {
                "submitter_phone": _(
                    "Enter an 11-digit mobile number or a landline like 0512-65123456."
                )
            }
        )
    if (name or phone) and not consent:
        raise ValidationError(
            {
                "consent": _(
                    "You gave a name or phone number: tick the box to agree we may use it "
                    "to contact you, or leave them empty."
                )
            }
        )
    return name, phone


def _store_photo(opinion: Opinion, upload: UploadedFile | None) -> None:
    if upload is None:
        return
    prepared = photo_prepare(upload)
    opinion.photo.save("photo.jpg", prepared.full, save=False)


@transaction.atomic
def opinion_submit_public(
    *,
    station: LiaisonStation,
    content: str,
    category: str,
    community: Community | None = None,
    submitter_name: str = "",
    submitter_phone: str = "",
    consent: bool = False,
    photo: UploadedFile | None = None,
) -> Opinion:
    """A resident's opinion from a station's QR form (no account)."""
    if not station.is_active:
        raise ValidationError(_("This station no longer takes opinions online."))
    errors: dict[str, list[str]] = {}
    try:
        content = _clean_content(content)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        submitter_name, submitter_phone = _clean_contact(submitter_name, submitter_phone, consent)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if community is not None and community.street_committee_id != station.street_committee_id:
        errors["community"] = [_("Choose a community of this street.")]
    if errors:
        raise ValidationError(errors)
    street = station.street_committee
    opinion = Opinion(
        district_id=street.district_id,
        street_committee=street,
        station=station,
        community=community or station.community,
        source=Opinion.Source.RESIDENT,
        category=category,
        content=content,
        submitter_name=submitter_name,
        submitter_phone=submitter_phone,
        consent=consent and bool(submitter_name or submitter_phone),
        received_on=timezone.localdate(),
        reply_deadline=timezone.localdate() + dt.timedelta(days=Opinion.REPLY_DAYS),
    )
    _store_photo(opinion, photo)
    opinion.full_clean()
    opinion.save()
    return opinion


@transaction.atomic
def opinion_record(
    *,
    recorded_by: User,
    street_committee: StreetCommittee,
    content: str,
    category: str,
    deputy: Deputy | None = None,
    community: Community | None = None,
    station: LiaisonStation | None = None,
    activity: Activity | None = None,
    received_on: dt.date | None = None,
    submitter_name: str = "",
    submitter_phone: str = "",
    consent: bool = False,
    photo: UploadedFile | None = None,
) -> Opinion:
    """An opinion a deputy or staff member collected in person."""
    content = _clean_content(content)
    submitter_name, submitter_phone = _clean_contact(submitter_name, submitter_phone, consent)
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise ValidationError({"received_on": _("The date cannot be in the future.")})
    if community is not None and community.street_committee_id != street_committee.pk:
        raise ValidationError({"community": _("Choose a community of this street.")})
    opinion = Opinion(
        district_id=street_committee.district_id,
        street_committee=street_committee,
        station=station,
        community=community,
        activity=activity,
        source=Opinion.Source.DEPUTY if deputy else Opinion.Source.STAFF,
        category=category,
        content=content,
        submitter_name=submitter_name,
        submitter_phone=submitter_phone,
        consent=consent and bool(submitter_name or submitter_phone),
        recorded_by_deputy=deputy,
        recorded_by=recorded_by,
        received_on=received_on,
        reply_deadline=received_on + dt.timedelta(days=Opinion.REPLY_DAYS),
    )
    _store_photo(opinion, photo)
    opinion.full_clean()
    opinion.save()
    if deputy is not None:
        points_changed(district_id=opinion.district_id, day=received_on)
    return opinion


def _locked(opinion: Opinion) -> Opinion:
    return Opinion.objects.select_for_update().get(pk=opinion.pk)


@transaction.atomic
def opinion_assign(
    *,
    opinion: Opinion,
    assigned_by: Any,
    deputy: Deputy | None = None,
    unit: HandlingUnit | None = None,
) -> Opinion:
    if (deputy is None) == (unit is None):
        raise ValidationError(_("Assign it to one deputy or one handling unit."))
    opinion = _locked(opinion)
    if not opinion.is_open:
        raise ValidationError(_("Only an opinion that is still open can be assigned."))
    if deputy is not None and deputy.district_id != opinion.district_id:
        raise ValidationError(
            {"deputy": _("%(name)s belongs to another district.") % {"name": deputy}}
        )
    if unit is not None and unit.district_id != opinion.district_id:
        raise ValidationError({"unit": _("The handling unit belongs to another district.")})
    opinion.assigned_deputy = deputy
    opinion.assigned_unit = unit
    opinion.assigned_at = timezone.now()
    opinion.status = Opinion.Status.ASSIGNED
    opinion.save()
    return opinion


def opinion_may_reply(user: Any, opinion: Opinion) -> bool:
    scope = scope_of(user)
    return (
        scope.is_superuser
        or opinion.district_id in scope.district_ids
        or opinion.street_committee_id in scope.street_ids
        or (opinion.assigned_unit_id is not None and opinion.assigned_unit_id in scope.unit_ids)
        or (opinion.assigned_deputy is not None and opinion.assigned_deputy.user_id == user.pk)
    )


@transaction.atomic
def opinion_reply(*, opinion: Opinion, reply: str, replied_by: Any) -> Opinion:
    reply = reply.strip()
    if len(reply) < 2:
        raise ValidationError({"reply": _("Write the answer the resident will read.")})
    opinion = _locked(opinion)
    if not opinion_may_reply(replied_by, opinion):
        raise PermissionDenied
    if opinion.status not in (*Opinion.OPEN_STATUSES, Opinion.Status.REPLIED):
        raise ValidationError(_("This opinion is closed."))
    opinion.reply = reply
    opinion.replied_at = timezone.now()
    opinion.replied_by = replied_by
    opinion.status = Opinion.Status.REPLIED
    opinion.full_clean()
    opinion.save()
    return opinion


@transaction.atomic
def opinion_close(*, opinion: Opinion, closed_by: Any) -> Opinion:
    opinion = _locked(opinion)
    if opinion.status != Opinion.Status.REPLIED:
        raise ValidationError(_("Only a replied opinion can be closed."))
    opinion.status = Opinion.Status.CLOSED
    opinion.closed_at = timezone.now()
    opinion.save()
    return opinion


@transaction.atomic
def opinion_reject(*, opinion: Opinion, reason: str, rejected_by: Any) -> Opinion:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is not accepted (e.g. duplicate, spam).")})
    opinion = _locked(opinion)
    if not opinion.is_open:
        raise ValidationError(_("Only an opinion that is still open can be rejected."))
    opinion.status = Opinion.Status.REJECTED
    opinion.rejected_reason = reason[:300]
    opinion.closed_at = timezone.now()
    opinion.full_clean()
    opinion.save()
    if opinion.recorded_by_deputy_id:
        points_changed(district_id=opinion.district_id, day=opinion.received_on)
    return opinion


@transaction.atomic
def opinion_rate(*, opinion: Opinion, rating: int, comment: str = "") -> Opinion:
    opinion = _locked(opinion)
    if opinion.status not in (Opinion.Status.REPLIED, Opinion.Status.CLOSED):
        raise ValidationError(_("You can rate the answer once there is one."))
    if opinion.rating is not None:
        raise ValidationError(_("This answer has already been rated. Thank you."))
    if rating not in Opinion.Rating.values:
        raise ValidationError({"rating": _("Choose one of the ratings.")})
    opinion.rating = rating
    opinion.rating_comment = comment.strip()[:300]
    opinion.rated_at = timezone.now()
    opinion.save()
    return opinion


def _holder_emails(opinion: Opinion) -> list[str]:
    users = User.objects.none()
    if opinion.assigned_unit_id:
        users = User.objects.filter(
            roles__role=RoleAssignment.Role.HANDLING_UNIT,
            roles__handling_unit_id=opinion.assigned_unit_id,
        )
    elif opinion.assigned_deputy_id:
        users = User.objects.filter(deputy__id=opinion.assigned_deputy_id)
    else:
        users = User.objects.filter(
            roles__role=RoleAssignment.Role.STREET_STAFF,
            roles__street_committee_id=opinion.street_committee_id,
        )
    emails = {u.email for u in users.filter(is_active=True) if u.email}
    if opinion.assigned_unit_id and opinion.assigned_unit and opinion.assigned_unit.email:
        emails.add(opinion.assigned_unit.email)
    return sorted(emails)


def opinions_remind_overdue(*, now: dt.datetime | None = None) -> int:
    """E-mail whoever holds each overdue opinion, at most once a day. Returns how many
    opinions were reminded about."""
    now = now or timezone.now()
    since = now - dt.timedelta(hours=20)
    reminded = 0
    overdue = (
        Opinion.objects.overdue()
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=since))
        .select_related("assigned_unit", "street_committee")
        .order_by("reply_deadline")
    )
    for opinion in overdue.iterator(chunk_size=200):
        recipients = _holder_emails(opinion)
        if recipients:
            send_mail(
                subject=_("Overdue opinion %(code)s: reply was due %(date)s")
                % {"code": opinion.tracking_code, "date": opinion.reply_deadline.isoformat()},
                message=_(
                    "The opinion %(code)s (%(category)s) received on %(received)s has not been "
                    "answered; the reply was due %(date)s.\n\n%(content)s"
                )
                % {
                    "code": opinion.tracking_code,
                    "category": opinion.get_category_display(),
                    "received": opinion.received_on.isoformat(),
                    "date": opinion.reply_deadline.isoformat(),
                    "content": opinion.content[:500],
                },
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
                fail_silently=True,
            )
        Opinion.objects.filter(pk=opinion.pk).update(last_reminded_at=now)
        reminded += 1
    return reminded
