"""Conversations between two structures: every member of each side reads and writes
them; about a listing, or started from a structure's page. Unread counts come from each
person's last reading; a side may block the other, and anyone in a conversation may report
it to the network's animators."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from directory.models import Actor, Membership, Network

from .listings import Listing


class ConversationQuerySet(models.QuerySet):
    def of_actor(self, actor: Actor):
        return self.filter(Q(initiator=actor) | Q(recipient=actor))

    def of_user(self, user):
        """The conversations of every structure `user` is a member of."""
        actors = Membership.objects.filter(user=user).values("actor")
        return self.filter(Q(initiator__in=actors) | Q(recipient__in=actors))

    def readable_by(self, user):
        """What `user` may open: the conversations of the structures they are a member of
        now (whoever leaves a structure leaves its conversations), and, once reported,
        those of a network they animate (to judge the report). Animators read nothing
        else: a conversation between two structures is theirs alone."""
        if user is None or not user.is_authenticated:
            return self.none()
        actors = Membership.objects.filter(user=user).values("actor")
        condition = Q(initiator__in=actors) | Q(recipient__in=actors)
        reported = ConversationReport.objects.filter(conversation=OuterRef("pk"))
        if user.is_superuser:
            condition |= Exists(reported)
        else:
            networks = Network.objects.filter(animators=user).values("pk")
            condition |= Exists(reported) & (
                Q(initiator__network__in=networks) | Q(recipient__network__in=networks)
            )
        return self.filter(condition)

    def with_unread(self, user):
        """Each with `unread`: a message by someone else since `user` last read it."""
        return self.annotate(unread=Exists(_unread_messages(user)))

    def unread_by(self, user):
        """Those of `user`'s structures with a message by someone else newer than `user`'s
        last reading (or never read): the header's count."""
        return self.of_user(user).filter(Exists(_unread_messages(user)))


def _unread_messages(user):
    """The messages of the outer conversation that `user` has not read."""
    # Nested twice (conversation → message → reading): the reading is matched on the
    # message's conversation; OuterRef("pk") there would be the message's own key.
    read = ConversationRead.objects.filter(conversation=OuterRef("conversation"), user=user)
    return (
        Message.objects.filter(conversation=OuterRef("pk"))
        .exclude(author=user)
        .filter(Q(~Exists(read)) | Q(created_at__gt=Subquery(read.values("read_at")[:1])))
    )


class Conversation(models.Model):
    initiator = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    listing = models.ForeignKey(
        Listing, on_delete=models.SET_NULL, null=True, blank=True, related_name="conversations"
    )
    subject = models.CharField(_("objet"), max_length=160)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(db_index=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(initiator=models.F("recipient")), name="conversation_two_sides"
            ),
            # One conversation per listing and asking structure: contacting twice reopens it.
            models.UniqueConstraint(
                fields=["listing", "initiator"],
                condition=Q(listing__isnull=False),
                name="conversation_one_per_listing_and_actor",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def other_side(self, actor: Actor) -> Actor:
        return self.recipient if actor.pk == self.initiator_id else self.initiator


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.body[:60]


class ConversationRead(models.Model):
    """When a person last read a conversation (their unread count is what came after)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="conversation_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.conversation_id}"


class Block(models.Model):
    """`blocker` no longer receives new conversations or messages from `blocked`."""

    blocker = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocage")
        verbose_name_plural = _("blocages")
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once")]

    def __str__(self) -> str:
        return f"{self.blocker} ⊘ {self.blocked}"


class ConversationReport(models.Model):
    """A conversation reported to the animators of the reporting side's network."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reports")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("motif"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signalement de conversation")
        verbose_name_plural = _("signalements de conversation")

    def __str__(self) -> str:
        return f"{self.conversation} · {self.created_at:%Y-%m-%d}"
