from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import Deputy, DutyPhoto, DutyRecord, DutyType, StreetMembership
from .services import name_to_pinyin


class StreetMembershipInline(admin.TabularInline):
    model = StreetMembership
    extra = 0
    fields = ["street_committee", "start_date", "end_date"]


@admin.register(Deputy)
class DeputyAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "level",
        "gender",
        "district",
        "term",
        "constituency",
        "sector",
        "status",
        "elected_on",
        "left_on",
    ]
    list_filter = [
        "level",
        "status",
        "gender",
        "party",
        "district",
        "term",
        "memberships__street_committee",
    ]
    search_fields = ["name", "name_pinyin", "constituency", "occupation", "phone"]
    list_select_related = ["district", "term"]
    autocomplete_fields = ["user"]
    date_hierarchy = "elected_on"
    inlines = [StreetMembershipInline]

    def save_model(self, request: HttpRequest, obj: Deputy, form: Any, change: bool) -> None:
        # The admin edits rows directly; keep the pinyin sort key in step with the name.
        obj.name_pinyin = name_to_pinyin(obj.name)
        super().save_model(request, obj, form, change)


@admin.register(StreetMembership)
class StreetMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["deputy", "street_committee", "start_date", "end_date"]
    list_filter = ["street_committee"]
    search_fields = ["deputy__name", "street_committee__name"]
    list_select_related = ["deputy", "street_committee"]
    autocomplete_fields = ["deputy"]


@admin.register(DutyType)
class DutyTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "indicator", "sort_order", "is_active"]
    list_filter = ["indicator", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "name_en", "code"]


class DutyPhotoInline(admin.TabularInline):
    model = DutyPhoto
    extra = 0
    fields = ["image", "width", "height", "position"]
    readonly_fields = ["image", "width", "height"]


@admin.register(DutyRecord)
class DutyRecordAdmin(SimpleHistoryAdmin):
    list_display = [
        "date",
        "deputy",
        "duty_type",
        "status",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
    ]
    list_filter = ["status", "duty_type", "deputy__level", "deputy__memberships__street_committee"]
    search_fields = ["deputy__name", "deputy__name_pinyin", "description", "place"]
    list_select_related = ["deputy", "duty_type", "reviewed_by"]
    autocomplete_fields = ["deputy"]
    date_hierarchy = "date"
    readonly_fields = ["client_token", "submitted_at", "reviewed_at", "reviewed_by"]
    inlines = [DutyPhotoInline]
