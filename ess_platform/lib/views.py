"""Helpers every app's HTML views share: service errors onto forms, htmx, safe redirects."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: a field's message beside that field
    (when the form has it), any other one at the top of the form. The person's input stays
    in the form, so nothing typed is lost."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def is_htmx(request) -> bool:
    """A partial swap, not htmx restoring a whole page from history (Back button)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def safe_next_url(request, *, default: str) -> str:
    """The page a form came from (`next` in the POST), if it is on this site; otherwise
    the URL named `default`. Never an open redirect."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse(default)
