from celery import shared_task


@shared_task(name="liaison_stations.tasks.opinions_remind_overdue", acks_late=True)
def opinions_remind_overdue() -> int:
    from .services import opinions_remind_overdue as remind

    return remind()
