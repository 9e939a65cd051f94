"""Property-based checks of the ranking on random ledgers (Hypothesis)."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congress.periods import Quarter
from deputies.models import Deputy, DutyRecord, DutyType
from scoring.models import RankingRow, Rule, RuleSet, StreetAverage
from scoring.services import ranking_recompute
from tests.factories import make_deputy

pytestmark = pytest.mark.django_db

Q = Quarter(2026, 3)
CODES = ["weekly_visit", "contact_day", "training", "opinion", "report_to_voters", "other"]

deputy_plans = st.lists(
    st.tuples(
        st.integers(0, 2),  # street index
        st.sampled_from(["district", "district", "district", "city", "street"]),
        st.lists(st.tuples(st.sampled_from(CODES), st.integers(0, 91)), max_size=18),
    ),
    min_size=1,
    max_size=22,
)


def _competition_ranks(totals: list[Decimal]) -> list[int]:
    ordered = sorted(totals, reverse=True)
    return [ordered.index(t) + 1 for t in totals]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plans=deputy_plans)
def test_random_ledgers_rank_exactly_as_the_rules_say(world, plans):
    with transaction.atomic():
        streets = [world.street_a, world.street_b, world.street_a]
        types = {t.code: t for t in DutyType.objects.all()}
        rule_set = RuleSet.objects.in_force(district=world.district, on=Q.start)
        rules = {r.indicator: r for r in Rule.objects.filter(rule_set=rule_set)}
        expected: dict[int, Decimal] = {}
        records = []
        for street_index, level, acts in plans:
            deputy = make_deputy(street=streets[street_index], level=level)
            per_indicator: dict[str, Decimal] = defaultdict(Decimal)
            for code, offset in acts:
                duty_type = types[code]
                records.append(
                    DutyRecord(
                        deputy=deputy,
                        duty_type=duty_type,
                        date=Q.start + dt.timedelta(days=offset),
                        description="随机生成的履职记录",
                        status=DutyRecord.Status.APPROVED,
                        client_token=uuid.uuid4(),
                    )
                )
                per_indicator[duty_type.indicator] += rules[duty_type.indicator].points
            if level == "district":
                expected[deputy.pk] = sum(
                    (
                        min(v, rules[k].cap_per_quarter)
                        if rules[k].cap_per_quarter is not None
                        else v
                        for k, v in per_indicator.items()
                    ),
                    Decimal(0),
                )
        DutyRecord.objects.bulk_create(records)
        # The fixture's own deputies are district deputies with nothing logged.
        for deputy in Deputy.objects.filter(district=world.district, level="district"):
            expected.setdefault(deputy.pk, Decimal(0))

        snapshot = ranking_recompute(district=world.district, year=Q.year, quarter=Q.number)
        rows = list(RankingRow.objects.filter(snapshot=snapshot))

        # The ranked population is exactly the district deputies.
        assert {r.deputy_id for r in rows} == set(expected)
        # Totals equal the capped sums computed here from the raw records.
        assert {r.deputy_id: r.total for r in rows} == expected
        # Ranks are competition ranks of the totals.
        assert [r.rank for r in rows] == _competition_ranks([r.total for r in rows])
        # The top set is rank <= ceil(0.15 N) with a positive total.
        k = math.ceil(Decimal("0.15") * len(rows))
        assert snapshot.top_k == k
        assert {r.deputy_id for r in rows if r.is_top} == {
            r.deputy_id for r in rows if r.rank <= k and r.total > 0
        }
        # The breakdown columns sum to the total, and no capped indicator exceeds its cap.
        for r in rows:
            assert sum(r.breakdown.values(), Decimal(0)) == r.total
            for indicator, points in r.breakdown.items():
                cap = rules[indicator].cap_per_quarter
                assert cap is None or points <= cap
        # Street averages are the rounded means of their rows.
        for avg in StreetAverage.objects.filter(snapshot=snapshot):
            members = [r.total for r in rows if r.street_committee_id == avg.street_committee_id]
            mean = (sum(members, Decimal(0)) / len(members)).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
            assert avg.average == mean
            assert avg.deputies == len(members)
            assert avg.too_small == (len(members) < 3)
        # A second recompute gives the same rows.
        again = ranking_recompute(district=world.district, year=Q.year, quarter=Q.number)
        assert sorted(
            RankingRow.objects.filter(snapshot=again).values_list(
                "deputy_id", "total", "rank", "is_top", "stars"
            )
        ) == sorted((r.deputy_id, r.total, r.rank, r.is_top, r.stars) for r in rows)
        transaction.set_rollback(True)
