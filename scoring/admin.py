from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from .models import RankingSnapshot, Rule, RuleSet, ScoreAdjustment
from .services import rule_set_is_frozen, rule_set_new_version, rule_sets_mark_dirty


def _frozen(rule_set: RuleSet | None) -> bool:
    return rule_set is not None and rule_set.pk is not None and rule_set_is_frozen(rule_set)


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ["indicator", "points", "cap_per_quarter"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(RuleSet)
class RuleSetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "version", "district", "effective_from", "top_fraction", "frozen"]
    list_filter = ["district"]
    search_fields = ["name"]
    inlines = [RuleInline]
    actions = ["new_version"]

    @admin.display(boolean=True, description=_("Used by a published report"))
    def frozen(self, obj: RuleSet) -> bool:
        return rule_set_is_frozen(obj)

    # A set that scored a published report (通报) is frozen: changing it would change what
    # that report says its rules were. Staff make a new version instead.
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        rule_set = self.get_object(request, object_id)
        if _frozen(rule_set) and request.method == "GET":
            messages.warning(
                request,
                _(
                    "This rule set scored a published report and can no longer be changed. "
                    "To change the rules, select it in the list and choose "
                    "“Make a new version”."
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Make a new version"))
    def new_version(self, request: HttpRequest, queryset: Any) -> None:
        for rule_set in queryset:
            created = rule_set_new_version(source=rule_set, effective_from=timezone.localdate())
            messages.success(
                request,
                _("Made %(new)s, in force from %(day)s; edit its rules now.")
                % {"new": created, "day": created.effective_from},
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # A rule change moves points: every quarter this set scores, or may now score, is
        # stale.
        rule_sets_mark_dirty(rule_set=form.instance)


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
