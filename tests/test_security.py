"""Response headers that limit what a page may do (ess_platform.lib.security)."""

import pytest
from django.urls import reverse


def policy_of(response) -> dict[str, str]:
    directives = (part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
    return dict(directives)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("directory:home"),
        reverse("account_login"),
        "/api/v1/sectors/",
        "/health/",
        "/n-existe-pas/",
    ],
)
def test_every_answer_allows_geolocation_to_the_site_only_and_nothing_else(client, url):
    response = client.get(url)

    policy = policy_of(response)
    # The map's "around me" button, on the site's own pages only.
    assert policy.pop("geolocation") == "(self)"
    assert {"camera", "microphone", "payment", "usb"} <= set(policy)
    assert set(policy.values()) == {"()"}
