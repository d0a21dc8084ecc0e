"""The admission demo for `manage.py seed_admission_demo` (issue 10), on top of `seed_demo`:
the demo network's reviewers in every college, and structures whose applications stand in
every state of the process, with their answers, opinions, visits and decisions.

Everything goes through the services that a structure, its reviewers and the animator use
(cooperation.services), in one transaction, and "now": a decision needs the quorum and the
pair's visit, an appeal must come within its delay, so nothing is backdated. The texts are
in demo_data.py.

Idempotent: the demo's applicant structures are the marker; a second run finds them and
changes nothing. Two writes are the seed's own, as no service makes them:
- the published actors of `seed_demo` become admitted members, as migration 0002 made the
  published actors of the database it ran on (`seed_demo` runs after the migrations);
- the e-mails the services owed to the demo's fictional addresses (@demo.ess) are closed
  unsent: nobody would read them, and the console backend would print them all.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.text import slugify

from cooperation.models import (
    Admission,
    Answer,
    Application,
    ApplicationStatus,
    College,
    Criterion,
    CriterionKind,
    Reviewer,
    Verdict,
)
from cooperation.seed.demo_applicants import APPLICANTS
from cooperation.seed.demo_data import (
    REVIEWERS,
    STANDARD_ANSWERS,
    UTILITY,
    DemoApplicant,
    DemoReviewer,
)
from cooperation.services import applications as applying
from cooperation.services import reviews as reviewing
from cooperation.services.setup import admission_setup
from directory.models import Actor, ActorChange, Commune, Membership, Network, Role, Sector
from directory.models import Status as ActorStatus
from directory.seed.common import capacity, exclusive, jitter, phone, postcode_of, siret_generator
from directory.seed.demo import DEMO_NETWORK_SLUG, DEMO_NOTE, DEMO_PASSWORD, DEMO_USERS
from directory.services.actors import actors_insert
from ess_platform.lib.outbox.models import OutboxMessage

S = ApplicationStatus
ANIMATOR_EMAIL = next(user.email for user in DEMO_USERS if user.animator)
DEMO_DOMAIN = "@demo.ess"
DEMO_ADDRESSES = (DEMO_DOMAIN, "@example.org")
UNSENT_NOTE = "Données de démonstration : non envoyé."


@dataclass
class AdmissionDemoReport:
    ready: bool  # False: the demo territory of `seed_demo` is not there
    created: bool = False
    by_status: dict[str, int] = field(default_factory=dict)  # state label: applications
    reviewers: int = 0
    colleges: int = 0  # colleges with at least one reviewer
    logins: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, who they are)
    seconds: float = 0.0


def admission_demo_seed(*, seed: int = 2026) -> AdmissionDemoReport:
    """Create the admission demo unless it exists; returns what was there or was made."""
    with exclusive("seed_demo.admission"):
        return _admission_demo_seed(seed=seed)


def _admission_demo_seed(*, seed: int) -> AdmissionDemoReport:
    start = time.perf_counter()
    network = Network.objects.filter(slug=DEMO_NETWORK_SLUG).first()
    animator = network.animators.filter(email__iexact=ANIMATOR_EMAIL).first() if network else None
    if network is None or animator is None or not network.actors.published().exists():
        return AdmissionDemoReport(ready=False)
    created = not network.actors.filter(name__in=[a.name for a in APPLICANTS]).exists()
    if created:
        with transaction.atomic():
            _seed(random.Random(seed), network, animator)
    report = _report(network, created=created)
    report.seconds = time.perf_counter() - start
    return report


def _seed(rng: random.Random, network: Network, animator) -> None:
    last_email = OutboxMessage.objects.aggregate(last=Max("pk"))["last"] or 0
    admission_setup(network=network)
    _admit_published(network)
    password_hash = make_password(DEMO_PASSWORD)
    reviewers = {
        spec.key: _reviewer(spec, network=network, animator=animator, password_hash=password_hash)
        for spec in REVIEWERS
    }
    actors = _applicant_actors(rng, network)
    for spec, actor in zip(APPLICANTS, actors, strict=True):
        member = _user(spec.email, spec.first_name, spec.last_name, password_hash)
        Membership.objects.create(user=member, actor=actor, role=Role.OWNER)
        _apply(spec, actor=actor, member=member, reviewers=reviewers, animator=animator)
    close_demo_emails(after=last_email)


def _admit_published(network: Network) -> None:
    now = timezone.now()
    published = (
        network.actors.published()
        .exclude(pk__in=Admission.objects.values("actor"))
        .values_list("pk", "last_confirmed_at")
    )
    Admission.objects.bulk_create(
        [Admission(actor_id=pk, admitted_at=confirmed or now) for pk, confirmed in published],
        batch_size=1000,
    )


def _user(email: str, first_name: str, last_name: str, password_hash: str):
    """A demo account that signs in at once (its address verified, as allauth requires)."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create(
            username=email,
            email=email,
            password=password_hash,
            first_name=first_name,
            last_name=last_name,
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _reviewer(spec: DemoReviewer, *, network: Network, animator, password_hash: str) -> Reviewer:
    user = _user(spec.email, spec.first_name, spec.last_name, password_hash)
    if spec.member_of:
        # A peer acts for an admitted structure of the network.
        published = network.actors.published()
        actor = published.filter(name=spec.member_of).first() or published.order_by("pk").first()
        Membership.objects.get_or_create(user=user, actor=actor, defaults={"role": Role.EDITOR})
    college = (
        College.objects.filter(network=network, stakeholder=spec.stakeholder)
        .order_by("position", "pk")
        .first()
    )
    if college is None:
        raise LookupError(f"The demo network has no college for '{spec.stakeholder}'.")
    return reviewing.reviewer_add(network=network, user=user, college=college, by=animator)


