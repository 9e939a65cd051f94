from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import Deputy, StreetMembership
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
