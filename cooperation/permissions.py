"""Who may do what in cooperation: small named rules shared by services, views and templates.

An application is private: its structure's members, the animators of its network and that
network's reviewers read it; nobody else (not even another network's reviewers).
"""

from django.contrib.auth.models import AbstractBaseUser

from cooperation.models import Application, Cooperation, Listing, Reviewer
from directory.models import Membership, Network, Status
from directory.permissions import can_animate, can_edit_actor


def reviewer_of(user: AbstractBaseUser, network: Network | int) -> Reviewer | None:
    """`user`'s active reviewer role in this network, if any."""
    if not user.is_authenticated:
        return None
    network_id = network.pk if isinstance(network, Network) else network
    return (
        Reviewer.objects.filter(user=user, network_id=network_id, active=True)
        .select_related("college")
        .first()
    )


def is_applicant(user: AbstractBaseUser, application: Application) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, actor_id=application.actor_id).exists()
    )


def can_read_application(user: AbstractBaseUser, application: Application) -> bool:
    network_id = application.actor.network_id
    return (
        is_applicant(user, application)
        or can_animate(user, network_id)
        or reviewer_of(user, network_id) is not None
    )


def belongs_to_network(user: AbstractBaseUser, network: Network) -> bool:
    """`user` is a member of a published structure of the network: admitted by its peers,
    a member from before the admission process, or imported by its animators. Such people
    may volunteer as peer reviewers."""
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, actor__network=network, actor__status=Status.PUBLISHED
        ).exists()
    )


def can_edit_listing(user: AbstractBaseUser, listing) -> bool:
    """A listing is its structure's: its members (and its network's animators) edit it."""
    return can_edit_actor(user, listing.actor)


def can_read_listing(user: AbstractBaseUser, listing) -> bool:
    """Who reads a listing's page and photos: its structure's members and animators
    always; anyone the catalogue shows it to while it is live (ListingQuerySet.visible_to);
    once fulfilled, the partners it names (through their cooperation)."""
    return (
        can_edit_listing(user, listing)
        or Listing.objects.live().visible_to(user).filter(pk=listing.pk).exists()
        or Cooperation.objects.of_listing(listing).visible_to(user).exists()
    )
