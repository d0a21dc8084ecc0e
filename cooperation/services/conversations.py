"""Conversations between two structures: started from a listing or a structure's page,
read and answered by every member of both sides.

Who reads: the members of either side now (whoever leaves a structure leaves its
conversations), and, only once it is reported, the animators of either side's network
(`ConversationQuerySet.readable_by`). Animators do not read the structures' conversations
otherwise: they are private correspondence between structures.

Who writes: for a side, its members only (`is_member`: an animator writing for a structure
could not read the answer). A side that blocked the other receives nothing more from it;
blocking is done by whoever manages the structure (`can_edit_actor`).
A person starts at most CONVERSATIONS_PER_HOUR conversations and writes at most
MESSAGES_PER_HOUR messages an hour, counted in the tables themselves (no cache: every
worker sees the same count).

Notifications are batched by reading: a new message owes each member of the other side one
e-mail, keyed by the conversation, the recipient and the time they last read it. A burst of
messages before they read it owes that one e-mail; once they have read it, the next message
owes a new one. The author is never e-mailed.
"""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.models import (
    Block,
    Conversation,
    ConversationRead,
    ConversationReport,
    Listing,
    Message,
)
from cooperation.services.listings import listing_discuss, listing_fulfil
from directory.models import Actor, Membership, Status
from directory.permissions import can_edit_actor
from ess_platform.lib.mail import absolute_url
from ess_platform.lib.outbox.sending import owe

CONVERSATIONS_PER_HOUR = 10
MESSAGES_PER_HOUR = 60
RATE_WINDOW = timedelta(hours=1)
# The same message again within this delay, from a structure's page, is a double click.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)
EXCERPT_LENGTH = 500


# --- Reads shared by the services and the views ----------------------------------------------


def sides_of(user: AbstractBaseUser, conversation: Conversation) -> list[Actor]:
    """The sides `user` writes for in this conversation: those they are a member of now."""
    if not user.is_authenticated:
        return []
    sides = [conversation.initiator, conversation.recipient]
    ids = set(
        Membership.objects.filter(user=user, actor__in=sides).values_list("actor_id", flat=True)
    )
    return [side for side in sides if side.pk in ids]


def is_member(user: AbstractBaseUser, actor: Actor) -> bool:
    """Who writes for a structure in its conversations: its members only (an animator who
    wrote for it could not read the answer: readable_by)."""
    return user.is_authenticated and Membership.objects.filter(user=user, actor=actor).exists()


def is_blocked(*, blocker: Actor, blocked: Actor) -> bool:
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


def writing_actors(user: AbstractBaseUser):
    """The published structures `user` may write for from the site: those they are a member
    of."""
    if not user.is_authenticated:
        return Actor.objects.none()
    return Actor.objects.filter(memberships__user=user, status=Status.PUBLISHED).order_by("name")


# --- Rules -------------------------------------------------------------------------------------


def _check_rate(by: AbstractBaseUser, *, new_conversation: bool) -> None:
    since = timezone.now() - RATE_WINDOW
    if (
        new_conversation
        and Conversation.objects.filter(created_by=by, created_at__gte=since).count()
        >= CONVERSATIONS_PER_HOUR
    ):
        raise ValidationError(
            _("Vous avez commencé trop de conversations en une heure. Réessayez un peu plus tard.")
        )
    if Message.objects.filter(author=by, created_at__gte=since).count() >= MESSAGES_PER_HOUR:
        raise ValidationError(
            _("Vous avez envoyé trop de messages en une heure. Réessayez un peu plus tard.")
        )


def _check_not_blocked(*, sender: Actor, to: Actor) -> None:
    if is_blocked(blocker=to, blocked=sender):
        raise ValidationError(_("Cette structure ne reçoit plus de messages de la vôtre."))
    if is_blocked(blocker=sender, blocked=to):
        raise ValidationError(
            _("Votre structure a bloqué celle-ci : débloquez-la pour lui écrire.")
        )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Écrivez votre message.")})
    return body


# --- Writes ------------------------------------------------------------------------------------


def _conversation_url(conversation: Conversation) -> str:
    return absolute_url(reverse("cooperation:conversation_detail", args=[conversation.pk]))


