"""Residents' opinions (民情民意): by QR code from a resident, or recorded by a deputy."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.models import (
    Community,
    District,
    HandlingUnit,
    StreetCommittee,
    TimeStampedModel,
)
from congress.permissions import scope_of
from deputies.models import Deputy

from .activity import Activity
from .station import LiaisonStation

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))


def opinion_photo_path(instance: Opinion, filename: str) -> str:
    today = timezone.localdate()
    return f"opinion-photos/{today:%Y/%m}/{uuid.uuid4().hex}.jpg"


class OpinionQuerySet(models.QuerySet["Opinion"]):
    def visible_to(self, user: Any) -> OpinionQuerySet:
        """District staff: their district; street staff: their street; a deputy: what they
        recorded or hold; a handling unit: what is assigned to it."""
        scope = scope_of(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        allowed = (
            Q(district_id__in=scope.district_ids)
            | Q(street_committee_id__in=scope.street_ids)
            | Q(assigned_unit_id__in=scope.unit_ids)
        )
        if scope.is_deputy:
            allowed |= Q(assigned_deputy__user_id=user.pk) | Q(recorded_by_deputy__user_id=user.pk)
        return self.filter(allowed)

    def triaged_by(self, user: Any) -> OpinionQuerySet:
        """Opinions this user may assign, reject or close: staff scope only."""
        scope = scope_of(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(
            Q(district_id__in=scope.district_ids) | Q(street_committee_id__in=scope.street_ids)
        )

    def with_overdue(self) -> OpinionQuerySet:
        today = timezone.localdate()
        return self.annotate(
            is_overdue=Case(
                When(status__in=Opinion.OPEN_STATUSES, reply_deadline__lt=today, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    def overdue(self) -> OpinionQuerySet:
        return self.filter(
            status__in=Opinion.OPEN_STATUSES, reply_deadline__lt=timezone.localdate()
        )


class Opinion(TimeStampedModel):
    class Source(models.TextChoices):
        RESIDENT = "resident", _("Resident (QR code)")
        DEPUTY = "deputy", _("Recorded by a deputy")
        STAFF = "staff", _("Recorded by staff")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ASSIGNED = "assigned", _("Being handled")
        REPLIED = "replied", _("Replied")
        CLOSED = "closed", _("Concluded")
        REJECTED = "rejected", _("Not accepted")

    class Category(models.TextChoices):
        URBAN = "urban", _("Urban construction and management")
        ENVIRONMENT = "environment", _("Environment")
        TRAFFIC = "traffic", _("Traffic and parking")
        EDUCATION = "education", _("Education")
        HEALTH = "health", _("Health care")
        ELDERLY = "elderly", _("Elderly care")
        COMMUNITY = "community", _("Community affairs")
        PROPERTY = "property", _("Property management")
        SOCIAL = "social", _("Social security")
        OTHER = "other", _("Other")

    class Rating(models.IntegerChoices):
        SATISFIED = 3, _("Satisfied")
        BASICALLY = 2, _("Basically satisfied")
        UNSATISFIED = 1, _("Not satisfied")

    OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED)
    REPLY_DAYS = 15

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("district")
    )
    street_committee = models.ForeignKey(
        StreetCommittee,
        on_delete=models.PROTECT,
        related_name="opinions",
        verbose_name=_("street committee"),
    )
    station = models.ForeignKey(
        LiaisonStation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("liaison station"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("community"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("activity"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    content = models.TextField(_("content"), max_length=2000)
    photo = models.ImageField(_("photo"), upload_to=opinion_photo_path, blank=True)
    submitter_name = models.CharField(_("name"), max_length=50, blank=True)
    submitter_phone = models.CharField(_("phone"), max_length=20, blank=True)
    consent = models.BooleanField(_("consent to be contacted"), default=False)
    recorded_by_deputy = models.ForeignKey(
        Deputy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_opinions",
        verbose_name=_("recorded by deputy"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    tracking_code = models.CharField(
        _("tracking code"),
        max_length=12,
        unique=True,
        default=new_tracking_code,
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    assigned_deputy = models.ForeignKey(
        Deputy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_opinions",
        verbose_name=_("assigned to deputy"),
    )
    assigned_unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("assigned to handling unit"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    reply_deadline = models.DateField(_("reply deadline"))
    reply = models.TextField(_("reply"), blank=True, max_length=4000)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
    )
    rejected_reason = models.CharField(_("reason for not accepting"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), choices=Rating.choices, null=True, blank=True
    )
    rating_comment = models.CharField(_("comment on the answer"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    objects = OpinionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "last_reminded_at"])

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["street_committee", "status"]),
            models.Index(fields=["district", "received_on"]),
            models.Index(fields=["status", "reply_deadline"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejected_reason=""),
                name="opinion_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(submitter_phone="") | Q(consent=True),
                name="opinion_phone_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} · {self.get_category_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def overdue(self) -> bool:
        return self.is_open and self.reply_deadline < timezone.localdate()

    @property
    def holder(self) -> str:
        if self.assigned_unit_id:
            return str(self.assigned_unit)
        if self.assigned_deputy_id:
            return str(self.assigned_deputy)
        return str(self.street_committee)
