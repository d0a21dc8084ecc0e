"""The catalogue demo of `seed_demo` (issue 11), on the demo territory: a few hundred offers
and needs of every nature, mode and state, written by the structures whose sectors they
belong to, then the life around them (conversations, cooperations, joint needs, needs of
the territory: cooperation.seed.catalogue_demo_life).

Everything goes through the services a member uses. The seed's own writes: publication
dates spread over the last weeks (a catalogue published in one second would not look like
one), some listings made expired by moving their date back before the daily pass runs, and
the e-mails owed to the demo's fictional addresses closed unsent (cooperation.seed.demo).

Idempotent: a second run finds listings in the demo network and changes nothing.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from cooperation.models import Listing, ListingStatus
from cooperation.seed.catalogue_demo_life import catalogue_life_seed
from cooperation.seed.demo import ANIMATOR_EMAIL, close_demo_emails
from cooperation.seed.demo_listings_data import LISTINGS, DemoListing
from cooperation.services import listings as services
from directory.models import Actor, Membership, Network, Sector
from directory.seed.common import exclusive
from directory.seed.demo import DEMO_NETWORK_SLUG
from ess_platform.lib.outbox.models import OutboxMessage

L = ListingStatus
# How many structures publish each text of demo_listings_data (about 280 listings).
COPIES = 7
# The share of each final state, the rest stays open.
STATES = [
    (L.IN_DISCUSSION, 0.08),
    (L.FULFILLED, 0.10),
    (L.EXPIRED, 0.05),
    (L.WITHDRAWN, 0.04),
]
DRAFT_SHARE = 0.05
MEMBERS_ONLY_SHARE = 0.2
ELSEWHERE_SHARE = 0.15


@dataclass
class CatalogueDemoReport:
    ready: bool
    created: bool = False
    by_status: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def catalogue_demo_seed(*, seed: int = 2026) -> CatalogueDemoReport:
    with exclusive("seed_demo.catalogue"):
        start = time.perf_counter()
        network = Network.objects.filter(slug=DEMO_NETWORK_SLUG).first()
        animator = (
            network.animators.filter(email__iexact=ANIMATOR_EMAIL).first() if network else None
        )
        if network is None or animator is None or not network.actors.published().exists():
            return CatalogueDemoReport(ready=False)
        created = not Listing.objects.filter(actor__network=network).exists()
        if created:
            with transaction.atomic():
                last_email = OutboxMessage.objects.aggregate(last=Max("pk"))["last"] or 0
                listings = _listings(random.Random(seed), network, animator)
                _life(random.Random(seed + 1), network, animator, listings)
                close_demo_emails(after=last_email)
        counts = dict(
            Listing.objects.filter(actor__network=network)
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        return CatalogueDemoReport(
            ready=True,
            created=created,
            by_status={str(L(status).label): n for status, n in sorted(counts.items())},
            seconds=time.perf_counter() - start,
        )


def _writer(actor: Actor, animator):
    """Who writes for the structure: its first member, or the animator acting for it."""
    membership = Membership.objects.filter(actor=actor).select_related("user").first()
    return membership.user if membership else animator


def _publishers(network: Network) -> dict[str, list[Actor]]:
    """The network's published structures by sector slug."""
    by_sector: dict[str, list[Actor]] = {}
    actors = network.actors.published().prefetch_related("sectors").order_by("pk")
    for actor in actors:
        for sector in actor.sectors.all():
            by_sector.setdefault(sector.slug, []).append(actor)
    return by_sector


def _listings(rng: random.Random, network: Network, animator) -> list[Listing]:
    by_sector = _publishers(network)
    everyone = list(network.actors.published().order_by("pk"))
    communes = list({a.commune for a in everyone})
    sectors = {s.slug: s for s in Sector.objects.leaves()}
    now = timezone.now()
    made = []
    for spec in LISTINGS:
        pool = by_sector.get(spec.sector) or everyone
        for actor in rng.sample(pool, min(COPIES, len(pool))):
            listing = services.listing_create(
                actor=actor,
                by=_writer(actor, animator),
                data=_data(rng, spec, actor, communes),
                sectors=[sectors[spec.sector]] if spec.sector in sectors else (),
                publish=rng.random() >= DRAFT_SHARE,
                alert=False,
            )
            if listing.status == L.DRAFT:
                continue
            # Published over the last eleven weeks, as a catalogue fills up.
            published_at = now - timedelta(days=rng.randint(0, 77), hours=rng.randint(0, 23))
            Listing.objects.filter(pk=listing.pk).update(
                published_at=published_at,
                expires_at=published_at + services.listing_lifetime(),
            )
            listing.refresh_from_db()
            made.append(listing)
    _final_states(rng, made, animator, everyone)
    return made


def _data(rng: random.Random, spec: DemoListing, actor: Actor, communes) -> dict:
    data = {
        "kind": spec.kind,
        "nature": spec.nature,
        "mode": spec.mode,
        "audience": spec.audience,
        "title": spec.title,
        "description": spec.description,
        "quantity": spec.quantity,
        "unit": spec.unit,
        "recurrence": spec.recurrence,
        "price_kind": spec.price_kind,
        "price": spec.price,
        "area_km": rng.choice([10, 15, 20, 30, 50]),
        "visibility": "network" if rng.random() < MEMBERS_ONLY_SHARE else "public",
    }
    if rng.random() < ELSEWHERE_SHARE:
        data["commune"] = rng.choice(communes)
    today = timezone.localdate()
    if rng.random() < 0.4:
        start = today + timedelta(days=rng.randint(-10, 40))
        data["available_from"] = start
        data["available_until"] = start + timedelta(days=rng.randint(14, 120))
    return data


def _final_states(rng, listings: list[Listing], animator, everyone: list[Actor]) -> None:
    rng.shuffle(listings)
    start = 0
    for status, share in STATES:
        chosen = listings[start : start + round(len(listings) * share)]
        start += len(chosen)
        for listing in chosen:
            by = _writer(listing.actor, animator)
            if status == L.IN_DISCUSSION:
                services.listing_discuss(listing=listing, by=by)
            elif status == L.FULFILLED:
                partner = rng.choice([a for a in everyone if a.pk != listing.actor_id])
                services.listing_fulfil(listing=listing, by=by, partners=[partner])
            elif status == L.WITHDRAWN:
                services.listing_withdraw(
                    listing=listing, by=by, reason="Le besoin a été couvert autrement."
                )
            elif status == L.EXPIRED:
                past = timezone.now() - timedelta(days=rng.randint(1, 20))
                Listing.objects.filter(pk=listing.pk).update(expires_at=past)
    services.listings_expiry_pass()


def _life(rng, network: Network, animator, listings: list[Listing]) -> None:
    """Conversations, cooperations, joint needs and needs of the territory, on the
    listings as their states now stand."""
    listings = list(Listing.objects.filter(pk__in=[x.pk for x in listings]).order_by("pk"))
    catalogue_life_seed(rng, network=network, animator=animator, listings=listings)
