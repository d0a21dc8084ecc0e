"""Staff and animators must use a second factor (the rule: directory.models.accounts; its
one write: directory.services.accounts).

Each signed-in request gets `request.two_factor`: None for people who need not (or already
do) use a second factor, else their `TwoFactorDuty`, which the banner of every page reads
(context_processors.two_factor). Past the grace period the person is sent to set up an
authenticator app from any page but those that lead there.
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from directory.services.accounts import two_factor_duty
from ess_platform.lib.views import is_htmx

# What a person past the grace period may still open: the way to set the factor up (the
# two-factor pages ask for the password again first), the way out, the link of an e-mail
# confirmation, the choice of language and the site's stylesheets.
ALLOWED_VIEWS = {
    "account_logout",
    "account_reauthenticate",
    "account_confirm_email",
    "account_email_verification_sent",
    "set_language",
    "directory:sector_styles",
}
ALLOWED_PREFIXES = ("mfa_",)
SETUP_VIEW = "mfa_activate_totp"


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        request.two_factor = (
            two_factor_duty(user) if user is not None and user.is_authenticated else None
        )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        duty = getattr(request, "two_factor", None)
        if duty is None or not duty.required or _allowed(request):
            return None
        # The setup page says why (templates/mfa/totp/activate_form.html), and so does the
        # banner of the reauthentication page it may ask for first.
        url = reverse(SETUP_VIEW)
        if is_htmx(request):
            # htmx would swap the setup page into a fragment: it loads it whole instead.
            return HttpResponse(headers={"HX-Redirect": url})
        return redirect(url)


def _allowed(request) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    view_name = request.resolver_match.view_name if request.resolver_match else ""
    return view_name in ALLOWED_VIEWS or view_name.startswith(ALLOWED_PREFIXES)
