"""Needs of the territory: posted by inhabitants in the network of their commune, supported
once per person, and turned by the network's animators into a project, a need of one of
its structures, or hidden."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cooperation.models import Listing, Support, TerritoryNeed, TerritoryNeedStatus
from cooperation.services import territory_needs as services
from ess_platform.lib.outbox.models import OutboxMessage
from ess_platform.lib.outbox.sending import send_pending
from tests.factories import ActorFactory, CommuneFactory, UserFactory

pytestmark = pytest.mark.django_db

T = TerritoryNeedStatus


def post(by, commune, **data) -> TerritoryNeed:
    return services.territory_need_post(
        data={
            "title": "Une recyclerie à Rezé",
            "description": "Pour donner une seconde vie aux meubles du quartier.",
            "commune": commune,
            **data,
        },
        by=by,
    )


@pytest.fixture
def need(user, reze, network):
    return post(user, reze)


def test_the_network_is_deduced_from_the_commune_and_its_animators_hear_of_it(
    user, reze, network, animator
):
    need = post(user, reze)

    assert need.network == network and need.author == user
    (line,) = OutboxMessage.objects.filter(key__startswith="cooperation.territory_need.posted")
    assert line.recipients == [animator.email] and line.digest_day == timezone.localdate()
    assert "Une recyclerie à Rezé" in line.subject


def test_a_commune_outside_every_territory_is_refused(user, network):
    elsewhere = CommuneFactory(insee="29019", name="Brest")

    with pytest.raises(ValidationError) as error:
        post(user, elsewhere)
    assert "aucun réseau" in str(error.value.message_dict["commune"])
    assert not TerritoryNeed.objects.exists()


def test_five_posts_a_day_per_person(user, reze, network):
    for number in range(services.POSTS_PER_DAY):
        post(user, reze, title=f"Besoin {number}")

    with pytest.raises(ValidationError, match="revenez demain"):
        post(user, reze, title="Un de trop")
    # Another person is not held back; and a day later, the author posts again.
    post(UserFactory(), reze)
    TerritoryNeed.objects.filter(author=user).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    post(user, reze, title="Le lendemain")


def test_one_support_per_person(need, user, other_member):
    assert services.territory_need_support(need=need, by=other_member) is True
    assert services.territory_need_support(need=need, by=other_member) is False
    services.territory_need_support(need=need, by=user)

    assert TerritoryNeed.objects.with_support_count().get(pk=need.pk).support_count == 2
    assert services.territory_need_unsupport(need=need, by=other_member) is True
    assert Support.objects.filter(need=need).count() == 1


def test_most_supported_first(user, reze, nantes, network, other_member, member):
    quiet = post(user, nantes, title="Un garage solidaire")
    popular = post(user, reze)
    for supporter in (other_member, member):
        services.territory_need_support(need=popular, by=supporter)

    assert list(TerritoryNeed.objects.most_supported()) == [popular, quiet]
    assert list(TerritoryNeed.objects.in_commune(nantes)) == [quiet]


def test_only_the_networks_animators_decide(need, member, other_animator):
    for someone in (member, other_animator):
        with pytest.raises(PermissionDenied):
            services.territory_need_decide(
                need=need, by=someone, status=T.PROJECT, outcome="Un projet."
            )


def test_a_project_says_what_it_becomes_and_tells_author_and_supporters(
    need, user, other_member, animator
):
    services.territory_need_support(need=need, by=other_member)
    send_pending()
    mail.outbox.clear()

    with pytest.raises(ValidationError):
        services.territory_need_decide(need=need, by=animator, status=T.PROJECT, outcome=" ")
    decided = services.territory_need_decide(
        need=need,
        by=animator,
        status=T.PROJECT,
        outcome="Réunion de lancement le 12 mars à la maison de quartier.",
    )
    send_pending()

    assert decided.status == T.PROJECT and "12 mars" in decided.outcome
    assert sorted(m.to[0] for m in mail.outbox) == sorted([user.email, other_member.email])
    assert all("12 mars" in m.body for m in mail.outbox)
    # Decided: no more supports.
    with pytest.raises(ValidationError, match="suite"):
        services.territory_need_support(need=need, by=UserFactory())


def test_a_need_of_the_network_is_a_draft_listing_of_the_chosen_structure(
    need, user, other_member, animator, actor, reze
):
    services.territory_need_support(need=need, by=other_member)
    send_pending()
    mail.outbox.clear()

    decided = services.territory_need_decide(
        need=need,
        by=animator,
        status=T.LISTING,
        outcome="La Recyclerie du Port étudie une antenne à Rezé.",
        actor=actor,
        nature="premises",
        mode="pooling",
    )
    send_pending()

    listing = Listing.objects.get(pk=decided.listing_id)
    assert (listing.actor, listing.kind, listing.status) == (actor, "need", "draft")
    assert (listing.nature, listing.mode, listing.title) == ("premises", "pooling", need.title)
    assert listing.commune == reze
    assert sorted(m.to[0] for m in mail.outbox) == sorted([user.email, other_member.email])


def test_the_structure_belongs_to_the_network(need, animator, other_network):
    lyon = other_network.communes.get()
    elsewhere = ActorFactory(network=other_network, commune=lyon)

    with pytest.raises(ValidationError) as error:
        services.territory_need_decide(
            need=need, by=animator, status=T.LISTING, actor=elsewhere, nature="goods", mode="sale"
        )
    assert "actor" in error.value.message_dict
    assert not Listing.objects.exists()


def test_a_hidden_need_leaves_the_lists_and_only_its_author_is_told(
    need, user, other_member, animator
):
    services.territory_need_support(need=need, by=other_member)
    send_pending()
    mail.outbox.clear()

    services.territory_need_decide(need=need, by=animator, status=T.HIDDEN, outcome="Hors sujet.")
    send_pending()

    assert not TerritoryNeed.objects.visible().exists()
    assert [m.to for m in mail.outbox] == [[user.email]]
    # Restored by an animator, it is back.
    services.territory_need_decide(need=need, by=animator, status=T.OPEN)
    assert TerritoryNeed.objects.visible().get() == need
