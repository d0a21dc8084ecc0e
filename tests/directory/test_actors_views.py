"""The public list and profile pages, and the member's profile form (directory.views.actors)."""

import re

import pytest
from django.urls import reverse

from directory.models import Actor, Membership, Sector, Status
from tests.factories import ActorFactory, MembershipFactory, sector

pytestmark = pytest.mark.django_db


def cards_in(response) -> set[str]:
    """The slugs of the actor cards a result page shows."""
    return set(re.findall(r'class="actor-card" data-actor="([^"]+)"', response.content.decode()))


def test_home_lists_published_actors_with_map_and_filters(client, actor, network, nantes):
    ActorFactory(network=network, commune=nantes, name="Brouillon caché", draft=True)
    response = client.get(reverse("directory:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="fr"' in html
    assert actor.name in html
    assert "Brouillon caché" not in html
    assert 'id="map"' in html and reverse("api-map-actors") in html
    assert "Content-Security-Policy" in response.headers


def test_home_search_is_accent_insensitive_and_htmx_returns_the_partial(client, network, nantes):
    ActorFactory(network=network, commune=nantes, name="Épicerie solidaire L'Épi")
    ActorFactory(network=network, commune=nantes, name="Garage associatif")
    response = client.get(
        reverse("directory:home"), {"q": "epicerie"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "Épicerie solidaire" in html
    assert "Garage associatif" not in html
    assert "<html" not in html  # the results partial only


def test_home_filter_by_filiere_includes_its_sectors(client, network, nantes):
    ActorFactory(
        network=network, commune=nantes, name="Ressourcerie", sectors=[sector("recyclerie")]
    )
    ActorFactory(network=network, commune=nantes, name="Crèche", sectors=[sector("petite-enfance")])
    response = client.get(reverse("directory:home"), {"sector": "reemploi-recyclage"})
    html = response.content.decode()
    assert "Ressourcerie" in html and "Crèche" not in html


def test_home_bad_filter_is_explained_not_a_500(client, actor):
    response = client.get(reverse("directory:home"), {"near": "abc", "radius_km": "-3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Format attendu" in html


def test_list_query_count_does_not_grow_with_results(
    client, network, nantes, django_assert_max_num_queries
):
    actors = [
        ActorFactory(network=network, commune=nantes, sectors=[sector("recyclerie")], name=f"A{i}")
        for i in range(3)
    ]
    with django_assert_max_num_queries(12) as few:
        response = client.get(reverse("directory:home"))
    assert response.status_code == 200
    assert 'data-results-count="3"' in response.content.decode()
    assert cards_in(response) == {a.slug for a in actors}
    for i in range(15):
        actors.append(
            ActorFactory(network=network, commune=nantes, sectors=[sector("textile")], name=f"B{i}")
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("directory:home"))
    assert response.status_code == 200
    assert 'data-results-count="18"' in response.content.decode()
    assert cards_in(response) == {a.slug for a in actors}


def test_actor_page_shows_public_fields_jsonld_and_confirmation(client, actor):
    response = client.get(actor.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert actor.name in html
    assert '"@type": "Organization"' in html
    assert "Informations confirmées le" in html
    assert "data-actor-map" in html


def test_actor_page_escapes_user_content(client, network, nantes):
    evil = ActorFactory(network=network, commune=nantes, name="<script>alert(1)</script>")
    html = client.get(evil.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "\\u003Cscript\\u003E" in html  # inside the JSON-LD block


def test_stale_actor_carries_a_badge(client, network, nantes):
    stale = ActorFactory(network=network, commune=nantes, stale=True)
    assert "possiblement obsolètes" in client.get(stale.get_absolute_url()).content.decode()


def test_draft_is_hidden_from_public_but_visible_to_its_member(client, network, nantes):
    draft = ActorFactory(network=network, commune=nantes, draft=True)
    assert client.get(draft.get_absolute_url()).status_code == 404
    member = MembershipFactory(actor=draft).user
    client.force_login(member)
    assert client.get(draft.get_absolute_url()).status_code == 200


def _profile_data(commune, **overrides):
    data = {
        "name": "La Cyclerie des Batignolles",
        "legal_form": "association",
        "siret": "",
        "short_description": "Atelier vélo participatif.",
        "commune": commune.insee,
        "sectors": [sector("velo").pk],
        "intervention_radius_km": 10,
        "lat": "47.21",
        "lon": "-1.55",
    }
    data.update(overrides)
    return data


def test_member_creates_a_draft_and_becomes_owner(client, user, network, nantes):
    client.force_login(user)
    response = client.post(reverse("directory:actor_create"), _profile_data(nantes))
    actor = Actor.objects.get(name="La Cyclerie des Batignolles")
    assert response.status_code == 302
    assert actor.status == Status.DRAFT and actor.network == network
    assert Membership.objects.get(actor=actor).user == user


def test_create_offers_to_join_an_existing_profile_instead_of_a_duplicate(
    client, user, actor, nantes
):
    client.force_login(user)
    response = client.post(
        reverse("directory:actor_create"), _profile_data(nantes, name="Recyclerie du port")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "existe peut-être déjà" in html
    assert reverse("directory:join_request_create", args=[actor.slug]) in html
    assert Actor.objects.filter(name__iexact="Recyclerie du port").count() == 1
    # Confirming that it is a different structure creates it.
    client.post(
        reverse("directory:actor_create"),
        _profile_data(nantes, name="Recyclerie du port", confirm_new="1"),
    )
    assert Actor.objects.filter(name__iexact="Recyclerie du port").count() == 2


def test_create_refuses_bad_siret_and_coordinates_outside_france(client, user, nantes, network):
    client.force_login(user)
    response = client.post(
        reverse("directory:actor_create"),
        _profile_data(nantes, siret="12345678901234", lat="40.71", lon="-74.0"),
    )
    html = response.content.decode()
    assert "SIRET n&#x27;est pas valide" in html or "SIRET n'est pas valide" in html
    assert not Actor.objects.filter(name="La Cyclerie des Batignolles").exists()
    response = client.post(
        reverse("directory:actor_create"), _profile_data(nantes, lat="40.71", lon="-74.0")
    )
    assert "hors de France" in response.content.decode()


def test_member_edits_its_actor_and_the_edit_confirms_the_data(client, member, actor):
    client.force_login(member)
    Actor.objects.filter(pk=actor.pk).update(last_confirmed_at=None)
    data = _profile_data(
        actor.commune, name="Recyclerie du Grand Port", lat=actor.lat, lon=actor.lon
    )
    response = client.post(reverse("directory:actor_edit", args=[actor.slug]), data)
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.name == "Recyclerie du Grand Port"
    assert actor.last_confirmed_at is not None
    assert Actor.objects.search("grand port").filter(pk=actor.pk).exists()


def test_forbidden_edits_are_refused(client, actor, other_member, other_animator):
    url = reverse("directory:actor_edit", args=[actor.slug])
    data = _profile_data(actor.commune, name="Piraté")
    assert client.post(url, data).status_code == 302  # anonymous: to the login page
    for intruder in (other_member, other_animator):
        client.force_login(intruder)
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    actor.refresh_from_db()
    assert actor.name != "Piraté"


def test_post_without_csrf_token_is_refused(member, actor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("directory:actor_confirm", args=[actor.slug]))
    assert response.status_code == 403


def test_live_validation_returns_the_field_with_its_error(client, member, nantes):
    client.force_login(member)
    response = client.post(
        reverse("directory:actor_validate"),
        _profile_data(nantes, siret="123"),
        headers={"HX-Request": "true", "HX-Trigger-Name": "siret"},
    )
    html = response.content.decode()
    assert 'id="field-siret"' in html and 'role="alert"' in html


def test_sector_stylesheet_gives_each_filiere_its_colour(client, db):
    css = client.get(reverse("directory:sector_styles")).content.decode()
    assert ".filiere-alimentation-agriculture { background-color: #2f7d32; }" in css


def test_unfiltered_count_comes_from_the_map_cells_and_matches_the_table(
    client, network, nantes, animator, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from directory.services import actors as services

    # Names no search word of one is inside another's ("Structure 1" is inside "Structure
    # 12": which sequence numbers a test gets depends on the order tests run in).
    actors = [
        ActorFactory(network=network, commune=nantes, name=name)
        for name in ("Atelier Alpha", "Jardin Bravo", "Cyclerie Charlie")
    ]
    ActorFactory(network=network, commune=nantes, draft=True)
    services.actor_set_status(actor=actors[0], by=animator, status=Status.SUSPENDED)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("directory:home"))
    assert response.status_code == 200
    assert 'data-results-count="2"' in response.content.decode()
    assert cards_in(response) == {actors[1].slug, actors[2].slug}
    assert not any("COUNT(*)" in q["sql"] and "directory_actor" in q["sql"] for q in queries)
    response = client.get(reverse("directory:home"), {"q": actors[1].name})
    assert 'data-results-count="1"' in response.content.decode()


def test_siret_typed_with_spaces_is_accepted(client, user, network, nantes):
    client.force_login(user)
    client.post(reverse("directory:actor_create"), _profile_data(nantes, siret="732 829 320 00074"))
    assert Actor.objects.get(name="La Cyclerie des Batignolles").siret == "73282932000074"


def test_htmx_partial_varies_and_history_restore_gets_the_whole_page(client, actor):
    partial = client.get(reverse("directory:home"), headers={"HX-Request": "true"})
    assert "HX-Request" in partial["Vary"]
    restored = client.get(
        reverse("directory:home"),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restored.content.decode()


def test_clearing_the_logo_removes_it(client, member, actor):
    from django.core.files.base import ContentFile

    actor.logo.save("logo.png", ContentFile(b"x"), save=True)
    client.force_login(member)
    data = _profile_data(actor.commune, name=actor.name, lat=actor.lat, lon=actor.lon)
    data["logo-clear"] = "on"
    client.post(reverse("directory:actor_edit", args=[actor.slug]), data)
    actor.refresh_from_db()
    assert not actor.logo


def test_member_form_geocodes_the_address_when_the_pin_is_not_moved(
    client, ban_server, member, actor
):
    from django.urls import reverse

    from tests.factories import sector

    client.force_login(member)
    data = {
        "name": actor.name,
        "legal_form": actor.legal_form,
        "short_description": actor.short_description,
        "commune": actor.commune.insee,
        "sectors": [sector("recyclerie").pk],
        "intervention_radius_km": 20,
        "address": "2 rue de la Paix",
        "lat": actor.lat,
        "lon": actor.lon,
    }
    client.post(reverse("directory:actor_edit", args=[actor.slug]), data)
    actor.refresh_from_db()
    assert (actor.lat, actor.lon) == (47.2139, -1.5597)
    # Unknown address: the commune is used and the member is told to move the pin.
    data.update(address="nulle part", lat=actor.lat, lon=actor.lon)
    response = client.post(reverse("directory:actor_edit", args=[actor.slug]), data, follow=True)
    assert "Déplacez-le sur la carte" in response.content.decode()


# --- Never a 500: a number the database cannot hold ----------------------------------------

HUGE = "9" * 30


def test_a_huge_sector_number_is_a_form_error_on_create_and_edit(client, member, actor, nantes):
    client.force_login(member)
    data = _profile_data(nantes, sectors=[HUGE])

    for url in (
        reverse("directory:actor_create"),
        reverse("directory:actor_edit", args=[actor.slug]),
    ):
        response = client.post(url, data)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f"{HUGE}\u00a0» n’est pas une valeur correcte." in html, url
    assert Actor.objects.count() == 1


def test_a_huge_sector_number_is_a_field_error_in_live_validation(client, member, nantes):
    client.force_login(member)

    response = client.post(
        reverse("directory:actor_validate"),
        _profile_data(nantes, sectors=[HUGE]),
        headers={"HX-Request": "true", "HX-Trigger-Name": "sectors"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="field-sectors"' in html and "n’est pas une valeur correcte" in html


# --- A SIRET already in the directory ------------------------------------------------------

SIRET = "73282932000074"
SIRET_TAKEN = "Ce numéro SIRET est déjà celui d&#x27;une structure de l&#x27;annuaire."


def _siret_holder(network, nantes, *, published: bool):
    return ActorFactory(
        network=network,
        commune=nantes,
        name="Projet confidentiel",
        slug="projet-confidentiel",
        siret=SIRET,
        status=Status.PUBLISHED if published else Status.DRAFT,
    )


def test_creating_with_the_siret_of_a_hidden_draft_discloses_nothing(client, user, network, nantes):
    _siret_holder(network, nantes, published=False)
    client.force_login(user)

    response = client.post(reverse("directory:actor_create"), _profile_data(nantes, siret=SIRET))

    html = response.content.decode()
    assert response.status_code == 200
    assert SIRET_TAKEN in html
    assert 'id="id_siret_errors"' in html
    for secret in (
        "actor_unique_siret",
        "contrainte",
        "Projet confidentiel",
        "projet-confidentiel",
    ):
        assert secret not in html
    assert "data-siret-holder" not in html
    assert Actor.objects.count() == 1


def test_creating_with_the_siret_of_a_published_structure_offers_it(client, user, network, nantes):
    holder = _siret_holder(network, nantes, published=True)
    client.force_login(user)
    data = _profile_data(nantes, siret=SIRET)

    # First the hint that it may exist, then, if the person says it is another one:
    assert (
        "existe peut-être déjà"
        in client.post(reverse("directory:actor_create"), data).content.decode()
    )
    response = client.post(reverse("directory:actor_create"), {**data, "confirm_new": "1"})

    html = response.content.decode()
    assert SIRET_TAKEN in html
    assert "data-siret-holder" in html
    assert f'href="{holder.get_absolute_url()}"' in html
    assert reverse("directory:join_request_create", args=[holder.slug]) in html
    assert "Non, créer une nouvelle fiche" not in html
    assert "actor_unique_siret" not in html
    assert Actor.objects.count() == 1


@pytest.mark.parametrize("published", [True, False])
def test_editing_to_a_siret_already_used(client, member, actor, network, nantes, published):
    holder = _siret_holder(network, nantes, published=published)
    client.force_login(member)
    data = _profile_data(actor.commune, name=actor.name, siret=SIRET, lat=actor.lat, lon=actor.lon)

    response = client.post(reverse("directory:actor_edit", args=[actor.slug]), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert SIRET_TAKEN in html and "actor_unique_siret" not in html
    assert (holder.get_absolute_url() in html) == published
    assert ("Projet confidentiel" in html) == published
    actor.refresh_from_db()
    assert actor.siret == ""


# --- Two people editing the same profile ----------------------------------------------------


def _hidden_version(html: str) -> str:
    return re.search(r'<input type="hidden" name="updated_at" value="([^"]+)"', html).group(1)


def test_a_save_over_changes_made_meanwhile_shows_them_and_keeps_the_input(client, member, actor):
    from directory.services import actors as services

    client.force_login(member)
    url = reverse("directory:actor_edit", args=[actor.slug])
    loaded = _hidden_version(client.get(url).content.decode())
    colleague = MembershipFactory(actor=actor).user
    services.actor_update(actor=actor, by=colleague, data={"phone": "02 40 11 22 33"})
    data = _profile_data(
        actor.commune,
        name="Recyclerie du Grand Port",
        phone="",
        lat=actor.lat,
        lon=actor.lon,
        updated_at=loaded,
        sectors=[s.pk for s in actor.sectors.all()] or [sector("velo").pk],
    )

    response = client.post(url, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Une autre personne a modifié cette fiche" in html
    assert re.search(r"<strong>Téléphone</strong> : \(vide\) → 02 40 11 22 33", html)
    assert 'value="Recyclerie du Grand Port"' in html  # their input is kept
    renewed = _hidden_version(html)
    assert renewed != loaded
    actor.refresh_from_db()
    assert (actor.name, actor.phone) == ("Recyclerie du Port", "02 40 11 22 33")

    response = client.post(url, {**data, "updated_at": renewed})

    assert response.status_code == 302
    actor.refresh_from_db()
    assert (actor.name, actor.phone) == ("Recyclerie du Grand Port", "")


# --- A move to another network's territory --------------------------------------------------


def test_a_member_who_moves_the_profile_to_another_network_is_told(
    client, member, actor, other_network, other_animator
):
    from ess_platform.lib.outbox.models import OutboxMessage

    client.force_login(member)
    lyon = other_network.communes.get()
    data = _profile_data(lyon, name=actor.name, lat="", lon="")

    response = client.post(reverse("directory:actor_edit", args=[actor.slug]), data, follow=True)

    html = response.content.decode()
    assert "La fiche dépend désormais du réseau « Réseau ESS Lyon »" in html
    assert "jusqu&#x27;à ce que son équipe d&#x27;animation la valide" in html
    assert "En attente de validation" in html
    actor.refresh_from_db()
    assert actor.status == Status.PENDING
    assert OutboxMessage.objects.get().recipients == [other_animator.email]
    assert client.get(actor.get_absolute_url()).status_code == 200  # still theirs to see
    client.logout()
    assert client.get(actor.get_absolute_url()).status_code == 404


# --- Logos are stored and served as what they are -------------------------------------------


def test_a_png_sent_as_a_pdf_is_stored_and_served_as_a_png(client, member, actor):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "#1d5f4e").save(buffer, format="PNG")
    polyglot = buffer.getvalue() + b"<html><script>alert(document.cookie)</script></html>"
    client.force_login(member)
    data = _profile_data(actor.commune, name=actor.name, lat=actor.lat, lon=actor.lon)
    data["logo"] = SimpleUploadedFile("poly.pdf", polyglot, content_type="application/pdf")

    response = client.post(reverse("directory:actor_edit", args=[actor.slug]), data)

    assert response.status_code == 302
    actor.refresh_from_db()
    try:
        assert actor.logo.name.endswith(".png")
        assert "poly" in actor.logo.name and ".pdf" not in actor.logo.name
        served = client.get(actor.logo.url)
        served.close()
        assert served.status_code == 200
        assert served["Content-Type"] == "image/png"
    finally:
        actor.logo.delete(save=False)


def test_replacing_the_logo_deletes_the_old_file(
    client, member, actor, settings, tmp_path, django_capture_on_commit_callbacks
):
    import io

    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "#1d5f4e").save(buffer, format="PNG")
    actor.logo.save("ancien.png", ContentFile(buffer.getvalue()), save=True)
    old = actor.logo.name
    client.force_login(member)
    data = _profile_data(actor.commune, name=actor.name, lat=actor.lat, lon=actor.lon)
    data["logo"] = SimpleUploadedFile("nouveau.png", buffer.getvalue(), content_type="image/png")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory:actor_edit", args=[actor.slug]), data)

    actor.refresh_from_db()
    assert actor.logo.name.endswith("nouveau.png")
    assert (tmp_path / actor.logo.name).exists()
    assert not (tmp_path / old).exists()


def test_a_draft_is_not_offered_the_still_true_button(client, member, actor, network, nantes):
    draft = ActorFactory(network=network, commune=nantes, draft=True, name="Brouillon")
    MembershipFactory(actor=draft, user=member)
    client.force_login(member)
    html = client.get(reverse("directory:my_actors")).content.decode()
    assert reverse("directory:actor_confirm", args=[actor.slug]) in html
    assert reverse("directory:actor_confirm", args=[draft.slug]) not in html


def test_another_structures_edit_page_offers_to_ask_to_join(client, user, actor, network, nantes):
    client.force_login(user)
    response = client.get(reverse("directory:actor_edit", args=[actor.slug]))
    assert response.status_code == 403
    html = response.content.decode()
    assert reverse("directory:join_request_create", args=[actor.slug]) in html

    hidden = ActorFactory(network=network, commune=nantes, draft=True, name="Projet secret")
    response = client.get(reverse("directory:actor_edit", args=[hidden.slug]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Projet secret" not in html
    assert reverse("directory:join_request_create", args=[hidden.slug]) not in html


def test_signing_in_lands_each_person_on_their_own_work(client, member, animator, user, network):
    """A member on their structures, an animator without a structure on the dashboard of
    the network they animate, anyone else on the (empty) list of their structures."""
    landing = reverse("directory:landing")
    client.force_login(member)
    assert client.get(landing)["Location"] == reverse("directory:my_actors")
    client.force_login(animator)
    assert client.get(landing)["Location"] == reverse(
        "directory:workspace_dashboard", kwargs={"network_slug": network.slug}
    )
    client.force_login(user)
    assert client.get(landing)["Location"] == reverse("directory:my_actors")


def test_sector_picker_groups_the_sectors_under_their_filiere(client, member, actor):
    client.force_login(member)
    page = client.get(reverse("directory:actor_edit", args=[actor.slug])).content.decode()

    groups = re.findall(
        r"<fieldset class=\"sector-picker__group\" data-sector-group>(.*?)</fieldset>",
        page,
        re.S,
    )
    assert len(groups) == Sector.objects.filieres().count()
    recycling = next(g for g in groups if "Réemploi et recyclage" in g)
    assert "Recyclerie et ressourcerie" in recycling
    assert "Épicerie solidaire" not in recycling
    # One label per sector, not "filière — sector" split across two columns.
    assert " — " not in recycling
    assert "data-sector-filter hidden" in page  # shown by the script only
