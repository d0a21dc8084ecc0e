"""The life around the catalogue demo's listings: conversations between structures about
them, the cooperations of the fulfilled ones confirmed (most) and evaluated, joint needs
with their participants, and needs of the territory posted and supported by inhabitants.
Through the services, as people do; texts are French data."""

import random
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from cooperation.models import Cooperation, Listing, ListingKind, ListingStatus
from cooperation.services import conversations, cooperations, joint_needs, territory_needs
from directory.models import Actor, Commune, Membership, Network
from directory.seed.demo import DEMO_PASSWORD

L = ListingStatus
QUESTIONS = [
    "Bonjour, votre annonce nous intéresse. Est-ce encore d'actualité ?",
    "Bonjour, nous pourrions répondre à ce besoin. Pouvons-nous en parler cette semaine ?",
    "Bonjour, à quelles conditions ? Nous sommes à quelques kilomètres.",
]
ANSWERS = [
    "Bonjour, oui, toujours d'actualité. Je vous appelle demain matin ?",
    "Merci ! Passez nous voir mardi, nous vous montrerons.",
    "Avec plaisir : les conditions sont souples entre structures du réseau.",
]
EVALUATIONS = [
    ("Un coup de main au bon moment, et un partenaire que nous ne connaissions pas.", "8 h"),
    ("Moins de gaspillage et un lien durable entre nos deux équipes.", "120 kg"),
    ("Un équipement qui dormait a servi : nous recommencerons.", "3 journées"),
]
TERRITORY_NEEDS = [
    ("Une recyclerie à Rezé", "Rien pour déposer meubles et objets au sud de la Loire.", "Rezé"),
    (
        "Un garage solidaire",
        "Réparer sa voiture à prix juste quand on en dépend.",
        "Saint-Herblain",
    ),
    ("Une épicerie solidaire à Orvault", "Le quartier n'a plus de commerce accessible.", "Orvault"),
    ("Un repair café mensuel", "Apprendre à réparer plutôt que jeter.", "Nantes"),
    ("Un atelier vélo", "Pour apprendre à entretenir son vélo, en bas de chez soi.", "Bouguenais"),
    ("Une cantine de quartier", "Un repas chaud et pas cher, et des voisins.", "Nantes"),
]
INHABITANTS = 12


def catalogue_life_seed(
    rng: random.Random, *, network: Network, animator, listings: list[Listing]
) -> None:
    writers = _writers(network)
    _conversations(rng, listings, writers)
    _cooperations(rng, network)
    _joint_needs(rng, listings, writers)
    _territory_needs(rng, network, animator)


def _writers(network: Network) -> dict[int, object]:
    """Each published structure's first member, by structure."""
    writers: dict[int, object] = {}
    memberships = Membership.objects.filter(
        actor__network=network, actor__status="published"
    ).select_related("user", "actor")
    for membership in memberships.order_by("pk"):
        writers.setdefault(membership.actor_id, membership.user)
    return writers


