import datetime as dt
from decimal import Decimal

from django.db import migrations

# DESIGN.md §3: indicator, points, cap per quarter.
DEFAULT_RULES = [
    ("session_half_day", "2", None),
    ("weekly_visit", "3", "39"),
    ("contact_day", "3", "9"),
    ("station_reception", "3", None),
    ("inspection", "3", None),
    ("training", "2", None),
    ("report_to_voters", "5", None),
    ("opinion", "1", "10"),
    ("proposal_lead", "5", None),
    ("proposal_cosign", "1", None),
    ("proposal_excellent", "10", None),
    ("research_report", "5", None),
    ("research_report_excellent", "10", None),
    ("other", "1", None),
    ("unexcused_absence", "-2", None),
]


def install(apps, schema_editor):
    RuleSet = apps.get_model("scoring", "RuleSet")
    Rule = apps.get_model("scoring", "Rule")
    rule_set, _created = RuleSet.objects.get_or_create(
        district=None,
        version=1,
        defaults={
            "name": "默认履职积分规则",
            "effective_from": dt.date(2000, 1, 1),
            "top_fraction": Decimal("0.150"),
            "ranked_levels": ["district"],
            "star_thresholds": [20, 40, 60, 80, 100],
        },
    )
    for indicator, points, cap in DEFAULT_RULES:
        Rule.objects.update_or_create(
            rule_set=rule_set,
            indicator=indicator,
            defaults={"points": Decimal(points), "cap_per_quarter": Decimal(cap) if cap else None},
        )


def uninstall(apps, schema_editor):
    apps.get_model("scoring", "RuleSet").objects.filter(district=None, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_rules_ledger_and_rankings")]

    operations = [migrations.RunPython(install, uninstall)]
