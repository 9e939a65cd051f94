"""Writes on the institution."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

# Apps whose every model district administrators manage in the admin site.
ADMINISTERED_APPS = ("congress", "deputies", "liaison_stations", "proposals", "scoring", "axes")
DISTRICT_ADMIN_GROUP = "district_admins"


@transaction.atomic
def district_admin_group_sync() -> Group:
    """Give the district administrators' group every permission of the product's apps.

    Idempotent; run after each migrate so permissions of new models are included.
    """
    group, _created = Group.objects.get_or_create(name=DISTRICT_ADMIN_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=ADMINISTERED_APPS))
    return group


@transaction.atomic
def district_admin_grant(*, user: object) -> None:
    """Let a district staff user manage the product's data in the admin site."""
    from .models import User

    assert isinstance(user, User)
    group = district_admin_group_sync()
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
