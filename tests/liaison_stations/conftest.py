from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from congress.models import HandlingUnit, RoleAssignment
from liaison_stations.models import Activity, LiaisonStation
from liaison_stations.services import activity_create, station_save
from tests.factories import UserFactory


@dataclass
class Stations:
    a: LiaisonStation
    b: LiaisonStation
    unit: HandlingUnit
    other_unit: HandlingUnit
    unit_user: object


@pytest.fixture
def stations(world) -> Stations:
    a = station_save(
        street_committee=world.street_a, kind="station", name="钮家巷联络站", address="钮家巷1号"
    )
    b = station_save(
        street_committee=world.street_b, kind="home", name="沧浪人大代表之家", address="书院巷2号"
    )
    unit = HandlingUnit.objects.create(district=world.district, name="区住房和城乡建设局")
    other = HandlingUnit.objects.create(district=world.district, name="区城市管理局")
    user = UserFactory.create(username="unit_user")
    RoleAssignment.objects.create(
        user=user, role="handling_unit", district=world.district, handling_unit=unit
    )
    return Stations(a=a, b=b, unit=unit, other_unit=other, unit_user=user)


def make_activity(world, station, *, days: float = 2, deputies=None, street=None) -> Activity:
    starts = timezone.now() + dt.timedelta(days=days)
    return activity_create(
        district=world.district,
        street_committee=street or station.street_committee,
        station=station,
        kind=Activity.Kind.WEEKLY_VISIT,
        theme="老旧小区加装电梯",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        deputies=deputies if deputies is not None else [world.deputy_a],
    )
