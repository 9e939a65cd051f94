from __future__ import annotations

from typing import Any

import rules

from congress.permissions import scope_of


@rules.predicate
def is_self(user: Any, deputy: Any) -> bool:
    return deputy is not None and user.is_authenticated and deputy.user_id == user.pk


@rules.predicate
def is_district_staff_of_deputy(user: Any, deputy: Any) -> bool:
    scope = scope_of(user)
    return deputy is not None and (scope.is_superuser or deputy.district_id in scope.district_ids)


can_see_full_phone = is_self | is_district_staff_of_deputy

rules.add_perm("deputies.view_full_phone", can_see_full_phone)
rules.add_perm("deputies.change_deputy_record", is_district_staff_of_deputy)


def phone_for(user: Any, deputy: Any) -> str:
    """The phone number as this user may see it: masked unless district staff or self."""
    if not deputy.phone:
        return ""
    return deputy.phone if can_see_full_phone(user, deputy) else deputy.masked_phone