def _notify(message: Message, conversation: Conversation) -> None:
    """Owe one e-mail to each reachable member of the other side, unless one is already
    owed since their last reading (the key holds that reading)."""
    other = conversation.other_side(message.sender)
    recipients = list(
        Membership.objects.reachable()
        .filter(actor=other)
        .exclude(user_id=message.author_id)
        .values_list("user_id", "user__email")
    )
    if not recipients:
        return
    reads = dict(
        ConversationRead.objects.filter(
            conversation=conversation, user_id__in=[uid for uid, _email in recipients]
        ).values_list("user_id", "read_at")
    )
    context = {
        "conversation": conversation,
        "message": message,
        "sender": message.sender,
        "recipient": other,
        "excerpt": message.body[:EXCERPT_LENGTH],
        "url": _conversation_url(conversation),
    }
    for user_id, email in recipients:
        read_at = reads.get(user_id)
        marker = int(read_at.timestamp() * 1_000_000) if read_at else 0
        owe(
            key=f"cooperation.conversation.new:{conversation.pk}:{user_id}:{marker}",
            to=[email],
            template="cooperation/conversations/emails/new_message",
            context=context,
        )


def _mark_read(conversation: Conversation, user: AbstractBaseUser, *, at=None) -> None:
    ConversationRead.objects.update_or_create(
        conversation=conversation, user=user, defaults={"read_at": at or timezone.now()}
    )


def _post(conversation: Conversation, *, sender: Actor, body: str, by) -> Message:
    message = Message(conversation=conversation, sender=sender, author=by, body=body)
    message.full_clean()
    message.save()
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
    conversation.last_message_at = message.created_at
    # Writing is reading: the author's own message never counts as unread for them.
    _mark_read(conversation, by, at=message.created_at)
    _notify(message, conversation)
    return message


def _existing_for_listing(listing: Listing, initiator: Actor) -> Conversation | None:
    return (
        Conversation.objects.select_for_update()
        .filter(listing=listing, initiator=initiator)
        .first()
    )


def _just_sent(*, from_actor: Actor, to_actor: Actor, body: str, by) -> Conversation | None:
    """The conversation this very message started a moment ago, if it did (a double click
    on "Envoyer" from a structure's page, where no listing makes the conversation unique)."""
    message = (
        Message.objects.filter(
            conversation__listing__isnull=True,
            conversation__initiator=from_actor,
            conversation__recipient=to_actor,
            author=by,
            body=body,
            created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
        )
        .select_related("conversation")
        .first()
    )
    return message.conversation if message else None


@transaction.atomic
def conversation_start(
    *,
    from_actor: Actor,
    to_actor: Actor,
    subject: str,
    body: str,
    by: AbstractBaseUser,
    listing: Listing | None = None,
) -> Conversation:
    """`by` writes for `from_actor` to `to_actor`, about `listing` when given (then
    `to_actor` is its structure). Contacting about the same listing again adds the message
    to the conversation already there."""
    if not is_member(by, from_actor):
        raise PermissionDenied
    if listing is not None:
        if not Listing.objects.live().visible_to(by).filter(pk=listing.pk).exists():
            raise PermissionDenied
        to_actor = listing.actor
    if from_actor.status != Status.PUBLISHED:
        raise ValidationError(
            _("Votre structure doit être publiée dans l'annuaire pour écrire aux autres.")
        )
    if to_actor.status != Status.PUBLISHED:
        raise ValidationError(_("Cette structure n'est pas publiée dans l'annuaire."))
    if from_actor.pk == to_actor.pk:
        raise ValidationError(_("Une structure ne s'écrit pas à elle-même."))
    _check_not_blocked(sender=from_actor, to=to_actor)
    body = _clean_body(body)
    if listing is not None:
        existing = _existing_for_listing(listing, from_actor)
        if existing is not None:
            _check_rate(by, new_conversation=False)
            _post(existing, sender=from_actor, body=body, by=by)
            return existing
    else:
        sent = _just_sent(from_actor=from_actor, to_actor=to_actor, body=body, by=by)
        if sent is not None:
            return sent  # the same message a moment ago: a double click, kept once
    _check_rate(by, new_conversation=True)
    subject = (subject or "").strip() or (listing.title if listing else "")
    conversation = Conversation(
        initiator=from_actor,
        recipient=to_actor,
        listing=listing,
        subject=subject[:160],
        created_by=by,
        last_message_at=timezone.now(),
    )
    conversation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            conversation.save()
    except IntegrityError:
        # The same structure contacted the same listing at the same moment (a double
        # click): the other request created it, this one adds its message there.
        conversation = _existing_for_listing(listing, from_actor)
        if conversation is None:
            raise
    _post(conversation, sender=from_actor, body=body, by=by)
    return conversation


