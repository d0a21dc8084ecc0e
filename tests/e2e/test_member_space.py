"""A member maintains its own actor's profile, and only its own."""

import re

import pytest
from playwright.sync_api import expect

from directory.models import Actor

pytestmark = pytest.mark.django_db(transaction=True)


def edit_path(actor: Actor) -> str:
    return f"/espace/structures/{actor.slug}/modifier/"


def test_member_edits_its_actor_and_the_public_page_shows_it(page, live_server, owner, log_in):
    log_in(page, owner)
    page.get_by_role("navigation").get_by_role("link", name="Mes structures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes structures")
    row = page.get_by_role("row").filter(has_text=owner.actor.name)
    row.get_by_role("link", name="Modifier").click()
    expect(page).to_have_url(live_server.url + edit_path(owner.actor))

    new_text = "Ressourcerie de quartier : dépôt, réparation et revente d'objets."
    page.get_by_label("présentation courte").fill(new_text)
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("status")).to_contain_text("Les modifications sont enregistrées.")
    page.get_by_role("link", name="Voir la fiche publique").click()
    expect(page).to_have_url(f"{live_server.url}/acteurs/{owner.actor.slug}/")
    expect(page.locator("main .lead")).to_have_text(new_text)


def test_member_cannot_edit_another_members_actor(page, live_server, owner, other_owner, log_in):
    before = owner.actor.short_description
    log_in(page, other_owner)

    response = page.goto(edit_path(owner.actor))
    assert response.status == 403
    expect(page.locator("form[data-actor-form]")).to_have_count(0)

    # A hand-made POST is refused too. The same token opens the member's own form, so the
    # 403 comes from the permission check, not from CSRF protection.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    forged = {"csrfmiddlewaretoken": token, "short_description": "Fiche détournée"}
    refused = page.request.post(live_server.url + edit_path(owner.actor), form=forged)
    assert refused.status == 403
    own = page.request.post(live_server.url + edit_path(other_owner.actor), form=forged)
    assert own.status == 200  # re-rendered with the missing fields flagged, not saved

    owner.actor.refresh_from_db()
    assert owner.actor.short_description == before


def test_anonymous_visitor_is_sent_to_log_in_then_back_to_the_form(
    page, live_server, owner, log_in
):
    page.goto(edit_path(owner.actor))
    expect(page).to_have_url(re.compile(r"/comptes/login/\?next=.*modifier"))
    expect(page.locator("form[data-actor-form]")).to_have_count(0)

    log_in(page, owner)
    expect(page).to_have_url(live_server.url + edit_path(owner.actor))
    expect(page.get_by_label("présentation courte")).to_have_value(owner.actor.short_description)


def test_invalid_siret_is_flagged_as_soon_as_the_field_is_left(page, live_server, owner, log_in):
    log_in(page, owner, next_path=edit_path(owner.actor))
    siret = page.get_by_label("SIRET")
    errors = page.locator("#field-siret .errorlist")
    expect(errors).to_have_count(0)

    siret.fill("12345678901234")
    siret.press("Tab")
    expect(errors).to_contain_text("Ce numéro SIRET n'est pas valide")
    expect(page.locator("#field-siret")).to_have_class(re.compile(r"\bfield--error\b"))
    # Nothing was submitted: still on the form, no message, nothing saved.
    expect(page).to_have_url(live_server.url + edit_path(owner.actor))
    expect(page.get_by_text("Les modifications sont enregistrées.")).to_have_count(0)
    owner.actor.refresh_from_db()
    assert owner.actor.siret == ""

    # The swapped-in field keeps working: a valid number clears the message.
    siret.fill("73282932000074")
    siret.press("Tab")
    expect(errors).to_have_count(0)
    expect(siret).to_have_value("73282932000074")


def test_a_siret_already_used_offers_the_public_profile_and_its_join_request(
    page, live_server, owner, other_owner, log_in
):
    holder = other_owner.actor
    Actor.objects.filter(pk=holder.pk).update(siret="73282932000074")
    log_in(page, owner, next_path=edit_path(owner.actor))

    page.get_by_label("SIRET").fill("732 829 320 00074")
    page.get_by_role("button", name="Enregistrer").click()

    field = page.locator("#field-siret")
    expect(field.locator(".errorlist")).to_have_text(
        "Ce numéro SIRET est déjà celui d'une structure de l'annuaire."
    )
    expect(page.get_by_role("main")).not_to_contain_text("actor_unique_siret")
    offer = page.locator("[data-siret-holder]")
    expect(offer).to_contain_text(holder.name)
    expect(offer.get_by_role("link", name="Voir sa fiche")).to_have_attribute(
        "href", f"/acteurs/{holder.slug}/"
    )
    offer.get_by_role("link", name="Demander à rejoindre cette fiche").click()
    expect(page).to_have_url(f"{live_server.url}/espace/structures/{holder.slug}/rejoindre/")
    owner.actor.refresh_from_db()
    assert owner.actor.siret == ""


def test_a_move_to_another_networks_territory_is_reviewed_there_first(
    page, live_server, owner, other_network, other_animator, log_in
):
    actor = owner.actor
    log_in(page, owner, next_path=edit_path(actor))

    page.get_by_label("Commune").select_option(label="Lyon (69)")
    page.get_by_role("button", name="Enregistrer").click()

    messages = page.get_by_role("status")
    expect(messages).to_contain_text("La fiche dépend désormais du réseau « Réseau ESS Lyon »")
    expect(messages).to_contain_text("jusqu'à ce que son équipe d'animation la valide")
    expect(page.locator(".badge--status-pending")).to_have_text("En attente de validation")
    expect(page.get_by_role("link", name="Voir la fiche publique")).to_have_count(0)
    page.goto(f"/?q={actor.name}")
    expect(page.locator(f'[data-actor="{actor.slug}"]')).to_have_count(0)
    actor.refresh_from_db()
    assert (actor.network, actor.status) == (other_network, "pending")
