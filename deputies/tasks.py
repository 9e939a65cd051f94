from celery import shared_task


@shared_task(name="deputies.tasks.deputy_statuses_refresh", acks_late=True)
def deputy_statuses_refresh(today: str | None = None) -> int:
    import datetime as dt

    from .services import deputy_statuses_refresh as refresh

    return refresh(today=dt.date.fromisoformat(today) if today else None)
