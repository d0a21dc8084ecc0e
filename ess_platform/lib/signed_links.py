"""Signed links: a token in a URL that proves who sent it and what it allows, for a time.

Used by the one-click links of the freshness reminders and by invitations (consortium
invitations will use it too). Each use has its own `salt`, so a token made for one purpose
is worthless for another; a forged or expired token raises `InvalidLink`, which pages
show as a French error, never a 500.
"""

from datetime import timedelta
from typing import Any

from django.core import signing


class InvalidLink(Exception):
    """A forged, expired or misdirected link."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"


def sign(payload: Any, *, salt: str, compress: bool = False) -> str:
    return signing.dumps(payload, salt=salt, compress=compress)


def unsign(token: str, *, salt: str, max_age: timedelta) -> Any:
    """The payload of a valid token; raises InvalidLink("expired") or InvalidLink("invalid")."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise InvalidLink("expired") from error
    except signing.BadSignature as error:
        raise InvalidLink("invalid") from error
