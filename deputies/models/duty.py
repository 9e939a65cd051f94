"""Duty records (履职登记): what a deputy did, reviewed by their street's staff."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.indicators import Indicator
from congress.models import TimeStampedModel
from congress.permissions import scope_of

from .deputy import Deputy, StreetMembership, _active_on_q


class DutyType(TimeStampedModel):
    """An admin-managed kind of duty, mapped to a scoring indicator."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    indicator = models.CharField(_("scoring indicator"), max_length=40, choices=Indicator.choices)
    hint = models.CharField(
        _("hint"),
        max_length=200,
        blank=True,
        help_text=_("Shown under the description box, e.g. what to write."),
    )
    icon = models.CharField(_("icon"), max_length=40, default="bi-journal-check")
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("duty type")
        verbose_name_plural = _("duty types")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name_en and (translation.get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class DutyRecordQuerySet(models.QuerySet["DutyRecord"]):
    def visible_to(self, user: Any) -> DutyRecordQuerySet:
        """District staff: their district; street staff: deputies now in their street;
        a deputy: their own records."""
        scope = scope_of(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        allowed = Q(deputy__district_id__in=scope.district_ids) | Q(deputy__user_id=user.pk)
        if scope.street_ids:
            members = StreetMembership.objects.filter(
                _active_on_q(timezone.localdate()), street_committee_id__in=scope.street_ids
            ).values("deputy_id")
            allowed |= Q(deputy_id__in=members)
        return self.filter(allowed)

    def reviewable_by(self, user: Any) -> DutyRecordQuerySet:
        """Records this user may approve or return: staff scope only, never their own."""
        scope = scope_of(user)
        if not scope.is_staff_member:
            return self.none()
        return self.visible_to(user).exclude(deputy__user_id=user.pk)

    def in_street(self, street_id: int) -> DutyRecordQuerySet:
        members = StreetMembership.objects.filter(
            _active_on_q(timezone.localdate()), street_committee_id=street_id
        ).values("deputy_id")
        return self.filter(deputy_id__in=members)


def duty_photo_path(instance: DutyPhoto, filename: str) -> str:
    today = timezone.localdate()
    return f"duty-photos/{today:%Y/%m}/{uuid.uuid4().hex}.jpg"


class DutyRecord(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Pending review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    MAX_PHOTOS = 3

    deputy = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, related_name="duty_records", verbose_name=_("deputy")
    )
    duty_type = models.ForeignKey(
        DutyType, on_delete=models.PROTECT, related_name="records", verbose_name=_("duty type")
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("what you did"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    # Idempotency: the form carries a token so a double tap creates one record.
    client_token = models.UUIDField(_("submission token"), editable=False)

    objects = DutyRecordQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("duty record")
        verbose_name_plural = _("duty records")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["status", "date"]),
            models.Index(fields=["deputy", "date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "client_token"], name="duty_record_unique_client_token"
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="duty_record_returned_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.duty_type} · {self.date:%Y-%m-%d}"

    @property
    def is_editable_by_deputy(self) -> bool:
        return self.status in (self.Status.RETURNED, self.Status.WITHDRAWN)

    @property
    def can_withdraw(self) -> bool:
        return self.status == self.Status.SUBMITTED


class DutyPhoto(TimeStampedModel):
    """A photo re-encoded on upload (≤1600 px, no EXIF). Held by its deputy until the record
    it was uploaded with is saved, so a validation error never loses it."""

    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="duty_photos", verbose_name=_("deputy")
    )
    record = models.ForeignKey(
        DutyRecord,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("duty record"),
    )
    image = models.ImageField(
        _("photo"), upload_to=duty_photo_path, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to=duty_photo_path)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("duty photo")
        verbose_name_plural = _("duty photos")
        ordering = ["record", "position", "id"]

    def __str__(self) -> str:
        return self.image.name
