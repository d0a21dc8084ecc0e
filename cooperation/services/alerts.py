"""Alerts of new listings: what each member wants to hear about, and the fan-out that tells
them when a listing is published.

The fan-out (`listing_alerts_send`, run by the task services.listings.listing_publish
queues on commit):
1. the structures the listing matches (cooperation.matching.matching_actors: a shared
   sector or filière, within reach), best first;
2. their members an e-mail can reach, but not the listing's own structure's, and, for a
   members-only listing, only those who may see it (members of a structure of its network,
   its animators);
3. each person once, with the reasons of the best of their structures, filtered by their
   preferences (kinds, natures, sectors, distance; no preference set: the defaults of
   models.alerts); "never" hears nothing;
4. one e-mail owed per person through the outbox: at once, or a line of the day's digest.
   The key `cooperation.listing-alert:<listing>:<user>` makes a rerun (a redelivered task,
   a listing published again after it expired) owe nothing twice.

Queries: a fixed number, whatever the number of structures and people (the reads are
bulk, the e-mails are owed with `owe_many`: one read of the known keys and one insert per
500). Rendering the e-mails is the part that grows with the number of people.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.matching import Match, Target, matching_actors, taxonomy
from cooperation.models import AlertKinds, AlertPreference, Frequency, Listing, Nature
from cooperation.models.listings import Visibility
from directory.models import Membership, Network, Status
from ess_platform.lib.mail import absolute_url
from ess_platform.lib.outbox.sending import Owed, owe_many

PREFERENCE_FIELDS = ("frequency", "kinds", "natures", "distance_km")
# The structures a listing alerts at most (the best matches first): beyond, the alert is
# no longer news for anyone in particular.
ALERT_ACTORS_MAX = 10_000
EMAIL_TEMPLATE = "cooperation/alerts/emails/new_listing"


@transaction.atomic
def alert_preference_save(
    *, user: AbstractBaseUser, data: dict, sectors=(), by: AbstractBaseUser
) -> AlertPreference:
    """A person sets what they want to hear about; only for themselves."""
    if not by.is_authenticated or by.pk != user.pk:
        raise PermissionDenied
    unknown = set(data) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    natures = list(data.get("natures") or [])
    if any(nature not in Nature.values for nature in natures):
        raise ValidationError({"natures": _("Choisissez des natures de la liste.")})
    preference, _created = AlertPreference.objects.select_for_update().get_or_create(user=user)
    for name, value in data.items():
        setattr(preference, name, value)
    preference.natures = sorted(set(natures))
    preference.full_clean(exclude=["user", "sectors"])
    preference.save()
    preference.sectors.set(sectors)
    return preference


@dataclass
class AlertReport:
    actors: int = 0  # structures the listing matches
    people: int = 0  # their members it may reach (after the listing's own and visibility)
    immediate: int = 0  # e-mails owed now
    daily: int = 0  # lines owed to the day's digests
    declined: int = 0  # people whose preferences leave it out (or already alerted)


def _wants(preference: AlertPreference, sector_ids: set[int], listing, match, target) -> bool:
    """Whether a person's preferences accept this listing (`sector_ids`: theirs)."""
    if preference.frequency == Frequency.NEVER:
        return False
    if preference.kinds != AlertKinds.BOTH and preference.kinds != listing.kind:
        return False
    if preference.natures and listing.nature not in preference.natures:
        return False
    if sector_ids and not sector_ids & (target.sector_ids | target.filiere_ids):
        return False
    return match.distance_km <= preference.distance_km


def _who_may_see(listing: Listing, user_ids: set[int]) -> set[int]:
    """Among `user_ids`, who sees a members-only listing (as ListingQuerySet.visible_to):
    members of a published structure of its network, its animators, superusers (three
    queries)."""
    network_id = listing.actor.network_id
    members = Membership.objects.filter(
        user_id__in=user_ids, actor__network_id=network_id, actor__status=Status.PUBLISHED
    )
    animators = Network.animators.through.objects.filter(
        network_id=network_id, user_id__in=user_ids
    )
    superusers = get_user_model().objects.filter(pk__in=user_ids, is_superuser=True)
    return (
        set(members.values_list("user_id", flat=True))
        | set(animators.values_list("user_id", flat=True))
        | set(superusers.values_list("pk", flat=True))
    )


def _people(listing: Listing, matches: list[Match]) -> dict[int, tuple[Match, str]]:
    """{user: (the best match among their structures, address)}: members an e-mail can
    reach, not the listing's own structure's, who may see the listing."""
    by_actor = {match.actor.pk: match for match in matches}
    own = set(
        Membership.objects.filter(actor_id=listing.actor_id).values_list("user_id", flat=True)
    )
    rows = (
        Membership.objects.reachable()
        .filter(actor_id__in=list(by_actor))
        .values_list("user_id", "actor_id", "user__email")
    )
    people: dict[int, tuple[Match, str]] = {}
    for user_id, actor_id, email in rows:
        match = by_actor[actor_id]
        if user_id in own:
            continue
        best = people.get(user_id)
        if best is None or (match.score, -match.actor.pk) > (best[0].score, -best[0].actor.pk):
            people[user_id] = (match, email)
    if listing.visibility != Visibility.PUBLIC and people:
        allowed = _who_may_see(listing, set(people))
        people = {user_id: found for user_id, found in people.items() if user_id in allowed}
    return people


def listing_alerts_send(*, listing_id: int, as_of: datetime | None = None) -> AlertReport:
    """Owe the alerts of a newly published listing (see the module's docstring). Nothing
    when it left the catalogue meanwhile. Safe to rerun."""
    as_of = as_of or timezone.now()
    report = AlertReport()
    listing = (
        Listing.objects.live(as_of=as_of)
        .select_related("actor", "commune")
        .filter(pk=listing_id)
        .first()
    )
    if listing is None:
        return report
    sectors = taxonomy()
    target = Target.of_listing(listing, sectors=sectors)
    matches = matching_actors(
        target, sectors=sectors, exclude=[listing.actor_id], limit=ALERT_ACTORS_MAX
    )
    report.actors = len(matches)
    people = _people(listing, matches)
    report.people = len(people)
    preferences = {p.user_id: p for p in AlertPreference.objects.of_users(people)}
    url = absolute_url(reverse("cooperation:listing_detail", args=[listing.pk]))
    settings_url = absolute_url(reverse("cooperation:alert_preferences"))
    immediate, daily = [], []
    for user_id, (match, email) in sorted(people.items()):
        preference = preferences.get(user_id)
        chosen = {s.pk for s in preference.sectors.all()} if preference else set()
        if not _wants(preference or AlertPreference(), chosen, listing, match, target):
            report.declined += 1
            continue
        owed = Owed(
            key=f"cooperation.listing-alert:{listing.pk}:{user_id}",
            to=[email],
            template=EMAIL_TEMPLATE,
            context={
                "listing": listing,
                "match": match,
                "url": url,
                "settings_url": settings_url,
            },
        )
        frequency = preference.frequency if preference else AlertPreference().frequency
        (immediate if frequency == Frequency.IMMEDIATE else daily).append(owed)
    with transaction.atomic():
        report.immediate = owe_many(immediate)
        report.daily = owe_many(daily, digest_day=timezone.localdate(as_of))
    report.declined += len(immediate) + len(daily) - report.immediate - report.daily
    return report
