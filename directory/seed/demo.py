"""Demo territory and benchmark volumes for `manage.py seed_demo` (DESIGN.md §6).

Two independent loads, both deterministic (`random.Random(seed)`) and idempotent:

- `demo_seed()`: the "Pôle ESS Nantes Métropole" network, its 24 communes, a few hundred
  actors with realistic French data, demo users who can sign in, and members.
- `bench_seed()`: N synthetic published actors over all of France in a separate network,
  loaded in batches with bulk inserts, for the benchmarks (docs/benchmarks.md).

Actors come in through `services.actors.actors_insert`, the one way actors are created
(slugs, search text, sectors, history, search vocabulary), in batches; the map cells are
rebuilt once at the end of each load (`map_cells_rebuild()`).
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from directory.models import (
    Actor,
    ActorChange,
    Commune,
    FreshnessSnapshot,
    LegalForm,
    Membership,
    Network,
    Role,
    Sector,
    Status,
)
from directory.seed.common import (
    WeightedCommunes,
    analyze,
    capacity,
    confirmation,
    de,
    ensure_communes,
    exclusive,
    jitter,
    phone,
    postcode_of,
    siret_generator,
)
from directory.seed.demo_data import (
    ADDED_VALUES,
    FIRST_NAMES,
    HISTORIES,
    LABELS_BY_FORM,
    LAST_NAMES,
    NANTES_PLACES,
    OPENING_HOURS,
    SECTOR_PROFILES,
    STREETS,
    SURROUNDING_PLACES,
)
from directory.services import history
from directory.services.actors import actors_insert
from directory.services.map import map_cells_rebuild
from ess_platform.lib.text import normalize

DEMO_NETWORK_SLUG = "pole-ess-nantes"
DEMO_NETWORK_NAME = "Pôle ESS Nantes Métropole"
DEMO_PASSWORD = "demo-ess-2026"  # noqa: S105 - printed on purpose: demo data only
DEMO_ACTORS = 340
LOCAL_CURRENCY = "La Muscade (monnaie locale nantaise)"
# The history note of the actors the seed creates.
DEMO_NOTE = "Données de démonstration"

# The 24 communes of Nantes Métropole. The name wins over the code: a wrong code is
# corrected by looking the name up in department 44 (see `_resolve_communes`).
NANTES_METROPOLE = [
    ("44109", "Nantes"),
    ("44143", "Rezé"),
    ("44162", "Saint-Herblain"),
    ("44190", "Saint-Sébastien-sur-Loire"),
    ("44114", "Orvault"),
    ("44215", "Vertou"),
    ("44047", "Couëron"),
    ("44020", "Bouguenais"),
    ("44026", "Carquefou"),
    ("44035", "La Chapelle-sur-Erdre"),
    ("44172", "Sainte-Luce-sur-Loire"),
    ("44018", "Bouaye"),
    ("44009", "Basse-Goulaine"),
    ("44166", "Saint-Jean-de-Boiseau"),
    ("44204", "Thouaré-sur-Loire"),
    ("44198", "Les Sorinières"),
    ("44120", "Le Pellerin"),
    ("44074", "Indre"),
    ("44101", "La Montagne"),
    ("44194", "Sautron"),
    ("44024", "Brains"),
    ("44150", "Saint-Aignan-Grandlieu"),
    ("44171", "Saint-Léger-les-Vignes"),
    ("44094", "Mauves-sur-Loire"),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    role: str
    actor_name: str = ""  # the structure this person owns, if any
    superuser: bool = False
    animator: bool = False


# Hand-written structures: the demo users own two of them, the others are the examples
# people look for first. (name, commune INSEE code, sector slugs, legal form)
NAMED_ACTORS = [
    ("Recyclerie du Port", "44109", ["recyclerie", "reparation"], LegalForm.ASSOCIATION),
    ("Épicerie solidaire L'Épi de Rezé", "44143", ["epicerie-solidaire"], LegalForm.ASSOCIATION),
    ("Recyclerie de la Chézine", "44162", ["recyclerie"], LegalForm.SIAE),
    ("SCOP Menuiserie du Sillon", "44162", ["batiment", "materiaux-biosources"], LegalForm.SCOP),
    (
        "Les Jardins de Cocagne de Vertou",
        "44215",
        ["agriculture-biologique", "chantier-insertion"],
        LegalForm.SIAE,
    ),
    ("Atelier vélo de Trentemoult", "44143", ["velo"], LegalForm.ASSOCIATION),
    ("Énergie Citoyenne de l'Erdre", "44035", ["energie-citoyenne"], LegalForm.SCIC),
    (
        "Tiers-lieu La Cale de Chantenay",
        "44109",
        ["tiers-lieux", "spectacle-vivant"],
        LegalForm.SCIC,
    ),
]

DEMO_USERS = [
    DemoUser("admin@demo.ess", "administrateur (superuser)", superuser=True),
    DemoUser("animation@demo.ess", f"animatrice du {DEMO_NETWORK_NAME}", animator=True),
    DemoUser("membre@demo.ess", "responsable de la structure", actor_name="Recyclerie du Port"),
    DemoUser(
        "membre2@demo.ess",
        "responsable de la structure",
        actor_name="Épicerie solidaire L'Épi de Rezé",
    ),
    DemoUser("citoyen@demo.ess", "citoyen, sans structure"),
]

DRAFTS, PENDING = 6, 5


@dataclass
class SeedReport:
    created: bool
    actors: int
    published: int
    members: int = 0
    corrected_codes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _resolve_communes() -> tuple[list[Commune], list[str]]:
    """The 24 communes, checking each code against its name; returns corrections made."""
    by_code = Commune.objects.in_bulk([code for code, _name in NANTES_METROPOLE])
    communes, corrections = [], []
    for code, name in NANTES_METROPOLE:
        commune = by_code.get(code)
        if commune is None or normalize(commune.name) != normalize(name):
            found = Commune.objects.filter(search_name=normalize(name), department="44").first()
            if found is None:
                raise LookupError(f"Commune {name} ({code}) is missing from the commune table.")
            corrections.append(f"{name}: {code} -> {found.insee}")
            commune = found
        communes.append(commune)
    return communes, corrections


def _demo_place(rng: random.Random, commune: Commune) -> str:
    if commune.insee == "44109":
        return rng.choice(NANTES_PLACES)
    return de(commune.name) if rng.random() < 0.6 else rng.choice(SURROUNDING_PLACES)


def _primary_sectors(rng: random.Random, leaves: list[Sector], total: int) -> list[Sector]:
    """Each sector at least five times, the rest drawn at random, in shuffled order."""
    picks = [s for s in leaves for _ in range(5)]
    picks += [rng.choice(leaves) for _ in range(max(total - len(picks), 0))]
    rng.shuffle(picks)
    return picks


def _legal_form_for(rng: random.Random, profile: dict) -> str:
    return rng.choice(profile["forms"]) if rng.random() < 0.85 else rng.choice(LegalForm.values)


def _demo_actor(
    rng: random.Random,
    *,
    network: Network,
    name: str,
    commune: Commune,
    sectors: list[Sector],
    legal_form: str,
    now: datetime,
    new_siret: Callable[[], str],
) -> Actor:
    profile = SECTOR_PROFILES[sectors[0].slug]
    lat, lon = jitter(rng, commune.lat, commune.lon)
    short = rng.choice(profile["descriptions"]).format(commune=commune.name)
    headcount, turnover, volunteers = capacity(rng, legal_form)
    keywords = rng.sample(profile["keywords"], k=min(len(profile["keywords"]), rng.randint(3, 5)))
    labels = [label for label in profile.get("labels", []) if rng.random() < 0.5]
    labels += [label for label in LABELS_BY_FORM.get(legal_form, []) if rng.random() < 0.6]
    slug_host = slugify(name)[:50].strip("-")
    actor = Actor(
        network=network,
        name=name,
        legal_form=legal_form,
        siret=new_siret() if rng.random() < 0.65 else "",
        short_description=short[:280],
        description=" ".join(
            [
                short,
                rng.choice(HISTORIES).format(year=rng.randint(1982, 2023), commune=commune.name),
                rng.choice(ADDED_VALUES),
            ]
        ),
        keywords=", ".join(keywords),
        website=f"https://{slug_host}.example.org/" if rng.random() < 0.7 else "",
        email=f"contact@{slug_host}.example.org" if rng.random() < 0.8 else "",
        phone=phone(rng) if rng.random() < 0.85 else "",
        address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        postcode=postcode_of(rng, commune),
        commune=commune,
        lat=lat,
        lon=lon,
        intervention_radius_km=rng.choice([5, 10, 15, 20, 30, 50]),
        headcount_band=headcount,
        turnover_band=turnover,
        volunteers=volunteers,
        labels=", ".join(dict.fromkeys(labels)),
        offer="\n".join(rng.sample(profile["offers"], k=min(3, len(profile["offers"])))),
        added_value="\n".join(rng.sample(ADDED_VALUES, k=2)),
        opening_hours=rng.choice(OPENING_HOURS),
        local_currencies=LOCAL_CURRENCY if rng.random() < 0.3 else "",
        status=Status.PUBLISHED,
        **confirmation(rng, now),
    )
    return actor


def _demo_actors(rng: random.Random, network: Network, communes: list[Commune]) -> list[Actor]:
    now = timezone.now()
    leaves = list(Sector.objects.leaves().order_by("parent__position", "position"))
    by_slug = {s.slug: s for s in leaves}
    by_code = {c.insee: c for c in communes}
    weighted = WeightedCommunes(communes)
    new_siret = siret_generator(
        rng, set(Actor.objects.exclude(siret="").values_list("siret", flat=True))
    )
    names: set[str] = set()
    actors: list[tuple[Actor, list[Sector]]] = []

    def add(actor: Actor, sectors: list[Sector]) -> None:
        names.add(actor.name)
        actors.append((actor, sectors))

    for name, code, sector_slugs, legal_form in NAMED_ACTORS:
        sectors = [by_slug[s] for s in sector_slugs]
        add(
            _demo_actor(
                rng,
                network=network,
                name=name,
                commune=by_code[code],
                sectors=sectors,
                legal_form=legal_form,
                now=now,
                new_siret=new_siret,
            ),
            sectors,
        )
    for primary in _primary_sectors(rng, leaves, DEMO_ACTORS - len(NAMED_ACTORS)):
        profile = SECTOR_PROFILES[primary.slug]
        legal_form = _legal_form_for(rng, profile)
        for _attempt in range(20):
            commune = weighted.draw(rng)
            name = rng.choice(profile["names"]).format(de=_demo_place(rng, commune))
            if legal_form in (LegalForm.SCOP, LegalForm.SCIC) and rng.random() < 0.4:
                prefix = str(LegalForm(legal_form).label)
                name = name if name.startswith(prefix) else f"{prefix} {name}"
            if name not in names:
                break
        sectors = [primary]
        if rng.random() < 0.35:
            # Mostly a neighbouring sector of the same filière, as real structures are.
            siblings = [s for s in leaves if s.parent_id == primary.parent_id and s != primary]
            others = siblings if siblings and rng.random() < 0.7 else leaves
            sectors.append(rng.choice([s for s in others if s != primary]))
        add(
            _demo_actor(
                rng,
                network=network,
                name=name,
                commune=commune,
                sectors=sectors,
                legal_form=legal_form,
                now=now,
                new_siret=new_siret,
            ),
            sectors,
        )
    _cover_legal_forms(rng, actors)
    # A few profiles in the workflow, never the named ones (the demo users own two of them).
    unnamed = [a for a, _s in actors[len(NAMED_ACTORS) :]]
    for actor in rng.sample(unnamed, DRAFTS + PENDING)[:DRAFTS]:
        actor.status = Status.DRAFT
    for actor in [a for a in unnamed if a.status == Status.PUBLISHED][-PENDING:]:
        actor.status = Status.PENDING
    # The map cells are rebuilt once the whole demo is loaded (see _demo_seed).
    return actors_insert(
        actors=[a for a, _s in actors],
        sectors=[sectors for _a, sectors in actors],
        by=None,
        source=ActorChange.Source.CREATION,
        note=DEMO_NOTE,
        map_cells=False,
    )


def _cover_legal_forms(rng: random.Random, actors: list[tuple[Actor, list[Sector]]]) -> None:
    """Every legal form appears at least once (re-labelling generated actors if needed)."""
    present = {a.legal_form for a, _s in actors}
    candidates = [
        pair for pair in actors[len(NAMED_ACTORS) :] if pair[0].legal_form == LegalForm.ASSOCIATION
    ]
    for legal_form in LegalForm.values:
        if legal_form not in present and candidates:
            actor, _sectors = candidates.pop(rng.randrange(len(candidates)))
            actor.legal_form = legal_form


def _member_users(rng: random.Random, actors: list[Actor], password_hash: str) -> int:
    """One or two members for most structures, all able to sign in with the demo password."""
    User = get_user_model()
    taken = set(User.objects.values_list("email", flat=True))
    pairs: list[tuple[str, Actor, str]] = []
    for actor in actors:
        if rng.random() > 0.75:
            continue
        for index in range(rng.choice([1, 1, 1, 2])):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            local = slugify(f"{first}.{last}").replace("-", ".") or "membre"
            email, n = f"{local}@example.org", 1
            while email in taken:
                n += 1
                email = f"{local}{n}@example.org"
            taken.add(email)
            pairs.append((email, actor, Role.OWNER if index == 0 else Role.EDITOR))
    users = User.objects.bulk_create(
        [User(username=email, email=email, password=password_hash) for email, _a, _r in pairs],
        batch_size=500,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=500,
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, actor=actor, role=role)
            for u, (_e, actor, role) in zip(users, pairs, strict=True)
        ],
        batch_size=500,
    )
    return len(users)


def ensure_demo_users(network: Network) -> list[tuple[DemoUser, str]]:
    """Create the demo users that are missing; never touch existing ones (their password
    may have been changed on purpose). Returns each user with what they can do."""
    User = get_user_model()
    password_hash = None
    result = []
    for demo in DEMO_USERS:
        user = User.objects.filter(email__iexact=demo.email).first()
        if user is None:
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user = User.objects.create(
                username=demo.email,
                email=demo.email,
                password=password_hash,
                is_superuser=demo.superuser,
                is_staff=demo.superuser,
            )
            EmailAddress.objects.create(user=user, email=demo.email, verified=True, primary=True)
            if demo.animator:
                network.animators.add(user)
            if demo.actor_name:
                actor = network.actors.filter(name=demo.actor_name).first()
                if actor is not None:
                    Membership.objects.get_or_create(
                        user=user, actor=actor, defaults={"role": Role.OWNER}
                    )
        detail = demo.role
        if demo.actor_name:
            actor = network.actors.filter(name=demo.actor_name, memberships__user=user).first()
            where = f"{actor.name}, {actor.commune.name}" if actor else "structure introuvable"
            detail = f"{demo.role} « {where} »"
        result.append((demo, detail))
    return result


def demo_seed(*, seed: int = 2026) -> SeedReport:
    """Create the demo territory unless it exists; returns what was there or was made."""
    with exclusive("seed_demo.demo"):
        return _demo_seed(seed=seed)


def _demo_seed(*, seed: int) -> SeedReport:
    start = time.perf_counter()
    network = Network.objects.filter(slug=DEMO_NETWORK_SLUG).first()
    if network is not None and network.actors.exists():
        return SeedReport(
            created=False,
            actors=network.actors.count(),
            published=network.actors.published().count(),
        )
    rng = random.Random(seed)
    with transaction.atomic():
        ensure_communes()
        communes, corrections = _resolve_communes()
        network, _created = Network.objects.get_or_create(
            slug=DEMO_NETWORK_SLUG,
            defaults={
                "name": DEMO_NETWORK_NAME,
                "description": (
                    "Le pôle territorial de l'économie sociale et solidaire des 24 communes "
                    "de Nantes Métropole : associations, coopératives, mutuelles, fondations "
                    "et entreprises solidaires qui coopèrent sur le territoire."
                ),
                "contact_email": "contact@pole-ess-nantes.example.org",
            },
        )
        network.communes.add(*communes)
        actors = _demo_actors(rng, network, communes)
        members = _member_users(rng, actors, make_password(DEMO_PASSWORD))
        # Its own generator: the data drawn above stays the same whatever is added here.
        demo_workspace(random.Random(seed + 1), network, actors)
        map_cells_rebuild()
    analyze()
    return SeedReport(
        created=True,
        actors=len(actors),
        published=sum(a.status == Status.PUBLISHED for a in actors),
        members=members,
        corrected_codes=corrections,
        seconds=time.perf_counter() - start,
    )


# --- the animator's workspace ---------------------------------------------------------------


def demo_workspace(rng: random.Random, network: Network, actors: list[Actor]) -> None:
    """A year of daily-pass snapshots (one per month end) so the dashboard's trend chart has
    a story, and a handful of history entries for its "recent changes" list."""
    now = timezone.now()
    policy = network.freshness_policy()
    published = [a for a in actors if a.status == Status.PUBLISHED and a.last_confirmed_at]
    # The confirmation before the current one, for actors confirmed since a past month end:
    # about a year earlier, as members confirm when reminded.
    previous = {
        a.pk: a.last_confirmed_at - timedelta(days=rng.uniform(330, 480)) for a in published
    }
    snapshots = []
    for months_ago in range(11, -1, -1):
        as_of = now if months_ago == 0 else _month_end(now, months_ago)
        thresholds = policy.thresholds(as_of)
        counts = {"fresh": 0, "due": 0, "stale": 0, "confirmed_last_year": 0}
        for actor in published:
            confirmed = actor.last_confirmed_at
            if confirmed > as_of:
                confirmed = previous[actor.pk]
            counts[thresholds.freshness_of(confirmed)] += 1
            counts["confirmed_last_year"] += confirmed >= as_of - timedelta(days=365)
        snapshots.append(
            FreshnessSnapshot(
                network=network,
                day=timezone.localdate(as_of),
                published=len(published),
                **counts,
            )
        )
    FreshnessSnapshot.objects.bulk_create(snapshots, ignore_conflicts=True)

    # Recent changes, as the services record them.
    pending = [a for a in actors if a.status == Status.PENDING]
    for actor in pending[:2]:
        history.record(
            actor,
            by=None,
            source=ActorChange.Source.STATUS,
            changes={"status": [str(Status.DRAFT.label), str(Status.PENDING.label)]},
            note="Soumise pour validation",
        )
    with_phone = [a for a in published if a.phone]
    for actor in rng.sample(with_phone, min(3, len(with_phone))):
        history.record(
            actor,
            by=None,
            source=ActorChange.Source.EDIT,
            changes={"phone": [phone(rng), actor.phone]},
        )
    fresh = [a for a in published if a.last_confirmed_at >= now - timedelta(days=30)]
    for actor in rng.sample(fresh, min(3, len(fresh))):
        history.record(actor, by=None, source=ActorChange.Source.CONFIRMATION)


def _month_end(now: datetime, months_ago: int) -> datetime:
    """The last instant of the month `months_ago` months before `now`'s."""
    first_of_this = timezone.localtime(now).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    first_of_next = first_of_this
    for _step in range(months_ago - 1):
        first_of_next = (first_of_next - timedelta(days=1)).replace(day=1)
    return first_of_next - timedelta(microseconds=1)


# --- benchmark volumes ---------------------------------------------------------------------
