from .activities import (
    activities_schedule_weekly,
    activity_cancel,
    activity_close,
    activity_create,
    activity_invite,
    activity_update,
    leave_decide,
    leave_request,
    shift_create,
)
from .opinions import (
    opinion_assign,
    opinion_close,
    opinion_rate,
    opinion_record,
    opinion_reject,
    opinion_reply,
    opinion_submit_public,
    opinions_remind_overdue,
)
from .stations import station_save

__all__ = [
    "activities_schedule_weekly",
    "activity_cancel",
    "activity_close",
    "activity_create",
    "activity_invite",
    "activity_update",
    "leave_decide",
    "leave_request",
    "opinion_assign",
    "opinion_close",
    "opinion_rate",
    "opinion_record",
    "opinion_reject",
    "opinion_reply",
    "opinion_submit_public",
    "opinions_remind_overdue",
    "shift_create",
    "station_save",
]
