"""Liaison stations: 人大代表之家, 代表联络站, 代表联系点."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.models import Community, StreetCommittee, TimeStampedModel
from congress.permissions import scope_of

# Lower-case letters and digits without look-alikes: printed on posters, typed by hand.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def new_public_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class StationQuerySet(models.QuerySet["LiaisonStation"]):
    def visible_to(self, user: Any) -> StationQuerySet:
        scope = scope_of(user)
        if scope.is_superuser:
            return self.all()
        if not scope.is_staff_member:
            return self.none()
        return self.filter(
            Q(street_committee__district_id__in=scope.district_ids)
            | Q(street_committee_id__in=scope.street_ids)
        )


class LiaisonStation(TimeStampedModel):
    class Kind(models.TextChoices):
        HOME = "home", _("Deputies' home")
        STATION = "station", _("Liaison station")
        POINT = "point", _("Contact point")

    # The "eight haves" (八有) most provinces use to judge a station.
    STANDARDS = [
        ("venue", _("A fixed venue")),
        ("sign", _("A sign at the door")),
        ("rules", _("Written working rules")),
        ("staff", _("Assigned staff")),
        ("schedule", _("A published activity schedule")),
        ("records", _("Records of every reception")),
        ("funds", _("Funding")),
        ("results", _("Visible results")),
    ]

    street_committee = models.ForeignKey(
        StreetCommittee,
        on_delete=models.PROTECT,
        related_name="stations",
        verbose_name=_("street committee"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stations",
        verbose_name=_("community"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.CharField(
        _("opening hours"), max_length=200, blank=True, help_text=_("e.g. 每周四 9:00–11:30")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    standards = models.JSONField(_("standards met"), default=list, blank=True)
    public_code = models.CharField(
        _("public code"), max_length=16, unique=True, default=new_public_code, editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("liaison station")
        verbose_name_plural = _("liaison stations")
        ordering = ["street_committee", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["street_committee", "name"], name="station_unique_name_per_street"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def standards_met(self) -> list[tuple[str, Any, bool]]:
        chosen = set(self.standards or [])
        return [(key, label, key in chosen) for key, label in self.STANDARDS]
