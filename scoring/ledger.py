"""The points ledger: the calculators' entries with their rule applied.

The ledger is derived, never stored. The same SQL serves both readers:
- :func:`ledger_entries` lists one deputy's entries of a quarter, each naming its source
  object and the rule set it was scored with (a deputy's points page: a few dozen rows);
- :func:`per_indicator_sql` aggregates every deputy's entries per indicator, caps applied
  (the ranking: one set-based statement over the sources, never a Python loop).

Because both come from the registered calculators' querysets, every point a ranking shows
is the sum of entries a person can open, and a past quarter recomputes to the same numbers
as long as its sources and its rule set (chosen by the quarter's first day) are unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection

from congress.indicators import Indicator
from congress.models import District
from congress.periods import Quarter

from .calculators import COLUMNS, REGISTRY, Context, Source
from .models import Rule, RuleSet


def _sources_sql(ctx: Context) -> tuple[str, list[Any]]:
    """The UNION ALL of every calculator's entry rows."""
    parts: list[str] = []
    params: list[Any] = []
    for calculator in REGISTRY.values():
        sql, p = calculator(ctx).query.sql_with_params()
        columns = ", ".join(f"c.{column}" for column in COLUMNS)
        parts.append(f"SELECT {columns} FROM ({sql}) c")
        params.extend(p)
    return " UNION ALL ".join(parts), params


_ENTRIES_SQL = """
    SELECT s.e_deputy, s.e_date, s.e_indicator, COALESCE(s.e_amount, r.points) AS points,
           s.e_source_type, s.e_source_id
    FROM ({sources}) s
    LEFT JOIN {rule} r ON r.rule_set_id = %s AND r.indicator = s.e_indicator
    WHERE s.e_amount IS NOT NULL OR r.points IS NOT NULL
"""

# Per deputy and indicator: the rule's points times the entries that score it, plus the
# entries with their own amounts; positive points capped per quarter, negative ones never.
_PER_INDICATOR_SQL = """
    SELECT g.deputy_id, g.indicator,
           CASE WHEN r.cap_per_quarter IS NOT NULL
                     AND g.pos + (CASE WHEN r.points > 0 THEN g.n * r.points ELSE 0 END)
                         > r.cap_per_quarter
                THEN r.cap_per_quarter
                ELSE g.pos + (CASE WHEN r.points > 0 THEN g.n * r.points ELSE 0 END)
           END
           + g.neg + (CASE WHEN r.points < 0 THEN g.n * r.points ELSE 0 END) AS pts
    FROM (
        SELECT s.e_deputy AS deputy_id, s.e_indicator AS indicator,
               SUM(CASE WHEN s.e_amount IS NULL THEN 1 ELSE 0 END) AS n,
               SUM(CASE WHEN s.e_amount > 0 THEN s.e_amount ELSE 0 END) AS pos,
               SUM(CASE WHEN s.e_amount < 0 THEN s.e_amount ELSE 0 END) AS neg,
               SUM(CASE WHEN s.e_amount IS NULL THEN 0 ELSE 1 END) AS own
        FROM ({sources}) s
        GROUP BY s.e_deputy, s.e_indicator
    ) g
    LEFT JOIN {rule} r ON r.rule_set_id = %s AND r.indicator = g.indicator
    WHERE g.own > 0 OR r.points IS NOT NULL
"""


def per_indicator_sql(
    *, district: District, quarter: Quarter, rule_set: RuleSet
) -> tuple[str, list[Any]]:
    """SQL of ``(deputy_id, indicator, pts)``: every deputy's capped points per indicator."""
    ctx = Context(district=district, quarter=quarter, rule_set=rule_set)
    sources, params = _sources_sql(ctx)
    sql = _PER_INDICATOR_SQL.format(sources=sources, rule=Rule._meta.db_table)
    return sql, [*params, rule_set.pk]


@dataclass(frozen=True)
class ScoreEntry:
    """One line of the ledger: so many points for a deputy, from a named source, under a
    rule set."""

    deputy_id: int
    date: dt.date
    indicator: str
    points: Decimal
    source_type: str
    source_id: int
    rule_set: RuleSet

    def get_indicator_display(self) -> str:
        return str(dict(Indicator.choices).get(self.indicator, self.indicator))

    def get_source_type_display(self) -> str:
        return str(dict(Source.choices).get(self.source_type, self.source_type))


def ledger_entries(
    *, district: District, quarter: Quarter, rule_set: RuleSet, deputy_id: int
) -> list[ScoreEntry]:
    """One deputy's entries of a quarter, by date. One query."""
    ctx = Context(district=district, quarter=quarter, rule_set=rule_set, deputy_id=deputy_id)
    sources, params = _sources_sql(ctx)
    sql = _ENTRIES_SQL.format(sources=sources, rule=Rule._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"{sql} ORDER BY 2, 3, 5, 6",  # date, indicator, source
            [*params, rule_set.pk],
        )
        rows = cursor.fetchall()
    return [
        ScoreEntry(
            deputy_id=deputy,
            date=day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)),
            indicator=indicator,
            points=Decimal(str(points)).quantize(Decimal("0.01")),
            source_type=source_type,
            source_id=int(source_id),
            rule_set=rule_set,
        )
        for deputy, day, indicator, points, source_type, source_id in rows
    ]