def _applicant_actors(rng: random.Random, network: Network) -> list[Actor]:
    """The applying structures: drafts, as a member's new profile is (actor_create)."""
    communes = {c.insee: c for c in network.communes.all()}
    fallback = network.communes.order_by("insee").first()
    sectors = {s.slug: s for s in Sector.objects.leaves()}
    new_siret = siret_generator(
        rng, set(Actor.objects.exclude(siret="").values_list("siret", flat=True))
    )
    now = timezone.now()
    actors = []
    for spec in APPLICANTS:
        commune: Commune = communes.get(spec.insee) or fallback
        lat, lon = jitter(rng, commune.lat, commune.lon, km=1.5)
        headcount, turnover, volunteers = capacity(rng, spec.legal_form)
        host = slugify(spec.name)[:50].strip("-")
        actor = Actor(
            network=network,
            name=spec.name,
            legal_form=spec.legal_form,
            siret=new_siret(),
            short_description=spec.short_description,
            description=spec.description,
            email=f"contact@{host}.example.org",
            phone=phone(rng),
            address=spec.address,
            postcode=postcode_of(rng, commune),
            commune=commune,
            lat=lat,
            lon=lon,
            headcount_band=headcount,
            turnover_band=turnover,
            volunteers=volunteers,
            status=ActorStatus.DRAFT,
            last_confirmed_at=now,
        )
        actor.full_clean(exclude=["sectors", "slug"])
        actors.append(actor)
    return actors_insert(
        actors=actors,
        sectors=[
            [sectors[slug] for slug in spec.sectors if slug in sectors] for spec in APPLICANTS
        ],
        by=None,
        source=ActorChange.Source.CREATION,
        note=DEMO_NOTE,
    )


def _answer(spec: DemoApplicant, criterion: Criterion, commune: str) -> dict:
    if criterion.title in spec.answers:
        answer, text = spec.answers[criterion.title]
    elif criterion.title == UTILITY:
        answer, text = Answer.YES, spec.mission
    elif criterion.title in STANDARD_ANSWERS:
        answer, text = STANDARD_ANSWERS[criterion.title]
    else:  # a criterion the network added to its charter
        answer = Answer.NO if criterion.kind == CriterionKind.EXCLUSION else Answer.YES
        text = ""
    return {"answer": answer, "explanation": text.format(commune=commune)}


