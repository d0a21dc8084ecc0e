"""The pages run under their strict Content-Security-Policy without a single violation:
no inline style or script, htmx's indicator styles included (styled in site.css)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", event => {
    window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


def test_no_page_breaks_its_content_security_policy(page, owner, log_in, territory):
    console_errors = []
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    page.add_init_script(RECORD_VIOLATIONS)

    page.goto("/")
    expect(page.locator("#map .map-cluster").first).to_be_visible()
    page.get_by_label("Rechercher").press_sequentially("Recyclerie")
    expect(page.locator("#results [data-results-count]")).to_have_text("3 acteurs trouvés")
    assert page.evaluate("window.cspViolations") == []

    page.goto(f"/acteurs/{owner.actor.slug}/")
    expect(page.locator(".actor-map .map-marker")).to_be_visible()
    assert page.evaluate("window.cspViolations") == []

    # The profile form loads htmx, whose indicator styles would be injected inline.
    log_in(page, owner, next_path=f"/espace/structures/{owner.actor.slug}/modifier/")
    expect(page.locator("[data-pin-map] .map-marker")).to_be_visible()
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert page.evaluate("window.cspViolations") == []

    assert console_errors == []
