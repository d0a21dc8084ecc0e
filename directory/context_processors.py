"""Template context every page gets (settings.TEMPLATES).

It lives in the directory app, not in ess_platform/lib/, because the animator menu asks a
directory rule: ess_platform/lib/ imports no app.
"""

from django.conf import settings

from directory.permissions import is_animator


def platform(request):
    """Values every page needs. The map configuration reaches scripts through json_script."""
    user = getattr(request, "user", None)
    return {
        "map_config": {
            "tilesUrl": settings.TILES_URL,
            "tilesAttribution": settings.TILES_ATTRIBUTION,
        },
        # Lazy: only pages that render the animator menu pay for the query.
        "user_is_animator": lambda: _is_animator(user),
    }


def _is_animator(user) -> bool:
    return bool(user) and is_animator(user)


def two_factor(request):
    """The second-factor duty of a staff member or animator who has not set one up (None
    for everyone else), for the banner of every page. Read by directory.middleware, which
    computed it for the request: rendering adds no query."""
    return {"two_factor": getattr(request, "two_factor", None)}
