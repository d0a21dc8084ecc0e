"""Who may do what: small named rules shared by services, views, API and templates.

Services check them before every write; views use the same functions to decide what to
show. A superuser passes every rule: the platform's administrators act for any network.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from directory.models import Actor, Membership, Network, Role


def animated_networks(user: AbstractBaseUser) -> QuerySet[Network]:
    """The networks `user` animates: their own, or every network for a superuser."""
    if not user.is_authenticated:
        return Network.objects.none()
    if user.is_superuser:
        return Network.objects.all()
    return Network.objects.filter(animators=user)


def can_animate(user: AbstractBaseUser, network: Network | int | None) -> bool:
    """`user` runs this network: reviews its profiles, reads its dashboard, imports and
    exports its actors. `network` may be given as an instance or a primary key."""
    if not user.is_authenticated or network is None:
        return False
    if user.is_superuser:
        return True
    network_id = network.pk if isinstance(network, Network) else network
    return Network.objects.filter(pk=network_id, animators=user).exists()


def is_animator(user: AbstractBaseUser) -> bool:
    """`user` animates at least one network (the menu shows the animator's pages)."""
    return animated_networks(user).exists()


def can_edit_actor(user: AbstractBaseUser, actor: Actor) -> bool:
    """Its members, and the animators of its network."""
    if not user.is_authenticated:
        return False
    if can_animate(user, actor.network_id):
        return True
    return Membership.objects.filter(user=user, actor=actor).exists()


def can_manage_members(user: AbstractBaseUser, actor: Actor) -> bool:
    """Owners (and the network's animators) invite editors and answer join requests."""
    if not user.is_authenticated:
        return False
    if can_animate(user, actor.network_id):
        return True
    return Membership.objects.filter(user=user, actor=actor, role=Role.OWNER).exists()
