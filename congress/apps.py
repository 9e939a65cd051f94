from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("Institution")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers rules)
