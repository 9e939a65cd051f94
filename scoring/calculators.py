"""The registry of indicator calculators: each turns one kind of source into ledger entries.

A calculator returns a queryset annotated with ``e_deputy, e_date, e_indicator, e_amount,
e_source_type, e_source_id``: one row per ledger entry of a district's quarter (or of one
deputy, when the context names one). ``e_amount`` is NULL when the entry scores its
indicator's rule (nearly every source); only sources with their own amounts (manual
adjustments) fill it in. The rules are applied in one place, :mod:`scoring.ledger`, which
either lists the entries (a deputy's page) or aggregates them per deputy and indicator (the
ranking) from the very same querysets. No source row passes through Python on the way to
a ranking. Proposals register theirs when that app lands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    DateField,
    DecimalField,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncDate
from django.utils.translation import gettext_lazy as _

from congress.indicators import Indicator
from congress.models import District
from congress.periods import Quarter
from deputies.models import DutyRecord
from liaison_stations.models import Activity, Attendance, Opinion

from .models import RuleSet, ScoreAdjustment

COLUMNS = (
    "e_deputy",
    "e_date",
    "e_indicator",
    "e_amount",
    "e_source_type",
    "e_source_id",
)


class Source(models.TextChoices):
    """What a ledger entry comes from."""

    DUTY_RECORD = "duty_record", _("Duty record")
    ATTENDANCE = "attendance", _("Attendance")
    PROPOSAL = "proposal", _("Proposal")
    OPINION = "opinion", _("Opinion")
    ADJUSTMENT = "adjustment", _("Adjustment")


@dataclass(frozen=True)
class Context:
    district: District
    quarter: Quarter
    rule_set: RuleSet
    deputy_id: int | None = None


Calculator = Callable[[Context], QuerySet]
REGISTRY: dict[str, Calculator] = {}


def register(source_type: str) -> Callable[[Calculator], Calculator]:
    def wrap(fn: Calculator) -> Calculator:
        REGISTRY[source_type] = fn
        return fn

    return wrap


def _kind_indicator() -> Case:
    """The indicator an activity's kind scores, as SQL."""
    return Case(
        *[
            When(activity__kind=kind, then=Value(str(ind)))
            for kind, ind in Activity.KIND_INDICATOR.items()
        ],
        default=Value(""),
        output_field=CharField(),
    )


ATTENDED = [s.value for s in Attendance.ATTENDED]
FINAL_STATUSES = [*ATTENDED, Attendance.Status.EXCUSED.value, Attendance.Status.ABSENT.value]
# NULL typed as a number, so the calculators' queries can be joined with UNION ALL.
RULE_POINTS = Cast(Value(None), output_field=DecimalField(max_digits=8, decimal_places=2))


def _rows(qs: QuerySet, ctx: Context, source_type: str) -> QuerySet:
    if ctx.deputy_id is not None:
        qs = qs.filter(e_deputy=ctx.deputy_id)
    # No ordering: it would stop the database from folding the query into the aggregate.
    return (
        qs.annotate(
            e_source_type=Value(source_type, output_field=CharField()),
            e_source_id=Cast("pk", BigIntegerField()),
        )
        .order_by()
        .values(*COLUMNS)
    )


@register(Source.DUTY_RECORD)
def duty_records(ctx: Context) -> QuerySet:
    """Approved duty records, except one that repeats an organised activity scoring the same
    indicator on the same day for which the deputy's attendance is recorded: the
    attendance already scores that act, and one act never counts twice."""
    repeats_activity = (
        Attendance.objects.filter(
            deputy_id=OuterRef("deputy_id"),
            status__in=FINAL_STATUSES,
            activity__status=Activity.Status.CLOSED,
            activity__starts_at__date=OuterRef("date"),
        )
        .annotate(a_indicator=_kind_indicator())
        .filter(a_indicator=OuterRef("duty_type__indicator"))
    )
    qs = (
        DutyRecord.objects.filter(
            deputy__district=ctx.district,
            status=DutyRecord.Status.APPROVED,
            date__range=(ctx.quarter.start, ctx.quarter.end),
        )
        .exclude(Exists(repeats_activity))
        .annotate(
            e_deputy=F("deputy_id"),
            e_date=F("date"),
            e_indicator=F("duty_type__indicator"),
            e_amount=RULE_POINTS,
        )
    )
    return _rows(qs, ctx, Source.DUTY_RECORD)


@register(Source.ATTENDANCE)
def attendance(ctx: Context) -> QuerySet:
    """Attendance at closed activities: present, late or left early score the activity
    kind's indicator; absent scores the unexcused-absence rule; excused scores nothing."""
    qs = Attendance.objects.filter(
        activity__district=ctx.district,
        activity__status=Activity.Status.CLOSED,
        activity__starts_at__date__range=(ctx.quarter.start, ctx.quarter.end),
        status__in=[*ATTENDED, Attendance.Status.ABSENT],
    ).annotate(
        e_deputy=F("deputy_id"),
        e_date=TruncDate("activity__starts_at", output_field=DateField()),
        e_indicator=Case(
            When(status=Attendance.Status.ABSENT, then=Value(str(Indicator.UNEXCUSED_ABSENCE))),
            default=_kind_indicator(),
            output_field=CharField(),
        ),
        e_amount=RULE_POINTS,
    )
    return _rows(qs, ctx, Source.ATTENDANCE)


@register(Source.OPINION)
def opinions(ctx: Context) -> QuerySet:
    """Opinions a deputy collected and recorded, unless they were not accepted."""
    qs = (
        Opinion.objects.filter(
            district=ctx.district,
            recorded_by_deputy__isnull=False,
            received_on__range=(ctx.quarter.start, ctx.quarter.end),
        )
        .exclude(status=Opinion.Status.REJECTED)
        .annotate(
            e_deputy=F("recorded_by_deputy_id"),
            e_date=F("received_on"),
            e_indicator=Value(str(Indicator.OPINION), output_field=CharField()),
            e_amount=RULE_POINTS,
        )
    )
    return _rows(qs, ctx, Source.OPINION)


@register(Source.ADJUSTMENT)
def adjustments(ctx: Context) -> QuerySet:
    """Manual adjustments count as made, uncapped."""
    qs = ScoreAdjustment.objects.filter(
        deputy__district=ctx.district, date__range=(ctx.quarter.start, ctx.quarter.end)
    ).annotate(
        e_deputy=F("deputy_id"),
        e_date=F("date"),
        e_indicator=Value(str(Indicator.ADJUSTMENT), output_field=CharField()),
        e_amount=F("points"),
    )
    return _rows(qs, ctx, Source.ADJUSTMENT)