def _apply(
    spec: DemoApplicant, *, actor: Actor, member, reviewers: dict[str, Reviewer], animator
) -> None:
    """Take one application to its state, step by step, as its people would."""
    application = applying.application_start(actor=actor, by=member)
    criteria = list(application.charter_version.criteria.all())
    answered = criteria if spec.answered is None else criteria[: spec.answered]
    applying.application_save_answers(
        application=application,
        by=member,
        accept_charter=spec.target != S.DRAFT,
        answers={c.pk: _answer(spec, c, actor.commune.name) for c in answered},
    )
    if spec.target == S.DRAFT:
        return
    applying.application_submit(application=application, by=member)
    for key, note in spec.conflicts:
        reviewer = reviewers[key]
        reviewing.conflict_declare(reviewer=reviewer, actor=actor, by=reviewer.user, note=note)
    for key in spec.reviewers:
        reviewing.assignment_create(application=application, reviewer=reviewers[key], by=animator)
    if spec.visit:
        pair = [reviewers[key] for key in spec.visit.pair]
        reviewing.visit_record(
            application=application,
            by=pair[0].user,
            visited_on=timezone.localdate(),
            reviewers=pair,
            met=spec.visit.met,
            observations=spec.visit.observations,
            criteria_notes={
                c.pk: spec.visit.notes[c.title] for c in criteria if c.title in spec.visit.notes
            },
        )
    for opinion in spec.opinions:
        reviewing.opinion_give(
            application=application,
            by=reviewers[opinion.reviewer].user,
            verdict=opinion.verdict,
            comment=opinion.comment,
            criteria={
                c.pk: opinion.criteria.get(c.title, (Verdict.FAVOURABLE, "")) for c in criteria
            },
        )
    if spec.information_request:
        applying.application_request_information(
            application=application, by=animator, request=spec.information_request
        )
        if spec.information_answer:
            applying.application_provide_information(
                application=application, by=member, answer=spec.information_answer
            )
    if spec.decision:
        today = timezone.localdate()
        applying.application_decide(
            application=application,
            by=animator,
            decision=spec.decision,
            reasons=spec.reasons,
            commitments=[(text, today + timedelta(days=days)) for text, days in spec.commitments],
        )
    if spec.appeal:
        applying.application_appeal(application=application, by=member, arguments=spec.appeal)


def close_demo_emails(*, after: int) -> None:
    """Close, unsent, the e-mails owed since `after` to demo addresses only: the demo
    logins' (@demo.ess) and the demo members' (example.org, reserved for examples)."""
    owed = OutboxMessage.objects.unsent().filter(pk__gt=after).values_list("pk", "recipients")
    demo = [
        pk
        for pk, recipients in owed
        if recipients and all(address.endswith(DEMO_ADDRESSES) for address in recipients)
    ]
    OutboxMessage.objects.filter(pk__in=demo).update(sent_at=timezone.now(), last_error=UNSENT_NOTE)


def _report(network: Network, *, created: bool) -> AdmissionDemoReport:
    counts = dict(
        Application.objects.of_network(network)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    reviewers = Reviewer.objects.of_network(network).select_related("user", "college")
    by_email = {r.user.email.lower(): r for r in reviewers}
    logins = []
    for spec in REVIEWERS:
        reviewer = by_email.get(spec.email)
        college = reviewer.college.name if reviewer else "plus évaluateur"
        logins.append((spec.email, f"évaluateur·rice, collège « {college} » ({spec.occupation})"))
    applications = {
        a.actor.name: a
        for a in Application.objects.of_network(network)
        .filter(actor__name__in=[spec.name for spec in APPLICANTS])
        .select_related("actor")
        .order_by("pk")
    }
    for spec in APPLICANTS:
        application = applications.get(spec.name)
        state = S(application.status).label if application else "sans candidature"
        logins.append((spec.email, f"membre de « {spec.name} », candidature : {state}"))
    return AdmissionDemoReport(
        ready=True,
        created=created,
        by_status={str(status.label): counts[status] for status in S if status in counts},
        reviewers=len(by_email),
        colleges=len({r.college_id for r in by_email.values()}),
        logins=logins,
    )
