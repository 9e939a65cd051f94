"""Writes of the scoring app."""

from .ranking import (
    dirty_periods_recompute,
    period_mark_dirty,
    ranked_population,
    ranking_publish,
    ranking_recompute,
    ranking_snapshots_purge,
    rule_set_for,
    rule_set_is_frozen,
    rule_set_new_version,
    rule_sets_mark_dirty,
    score_adjustment_create,
)
from .reports import report_job_run, report_job_start, report_jobs_purge

__all__ = [
    "dirty_periods_recompute",
    "period_mark_dirty",
    "ranked_population",
    "ranking_publish",
    "ranking_recompute",
    "ranking_snapshots_purge",
    "report_job_run",
    "report_job_start",
    "report_jobs_purge",
    "rule_set_for",
    "rule_set_is_frozen",
    "rule_set_new_version",
    "rule_sets_mark_dirty",
    "score_adjustment_create",
]
