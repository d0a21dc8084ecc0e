import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext
from factory.django import DjangoModelFactory

from directory import import_rows
from directory.models import (
    Actor,
    ActorChange,
    Commune,
    CorrectionReport,
    FreshnessPolicy,
    ImportBatch,
    Invitation,
    JoinRequest,
    LegalForm,
    Membership,
    Network,
    Role,
    Sector,
    Status,
)
from directory.services import actors as actor_services
from directory.services import corrections, history
from directory.services import imports as importing
from directory.services.map import map_cells_move, map_place
from directory.services.search import actor_refresh_search
from ess_platform.lib.text import normalize


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "motdepasse-solide-42")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """allauth requires a verified address to log in (ACCOUNT_EMAIL_VERIFICATION)."""
        if create:
            obj.save()
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("insee",)

    insee = factory.Sequence(lambda n: f"{44000 + n:05d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    search_name = factory.LazyAttribute(lambda c: normalize(c.name))
    department = "44"
    population = 1000
    lat = 47.2184
    lon = -1.5536


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Réseau {n}")
    slug = factory.Sequence(lambda n: f"reseau-{n}")

    @factory.post_generation
    def communes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.communes.set(extracted)

    @factory.post_generation
    def animators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.animators.set(extracted)


class ActorFactory(DjangoModelFactory):
    """A published actor; traits: `draft`, `pending`, `stale`."""

    class Meta:
        model = Actor
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Structure {n}")
    slug = factory.Sequence(lambda n: f"structure-{n}")
    legal_form = LegalForm.ASSOCIATION
    short_description = "Une structure de l'économie sociale et solidaire."
    commune = factory.SubFactory(CommuneFactory)
    lat = factory.LazyAttribute(lambda a: a.commune.lat)
    lon = factory.LazyAttribute(lambda a: a.commune.lon)
    status = Status.PUBLISHED
    last_confirmed_at = factory.LazyFunction(timezone.now)
    # As the daily pass would mark it under the default policy.
    freshness = factory.LazyAttribute(
        lambda a: FreshnessPolicy.default().thresholds().freshness_of(a.last_confirmed_at)
    )

    class Params:
        draft = factory.Trait(status=Status.DRAFT)
        pending = factory.Trait(status=Status.PENDING)
        stale = factory.Trait(
            last_confirmed_at=factory.LazyFunction(
                lambda: timezone.now() - timezone.timedelta(days=500)
            )
        )

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        """Sets sectors, then the search column and map cells as the services would."""
        if not create:
            return
        if extracted:
            obj.sectors.set(extracted)
        actor_refresh_search(obj)
        if obj.status == Status.PUBLISHED:
            map_cells_move(old=None, new=map_place(obj))


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    actor = factory.SubFactory(ActorFactory)
    role = Role.OWNER


# The rows below are stored as the services store them; the e-mails a service owes (the
# outbox) are left to that service's own tests, which call it.


def _manager(actor: Actor):
    """Someone the services let decide for `actor`: its first owner, else an animator of its
    network, else a new owner."""
    owner = Membership.objects.filter(actor=actor, role=Role.OWNER).order_by("pk").first()
    if owner is not None:
        return owner.user
    animator = actor.network.animators.order_by("pk").first()
    if animator is not None:
        return animator
    return MembershipFactory(actor=actor).user


def _animator(network: Network):
    """The network's first animator, else a new one."""
    animator = network.animators.order_by("pk").first()
    if animator is None:
        animator = UserFactory()
        network.animators.add(animator)
    return animator


def _territory_commune(network: Network) -> Commune:
    """A commune of the network's territory (one is added to an empty territory)."""
    commune = network.communes.order_by("pk").first()
    if commune is None:
        commune = CommuneFactory()
        network.communes.add(commune)
    return commune


class CorrectionReportFactory(DjangoModelFactory):
    """A visitor's open report on a published actor's phone, as `correction_report_create`
    stores it (the value shown at the time, the comment, the reporter's address); traits:
    `accepted` (the value applied to the profile and recorded in its history, as
    `correction_report_accept` does), `rejected` (with the reason the reporter reads)."""

    class Meta:
        model = CorrectionReport
        skip_postgeneration_save = True

    actor = factory.SubFactory(ActorFactory, phone="02 40 00 00 00")
    field = "phone"
    current_value = factory.LazyAttribute(lambda r: history.display_value(r.actor, r.field))
    proposed_value = "02 51 11 22 33"
    comment = "Le numéro ne répond plus."
    reporter_email = "citoyenne@example.org"

    class Params:
        accepted = factory.Trait(
            state=CorrectionReport.State.ACCEPTED,
            decided_by=factory.LazyAttribute(lambda r: _manager(r.actor)),
            decided_at=factory.LazyFunction(timezone.now),
        )
        rejected = factory.Trait(
            state=CorrectionReport.State.REJECTED,
            decided_by=factory.LazyAttribute(lambda r: _manager(r.actor)),
            decided_at=factory.LazyFunction(timezone.now),
            decision_reason="C'est bien notre numéro.",
        )

    @factory.post_generation
    def applied(obj, create, extracted, **kwargs):
        """An accepted value is on the profile, through the same service as an acceptance."""
        if not create or obj.state != CorrectionReport.State.ACCEPTED:
            return
        value = corrections.clean_proposed_value(
            actor=obj.actor, field=obj.field, value=obj.proposed_value
        )
        actor_services.actor_update(
            actor=obj.actor,
            by=obj.decided_by,
            data={obj.field: value},
            source=ActorChange.Source.CORRECTION,
            note=gettext("Signalement n° %(number)s") % {"number": obj.pk},
        )
        obj.actor.refresh_from_db()


class ImportBatchFactory(DjangoModelFactory):
    """An animator's spreadsheet of two actors in the network's territory, parsed as
    `batch_create` stores it (the header apart, rows numbered as lines of the file).

    By default "uploaded": the header names are not recognised, so the proposed mapping
    lacks the commune and nothing is checked. Traits: `checked` (the animator's mapping,
    the rows checked as `batch_check` does), `done` (then imported by the services
    themselves: draft actors, their history, invitations)."""

    class Meta:
        model = ImportBatch
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    created_by = factory.LazyAttribute(lambda b: _animator(b.network))
    filename = "acteurs.csv"
    headers = factory.LazyFunction(lambda: ["Structure", "Lieu"])
    rows = factory.LazyAttribute(
        lambda b: [
            [2, ["Recyclerie de l'Est", _territory_commune(b.network).name]],
            [3, ["Atelier Vélo", _territory_commune(b.network).name]],
        ]
    )
    mapping = factory.LazyAttribute(lambda b: import_rows.propose_mapping(b.headers))
    total = factory.LazyAttribute(lambda b: len(b.rows))

    class Params:
        checked = factory.Trait(
            state=ImportBatch.State.CHECKED,
            mapping=factory.LazyFunction(lambda: {"0": "name", "1": "commune"}),
        )
        done = factory.Trait(
            checked=True,
            state=ImportBatch.State.DONE,
        )

    @factory.post_generation
    def outcome(obj, create, extracted, **kwargs):
        """The row errors of the service's own check; a batch declared done is claimed and
        imported by `import_start` and `import_run` (erroneous rows skipped)."""
        if not create or obj.state == ImportBatch.State.UPLOADED:
            return
        rows = import_rows.check_rows(obj)
        obj.row_errors = {str(row.line): row.errors for row in rows if row.errors}
        if obj.state != ImportBatch.State.DONE:
            obj.save(update_fields=["row_errors"])
            return
        obj.state = ImportBatch.State.CHECKED
        obj.save(update_fields=["row_errors", "state"])
        skipped = {int(line) for line in obj.row_errors}
        mode = ImportBatch.Mode.SKIP_CHOSEN if skipped else ImportBatch.Mode.ALL_OR_NOTHING
        importing.import_start(batch=obj, by=obj.created_by, mode=mode, skipped=skipped)
        importing.import_run(obj.pk)  # the queued task runs on commit, if ever: a no-op then
        obj.refresh_from_db()


class InvitationFactory(DjangoModelFactory):
    """An owner's pending invitation to help edit a profile, as `invitation_create` stores
    it; trait: `accepted` (by a person signed in with the invited address, who became a
    member, as `invitation_accept` does)."""

    class Meta:
        model = Invitation
        skip_postgeneration_save = True

    actor = factory.SubFactory(ActorFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.EDITOR
    invited_by = factory.LazyAttribute(lambda i: _manager(i.actor))

    class Params:
        accepted = factory.Trait(
            accepted_at=factory.LazyFunction(timezone.now),
            accepted_by=factory.LazyAttribute(
                lambda i: UserFactory(username=i.email, email=i.email)
            ),
        )

    @factory.post_generation
    def membership(obj, create, extracted, **kwargs):
        if create and obj.accepted_by is not None:
            Membership.objects.get_or_create(
                user=obj.accepted_by, actor=obj.actor, defaults={"role": obj.role}
            )


class JoinRequestFactory(DjangoModelFactory):
    """A person's pending request to act for a structure, as `join_request_create` stores
    it; traits: `accepted` (the person became an editor, as `join_request_decide` does),
    `refused`."""

    class Meta:
        model = JoinRequest
        skip_postgeneration_save = True

    actor = factory.SubFactory(ActorFactory)
    user = factory.SubFactory(UserFactory)
    message = "Je suis bénévole dans cette structure."

    class Params:
        accepted = factory.Trait(
            state=JoinRequest.State.ACCEPTED,
            decided_by=factory.LazyAttribute(lambda j: _manager(j.actor)),
            decided_at=factory.LazyFunction(timezone.now),
        )
        refused = factory.Trait(
            state=JoinRequest.State.REFUSED,
            decided_by=factory.LazyAttribute(lambda j: _manager(j.actor)),
            decided_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def membership(obj, create, extracted, **kwargs):
        if create and obj.state == JoinRequest.State.ACCEPTED:
            Membership.objects.get_or_create(
                user=obj.user, actor=obj.actor, defaults={"role": Role.EDITOR}
            )


def sector(slug: str) -> Sector:
    return Sector.objects.get(slug=slug)
