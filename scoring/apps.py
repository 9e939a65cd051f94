from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Performance points")

    def ready(self) -> None:
        from congress.points import on_points_changed

        from .services import period_mark_dirty

        on_points_changed(
            lambda district_id, day: period_mark_dirty(district_id=district_id, day=day)
        )
