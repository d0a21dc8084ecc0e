import time

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from ess_platform.lib import ratelimit

IP = "203.0.113.7"
LIMIT = 3
WINDOW = 60 * 60


@pytest.fixture(autouse=True)
def _own_cache():
    """An empty local-memory cache, whatever the settings say (Redis keeps counts across
    runs, and its clock cannot be moved by the tests)."""
    locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}
    with override_settings(CACHES={"default": locmem}):
        cache.clear()
        yield
        cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """The clock the local-memory cache expires keys by, moved by hand: `clock[0] += 60`."""
    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


def _hit(ip: str = IP, *, scope: str = "tests:form") -> None:
    ratelimit.hit(scope, ip, limit=LIMIT, window_seconds=WINDOW)


@pytest.mark.parametrize(
    ("ip", "bucket"),
    [
        ("203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
    ],
)
def test_a_client_is_an_ipv4_address_or_an_ipv6_64_network(ip, bucket):
    assert ratelimit.client_bucket(ip) == bucket


def test_past_the_limit_the_client_is_refused():
    for _ in range(LIMIT):
        _hit()
    with pytest.raises(ratelimit.RateLimited):
        _hit()
    _hit("198.51.100.4")  # another client is counted apart
    _hit(scope="tests:other")  # and so is another scope


def test_addresses_of_one_ipv6_64_share_a_count():
    for n in range(LIMIT):
        _hit(f"2001:db8:1:2::{n + 1:x}")
    with pytest.raises(ratelimit.RateLimited):
        _hit("2001:db8:1:2:ffff:ffff:ffff:ffff")
    _hit("2001:db8:1:3::1")  # the next /64 is another subscriber


def test_an_ipv4_mapped_address_shares_the_count_of_its_ipv4_address():
    for _ in range(LIMIT):
        _hit(IP)
    with pytest.raises(ratelimit.RateLimited):
        _hit(f"::ffff:{IP}")


def test_the_window_starts_at_the_first_hit(clock):
    _hit()
    clock[0] += WINDOW - 60
    for _ in range(LIMIT - 1):
        _hit()
    with pytest.raises(ratelimit.RateLimited):
        _hit()
    # The window is fixed: later hits did not extend it, and the count starts over after it.
    clock[0] += 61
    for _ in range(LIMIT):
        _hit()
    with pytest.raises(ratelimit.RateLimited):
        _hit()


def test_the_client_is_remote_addr_without_a_trusted_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR=IP, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert ratelimit.client_ip(request) == IP


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_client_is_what_the_proxy_appended():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.1, {IP}"
    )
    assert ratelimit.client_ip(request) == IP