def _conversations(rng, listings: list[Listing], writers: dict) -> None:
    """About a quarter of the live listings were asked about by a structure of the
    network; most were answered."""
    live = [
        listing
        for listing in listings
        if listing.status in (L.OPEN, L.IN_DISCUSSION) and listing.actor_id in writers
    ]
    askers = list(Actor.objects.filter(pk__in=writers).order_by("pk"))
    rng.shuffle(askers)
    for i, listing in enumerate(rng.sample(live, len(live) // 4)):
        # Each structure asks once or twice: within the hourly limit of new conversations.
        asker = askers[i % len(askers)]
        if asker.pk == listing.actor_id:
            asker = askers[(i + 1) % len(askers)]
        conversation = conversations.conversation_start(
            from_actor=asker,
            to_actor=listing.actor,
            subject=listing.title,
            body=rng.choice(QUESTIONS),
            by=writers[asker.pk],
            listing=listing,
        )
        if rng.random() < 0.7:
            conversations.message_send(
                conversation=conversation,
                sender_actor=listing.actor,
                body=rng.choice(ANSWERS),
                by=writers[listing.actor_id],
            )


def _cooperations(rng, network: Network) -> None:
    """The partners confirm most fulfilled listings and both sides often evaluate them."""
    proposed = Cooperation.objects.filter(owner__network=network).select_related("owner", "partner")
    for cooperation in proposed.order_by("pk"):
        partner_member = Membership.objects.filter(actor=cooperation.partner).first()
        owner_member = Membership.objects.filter(actor=cooperation.owner).first()
        if partner_member is None or rng.random() < 0.15:
            continue  # still waiting for the partner
        # The seed's own write: cooperations spread over the last ten months, as a
        # network's record fills up (the services date them the day of fulfilment).
        cooperation.happened_on = timezone.localdate() - timedelta(days=rng.randint(0, 300))
        Cooperation.objects.filter(pk=cooperation.pk).update(happened_on=cooperation.happened_on)
        cooperation = cooperations.cooperation_confirm(
            cooperation=cooperation, by=partner_member.user
        )
        if owner_member is not None and rng.random() < 0.8:
            # Most agree to show it on both pages (opt-in, each side).
            for actor, member in (
                (cooperation.owner, owner_member),
                (cooperation.partner, partner_member),
            ):
                cooperations.cooperation_visibility_set(
                    cooperation=cooperation, actor=actor, shown=True, by=member.user
                )
        for actor, member in (
            (cooperation.owner, owner_member),
            (cooperation.partner, partner_member),
        ):
            if member is None or rng.random() < 0.4:
                continue
            brought, quantity = rng.choice(EVALUATIONS)
            cooperations.evaluation_save(
                cooperation=cooperation,
                actor=actor,
                data={
                    "brought": brought,
                    "would_do_again": rng.random() < 0.9,
                    "quantity": quantity,
                    "hours": Decimal(rng.choice([4, 8, 16, 35])),
                },
                by=member.user,
            )


def _joint_needs(rng, listings: list[Listing], writers: dict) -> None:
    """A few open needs of goods and supplies became group purchases that others joined."""
    today = timezone.localdate()
    candidates = [
        listing
        for listing in listings
        if listing.kind == ListingKind.NEED
        and listing.status == L.OPEN
        and listing.nature in ("goods", "supply", "equipment")
        and listing.quantity
        and listing.visibility == "public"
        and listing.actor_id in writers
    ]
    joiners = list(Actor.objects.filter(pk__in=writers).order_by("pk"))
    for listing in rng.sample(candidates, min(6, len(candidates))):
        closes_on = min(today + timedelta(days=rng.randint(10, 30)), listing.expires_at.date())
        joint_needs.joint_need_open(
            listing=listing, closes_on=closes_on, by=writers[listing.actor_id]
        )
        for actor in rng.sample(joiners, 4):
            if actor.pk == listing.actor_id:
                continue
            joint_needs.joint_need_join(
                listing=listing,
                by=writers[actor.pk],
                actor=actor,
                quantity=(listing.quantity * Decimal(rng.choice(["0.5", "1", "2"]))).quantize(
                    Decimal("1")
                )
                or Decimal(1),
            )


def _inhabitants() -> list:
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    people = []
    for i in range(1, INHABITANTS + 1):
        email = f"habitant{i}@example.org"
        user, created = User.objects.get_or_create(
            username=email, defaults={"email": email, "password": password}
        )
        if created:
            # Verified, as allauth requires to sign in (the demo's addresses receive nothing).
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        people.append(user)
    return people


def _territory_needs(rng, network: Network, animator) -> None:
    """Needs posted by inhabitants, supported by others; the animators turned one into a
    project of the network."""
    inhabitants = _inhabitants()
    communes = {c.name: c for c in Commune.objects.filter(name__in=[n[2] for n in TERRITORY_NEEDS])}
    posted = []
    for i, (title, description, commune) in enumerate(TERRITORY_NEEDS):
        if commune not in communes:
            continue
        need = territory_needs.territory_need_post(
            data={"title": title, "description": description, "commune": communes[commune]},
            by=inhabitants[i % len(inhabitants)],
        )
        for supporter in rng.sample(inhabitants, rng.randint(1, len(inhabitants) - 1)):
            territory_needs.territory_need_support(need=need, by=supporter)
        posted.append(need)
    if posted and network.pk == posted[0].network_id:
        territory_needs.territory_need_decide(
            need=posted[0],
            by=animator,
            status="project",
            outcome="Le pôle réunit les recycleries du territoire en janvier pour étudier un "
            "site au sud de la Loire.",
        )
