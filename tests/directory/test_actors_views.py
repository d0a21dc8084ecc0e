"""The public list and profile pages, and the member's profile form (directory.views.actors)."""

import re

import pytest
from django.urls import reverse

from directory.models import Actor, Membership, Status
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

    actors = [ActorFactory(network=network, commune=nantes) for _ in range(3)]
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
