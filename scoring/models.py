"""Performance points (履职积分): rules as data, the ledger, adjustments and rankings."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.indicators import Indicator
from congress.models import District, StreetCommittee, TimeStampedModel
from deputies.models import Deputy


class DecimalDecoder(json.JSONDecoder):
    """Points in JSON come back as exact decimals, never floats."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("parse_float", Decimal)
        kwargs.setdefault("parse_int", Decimal)
        super().__init__(*args, **kwargs)


class RuleSetQuerySet(models.QuerySet["RuleSet"]):
    def in_force(self, *, district: District, on: dt.date) -> RuleSet | None:
        """The rule set that applies on a day: the district's own, else the default one,
        with the latest ``effective_from`` not after that day."""
        return (
            self.filter(Q(district=district) | Q(district__isnull=True), effective_from__lte=on)
            .order_by("-effective_from", models.F("district").desc(nulls_last=True), "-version")
            .first()
        )


class RuleSet(TimeStampedModel):
    """A versioned set of scoring rules. A quarter is scored with the set in force on its
    first day; every ledger entry records the set it was computed with."""

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rule_sets",
        verbose_name=_("district"),
        help_text=_("Empty: the default for every district."),
    )
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=100)
    effective_from = models.DateField(_("effective from"))
    top_fraction = models.DecimalField(
        _("top fraction"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.150"),
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
    )
    ranked_levels = models.JSONField(
        _("ranked deputy levels"),
        default=list,
        help_text=_('Deputy levels that are ranked, e.g. ["district"].'),
    )
    star_thresholds = models.JSONField(
        _("star thresholds"),
        default=list,
        help_text=_("Year-to-date totals for one to five stars, e.g. [20, 40, 60, 80, 100]."),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = RuleSetQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["-effective_from", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "version"],
                condition=Q(district__isnull=False),
                name="ruleset_unique_version",
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(district__isnull=True),
                name="ruleset_unique_default_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def stars_for(self, ytd_total: Decimal | float | int) -> int:
        return sum(1 for threshold in self.star_thresholds if ytd_total >= threshold)


class Rule(models.Model):
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.CASCADE, related_name="rules", verbose_name=_("rule set")
    )
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    cap_per_quarter = models.DecimalField(
        _("cap per quarter"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Limits the sum of this indicator's positive points in one quarter."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["rule_set", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "indicator"], name="rule_unique_indicator"),
            models.CheckConstraint(
                condition=Q(cap_per_quarter__isnull=True) | Q(cap_per_quarter__gte=0),
                name="rule_cap_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.points}"


class ScoreAdjustment(TimeStampedModel):
    """A manual plus or minus by district staff, always with a reason."""

    deputy = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, related_name="score_adjustments", verbose_name=_("deputy")
    )
    date = models.DateField(_("date"))
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("made by"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("score adjustment")
        verbose_name_plural = _("score adjustments")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="adjustment_has_reason"),
            models.CheckConstraint(condition=~Q(points=0), name="adjustment_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.points:+} {self.date}"


class DirtyPeriod(models.Model):
    """A quarter whose ranking is stale. Written in the user's transaction (so a broker
    outage loses nothing) and cleared by the recompute that catches up with it."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "year", "quarter"], name="dirty_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.year}Q{self.quarter}"


class RankingSnapshot(models.Model):
    """A quarter's ranking. One ``live`` snapshot per quarter follows the data; a recompute
    makes a new one and marks the previous one ``superseded`` in the same transaction, so
    a page that looked the live one up a moment earlier still reads whole, consistent rows
    (superseded snapshots are purged after a grace period). ``published`` ones are the
    frozen versions of the report (通报)."""

    class Status(models.TextChoices):
        LIVE = "live", _("Live")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices)
    version = models.PositiveIntegerField(default=0, help_text=_("0 for the live snapshot."))
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    population = models.PositiveIntegerField(default=0)
    top_k = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ranking snapshot")
        verbose_name_plural = _("ranking snapshots")
        ordering = ["-year", "-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year", "quarter", "version"],
                condition=Q(status="published"),
                name="snapshot_unique_published_version",
            ),
            models.UniqueConstraint(
                fields=["district", "year", "quarter"],
                condition=Q(status="live"),
                name="snapshot_one_live",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter} {self.status} v{self.version}"


class RankingRow(models.Model):
    # Rows are always read within one snapshot: the composite indexes below serve that,
    # and single-column indexes on snapshot and street would only slow the recompute.
    snapshot = models.ForeignKey(
        RankingSnapshot, on_delete=models.CASCADE, related_name="rows", db_index=False
    )
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="+")
    street_committee = models.ForeignKey(
        StreetCommittee, on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    name = models.CharField(max_length=50)
    name_pinyin = models.CharField(max_length=200)
    level = models.CharField(max_length=10)
    total = models.DecimalField(max_digits=9, decimal_places=2)
    ytd_total = models.DecimalField(max_digits=10, decimal_places=2)
    rank = models.PositiveIntegerField()
    is_top = models.BooleanField(default=False)
    stars = models.PositiveSmallIntegerField(default=0)
    # The capped points per indicator, {"weekly_visit": 39, ...}: the report's columns.
    # Kept on the row (not one row per indicator) so a province-wide recompute writes one
    # row per deputy; they always sum to ``total``, computed in the same statement.
    breakdown = models.JSONField(default=dict, decoder=DecimalDecoder)

    class Meta:
        ordering = ["rank", "name_pinyin"]
        indexes = [models.Index(fields=["snapshot", "rank"])]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "deputy"], name="row_unique_deputy"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name} {self.total}"


class StreetAverage(models.Model):
    snapshot = models.ForeignKey(
        RankingSnapshot, on_delete=models.CASCADE, related_name="street_averages"
    )
    street_committee = models.ForeignKey(
        StreetCommittee, on_delete=models.PROTECT, related_name="+"
    )
    deputies = models.PositiveIntegerField()
    top_count = models.PositiveIntegerField()
    average = models.DecimalField(max_digits=9, decimal_places=2)
    rank = models.PositiveIntegerField()
    too_small = models.BooleanField(default=False)

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.street_committee_id} {self.average}"


class ReportJob(models.Model):
    """A quarterly report written in the background, for rankings too large to download in
    one request. The page polls its progress; the file lives under MEDIA_ROOT/reports/ and
    is deleted with the job after a day."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    snapshot = models.ForeignKey(
        RankingSnapshot, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=10, default="zh-hans")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    filename = models.CharField(max_length=200, blank=True)
    path = models.CharField(max_length=300, blank=True, help_text=_("Under MEDIA_ROOT."))
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.pk} {self.status} {self.rows_done}/{self.rows_total}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0


def period_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


__all__ = [
    "DirtyPeriod",
    "RankingRow",
    "RankingSnapshot",
    "ReportJob",
    "Rule",
    "RuleSet",
    "ScoreAdjustment",
    "StreetAverage",
    "period_of",
]
