"""Activities, invitations, leave, attendance and reception shifts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import District, StreetCommittee
from congress.periods import Quarter
from congress.points import points_changed
from deputies.models import Deputy

from ..models import Activity, Attendance, LiaisonStation, ReceptionShift


def _check_deputies(district: District, deputies: Iterable[Deputy]) -> list[Deputy]:
    deputies = list(deputies)
    foreign = [d for d in deputies if d.district_id != district.pk]
    if foreign:
        raise ValidationError(
            {"deputies": _("%(name)s belongs to another district.") % {"name": foreign[0]}}
        )
    return deputies


@transaction.atomic
def activity_create(
    *,
    district: District,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    deputies: Iterable[Deputy] = (),
    street_committee: StreetCommittee | None = None,
    station: LiaisonStation | None = None,
    theme: str = "",
    place: str = "",
    created_by: Any = None,
) -> Activity:
    if street_committee is not None and street_committee.district_id != district.pk:
        raise ValidationError(_("The street committee belongs to another district."))
    if (
        station is not None
        and street_committee is not None
        and (station.street_committee_id != street_committee.pk)
    ):
        raise ValidationError({"station": _("The station is in another street.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    activity = Activity(
        district=district,
        street_committee=street_committee,
        station=station,
        kind=kind,
        theme=theme.strip(),
        place=place.strip() or (station.address if station else ""),
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=created_by,
    )
    activity.full_clean()
    activity.save()
    Attendance.objects.bulk_create(
        [Attendance(activity=activity, deputy=d) for d in _check_deputies(district, deputies)]
    )
    return activity


@transaction.atomic
def activity_invite(*, activity: Activity, deputies: Iterable[Deputy]) -> None:
    """Make the invitation list exactly ``deputies``; keeps rows of those still invited."""
    if activity.status != Activity.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled activity can be changed."))
    wanted = {d.pk: d for d in _check_deputies(activity.district, deputies)}
    existing = set(activity.attendances.values_list("deputy_id", flat=True))
    activity.attendances.exclude(deputy_id__in=wanted).delete()
    Attendance.objects.bulk_create(
        [Attendance(activity=activity, deputy=d) for pk, d in wanted.items() if pk not in existing]
    )


@transaction.atomic
def activities_schedule_weekly(
    *,
    street_committee: StreetCommittee,
    quarter: Quarter,
    weekday: int,
    start_time: dt.time,
    duration: dt.timedelta,
    stations: Sequence[LiaisonStation],
    deputies: Sequence[Deputy],
    per_visit: int,
    kind: str = Activity.Kind.WEEKLY_VISIT,
    theme: str = "",
    created_by: Any = None,
) -> list[Activity]:
    """Schedule a quarter of visits on one weekday, rotating stations and deputies.

    Weeks already holding a visit of this kind at the same station and time are skipped,
    so running it twice schedules nothing twice. Dates already past are skipped too.
    """
    if not stations:
        raise ValidationError({"stations": _("Choose at least one station.")})
    if not deputies:
        raise ValidationError({"deputies": _("Choose the deputies to rotate.")})
    if not 1 <= per_visit <= len(deputies):
        raise ValidationError(
            {
                "per_visit": _("Invite between 1 and %(n)d deputies per visit.")
                % {"n": len(deputies)}
            }
        )
    if not 0 <= weekday <= 6:
        raise ValidationError({"weekday": _("Choose a weekday.")})
    wrong = [s for s in stations if s.street_committee_id != street_committee.pk]
    if wrong:
        raise ValidationError(
            {"stations": _("%(name)s is in another street.") % {"name": wrong[0]}}
        )
    tz = timezone.get_current_timezone()
    now = timezone.now()
    day = quarter.start + dt.timedelta(days=(weekday - quarter.start.weekday()) % 7)
    created: list[Activity] = []
    turn = 0
    index = 0
    while day <= quarter.end:
        station = stations[index % len(stations)]
        starts_at = dt.datetime.combine(day, start_time, tzinfo=tz)
        index += 1
        duplicate = Activity.objects.filter(
            kind=kind, station=station, starts_at=starts_at
        ).exists()
        if starts_at > now and not duplicate:
            invited = [deputies[(turn + i) % len(deputies)] for i in range(per_visit)]
            turn = (turn + per_visit) % len(deputies)
            created.append(
                activity_create(
                    district=street_committee.district,
                    street_committee=street_committee,
                    station=station,
                    kind=kind,
                    theme=theme,
                    starts_at=starts_at,
                    ends_at=starts_at + duration,
                    deputies=invited,
                    created_by=created_by,
                )
            )
        day += dt.timedelta(days=7)
    return created


@transaction.atomic
def leave_request(*, attendance: Attendance, deputy: Deputy, reason: str) -> Attendance:
    attendance = (
        Attendance.objects.select_for_update().select_related("activity").get(pk=attendance.pk)
    )
    if attendance.deputy_id != deputy.pk:
        raise PermissionDenied
    activity = attendance.activity
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason you cannot attend.")})
    if activity.status != Activity.Status.SCHEDULED or timezone.now() >= activity.starts_at:
        raise ValidationError(
            _("The activity has already started; leave must be asked for before it begins.")
        )
    if attendance.leave == Attendance.Leave.APPROVED:
        raise ValidationError(_("Your leave is already approved."))
    attendance.leave = Attendance.Leave.REQUESTED
    attendance.leave_reason = reason[:300]
    attendance.leave_requested_at = timezone.now()
    attendance.leave_decided_at = None
    attendance.leave_decided_by = None
    attendance.leave_note = ""
    attendance.full_clean()
    attendance.save()
    return attendance


@transaction.atomic
def leave_decide(
    *, attendance: Attendance, approve: bool, decided_by: Any, note: str = ""
) -> Attendance:
    attendance = (
        Attendance.objects.select_for_update().select_related("activity").get(pk=attendance.pk)
    )
    if attendance.leave != Attendance.Leave.REQUESTED:
        raise ValidationError(_("There is no pending leave request to decide."))
    if attendance.activity.status != Activity.Status.SCHEDULED:
        raise ValidationError(_("The activity is already closed."))
    attendance.leave = Attendance.Leave.APPROVED if approve else Attendance.Leave.REFUSED
    attendance.status = Attendance.Status.EXCUSED if approve else Attendance.Status.INVITED
    attendance.leave_decided_at = timezone.now()
    attendance.leave_decided_by = decided_by
    attendance.leave_note = note.strip()[:300]
    attendance.save()
    return attendance


MARKABLE = {
    Attendance.Status.PRESENT,
    Attendance.Status.LATE,
    Attendance.Status.LEFT_EARLY,
    Attendance.Status.ABSENT,
    Attendance.Status.EXCUSED,
}


@transaction.atomic
def activity_close(
    *,
    activity: Activity,
    marks: Mapping[int, str],
    residents_received: int = 0,
    opinions_collected: int = 0,
    summary: str = "",
    closed_by: Any = None,
) -> Activity:
    """Record attendance and the short report, and close the activity.

    ``marks`` maps attendance ids to a status. An invitee left unmarked is excused when
    their leave was approved and absent otherwise. Excused is only possible with approved
    leave: nobody is excused after the fact.
    """
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status != Activity.Status.SCHEDULED:
        raise ValidationError(_("This activity is already closed or cancelled."))
    if timezone.now() < activity.starts_at:
        raise ValidationError(_("An activity can be closed once it has started."))
    if residents_received < 0 or opinions_collected < 0:
        raise ValidationError(_("Counts cannot be negative."))
    rows = {a.pk: a for a in activity.attendances.select_for_update()}
    unknown = set(marks) - set(rows)
    if unknown:
        raise ValidationError(_("Attendance for someone who was not invited."))
    for pk, attendance in rows.items():
        mark = marks.get(pk)
        if mark is not None and mark not in MARKABLE:
            raise ValidationError(_("Unknown attendance mark."))
        approved = attendance.leave == Attendance.Leave.APPROVED
        if mark == Attendance.Status.EXCUSED and not approved:
            raise ValidationError(
                _("%(name)s has no approved leave and cannot be marked excused.")
                % {"name": attendance.deputy}
            )
        if mark is None:
            mark = Attendance.Status.EXCUSED if approved else Attendance.Status.ABSENT
        attendance.status = mark
        attendance.save(update_fields=["status", "updated_at"])
    activity.status = Activity.Status.CLOSED
    activity.residents_received = residents_received
    activity.opinions_collected = opinions_collected
    activity.summary = summary.strip()
    activity.closed_at = timezone.now()
    activity.closed_by = closed_by
    activity.save()
    points_changed(district_id=activity.district_id, day=timezone.localdate(activity.starts_at))
    return activity


@transaction.atomic
def activity_cancel(*, activity: Activity, cancelled_by: Any = None) -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status != Activity.Status.SCHEDULED:
        raise ValidationError(_("This activity is already closed or cancelled."))
    activity.status = Activity.Status.CANCELLED
    activity.save(update_fields=["status", "updated_at"])
    return activity


@transaction.atomic
def shift_create(
    *, station: LiaisonStation, deputy: Deputy, date: dt.date, period: str, note: str = ""
) -> ReceptionShift:
    if deputy.district_id != station.street_committee.district_id:
        raise ValidationError(
            {"deputy": _("%(name)s belongs to another district.") % {"name": deputy}}
        )
    if not deputy.is_active_on(date):
        raise ValidationError(
            {"date": _("%(name)s is not in office on that day.") % {"name": deputy}}
        )
    shift = ReceptionShift(station=station, deputy=deputy, date=date, period=period, note=note)
    shift.full_clean()
    shift.save()
    return shift


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    deputies: Iterable[Deputy] | None = None,
    **fields: Any,
) -> Activity:
    """Change a scheduled activity: time, place, theme, station and who is invited."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status != Activity.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled activity can be changed."))
    allowed = {"kind", "theme", "place", "starts_at", "ends_at", "station", "street_committee"}
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(name)
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    if activity.ends_at <= activity.starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if (
        activity.station
        and activity.street_committee
        and (activity.station.street_committee_id != activity.street_committee_id)
    ):
        raise ValidationError({"station": _("The station is in another street.")})
    activity.full_clean()
    activity.save()
    if deputies is not None:
        activity_invite(activity=activity, deputies=deputies)
    return activity
