"""Who may do what: small named rules shared by views, API and templates."""

from django.contrib.auth.models import AbstractBaseUser

from directory.models import Actor, Membership, Network, Role


def is_animator_of(user: AbstractBaseUser, network_id: int | None) -> bool:
    if not user.is_authenticated or network_id is None:
        return False
    return Network.objects.filter(pk=network_id, animators=user).exists()


def is_animator(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and Network.objects.filter(animators=user).exists()


def can_edit_actor(user: AbstractBaseUser, actor: Actor) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or is_animator_of(user, actor.network_id):
        return True
    return Membership.objects.filter(user=user, actor=actor).exists()


def can_manage_members(user: AbstractBaseUser, actor: Actor) -> bool:
    """Owners (and the network's animators) invite editors and answer join requests."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or is_animator_of(user, actor.network_id):
        return True
    return Membership.objects.filter(user=user, actor=actor, role=Role.OWNER).exists()
