import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from directory.models import (
    Actor,
    Commune,
    FreshnessPolicy,
    LegalForm,
    Membership,
    Network,
    Role,
    Sector,
    Status,
)
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
            from allauth.account.models import EmailAddress

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
        from directory.services.map import map_cells_move
        from directory.services.search import actor_refresh_search

        if extracted:
            obj.sectors.set(extracted)
        actor_refresh_search(obj)
        if obj.status == Status.PUBLISHED:
            map_cells_move(old=None, new=(obj.lat, obj.lon))


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    actor = factory.SubFactory(ActorFactory)
    role = Role.OWNER


def sector(slug: str) -> Sector:
    return Sector.objects.get(slug=slug)
