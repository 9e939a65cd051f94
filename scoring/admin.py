from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import RankingSnapshot, Rule, RuleSet, ScoreAdjustment


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ["indicator", "points", "cap_per_quarter"]


@admin.register(RuleSet)
class RuleSetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "version", "district", "effective_from", "top_fraction"]
    list_filter = ["district"]
    search_fields = ["name"]
    inlines = [RuleInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # A rule change moves points: every quarter scored with this set is stale now.
        from django.utils import timezone

        from .models import DirtyPeriod

        rule_set = form.instance
        snapshots = RankingSnapshot.objects.filter(
            rule_set=rule_set, status=RankingSnapshot.Status.LIVE
        ).values_list("district_id", "year", "quarter")
        for district_id, year, quarter in snapshots:
            DirtyPeriod.objects.update_or_create(
                district_id=district_id,
                year=year,
                quarter=quarter,
                defaults={"marked_at": timezone.now()},
            )


@admin.register(ScoreAdjustment)
class ScoreAdjustmentAdmin(SimpleHistoryAdmin):
    list_display = ["date", "deputy", "points", "reason", "created_by", "created_at"]
    search_fields = ["deputy__name", "reason"]
    list_select_related = ["deputy", "created_by"]
    date_hierarchy = "date"
    autocomplete_fields = ["deputy"]
    readonly_fields = ["created_by"]

    def save_model(
        self, request: HttpRequest, obj: ScoreAdjustment, form: Any, change: bool
    ) -> None:
        if not obj.created_by_id:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        from .services import period_mark_dirty

        period_mark_dirty(district_id=obj.deputy.district_id, day=obj.date)


@admin.register(RankingSnapshot)
class RankingSnapshotAdmin(admin.ModelAdmin):
    list_display = [
        "district",
        "year",
        "quarter",
        "status",
        "version",
        "population",
        "top_k",
        "computed_at",
        "published_at",
    ]
    list_filter = ["status", "district", "year"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
