"""Excel exports, written with openpyxl in write-only mode so memory stays flat."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import DutyRecord

HEADER_FILL = PatternFill("solid", fgColor="A51C1C")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14)


def duty_records_workbook(records: Iterable[DutyRecord], *, title: str) -> IO[bytes]:
    """A workbook of duty records in a temporary file, positioned at its start."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Duty records"))
    headers = [
        (_("Date"), 12),
        (_("Deputy"), 10),
        (_("Level"), 14),
        (_("Street"), 14),
        (_("Duty type"), 18),
        (_("Place"), 24),
        (_("What was done"), 60),
        (_("Status"), 10),
        (_("Reason for return"), 30),
        (_("Submitted at"), 18),
        (_("Reviewed by"), 12),
        (_("Reviewed at"), 18),
        (_("Photos"), 8),
    ]
    for index, (_label, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A3"
    title_cell = WriteOnlyCell(ws, value=title)
    title_cell.font = TITLE_FONT
    ws.append([title_cell])
    header_cells = []
    for label, _width in headers:
        cell = WriteOnlyCell(ws, value=label)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(horizontal="center")
        header_cells.append(cell)
    ws.append(header_cells)
    rows = 0
    local = timezone.localtime
    for r in records:
        ws.append(
            [
                r.date,
                r.deputy.name,
                r.deputy.get_level_display(),
                getattr(r, "street_name", "") or "",
                r.duty_type.label,
                r.place,
                r.description,
                r.get_status_display(),
                r.return_reason,
                local(r.submitted_at).replace(tzinfo=None),
                str(r.reviewed_by) if r.reviewed_by else "",
                local(r.reviewed_at).replace(tzinfo=None) if r.reviewed_at else None,
                len(r.photos.all()),
            ]
        )
        rows += 1
    ws.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{rows + 2}"
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    wb.save(out)
    out.seek(0)
    return out
