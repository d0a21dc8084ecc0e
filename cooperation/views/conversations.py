"""The conversations' pages: the inbox of a person's structures, a conversation, and the
first message to a structure (from one of its listings or from its page).

Who reads a conversation: `ConversationQuerySet.readable_by` (the members of both sides;
the animators of either side's network only once it is reported); anyone else gets a 404
that says nothing of it. Who writes: `services.conversations.sides_of`. Opening a
conversation marks it read for the reader: the one write of a GET, the reader's own
reading time, harmless to repeat. Writes: cooperation.services.conversations.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cooperation.forms.conversations import ConversationStartForm, MessageForm, ReportForm
from cooperation.models import Block, Conversation, Listing, ListingStatus
from cooperation.permissions import can_edit_listing
from cooperation.services import conversations as services
from directory.models import Actor, Membership, Status
from ess_platform.lib.views import add_service_errors

CONVERSATIONS_PER_PAGE = 20


@login_required
@require_GET
def conversation_list(request):
    """The conversations of every structure the person is a member of, newest first."""
    conversations = (
        Conversation.objects.of_user(request.user)
        .with_unread(request.user)
        .select_related("initiator", "recipient", "listing")
        .order_by("-last_message_at", "-pk")
    )
    page = Paginator(conversations, CONVERSATIONS_PER_PAGE).get_page(request.GET.get("page"))
    mine = set(Membership.objects.filter(user=request.user).values_list("actor_id", flat=True))
    rows = [
        {
            "conversation": conversation,
            "mine": conversation.initiator
            if conversation.initiator_id in mine
            else conversation.recipient,
            "other": conversation.recipient
            if conversation.initiator_id in mine
            else conversation.initiator,
        }
        for conversation in page.object_list
    ]
    return render(request, "cooperation/conversations/list.html", {"page": page, "rows": rows})


def _readable(request, conversation_id: int) -> Conversation:
    return get_object_or_404(
        Conversation.objects.readable_by(request.user).select_related(
            "initiator__network", "recipient__network", "listing__actor"
        ),
        pk=conversation_id,
    )


def _listing_moves(request, conversation: Conversation, sides: list[Actor]) -> dict:
    """What the listing's owner may do from here: mark it in discussion, or fulfilled with
    the other side."""
    listing = conversation.listing
    if listing is None or listing.actor not in sides or not can_edit_listing(request.user, listing):
        return {}
    return {
        "can_discuss": listing.status == ListingStatus.OPEN,
        "can_fulfil": listing.status in (ListingStatus.OPEN, ListingStatus.IN_DISCUSSION),
        "partner": conversation.other_side(listing.actor),
    }


@login_required
def conversation_detail(request, conversation_id: int):
    """The messages and, for a side, the reply form (POST sends it)."""
    conversation = _readable(request, conversation_id)
    sides = services.sides_of(request.user, conversation)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if not sides:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.message_send(
                    conversation=conversation,
                    sender_actor=sides[0],
                    body=form.cleaned_data["body"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Message envoyé."))
                return redirect("cooperation:conversation_detail", conversation_id=conversation.pk)
    else:
        services.conversation_mark_read(conversation=conversation, user=request.user)
    side = sides[0] if sides else None
    other = conversation.other_side(side) if side else None
    return render(
        request,
        "cooperation/conversations/detail.html",
        {
            "conversation": conversation,
            "thread": conversation.messages.select_related("sender", "author"),
            "side": side,
            "other": other,
            "form": form,
            "report_form": ReportForm(),
            "blocked": side is not None
            and Block.objects.filter(blocker=side, blocked=other).exists(),
            "reports": conversation.reports.all() if side is None else [],
            "listing_moves": _listing_moves(request, conversation, sides),
        },
    )


def _report(request, conversation, side):
    form = ReportForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Dites en quelques mots ce qui ne va pas."))
    services.conversation_report(
        conversation=conversation, reason=form.cleaned_data["reason"], by=request.user
    )
    return _("Conversation signalée aux animateurs du réseau. Merci.")


def _block(request, conversation, side):
    other = conversation.other_side(side)
    services.actor_block(blocker=side, blocked=other, by=request.user)
    return _("« %(name)s » ne peut plus écrire à votre structure.") % {"name": other.name}


def _unblock(request, conversation, side):
    other = conversation.other_side(side)
    services.actor_unblock(blocker=side, blocked=other, by=request.user)
    return _("« %(name)s » peut de nouveau écrire à votre structure.") % {"name": other.name}


def _discuss(request, conversation, side):
    services.conversation_listing_discuss(conversation=conversation, by=request.user)
    return _("Annonce marquée « en discussion ».")


def _fulfil(request, conversation, side):
    listing = services.conversation_listing_fulfil(conversation=conversation, by=request.user)
    return _("Annonce marquée satisfaite avec « %(name)s ».") % {
        "name": conversation.other_side(listing.actor).name
    }


# A side's one-click actions: name in the URL → the call, which returns its message.
ACTIONS = {
    "signaler": _report,
    "bloquer": _block,
    "debloquer": _unblock,
    "discussion": _discuss,
    "satisfaite": _fulfil,
}


@login_required
@require_POST
def conversation_action(request, conversation_id: int, action: str):
    conversation = _readable(request, conversation_id)
    if action not in ACTIONS:
        raise Http404
    sides = services.sides_of(request.user, conversation)
    if not sides:
        raise PermissionDenied
    try:
        message = ACTIONS[action](request, conversation, sides[0])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    return redirect("cooperation:conversation_detail", conversation_id=conversation.pk)


def _start(request, *, to_actor: Actor, listing: Listing | None):
    """The first message's page, from a listing or a structure's page."""
    actors = list(services.writing_actors(request.user).exclude(pk=to_actor.pk))
    own = Membership.objects.filter(user=request.user, actor=to_actor).exists()
    context = {"to_actor": to_actor, "listing": listing, "own": own, "form": None}
    if listing is not None:
        existing = Conversation.objects.filter(
            listing=listing, initiator__in=[a.pk for a in actors]
        ).first()
        context["existing"] = existing
    if not actors:
        return render(request, "cooperation/conversations/start.html", context)
    queryset = Actor.objects.filter(pk__in=[a.pk for a in actors]).order_by("name")
    form = ConversationStartForm(
        request.POST or None, actors=queryset, subject_required=listing is None
    )
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_start(
                from_actor=form.cleaned_data["from_actor"],
                to_actor=to_actor,
                subject=form.cleaned_data.get("subject", ""),
                body=form.cleaned_data["body"],
                by=request.user,
                listing=listing,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Message envoyé."))
            return redirect("cooperation:conversation_detail", conversation_id=conversation.pk)
    context["form"] = form
    return render(request, "cooperation/conversations/start.html", context)


@login_required
def listing_contact(request, listing_id: int):
    """Write to a live listing's structure, as whoever may see the listing."""
    listing = get_object_or_404(
        Listing.objects.live().visible_to(request.user).select_related("actor"), pk=listing_id
    )
    return _start(request, to_actor=listing.actor, listing=listing)


@login_required
def actor_contact(request, slug: str):
    actor = get_object_or_404(Actor, slug=slug, status=Status.PUBLISHED)
    return _start(request, to_actor=actor, listing=None)
