"""The same member edits its profile in two tabs: the second save never silently reverts
the first one."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_member_space import edit_path

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = "Les modifications sont enregistrées."


def test_the_second_tab_is_shown_what_the_first_saved_and_keeps_its_input(
    page, live_server, owner, log_in
):
    actor = owner.actor
    before = actor.short_description
    text = "Ressourcerie de quartier : dépôt, réparation et revente d'objets."
    log_in(page, owner, next_path=edit_path(actor))
    first = page
    second = page.context.new_page()
    second.goto(live_server.url + edit_path(actor))

    first.get_by_label("présentation courte").fill(text)
    first.get_by_role("button", name="Enregistrer").click()
    expect(first.get_by_role("status")).to_contain_text(SAVED)

    # The second tab was loaded before that save: its own change is refused, for now.
    second.get_by_label("Téléphone").fill("02 40 11 22 33")
    second.get_by_role("button", name="Enregistrer").click()
    notice = second.locator("[data-changed-meanwhile]")
    expect(notice).to_contain_text("Une autre personne a modifié cette fiche")
    expect(notice.get_by_role("listitem")).to_have_text(f"Présentation courte : {before} → {text}")
    expect(second.get_by_label("Téléphone")).to_have_value("02 40 11 22 33")
    expect(second.get_by_text(SAVED)).to_have_count(0)
    actor.refresh_from_db()
    assert (actor.short_description, actor.phone) == (text, "")

    # Having read it, the person keeps the other text and saves again: both changes stay.
    second.get_by_label("présentation courte").fill(text)
    second.get_by_role("button", name="Enregistrer").click()
    expect(second.get_by_role("status")).to_contain_text(SAVED)
    expect(second.locator("[data-changed-meanwhile]")).to_have_count(0)
    actor.refresh_from_db()
    assert (actor.short_description, actor.phone) == (text, "02 40 11 22 33")
