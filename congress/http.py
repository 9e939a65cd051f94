"""Small request helpers shared by the apps' views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_next(
    request: HttpRequest, fallback: str, *args: Any, **kwargs: Any
) -> HttpResponseRedirect:
    """Go back to the page named in POST ``next`` if it is on this site, else to ``fallback``."""
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(nxt)
    return redirect(fallback, *args, **kwargs)
