from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Community,
    CongressSession,
    District,
    HandlingUnit,
    RoleAssignment,
    StreetCommittee,
    StreetCommitteePost,
    Term,
    User,
)

admin.site.site_header = _("Deputies' Duty Service Platform")
admin.site.site_title = _("Deputies' Duty Service Platform")
admin.site.index_title = _("Administration")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "committee_name"]
    search_fields = ["code", "name", "committee_name"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "number", "start_date", "end_date"]
    list_filter = ["district"]
    search_fields = ["name"]


class CommunityInline(admin.TabularInline):
    model = Community
    extra = 0
    fields = ["code", "name", "sort_order"]


class StreetCommitteePostInline(admin.TabularInline):
    model = StreetCommitteePost
    extra = 0
    fields = ["post", "person_name", "user", "is_part_time", "start_date", "end_date"]
    autocomplete_fields = ["user"]


@admin.register(StreetCommittee)
class StreetCommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "district", "phone", "sort_order", "is_active"]
    list_filter = ["district", "is_active"]
    search_fields = ["name", "code", "address"]
    list_editable = ["sort_order"]
    inlines = [StreetCommitteePostInline, CommunityInline]


@admin.register(StreetCommitteePost)
class StreetCommitteePostAdmin(SimpleHistoryAdmin):
    list_display = [
        "person_name",
        "post",
        "street_committee",
        "is_part_time",
        "start_date",
        "end_date",
    ]
    list_filter = ["post", "is_part_time", "street_committee"]
    search_fields = ["person_name", "street_committee__name"]
    autocomplete_fields = ["user"]
    list_select_related = ["street_committee"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "street_committee", "sort_order"]
    list_filter = ["street_committee__district", "street_committee"]
    search_fields = ["name", "code", "street_committee__name"]
    list_select_related = ["street_committee"]


@admin.register(CongressSession)
class CongressSessionAdmin(admin.ModelAdmin):
    list_display = ["name", "term", "number", "start_date", "end_date", "half_days"]
    list_filter = ["term"]
    search_fields = ["name"]
    date_hierarchy = "start_date"


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ["role", "district", "street_committee", "title", "handling_unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "phone", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "roles__role"]
    search_fields = ["username", "full_name", "phone", "email"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Profile"), {"fields": ("full_name", "phone")}),
    )
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "district", "street_committee", "title", "created_at"]
    list_filter = ["role", "district", "street_committee"]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user", "district", "street_committee"]
    autocomplete_fields = ["user"]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "short_name",
        "district",
        "contact_person",
        "contact_phone",
        "is_active",
    ]
    list_filter = ["district", "is_active"]
    search_fields = ["name", "short_name", "contact_person"]
