"""Who may see what. Every scoped queryset and object rule starts from ``scope_of``.

A user's role assignments are read once per request object and cached on it, so a page
that checks permissions for every row of a list still makes one query for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import rules

ROLE_CACHE_ATTR = "_congress_scope"


@dataclass(frozen=True)
class Scope:
    is_authenticated: bool = False
    is_superuser: bool = False
    # District ids where the user is district staff.
    district_ids: frozenset[int] = field(default_factory=frozenset)
    # Street committee ids where the user is street staff.
    street_ids: frozenset[int] = field(default_factory=frozenset)
    # District ids where the user holds the deputy role.
    deputy_district_ids: frozenset[int] = field(default_factory=frozenset)
    handling_unit_district_ids: frozenset[int] = field(default_factory=frozenset)
    # Handling units the user works for.
    unit_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_district_staff(self) -> bool:
        return self.is_superuser or bool(self.district_ids)

    @property
    def is_street_staff(self) -> bool:
        return bool(self.street_ids)

    @property
    def is_staff_member(self) -> bool:
        return self.is_district_staff or self.is_street_staff

    @property
    def is_deputy(self) -> bool:
        return bool(self.deputy_district_ids)

    @property
    def is_handling_unit(self) -> bool:
        return bool(self.handling_unit_district_ids)


ANONYMOUS = Scope()


def scope_of(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, ROLE_CACHE_ATTR, None)
    if cached is not None:
        return cached
    from .models import RoleAssignment

    by_role: dict[str, set[int]] = {role: set() for role in RoleAssignment.Role.values}
    streets: set[int] = set()
    units: set[int] = set()
    for role, district_id, street_id, unit_id in RoleAssignment.objects.filter(
        user=user
    ).values_list("role", "district_id", "street_committee_id", "handling_unit_id"):
        if role == RoleAssignment.Role.STREET_STAFF:
            streets.add(street_id)
        else:
            by_role[role].add(district_id)
        if unit_id:
            units.add(unit_id)
    scope = Scope(
        is_authenticated=True,
        is_superuser=bool(user.is_superuser),
        district_ids=frozenset(by_role[RoleAssignment.Role.DISTRICT_STAFF]),
        street_ids=frozenset(streets),
        deputy_district_ids=frozenset(by_role[RoleAssignment.Role.DEPUTY]),
        handling_unit_district_ids=frozenset(by_role[RoleAssignment.Role.HANDLING_UNIT]),
        unit_ids=frozenset(units),
    )
    setattr(user, ROLE_CACHE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope, e.g. after changing a user's roles in the same request."""
    if hasattr(user, ROLE_CACHE_ATTR):
        delattr(user, ROLE_CACHE_ATTR)


@rules.predicate
def is_district_staff(user: Any) -> bool:
    return scope_of(user).is_district_staff


@rules.predicate
def is_street_staff(user: Any) -> bool:
    return scope_of(user).is_street_staff


@rules.predicate
def is_staff_member(user: Any) -> bool:
    return scope_of(user).is_staff_member


@rules.predicate
def is_deputy(user: Any) -> bool:
    return scope_of(user).is_deputy


@rules.predicate
def is_district_staff_of(user: Any, district_id: int | None) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or (district_id is not None and district_id in scope.district_ids)


@rules.predicate
def can_view_street(user: Any, street: Any) -> bool:
    scope = scope_of(user)
    if street is None:
        return False
    return (
        scope.is_superuser
        or street.district_id in scope.district_ids
        or street.id in scope.street_ids
    )


rules.add_perm("congress.view_dashboard", is_staff_member)
rules.add_perm("congress.view_streetcommittee", can_view_street)
