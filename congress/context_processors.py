from typing import Any

from django.http import HttpRequest

from .permissions import scope_of


def roles(request: HttpRequest) -> dict[str, Any]:
    """Expose the user's scope to templates; one cached query per request at most."""
    user = getattr(request, "user", None)
    return {"scope": scope_of(user)}
