"""The evidence of cooperation: proposed when a listing is fulfilled with a partner, confirmed
once by the partner's members, evaluated by each side, shown when both agree; and the
animators' counts per month, filière and nature, with their CSV."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cooperation import dashboard
from cooperation.models import Cooperation, Evaluation, Listing
from cooperation.services import cooperations as services
from cooperation.services.listings import listing_create, listing_fulfil
from directory.models import Actor, Membership
from ess_platform.lib.outbox.models import OutboxMessage
from ess_platform.lib.outbox.sending import send_pending
from tests.factories import ActorFactory, MembershipFactory, sector

pytestmark = pytest.mark.django_db

NEED = {
    "kind": "need",
    "nature": "transport",
    "mode": "loan",
    "title": "Un camion pour une collecte",
    "description": "Une collecte de meubles le samedi 14, un camion de 12 m³ et son chauffeur.",
}


def partner_of(user) -> Actor:
    return Membership.objects.get(user=user).actor


def open_need(actor: Actor, by, **data) -> Listing:
    return listing_create(actor=actor, by=by, data={**NEED, **data}, publish=True)


def fulfilled(actor, member, partner: Actor, **data) -> Cooperation:
    listing = open_need(actor, member, **data)
    listing_fulfil(listing=listing, by=member, partners=[partner])
    return Cooperation.objects.get(listing=listing, partner=partner)


@pytest.fixture
def partner(other_member) -> Actor:
    return partner_of(other_member)


@pytest.fixture
def cooperation(actor, member, partner) -> Cooperation:
    return fulfilled(actor, member, partner)


@pytest.fixture
def confirmed(cooperation, other_member) -> Cooperation:
    services.cooperation_confirm(cooperation=cooperation, by=other_member)
    send_pending()
    mail.outbox.clear()
    return cooperation


def test_fulfilling_with_a_partner_proposes_a_cooperation_the_partner_is_asked_to_confirm(
    actor, member, partner, other_member
):
    cooperation = fulfilled(actor, member, partner)

    assert (cooperation.owner, cooperation.partner) == (actor, partner)
    assert cooperation.status == "proposed"
    assert cooperation.nature == "transport"
    assert cooperation.happened_on == timezone.localdate()
    send_pending()
    [message] = mail.outbox
    assert message.to == [other_member.email]
    assert actor.name in message.subject
    assert f"/espace/cooperations/{cooperation.pk}/" in message.body


def test_a_fulfilment_without_partner_proposes_nothing(actor, member):
    listing = open_need(actor, member)

    listing_fulfil(listing=listing, by=member, partners=[])

    assert not Cooperation.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_partner_confirms_once_even_with_a_double_click(cooperation, other_member, member):
    services.cooperation_confirm(cooperation=cooperation, by=other_member)
    with pytest.raises(ValidationError, match="déjà reçu une réponse"):
        services.cooperation_confirm(cooperation=cooperation, by=other_member)

    cooperation.refresh_from_db()
    assert cooperation.status == "confirmed"
    assert cooperation.confirmed_by == other_member
    assert cooperation.confirmed_at is not None
    send_pending()
    [message] = [m for m in mail.outbox if member.email in m.to]  # the owner, once
    assert "a confirmé" in message.subject


def test_a_contested_cooperation_is_never_counted_nor_confirmed(
    cooperation, other_member, member, network
):
    services.cooperation_decline(
        cooperation=cooperation, by=other_member, reason="Nous n'avons rien prêté."
    )

    with pytest.raises(ValidationError):
        services.cooperation_confirm(cooperation=cooperation, by=other_member)
    assert Cooperation.objects.get(pk=cooperation.pk).status == "declined"
    assert dashboard.confirmed_count(network) == 0
    mail.outbox.clear()
    send_pending()
    [message] = [m for m in mail.outbox if m.to == [member.email]]
    assert "Nous n'avons rien prêté." in message.body


def test_only_the_partners_members_answer(cooperation, member, animator, user):
    # The owner cannot confirm its own claim; an animator does not answer for a structure.
    for outsider in (member, animator, user):
        with pytest.raises(PermissionDenied):
            services.cooperation_confirm(cooperation=cooperation, by=outsider)
        with pytest.raises(PermissionDenied):
            services.cooperation_decline(cooperation=cooperation, by=outsider)
    assert Cooperation.objects.get(pk=cooperation.pk).status == "proposed"


def test_each_side_evaluates_once_confirmed(cooperation, actor, partner, member, other_member):
    data = {"brought": "Une collecte de plus.", "would_do_again": True, "hours": Decimal("6")}
    with pytest.raises(ValidationError, match="une fois confirmée"):
        services.evaluation_save(cooperation=cooperation, actor=actor, data=data, by=member)

    services.cooperation_confirm(cooperation=cooperation, by=other_member)
    services.evaluation_save(cooperation=cooperation, actor=actor, data=data, by=member)
    services.evaluation_save(
        cooperation=cooperation, actor=actor, data={**data, "hours": Decimal("8")}, by=member
    )
    services.evaluation_save(
        cooperation=cooperation,
        actor=partner,
        data={"value_eur": Decimal("150.00"), "would_do_again": False},
        by=other_member,
    )

    mine = Evaluation.objects.get(cooperation=cooperation, actor=actor)
    theirs = Evaluation.objects.get(cooperation=cooperation, actor=partner)
    assert (mine.hours, mine.by) == (Decimal("8"), member)
    assert (theirs.value_eur, theirs.would_do_again) == (Decimal("150.00"), False)


def test_a_side_is_evaluated_by_its_own_members_only(
    confirmed, actor, partner, member, other_member, animator, network, nantes
):
    data = {"brought": "Rien de spécial."}
    with pytest.raises(PermissionDenied):
        services.evaluation_save(cooperation=confirmed, actor=partner, data=data, by=member)
    with pytest.raises(PermissionDenied):
        services.evaluation_save(cooperation=confirmed, actor=actor, data=data, by=animator)
    third = ActorFactory(network=network, commune=nantes)
    someone = MembershipFactory(actor=third).user
    with pytest.raises(PermissionDenied):
        services.evaluation_save(cooperation=confirmed, actor=third, data=data, by=someone)
    assert not Evaluation.objects.exists()


def test_a_cooperation_shows_publicly_only_when_both_sides_agree(
    confirmed, actor, partner, member, other_member
):
    def shown() -> bool:
        return Cooperation.objects.shown_publicly().of_actor(actor).exists()

    assert not shown()  # opt-in: nobody agreed yet
    services.cooperation_visibility_set(cooperation=confirmed, actor=actor, shown=True, by=member)
    assert not shown()  # the partner has not agreed
    services.cooperation_visibility_set(
        cooperation=confirmed, actor=partner, shown=True, by=other_member
    )
    assert shown()
    services.cooperation_visibility_set(
        cooperation=confirmed, actor=partner, shown=False, by=other_member
    )
    assert not shown()
    with pytest.raises(PermissionDenied):
        services.cooperation_visibility_set(
            cooperation=confirmed, actor=partner, shown=False, by=member
        )


def test_a_proposed_cooperation_never_shows(cooperation, actor):
    assert not Cooperation.objects.shown_publicly().of_actor(actor).exists()


# --- The animators' counts ------------------------------------------------------------------


def _stored(listing: Listing, partner: Actor, *, on: date, status: str = "confirmed"):
    """A cooperation as the services store it, at a chosen date (the counts' months)."""
    return Cooperation.objects.create(
        listing=listing,
        owner=listing.actor,
        partner=partner,
        nature=listing.nature,
        happened_on=on,
        status=status,
        confirmed_at=timezone.now() if status == "confirmed" else None,
    )


@pytest.fixture
def counted(actor, member, partner, other_network):
    """Four cooperations of the network at known months, and some that must not count."""
    today = timezone.localdate()
    this_month = today.replace(day=1)
    lyon = ActorFactory(network=other_network, commune=other_network.communes.first())
    lyon_member = MembershipFactory(actor=lyon).user
    food = open_need(actor, member, nature="supply")
    food.sectors.set([sector("epicerie-solidaire"), sector("circuits-courts")])
    mixed = open_need(actor, member, nature="transport")
    mixed.sectors.set([sector("recyclerie"), sector("velo")])
    lorry = open_need(actor, member, nature="transport")
    lorry.sectors.set([sector("recyclerie")])
    elsewhere = open_need(lyon, lyon_member)
    # Both sides in the network: counted once.
    _stored(food, partner, on=this_month)
    # The partner from another network: it still is the network's evidence.
    _stored(mixed, lyon, on=this_month)
    _stored(lorry, partner, on=this_month - timezone.timedelta(days=1))  # last month
    # Not counted: proposed or declined, another network's only, older than the year.
    _stored(lorry, lyon, on=this_month, status="proposed")
    third = ActorFactory(network=actor.network, commune=actor.commune)
    _stored(food, third, on=this_month, status="declined")
    _stored(elsewhere, ActorFactory(network=other_network), on=this_month)
    _stored(food, lyon, on=today - timezone.timedelta(days=400))
    return this_month


def test_the_dashboard_counts_confirmed_cooperations_once_per_month_filiere_and_nature(
    network, counted
):
    figures = dashboard.cooperation_figures(network)

    assert figures.total == 4
    assert figures.last_year == 3
    months = {m.month: m.cooperations for m in figures.months}
    assert len(months) == 12 and max(months) == counted
    assert months[counted] == 2
    previous = (counted - timezone.timedelta(days=1)).replace(day=1)
    assert months[previous] == 1
    assert sum(months.values()) == 3
    by_filiere = {tally.label: tally.count for tally in figures.by_filiere}
    # Two sectors of one filière count once; a listing of two filières counts in each.
    assert by_filiere == {
        "Réemploi et recyclage": 2,
        "Alimentation et agriculture": 1,
        "Mobilité": 1,
    }
    assert {tally.key: tally.count for tally in figures.by_nature} == {
        "transport": 2,
        "supply": 1,
    }
    assert [bar.total for bar in figures.chart.bars][-2:] == [1, 2]


def test_the_csv_lists_the_networks_confirmed_cooperations_with_formulas_neutralised(
    actor, member, partner, other_member, network
):
    cooperation = fulfilled(actor, member, partner, title='=HYPERLINK("http://x")')
    services.cooperation_confirm(cooperation=cooperation, by=other_member)
    services.evaluation_save(
        cooperation=cooperation,
        actor=partner,
        data={"brought": "+33 6 12 34 56 78 à rappeler", "value_eur": Decimal("-20.50")},
        by=other_member,
    )

    text = "".join(dashboard.network_csv(network))

    assert text.startswith("\ufeff")
    header, row, *rest = text.lstrip("\ufeff").splitlines()
    assert rest == []
    cells = row.split(";")
    assert header.split(";")[:3] == ["Date", "Structure", "Partenaire"]
    assert cells[1:4] == [actor.name, partner.name, "Transport et logistique"]
    assert cells[5] == '"\'=HYPERLINK(""http://x"")"'
    assert "'+33 6 12 34 56 78 à rappeler" in cells
    assert "-20.50" in cells  # a number stays a number
