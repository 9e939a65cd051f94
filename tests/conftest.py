from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

import pytest
from django.conf import settings

from congress.models import District, StreetCommittee, Term, User
from deputies.models import Deputy
from tests.factories import (
    DistrictFactory,
    StreetCommitteeFactory,
    TermFactory,
    district_staff,
    make_deputy,
    street_staff,
)

CHROMIUM = "/usr/bin/chromium"


def _using_postgres_and_redis() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql") and bool(
        settings.CELERY_BROKER_URL
    )


@pytest.fixture(autouse=True)
def _machinery_required(request: pytest.FixtureRequest) -> None:
    """Integration and browser tests skip where their machinery is missing, unless CI says
    it must be there (REQUIRE_INTEGRATION=1 / REQUIRE_BROWSER=1): then they fail."""
    keywords = request.node.keywords
    if "integration" in keywords and not _using_postgres_and_redis():
        reason = "needs DATABASE_URL=postgresql://... and CELERY_BROKER_URL=redis://..."
        if os.environ.get("REQUIRE_INTEGRATION") == "1":
            pytest.fail(f"REQUIRE_INTEGRATION=1 but this run {reason}")
        pytest.skip(reason)
    if "browser" in keywords and shutil.which(CHROMIUM) is None:
        reason = f"needs Chromium at {CHROMIUM} (Debian package chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but this run {reason}")
        pytest.skip(reason)


@dataclass
class World:
    """Two streets in one district and a second district, with a deputy in each place."""

    district: District
    term: Term
    street_a: StreetCommittee
    street_b: StreetCommittee
    other_district: District
    other_street: StreetCommittee
    deputy_a: Deputy
    deputy_b: Deputy
    deputy_other: Deputy
    district_user: User
    street_a_user: User
    street_b_user: User
    other_district_user: User


@pytest.fixture
def world(db: None) -> World:
    district = DistrictFactory.create(code="320508", name="姑苏区")
    term = TermFactory.create(district=district)
    street_a = StreetCommitteeFactory.create(district=district, name="平江街道")
    street_b = StreetCommitteeFactory.create(district=district, name="沧浪街道")
    other_district = DistrictFactory.create(code="320505", name="虎丘区")
    TermFactory.create(district=other_district)
    other_street = StreetCommitteeFactory.create(district=other_district, name="狮山街道")
    return World(
        district=district,
        term=term,
        street_a=street_a,
        street_b=street_b,
        other_district=other_district,
        other_street=other_street,
        deputy_a=make_deputy(street=street_a, name="张三", phone="13812348000", with_user=True),
        deputy_b=make_deputy(street=street_b, name="李四", phone="13912349000", with_user=True),
        deputy_other=make_deputy(street=other_street, name="王五", phone="13712347000"),
        district_user=district_staff(district, username="district"),
        street_a_user=street_staff(street_a, username="street_a"),
        street_b_user=street_staff(street_b, username="street_b"),
        other_district_user=district_staff(other_district, username="other_district"),
    )


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Transactional tests flush the database after each test, taking the rows that data
    migrations installed (duty types, the default rule set) with it: put them back."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    for module, function in (
        ("deputies.migrations.0003_default_duty_types", "add_duty_types"),
        ("scoring.migrations.0002_default_rule_set", "install"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)
