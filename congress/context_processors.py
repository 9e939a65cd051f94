from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import District
from .permissions import scope_of


def _district_for(user: Any) -> District | None:
    """The user's own district (a deployment may host several); else the first one."""
    if user is not None and user.is_authenticated:
        own = District.objects.filter(role_assignments__user=user).order_by("code").first()
        if own is not None:
            return own
    return District.objects.order_by("code").first()


def roles(request: HttpRequest) -> dict[str, Any]:
    """Expose the user's scope and the deployment's district to templates.

    Both are lazy: the scope is cached on the user (one query per request at most) and the
    district is only read by templates that show it.
    """
    user = getattr(request, "user", None)
    return {
        "scope": SimpleLazyObject(lambda: scope_of(user)),
        "site_district": SimpleLazyObject(lambda: _district_for(user)),
    }
