"""Template context every page gets (settings.TEMPLATES): the networks whose applications
the signed-in person reviews or animates, for the menu's "Candidatures" entry."""

from django.db.models import Q
from django.utils.functional import SimpleLazyObject

from directory.models import Network


def admission(request):
    user = getattr(request, "user", None)
    # Lazy: only pages that render the menu pay for the query.
    return {"review_networks": SimpleLazyObject(lambda: _review_networks(user))}


def _review_networks(user) -> list[Network]:
    if user is None or not user.is_authenticated:
        return []
    return list(
        Network.objects.filter(Q(animators=user) | Q(reviewers__user=user, reviewers__active=True))
        .distinct()
        .order_by("name")
    )


def conversations(request) -> dict:
    """The header's count of conversations with unread messages: one query, run only when
    a page shows it, and none for an anonymous visitor."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from cooperation.models import Conversation

    return {
        "unread_conversations": SimpleLazyObject(
            lambda: Conversation.objects.unread_by(user).count()
        )
    }
