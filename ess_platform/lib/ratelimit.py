"""A limit on how often one client may do something: `hit(scope, ip, limit=…, window_seconds=…)`
counts in the cache and raises RateLimited past the limit.

For the few anonymous forms a robot would fill in a loop (correction reports…); sign-in and
sign-up are limited by allauth, the API by DRF's throttles. All three trust the same
TRUSTED_PROXY_COUNT proxies in front: `client_ip(request)` is allauth's reading.

The window is fixed, not sliding: it starts at the client's first hit and the count resets
when it ends. With the embedded local-memory cache each process counts apart; with Redis the
count is shared by every worker.
"""

import ipaddress

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest

# One IPv6 subscriber (a home, a server) gets a whole /64 and picks any address in it.
IPV6_PREFIX_LENGTH = 64


class RateLimited(Exception):
    """The client went past the limit of a scope within the window."""


def client_ip(request: HttpRequest) -> str:
    """The client's address as allauth's own rate limits read it: REMOTE_ADDR, or behind
    TRUSTED_PROXY_COUNT proxies (ALLAUTH_TRUSTED_PROXY_COUNT) the address the outermost trusted
    proxy appended to X-Forwarded-For, so a client cannot pick its address in that header."""
    return get_adapter(request).get_client_ip(request)


def client_bucket(ip: str) -> str:
    """Who is counted: the IPv4 address itself, the /64 network of an IPv6 address (an
    IPv4-mapped IPv6 address counts as its IPv4 address)."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip.strip()
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        network = ipaddress.IPv6Network((address, IPV6_PREFIX_LENGTH), strict=False)
        return str(network)
    return str(address)


def hit(scope: str, ip: str, *, limit: int, window_seconds: int) -> None:
    """Count one hit of `scope` (a name such as "corrections:reports", also the prefix of the
    cache key) from `ip`; raise RateLimited from the hit past `limit` within the window.
    The window starts at the first hit: `add` sets the expiry, `incr` keeps it."""
    key = f"{scope}:{client_bucket(ip)}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    if count > limit:
        raise RateLimited
