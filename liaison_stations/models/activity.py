"""Activities deputies are invited to, their attendance and leave, and reception shifts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.indicators import Indicator
from congress.models import District, StreetCommittee, TimeStampedModel
from congress.permissions import scope_of
from deputies.models import Deputy

from .station import LiaisonStation


class ActivityQuerySet(models.QuerySet["Activity"]):
    def visible_to(self, user: Any) -> ActivityQuerySet:
        """District staff: their district; street staff: what their street organises;
        a deputy: what they are invited to."""
        scope = scope_of(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        allowed = Q(district_id__in=scope.district_ids) | Q(
            street_committee_id__in=scope.street_ids
        )
        if scope.is_deputy:
            allowed |= Q(attendances__deputy__user_id=user.pk)
        return self.filter(allowed).distinct()

    def managed_by(self, user: Any) -> ActivityQuerySet:
        """Activities this user may change: staff scope only."""
        scope = scope_of(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(
            Q(district_id__in=scope.district_ids) | Q(street_committee_id__in=scope.street_ids)
        )


class Activity(TimeStampedModel):
    class Kind(models.TextChoices):
        WEEKLY_VISIT = "weekly_visit", _("Weekly community visit")
        CONTACT_DAY = "contact_day", _("Monthly contact day")
        INSPECTION = "inspection", _("Inspection")
        RESEARCH = "research", _("Research")
        LAW_CHECK = "law_check", _("Law-enforcement check")
        LECTURE = "lecture", _("Deputies' lecture")
        REPORT_TO_VOTERS = "report_to_voters", _("Report to voters")
        TRAINING = "training", _("Training")
        SESSION = "session", _("Congress session")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    # Which performance indicator attending an activity of each kind scores.
    KIND_INDICATOR = {
        Kind.WEEKLY_VISIT: Indicator.WEEKLY_VISIT,
        Kind.CONTACT_DAY: Indicator.CONTACT_DAY,
        Kind.INSPECTION: Indicator.INSPECTION,
        Kind.RESEARCH: Indicator.INSPECTION,
        Kind.LAW_CHECK: Indicator.INSPECTION,
        Kind.LECTURE: Indicator.TRAINING,
        Kind.REPORT_TO_VOTERS: Indicator.REPORT_TO_VOTERS,
        Kind.TRAINING: Indicator.TRAINING,
        Kind.SESSION: Indicator.SESSION_HALF_DAY,
    }

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="activities", verbose_name=_("district")
    )
    street_committee = models.ForeignKey(
        StreetCommittee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("organised by street"),
        help_text=_("Empty when the district organises it."),
    )
    station = models.ForeignKey(
        LiaisonStation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("liaison station"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    # The short report written when the activity is closed.
    residents_received = models.PositiveIntegerField(_("residents received"), default=0)
    opinions_collected = models.PositiveIntegerField(_("opinions collected"), default=0)
    summary = models.TextField(_("summary"), blank=True, max_length=4000)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["district", "starts_at"]),
            models.Index(fields=["street_committee", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.starts_at).strftime("%Y-%m-%d %H:%M")
        return f"{self.get_kind_display()} {self.theme or ''} {when}".strip()

    @property
    def title(self) -> str:
        return self.theme or str(self.get_kind_display())

    @property
    def has_started(self) -> bool:
        return timezone.now() >= self.starts_at

    @property
    def indicator(self) -> str:
        return str(self.KIND_INDICATOR[self.Kind(self.kind)])


class Attendance(TimeStampedModel):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        LEFT_EARLY = "left_early", _("Left early")
        EXCUSED = "excused", _("Excused (leave approved)")
        ABSENT = "absent", _("Absent")

    class Leave(models.TextChoices):
        NONE = "none", _("No leave asked")
        REQUESTED = "requested", _("Leave requested")
        APPROVED = "approved", _("Leave approved")
        REFUSED = "refused", _("Leave refused")

    ATTENDED = (Status.PRESENT, Status.LATE, Status.LEFT_EARLY)

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("activity"),
    )
    deputy = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("deputy")
    )
    status = models.CharField(
        _("attendance"), max_length=12, choices=Status.choices, default=Status.INVITED
    )
    leave = models.CharField(_("leave"), max_length=10, choices=Leave.choices, default=Leave.NONE)
    leave_reason = models.CharField(_("reason for leave"), max_length=300, blank=True)
    leave_requested_at = models.DateTimeField(_("leave asked at"), null=True, blank=True)
    leave_decided_at = models.DateTimeField(_("leave decided at"), null=True, blank=True)
    leave_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leave decided by"),
    )
    leave_note = models.CharField(_("note on the decision"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["activity", "deputy__name_pinyin"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "deputy"], name="attendance_unique"),
            models.CheckConstraint(
                condition=~Q(leave="requested") | ~Q(leave_reason=""),
                name="attendance_leave_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.activity} · {self.get_status_display()}"


class ReceptionShift(TimeStampedModel):
    """A deputy on duty at a station (轮流坐班)."""

    class Period(models.TextChoices):
        MORNING = "am", _("Morning")
        AFTERNOON = "pm", _("Afternoon")
        DAY = "day", _("All day")

    station = models.ForeignKey(
        LiaisonStation,
        on_delete=models.CASCADE,
        related_name="shifts",
        verbose_name=_("liaison station"),
    )
    deputy = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("deputy")
    )
    date = models.DateField(_("date"))
    period = models.CharField(
        _("period"), max_length=4, choices=Period.choices, default=Period.MORNING
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reception shift")
        verbose_name_plural = _("reception shifts")
        ordering = ["date", "period", "station"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "date", "period", "deputy"], name="shift_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.date} {self.get_period_display()} {self.deputy}"
