from celery import shared_task


@shared_task(name="scoring.tasks.ranking_recompute", acks_late=True, max_retries=3)
def ranking_recompute_task(district_id: int, year: int, quarter: int) -> dict:
    from congress.models import District

    from .services import dirty_periods_recompute, ranking_recompute, ranking_snapshots_purge

    snapshot = ranking_recompute(
        district=District.objects.get(pk=district_id), year=year, quarter=quarter
    )
    # Catch up with anything else marked meanwhile (e.g. later quarters' year to date).
    dirty_periods_recompute()
    ranking_snapshots_purge()
    return {"snapshot": snapshot.pk, "population": snapshot.population, "top_k": snapshot.top_k}


@shared_task(name="scoring.tasks.dirty_periods_recompute", acks_late=True)
def dirty_periods_recompute_task() -> int:
    from .services import dirty_periods_recompute, ranking_snapshots_purge, report_jobs_purge

    done = dirty_periods_recompute()
    ranking_snapshots_purge()
    report_jobs_purge()
    return done


@shared_task(name="scoring.tasks.current_quarters_recompute", acks_late=True)
def current_quarters_recompute_task() -> int:
    """Nightly: the current quarter of every district; on a quarter's first day also the
    quarter just closed."""
    import datetime as dt

    from django.utils import timezone

    from congress.models import District
    from congress.periods import Quarter

    from .services import ranking_recompute, ranking_snapshots_purge

    today = timezone.localdate()
    periods = [Quarter.containing(today)]
    if today == periods[0].start:
        periods.append(Quarter.containing(today - dt.timedelta(days=1)))
    done = 0
    for district in District.objects.all():
        for period in periods:
            ranking_recompute(district=district, year=period.year, quarter=period.number)
            done += 1
    ranking_snapshots_purge()
    return done


@shared_task(name="scoring.tasks.report_job", acks_late=True)
def report_job_task(job_id: str) -> str:
    """Write a quarterly report in the background (large rankings)."""
    from .services import report_job_run

    return str(report_job_run(job_id=job_id).status)
