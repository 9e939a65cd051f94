from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import LiaisonStation


@transaction.atomic
def station_save(*, station: LiaisonStation | None = None, **fields: Any) -> LiaisonStation:
    """Create a station, or update one with the given fields."""
    station = station or LiaisonStation()
    for name, value in fields.items():
        setattr(station, name, value)
    valid = {key for key, _label in LiaisonStation.STANDARDS}
    unknown = set(station.standards or []) - valid
    if unknown:
        raise ValidationError(
            {"standards": _("Unknown standard: %(k)s") % {"k": ", ".join(unknown)}}
        )
    community = station.community if station.community_id else None
    if community is not None and community.street_committee_id != station.street_committee_id:
        raise ValidationError({"community": _("The community is in another street.")})
    station.full_clean()
    station.save()
    return station
