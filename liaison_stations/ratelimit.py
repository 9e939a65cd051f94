"""A small per-address rate limiter for the public pages, on Django's default cache.

Fixed windows: a counter per (limit, address, window number) that expires with its window.
The count is approximate under concurrency (two requests may both pass the last free slot),
which is fine for slowing down floods and code guessing. Use a shared cache (Redis) when
more than one process serves the site, or each process counts on its own.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    name: str
    max_hits: int
    window_seconds: int


# Opinions actually submitted from one address. Many residents may share one address (a
# station's Wi-Fi, a carrier's NAT), so this only stops floods, not an active resident.
OPINION_SUBMIT = Limit("opinion", 5, 60 * 60)
# Every POST of the opinion form, valid or not: bounds the photo decoding a client can cause.
OPINION_ATTEMPT = Limit("opinion-attempt", 30, 60 * 60)
# Lookups by tracking code: the track form, unknown codes on the status page, ratings.
TRACKING_LOOKUP = Limit("track", 30, 10 * 60)


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind ``AXES_IPWARE_PROXY_COUNT`` trusted proxies, each
    proxy appends the address it received the request from to X-Forwarded-For, so the
    client is the n-th entry from the right; entries further left are client-supplied and
    cannot be trusted."""
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _key(limit: Limit, address: str, now: float | None = None) -> str:
    window = int(now if now is not None else time.time()) // limit.window_seconds
    return f"ratelimit:{limit.name}:{address}:{window}"


def is_limited(request: HttpRequest, limit: Limit) -> bool:
    """True when this address has used up the limit in the current window."""
    count = cache.get(_key(limit, client_address(request)), 0)
    return int(count) >= limit.max_hits


def record(request: HttpRequest, limit: Limit) -> int:
    """Count one use for this address; returns the count in the current window."""
    key = _key(limit, client_address(request))
    # add() is a no-op when the key exists; the timeout outlives the window a little so a
    # counter never vanishes mid-window.
    cache.add(key, 0, timeout=limit.window_seconds + 5)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=limit.window_seconds + 5)
        return 1


def hit(request: HttpRequest, limit: Limit) -> bool:
    """Count one use; True when it was still within the limit."""
    return record(request, limit) <= limit.max_hits
