from .deputy import Deputy, DeputyQuerySet, StreetMembership, _active_on_q, mask_phone
from .duty import DutyPhoto, DutyRecord, DutyRecordQuerySet, DutyType

__all__ = [
    "Deputy",
    "DeputyQuerySet",
    "DutyPhoto",
    "DutyRecord",
    "DutyRecordQuerySet",
    "DutyType",
    "StreetMembership",
    "_active_on_q",
    "mask_phone",
]
