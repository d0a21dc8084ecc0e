"""Explicit state machines: a model's allowed moves are a table (state → next states), and
a move is claimed with a conditional update, so that a double click, two people at once or
a daily pass racing a person cannot apply it twice or from a state it no longer is in."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _


def claim_move(
    instance: models.Model,
    *,
    to: str,
    transitions: dict[str, set[str]],
    noun: str,
    field: str = "status",
    **fields,
) -> str:
    """Move `instance` to the state `to` if `transitions` allows it from the state it has
    in the database, saving `fields` with it (and `updated_at`). Returns the old state;
    the instance is reloaded. `noun` names the thing in the messages ("Une annonce")."""
    old = getattr(instance, field)
    labels = dict(type(instance)._meta.get_field(field).choices)
    if to not in transitions[old]:
        raise ValidationError(
            _("%(noun)s « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"noun": noun, "from": labels[old], "to": labels[to]}
        )
    moved = (
        type(instance)
        ._default_manager.filter(pk=instance.pk, **{field: old})
        .update(**{field: to}, updated_at=timezone.now(), **fields)
    )
    if not moved:
        raise ValidationError(_("Elle a changé entre-temps : rechargez la page."))
    instance.refresh_from_db()
    return old
