"""The history of a profile, for its members and its network's animators."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from directory.services import history
from directory.views.actors import actor_for_members

HISTORY_PAGE_SIZE = 25


@login_required
@require_GET
def actor_history(request, slug: str):
    actor = actor_for_members(request, slug)
    changes = actor.changes.select_related("by")
    page = Paginator(changes, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    for change in page.object_list:
        change.lines = history.change_lines(change)
    return render(request, "directory/history/actor_history.html", {"actor": actor, "page": page})
