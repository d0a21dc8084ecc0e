import re

import pytest
from django.urls import reverse

from directory.models import Actor, JoinRequest, Membership, Status
from directory.services import members as member_services
from tests.factories import (
    ActorFactory,
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    UserFactory,
    sector,
)

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


def test_submit_then_animator_publishes(client, member, animator, network, nantes):
    draft = ActorFactory(network=network, commune=nantes, draft=True)
    MembershipFactory(actor=draft, user=member)
    client.force_login(member)
    client.post(reverse("directory:actor_submit", args=[draft.slug]))
    draft.refresh_from_db()
    assert draft.status == Status.PENDING
    client.force_login(animator)
    assert draft.name in client.get(reverse("directory:review_list")).content.decode()
    client.post(reverse("directory:actor_set_status", args=[draft.slug]), {"status": "published"})
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


def test_publishing_returns_to_the_page_of_the_form_on_this_site_only(
    client, animator, network, nantes
):
    first, second = ActorFactory.create_batch(2, network=network, commune=nantes, pending=True)
    client.force_login(animator)
    dashboard = reverse("directory:workspace_dashboard", args=[network.slug]) + "?liste=attente"
    url = reverse("directory:actor_set_status", args=[first.slug])
    response = client.post(url, {"status": "published", "next": dashboard})
    assert response["Location"] == dashboard
    url = reverse("directory:actor_set_status", args=[second.slug])
    response = client.post(url, {"status": "published", "next": "https://evil.example/"})
    assert response["Location"] == reverse("directory:review_list")


def test_animator_of_another_network_cannot_publish(client, other_animator, network, nantes):
    pending = ActorFactory(network=network, commune=nantes, pending=True)
    client.force_login(other_animator)
    response = client.post(
        reverse("directory:actor_set_status", args=[pending.slug]), {"status": "published"}
    )
    assert response.status_code == 404
    assert pending.name not in client.get(reverse("directory:review_list")).content.decode()


def test_join_request_flow_owner_accepts(
    client, actor, member, user, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:join_request_create", args=[actor.slug]),
            {"message": "Je suis trésorière."},
        )
    join_request = JoinRequest.objects.get(actor=actor, user=user)
    assert any(member.email in m.to for m in mailoutbox)
    client.force_login(member)
    assert "Je suis trésorière." in client.get(reverse("directory:my_actors")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:join_request_decide", args=[join_request.pk]), {"decision": "accept"}
        )
    assert Membership.objects.filter(actor=actor, user=user).exists()
    assert user.email in mailoutbox[-1].to


def test_invitation_by_email_is_accepted_by_the_invited_address_only(
    client, actor, member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:actor_members", args=[actor.slug]), {"email": "nouvelle@example.org"}
        )
    body = mailoutbox[-1].body
    path = body[body.index("/espace/invitations/") :].split()[0]
    intruder = UserFactory(username="intrus")
    client.force_login(intruder)
    client.post(path)
    assert not Membership.objects.filter(actor=actor, user=intruder).exists()
    invited = UserFactory(username="nouvelle")
    client.force_login(invited)
    assert client.get(path).status_code == 200  # GET only shows the confirmation
    assert not Membership.objects.filter(actor=actor, user=invited).exists()
    client.post(path)
    assert Membership.objects.filter(actor=actor, user=invited).exists()
    assert client.get("/espace/invitations/forged-token/").status_code == 404


def test_sector_stylesheet_gives_each_filiere_its_colour(client, db):
    css = client.get(reverse("directory:sector_styles")).content.decode()
    assert ".filiere-alimentation-agriculture { background-color: #2f7d32; }" in css


def test_animator_sees_and_decides_join_requests_of_its_network(client, actor, animator, user):
    join_request = JoinRequestFactory(actor=actor, user=user, message="Bonjour")
    client.force_login(animator)
    assert "Bonjour" in client.get(reverse("directory:review_list")).content.decode()
    client.post(
        reverse("directory:join_request_decide", args=[join_request.pk]), {"decision": "accept"}
    )
    assert Membership.objects.filter(actor=actor, user=user).exists()


def test_decided_join_requests_leave_the_queues_and_cannot_be_decided_again(
    client, actor, member, animator
):
    pending = JoinRequestFactory(actor=actor, message="En attente de réponse")
    accepted = JoinRequestFactory(actor=actor, message="Déjà acceptée", accepted=True)
    refused = JoinRequestFactory(actor=actor, message="Déjà refusée", refused=True)

    client.force_login(animator)
    review = client.get(reverse("directory:review_list")).content.decode()
    assert "En attente de réponse" in review
    assert "Déjà acceptée" not in review and "Déjà refusée" not in review
    client.force_login(member)
    members = client.get(reverse("directory:actor_members", args=[actor.slug])).content.decode()
    assert reverse("directory:join_request_decide", args=[pending.pk]) in members
    assert reverse("directory:join_request_decide", args=[refused.pk]) not in members

    response = client.post(
        reverse("directory:join_request_decide", args=[refused.pk]),
        {"decision": "accept"},
        follow=True,
    )
    assert "Cette demande a déjà été traitée." in response.content.decode()
    refused.refresh_from_db()
    assert refused.state == JoinRequest.State.REFUSED
    assert not Membership.objects.filter(actor=actor, user=refused.user).exists()
    assert Membership.objects.get(actor=actor, user=accepted.user).role == "editor"


def test_a_used_invitation_link_says_so_and_adds_nobody(client, actor):
    invitation = InvitationFactory(actor=actor, accepted=True)
    path = reverse(
        "directory:invitation_accept",
        kwargs={"token": member_services.invitation_token(invitation)},
    )
    client.force_login(invitation.accepted_by)

    page = client.get(path)
    assert page.status_code == 200
    assert "Cette invitation a déjà été utilisée." in page.content.decode()
    response = client.post(path, follow=True)
    assert "Cette invitation a déjà été utilisée." in response.content.decode()
    assert actor.memberships.filter(user=invitation.accepted_by).count() == 1


def test_join_request_decision_never_redirects_off_site(client, actor, member, user):
    join_request = JoinRequestFactory(actor=actor, user=user)
    client.force_login(member)
    response = client.post(
        reverse("directory:join_request_decide", args=[join_request.pk]),
        {"decision": "refuse", "next": "https://evil.example/phish"},
    )
    assert response["Location"] == reverse("directory:my_actors")


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


def test_publishing_invalid_data_explains_instead_of_failing(client, animator, network, nantes):
    pending = ActorFactory(network=network, commune=nantes, pending=True)
    Actor.objects.filter(pk=pending.pk).update(siret="12345678901234")  # e.g. an old import
    client.force_login(animator)
    response = client.post(
        reverse("directory:actor_set_status", args=[pending.slug]),
        {"status": "published"},
        follow=True,
    )
    assert response.status_code == 200
    assert "SIRET" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_clearing_the_logo_removes_it(client, member, actor):
    from django.core.files.base import ContentFile

    actor.logo.save("logo.png", ContentFile(b"x"), save=True)
    client.force_login(member)
    data = _profile_data(actor.commune, name=actor.name, lat=actor.lat, lon=actor.lon)
    data["logo-clear"] = "on"
    client.post(reverse("directory:actor_edit", args=[actor.slug]), data)
    actor.refresh_from_db()
    assert not actor.logo
