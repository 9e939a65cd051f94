"""Rule sets in the admin: a set that scored a published report is frozen; staff make a
new version, which copies its rules and marks the quarters it may change stale."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from congress.periods import Quarter
from congress.services import district_admin_grant
from scoring.models import DirtyPeriod, Rule, RuleSet
from scoring.services import (
    ranking_publish,
    ranking_recompute,
    rule_set_is_frozen,
    rule_set_new_version,
)

pytestmark = pytest.mark.django_db


def _admin(client, world):
    district_admin_grant(user=world.district_user)
    client.force_login(world.district_user)


def _current(world) -> tuple[Quarter, RuleSet]:
    quarter = Quarter.containing(timezone.localdate())
    ranking_recompute(district=world.district, year=quarter.year, quarter=quarter.number)
    rule_set = RuleSet.objects.in_force(district=world.district, on=quarter.start)
    assert rule_set is not None
    return quarter, rule_set


def test_an_unpublished_rule_set_can_be_edited(client, world):
    _quarter, rule_set = _current(world)
    _admin(client, world)
    url = reverse("admin:scoring_ruleset_change", args=[rule_set.pk])
    body = client.get(url).content.decode()
    assert 'name="_save"' in body
    assert not rule_set_is_frozen(rule_set)


def test_a_published_rule_set_is_read_only_and_says_what_to_do(client, world):
    quarter, rule_set = _current(world)
    ranking_publish(
        district=world.district, year=quarter.year, quarter=quarter.number, by=world.district_user
    )
    assert rule_set_is_frozen(rule_set)
    _admin(client, world)
    url = reverse("admin:scoring_ruleset_change", args=[rule_set.pk])
    body = client.get(url).content.decode()
    assert 'name="_save"' not in body
    assert "Make a new version" in body or "创建新版本" in body
    points = Rule.objects.get(rule_set=rule_set, indicator="training").points
    response = client.post(url, {"name": "改过", "version": rule_set.version})
    assert response.status_code == 403
    rule_set.refresh_from_db()
    assert rule_set.name != "改过"
    assert Rule.objects.get(rule_set=rule_set, indicator="training").points == points


def test_new_version_copies_the_rules_and_marks_later_quarters_stale(world):
    quarter, rule_set = _current(world)
    DirtyPeriod.objects.all().delete()
    created = rule_set_new_version(source=rule_set, effective_from=quarter.start)
    assert created.version == rule_set.version + 1
    assert created.district_id == rule_set.district_id
    assert sorted(created.rules.values_list("indicator", "points", "cap_per_quarter")) == sorted(
        rule_set.rules.values_list("indicator", "points", "cap_per_quarter")
    )
    assert DirtyPeriod.objects.filter(
        district=world.district, year=quarter.year, quarter=quarter.number
    ).exists()
    # The quarter is now scored with the new version, and its changes count.
    Rule.objects.filter(rule_set=created, indicator="training").update(points=Decimal("4"))
    snapshot = ranking_recompute(district=world.district, year=quarter.year, quarter=quarter.number)
    assert snapshot.rule_set == created


def test_the_admin_action_makes_the_new_version(client, world):
    _quarter, rule_set = _current(world)
    _admin(client, world)
    response = client.post(
        reverse("admin:scoring_ruleset_changelist"),
        {"action": "new_version", "_selected_action": [rule_set.pk]},
        follow=True,
    )
    assert response.status_code == 200
    created = RuleSet.objects.get(district=rule_set.district, version=rule_set.version + 1)
    assert created.effective_from == timezone.localdate()
    assert created.rules.count() == rule_set.rules.count()
