"""Writes on deputies. Views, commands and tasks call these, never the ORM directly."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from congress.models import District, StreetCommittee, Term

from ..models import Deputy, StreetMembership


def name_to_pinyin(name: str) -> str:
    """Sort key for Chinese names: 'zhang san' sorts the way people expect."""
    return " ".join(lazy_pinyin(name)).lower()


@transaction.atomic
def deputy_create(
    *,
    district: District,
    term: Term,
    name: str,
    gender: str,
    level: str,
    elected_on: dt.date,
    street_committee: StreetCommittee | None = None,
    **fields: object,
) -> Deputy:
    deputy = Deputy(
        district=district,
        term=term,
        name=name,
        name_pinyin=name_to_pinyin(name),
        gender=gender,
        level=level,
        elected_on=elected_on,
        **fields,
    )
    deputy.full_clean()
    deputy.save()
    if street_committee is not None:
        if street_committee.district_id != district.pk:
            raise ValidationError(_("The street committee belongs to another district."))
        membership = StreetMembership(
            deputy=deputy, street_committee=street_committee, start_date=elected_on
        )
        membership.full_clean()
        membership.save()
    return deputy


@transaction.atomic
def deputy_move_street(
    *, deputy: Deputy, street_committee: StreetCommittee, on: dt.date
) -> StreetMembership:
    """Close the open membership the day before ``on`` and open one in the new street."""
    if street_committee.district_id != deputy.district_id:
        raise ValidationError(_("The street committee belongs to another district."))
    current = (
        StreetMembership.objects.select_for_update()
        .filter(deputy=deputy, end_date__isnull=True)
        .first()
    )
    if current is not None:
        if current.street_committee_id == street_committee.pk:
            return current
        if current.start_date >= on:
            raise ValidationError(_("The move date must be after the current membership began."))
        current.end_date = on - dt.timedelta(days=1)
        current.full_clean()
        current.save(update_fields=["end_date", "updated_at"])
    membership = StreetMembership(deputy=deputy, street_committee=street_committee, start_date=on)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def deputy_leave(*, deputy: Deputy, on: dt.date, reason: str) -> Deputy:
    """Record that a deputy leaves office on ``on`` (inclusive: the last day in office)."""
    if not reason.strip():
        raise ValidationError({"left_reason": _("Give the reason for leaving office.")})
    if on < deputy.elected_on:
        raise ValidationError({"left_on": _("The leaving date is before the deputy took office.")})
    deputy.left_on = on
    deputy.left_reason = reason.strip()
    deputy.status = Deputy.Status.LEFT
    deputy.full_clean()
    deputy.save(update_fields=["left_on", "left_reason", "status", "updated_at"])
    StreetMembership.objects.filter(deputy=deputy, end_date__isnull=True).update(end_date=on)
    StreetMembership.objects.filter(deputy=deputy, end_date__gt=on).update(end_date=on)
    return deputy


def deputy_statuses_refresh(*, today: dt.date | None = None) -> int:
    """Close street memberships still open after their deputy left office (e.g. a leaving
    date entered in the admin). One UPDATE; idempotent. Returns how many changed."""
    today = today or timezone.localdate()
    left_on = Deputy.objects.filter(pk=OuterRef("deputy_id")).values("left_on")[:1]
    return StreetMembership.objects.filter(end_date__isnull=True, deputy__left_on__lt=today).update(
        end_date=Subquery(left_on)
    )
