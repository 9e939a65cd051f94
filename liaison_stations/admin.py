from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, Attendance, LiaisonStation, Opinion, ReceptionShift


@admin.register(LiaisonStation)
class LiaisonStationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "street_committee", "community", "opening_hours", "is_active"]
    list_filter = ["kind", "is_active", "street_committee"]
    search_fields = ["name", "address", "public_code"]
    list_select_related = ["street_committee", "community"]
    readonly_fields = ["public_code"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["deputy", "status", "leave", "leave_reason", "leave_decided_by"]
    readonly_fields = ["leave_decided_by"]
    autocomplete_fields = ["deputy"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["starts_at", "kind", "theme", "street_committee", "station", "status"]
    list_filter = ["kind", "status", "street_committee", "district"]
    search_fields = ["theme", "place", "station__name"]
    list_select_related = ["street_committee", "station"]
    date_hierarchy = "starts_at"
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "deputy", "status", "leave", "leave_reason"]
    list_filter = ["status", "leave", "activity__kind"]
    search_fields = ["deputy__name", "leave_reason"]
    list_select_related = ["activity", "deputy"]
    autocomplete_fields = ["deputy"]


@admin.register(ReceptionShift)
class ReceptionShiftAdmin(admin.ModelAdmin):
    list_display = ["date", "period", "station", "deputy"]
    list_filter = ["period", "station__street_committee"]
    search_fields = ["deputy__name", "station__name"]
    list_select_related = ["station", "deputy"]
    date_hierarchy = "date"
    autocomplete_fields = ["deputy"]


@admin.register(Opinion)
class OpinionAdmin(SimpleHistoryAdmin):
    list_display = [
        "tracking_code",
        "received_on",
        "category",
        "source",
        "street_committee",
        "status",
        "reply_deadline",
        "rating",
    ]
    list_filter = ["status", "category", "source", "street_committee", "rating"]
    search_fields = ["tracking_code", "content", "reply"]
    list_select_related = ["street_committee"]
    date_hierarchy = "received_on"
    readonly_fields = ["tracking_code"]
    raw_id_fields = [
        "station",
        "community",
        "activity",
        "recorded_by_deputy",
        "assigned_deputy",
        "assigned_unit",
        "recorded_by",
        "replied_by",
    ]
