from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("Institution")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import permissions  # noqa: F401  (registers rules)

        post_migrate.connect(_sync_admin_group, dispatch_uid="congress.sync_admin_group")


def _sync_admin_group(sender: AppConfig, **kwargs: object) -> None:
    # Permissions are created per app on post_migrate; keep the group in step with them.
    from .services import ADMINISTERED_APPS, district_admin_group_sync

    if sender.label in ADMINISTERED_APPS:
        district_admin_group_sync()
