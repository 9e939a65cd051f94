from celery import shared_task


@shared_task(name="deputies.tasks.deputy_statuses_refresh", acks_late=True)
def deputy_statuses_refresh(today: str | None = None) -> int:
    import datetime as dt

    from .services import deputy_statuses_refresh as refresh

    return refresh(today=dt.date.fromisoformat(today) if today else None)


@shared_task(name="deputies.tasks.duty_photos_purge_orphans", acks_late=True)
def duty_photos_purge_orphans(older_than_hours: int = 48) -> int:
    import datetime as dt

    from .services import duty_photos_purge_orphans as purge

    return purge(older_than=dt.timedelta(hours=older_than_hours))
