"""The pages of the needs of the territory: the public list and page, posting, the support
button, and the animators' review and decision."""

import pytest
from django.urls import reverse

from cooperation.models import Listing, Support, TerritoryNeed, TerritoryNeedStatus
from cooperation.services import territory_needs as services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

T = TerritoryNeedStatus


def post(by, commune, title="Une recyclerie à Rezé") -> TerritoryNeed:
    return services.territory_need_post(
        data={
            "title": title,
            "description": "Pour donner une seconde vie aux meubles du quartier.",
            "commune": commune,
        },
        by=by,
    )


@pytest.fixture
def need(user, reze, network):
    return post(user, reze)


def test_the_list_shows_visible_needs_most_supported_first(
    client, user, reze, nantes, network, member, other_member, animator, django_assert_num_queries
):
    quiet = post(user, nantes, title="Un garage solidaire")
    popular = post(user, reze)
    hidden = post(user, reze, title="Publicité déguisée")
    for supporter in (member, other_member):
        services.territory_need_support(need=popular, by=supporter)
    services.territory_need_decide(need=hidden, by=animator, status=T.HIDDEN)

    url = reverse("cooperation:territory_need_list")
    with django_assert_num_queries(4):  # session-less: filters' choices, count, page
        html = client.get(url).content.decode()

    assert html.index(popular.title) < html.index(quiet.title)
    assert "2 soutiens" in html and hidden.title not in html
    newest = client.get(url, {"sort": "newest"}).content.decode()
    assert newest.index(quiet.title) > newest.index(popular.title)
    only_nantes = client.get(url, {"commune": nantes.insee}).content.decode()
    assert quiet.title in only_nantes and popular.title not in only_nantes


def test_the_list_filters_by_network_and_has_an_empty_state(client, need, other_network):
    url = reverse("cooperation:territory_need_list")

    html = client.get(url, {"network": other_network.slug}).content.decode()

    assert need.title not in html and "Aucun besoin du territoire ici" in html


def test_a_hidden_need_is_a_404_except_to_its_animators(client, need, animator, other_animator):
    services.territory_need_decide(need=need, by=animator, status=T.HIDDEN)
    url = reverse("cooperation:territory_need_detail", args=[need.pk])

    assert client.get(url).status_code == 404
    client.force_login(other_animator)
    assert client.get(url).status_code == 404
    client.force_login(animator)
    assert client.get(url).status_code == 200


def test_a_signed_in_person_supports_then_withdraws(client, need, other_member):
    url = reverse("cooperation:territory_need_detail", args=[need.pk])
    assert "Connectez-vous" in client.get(url).content.decode()
    support = reverse("cooperation:territory_need_support", args=[need.pk])
    assert client.post(support).status_code == 302  # to the sign-in page
    assert not Support.objects.exists()

    client.force_login(other_member)
    assert "Je soutiens" in client.get(url).content.decode()
    client.post(support)
    client.post(support)
    assert Support.objects.filter(need=need).count() == 1
    assert "Retirer mon soutien" in client.get(url).content.decode()
    client.post(reverse("cooperation:territory_need_unsupport", args=[need.pk]))
    assert not Support.objects.exists()


def test_posting_a_need_from_the_form(client, user, reze, network):
    url = reverse("cooperation:territory_need_create")
    assert client.get(url).status_code == 302  # signed-in only
    client.force_login(user)

    response = client.post(
        url,
        {
            "title": "Un garage solidaire",
            "description": "Réparer sa voiture à prix juste.",
            "commune": reze.pk,
        },
    )

    need = TerritoryNeed.objects.get()
    assert response.url == reverse("cooperation:territory_need_detail", args=[need.pk])
    assert need.network == network and need.author == user


def test_the_rate_limit_is_shown_on_the_form(client, user, reze, network):
    for number in range(services.POSTS_PER_DAY):
        post(user, reze, title=f"Besoin {number}")
    client.force_login(user)

    response = client.post(
        reverse("cooperation:territory_need_create"),
        {"title": "Un de trop", "description": "…", "commune": reze.pk},
    )

    assert response.status_code == 200 and "revenez demain" in response.content.decode()
    assert TerritoryNeed.objects.count() == services.POSTS_PER_DAY


def test_the_review_is_for_the_networks_animators_only(
    client, need, member, other_animator, animator
):
    url = reverse("cooperation:territory_need_review", args=["pole-ess-nantes"])
    decide = reverse("cooperation:territory_need_decide", args=["pole-ess-nantes", need.pk])
    for someone in (member, other_animator):
        client.force_login(someone)
        assert client.get(url).status_code == 403
        assert client.get(decide).status_code == 403

    client.force_login(animator)
    assert need.title in client.get(url).content.decode()


def test_the_animator_makes_it_a_need_of_a_structure(client, need, animator, actor):
    client.force_login(animator)
    url = reverse("cooperation:territory_need_decide", args=["pole-ess-nantes", need.pk])
    assert actor.name in client.get(url).content.decode()

    missing = client.post(url, {"status": "listing", "nature": "premises", "mode": "pooling"})
    assert "Choisissez la structure" in missing.content.decode()
    response = client.post(
        url,
        {
            "status": "listing",
            "outcome": "Confié à la Recyclerie du Port.",
            "actor": actor.pk,
            "nature": "premises",
            "mode": "pooling",
        },
    )

    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == T.LISTING
    assert Listing.objects.get(pk=need.listing_id).status == "draft"
    detail = client.get(reverse("cooperation:territory_need_detail", args=[need.pk]))
    assert "Confié à la Recyclerie du Port." in detail.content.decode()


def test_an_anonymous_visitor_cannot_post_a_decision(client, need):
    response = client.post(
        reverse("cooperation:territory_need_decide", args=["pole-ess-nantes", need.pk]),
        {"status": "hidden"},
    )
    assert response.status_code == 302
    assert TerritoryNeed.objects.get().status == T.OPEN
    client.force_login(UserFactory())
    assert (
        client.post(
            reverse("cooperation:territory_need_decide", args=["pole-ess-nantes", need.pk]),
            {"status": "hidden"},
        ).status_code
        == 403
    )
