"""Security pieces of the requests and of the sign-in that Django and allauth leave to us.

- `PermissionsPolicyMiddleware`: what the browser may let the site's pages use.
- `AccountAdapter`: failed sign-ins counted per client address *and* account.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from ess_platform.lib.ratelimit import client_bucket, client_ip

# Only the map's "around me" button needs a browser feature (geolocation), on the site's own
# pages; every other powerful feature is off, for the site and for anything it embeds
# (two-factor security keys, if they come, will need publickey-credentials-get=(self)). Only
# features browsers know are listed: they report unknown ones to the developer tools.
PERMISSIONS_POLICY = ", ".join(
    [
        "geolocation=(self)",
        *(
            f"{feature}=()"
            for feature in (
                "accelerometer",
                "autoplay",
                "camera",
                "display-capture",
                "encrypted-media",
                "fullscreen",
                "gyroscope",
                "magnetometer",
                "microphone",
                "midi",
                "payment",
                "picture-in-picture",
                "publickey-credentials-get",
                "screen-wake-lock",
                "serial",
                "usb",
                "xr-spatial-tracking",
            )
        ),
    ]
)


class PermissionsPolicyMiddleware:
    """Sends the `Permissions-Policy` header with every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter, with failed sign-ins counted per address and account.

    allauth counts the "login_failed" rate limit per key, and its key is the account alone:
    five wrong passwords typed anywhere would lock the account for everybody, so anyone
    knowing a member's address could keep them out. With the client's address (an IPv6
    /64, as every rate limit of the platform counts it) in the key, the wrong guesses stop
    the address that made them, and the member still signs in from their own.
    settings.ACCOUNT_RATE_LIMITS keeps a per-address limit over all accounts.
    """

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{client_bucket(client_ip(request))}"
