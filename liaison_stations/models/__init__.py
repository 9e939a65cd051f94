from .activity import Activity, ActivityQuerySet, Attendance, ReceptionShift
from .opinion import Opinion, OpinionQuerySet
from .station import LiaisonStation, StationQuerySet

__all__ = [
    "Activity",
    "ActivityQuerySet",
    "Attendance",
    "LiaisonStation",
    "Opinion",
    "OpinionQuerySet",
    "ReceptionShift",
    "StationQuerySet",
]
