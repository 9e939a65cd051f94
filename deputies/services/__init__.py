from .deputy import (
    deputy_create,
    deputy_leave,
    deputy_move_street,
    deputy_statuses_refresh,
    name_to_pinyin,
)
from .duty import (
    duty_date_check,
    duty_description_check,
    duty_photo_upload,
    duty_photos_purge_orphans,
    duty_record_return,
    duty_record_submit,
    duty_record_withdraw,
    duty_records_approve,
)

__all__ = [
    "deputy_create",
    "deputy_leave",
    "deputy_move_street",
    "deputy_statuses_refresh",
    "duty_date_check",
    "duty_description_check",
    "duty_photo_upload",
    "duty_photos_purge_orphans",
    "duty_record_return",
    "duty_record_submit",
    "duty_record_withdraw",
    "duty_records_approve",
    "name_to_pinyin",
]