@transaction.atomic
def message_send(
    *, conversation: Conversation, sender_actor: Actor, body: str, by: AbstractBaseUser
) -> Message:
    if sender_actor.pk not in (conversation.initiator_id, conversation.recipient_id):
        raise PermissionDenied
    if not is_member(by, sender_actor):
        raise PermissionDenied
    _check_not_blocked(sender=sender_actor, to=conversation.other_side(sender_actor))
    body = _clean_body(body)
    _check_rate(by, new_conversation=False)
    return _post(conversation, sender=sender_actor, body=body, by=by)


@transaction.atomic
def conversation_mark_read(*, conversation: Conversation, user: AbstractBaseUser) -> None:
    """`user` has read it up to now (only those who read it as a side: an animator reading a
    reported conversation leaves no trace in the structures' unread counts)."""
    if not sides_of(user, conversation):
        return
    _mark_read(conversation, user)


@transaction.atomic
def actor_block(*, blocker: Actor, blocked: Actor, by: AbstractBaseUser) -> Block:
    """`blocker` receives no new conversation or message from `blocked`."""
    if not can_edit_actor(by, blocker):
        raise PermissionDenied
    if blocker.pk == blocked.pk:
        raise ValidationError(_("Une structure ne se bloque pas elle-même."))
    block, _created = Block.objects.get_or_create(
        blocker=blocker, blocked=blocked, defaults={"by": by}
    )
    return block


@transaction.atomic
def actor_unblock(*, blocker: Actor, blocked: Actor, by: AbstractBaseUser) -> None:
    if not can_edit_actor(by, blocker):
        raise PermissionDenied
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()


@transaction.atomic
def conversation_report(
    *, conversation: Conversation, reason: str, by: AbstractBaseUser
) -> ConversationReport:
    """A side reports the conversation: the animators of its network (and of the other
    side's, when it is another one) are e-mailed and may then read it."""
    sides = sides_of(by, conversation)
    if not sides:
        raise PermissionDenied
    report = ConversationReport(conversation=conversation, by=by, reason=(reason or "").strip())
    if not report.reason:
        raise ValidationError({"reason": _("Dites en quelques mots ce qui ne va pas.")})
    report.full_clean()
    report.save()
    reporter = sides[0]
    other = conversation.other_side(reporter)
    networks = {reporter.network_id: reporter.network}
    networks.setdefault(other.network_id, other.network)
    for network in networks.values():
        owe(
            key=f"cooperation.conversation.report:{report.pk}:{network.pk}",
            to=network.animator_emails(),
            template="cooperation/conversations/emails/reported",
            context={
                "conversation": conversation,
                "report": report,
                "reporter": reporter,
                "other": other,
                "network": network,
                "url": _conversation_url(conversation),
            },
        )
    return report


# --- The listing's moves from its conversation -------------------------------------------------


def _owner_listing(conversation: Conversation) -> Listing:
    listing = conversation.listing
    if listing is None:
        raise ValidationError(_("Cette conversation ne porte pas sur une annonce."))
    return listing


@transaction.atomic
def conversation_listing_discuss(*, conversation: Conversation, by: AbstractBaseUser) -> Listing:
    """The listing's owner marks it in discussion (listing_discuss checks who may)."""
    return listing_discuss(listing=_owner_listing(conversation), by=by)


@transaction.atomic
def conversation_listing_fulfil(*, conversation: Conversation, by: AbstractBaseUser) -> Listing:
    """The listing's owner marks it fulfilled with the other side of this conversation."""
    listing = _owner_listing(conversation)
    partner = conversation.other_side(listing.actor)
    return listing_fulfil(listing=listing, by=by, partners=[partner])
