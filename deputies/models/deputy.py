"""Deputies (人大代表) and their street delegation memberships."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.models import District, StreetCommittee, Term, TimeStampedModel
from congress.permissions import scope_of


def _active_on_q(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


class DeputyQuerySet(models.QuerySet["Deputy"]):
    def active_on(self, on: dt.date) -> DeputyQuerySet:
        """Deputies holding office on that day."""
        return self.filter(elected_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gte=on))

    def active_between(self, start: dt.date, end: dt.date) -> DeputyQuerySet:
        """Deputies holding office on at least one day of [start, end]."""
        return self.filter(elected_on__lte=end).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=start)
        )

    def current(self) -> DeputyQuerySet:
        return self.active_on(timezone.localdate())

    def in_street(self, street_id: int, on: dt.date | None = None) -> DeputyQuerySet:
        on = on or timezone.localdate()
        members = StreetMembership.objects.filter(
            _active_on_q(on), street_committee_id=street_id
        ).values("deputy_id")
        return self.filter(id__in=members)

    def with_street(self, on: dt.date | None = None) -> DeputyQuerySet:
        """Annotate the street delegation on that day (``street_id``, ``street_name``)."""
        on = on or timezone.localdate()
        # The latest membership begun by that day: the current one for a deputy in office,
        # the last one for a deputy who has left.
        membership = StreetMembership.objects.filter(
            deputy_id=OuterRef("pk"), start_date__lte=on
        ).order_by("-start_date")
        return self.annotate(
            street_id=Subquery(membership.values("street_committee_id")[:1]),
            street_name=Subquery(membership.values("street_committee__name")[:1]),
        )

    def visible_to(self, user: Any) -> DeputyQuerySet:
        """The only way a view gets deputies: district staff see their district, street
        staff their street's delegation today, a deputy only themself."""
        scope = scope_of(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        allowed = Q(district_id__in=scope.district_ids) | Q(user_id=user.pk)
        if scope.street_ids:
            today = timezone.localdate()
            members = StreetMembership.objects.filter(
                _active_on_q(today), street_committee_id__in=scope.street_ids
            ).values("deputy_id")
            allowed |= Q(id__in=members)
        return self.filter(allowed)


class Deputy(TimeStampedModel):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Provincial deputy")
        CITY = "city", _("City deputy")
        DISTRICT = "district", _("District deputy")
        STREET = "street", _("Street deliberative representative")

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Status(models.TextChoices):
        ACTIVE = "active", _("In office")
        LEFT = "left", _("Left office")

    class Party(models.TextChoices):
        CPC = "cpc", _("CPC member")
        DEMOCRATIC = "democratic", _("Democratic party member")
        NONE = "none", _("No party affiliation")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="deputies", verbose_name=_("district")
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="deputies", verbose_name=_("term")
    )
    name = models.CharField(_("name"), max_length=50)
    name_pinyin = models.CharField(
        _("name (pinyin)"), max_length=200, blank=True, db_index=True, editable=False
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    party = models.CharField(
        _("political affiliation"), max_length=20, choices=Party.choices, default=Party.NONE
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    constituency = models.CharField(_("constituency"), max_length=100, blank=True)
    sector = models.CharField(_("sector"), max_length=50, blank=True)
    occupation = models.CharField(_("employer and position"), max_length=200, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    elected_on = models.DateField(_("in office from"))
    left_on = models.DateField(_("left office on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
        verbose_name=_("user account"),
    )

    objects = DeputyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["name_pinyin", "id"]
        indexes = [models.Index(fields=["district", "level", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("elected_on")),
                name="deputy_left_after_elected",
            ),
            models.CheckConstraint(
                condition=Q(status="active", left_on__isnull=True)
                | Q(status="left", left_on__isnull=False),
                name="deputy_status_matches_left_on",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, on: dt.date) -> bool:
        return self.elected_on <= on and (self.left_on is None or self.left_on >= on)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


def mask_phone(phone: str) -> str:
    """138****8000: keep the first three and the last four digits."""
    digits = phone.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


class StreetMembership(TimeStampedModel):
    """A dated membership of a street delegation (街道代表团). A deputy can move street."""

    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("deputy")
    )
    street_committee = models.ForeignKey(
        StreetCommittee,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("street committee"),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("street delegation membership")
        verbose_name_plural = _("street delegation memberships")
        ordering = ["deputy", "-start_date"]
        indexes = [models.Index(fields=["street_committee", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["deputy"],
                condition=Q(end_date__isnull=True),
                name="membership_one_open_per_deputy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.street_committee}"
