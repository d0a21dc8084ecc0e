"""Join requests and invitations (directory.services.members)."""

import pytest
from django.core.exceptions import ValidationError

from directory.services import members as member_services

pytestmark = pytest.mark.django_db


def test_join_request_once_then_decided_once(actor, member, user):
    join_request = member_services.join_request_create(actor=actor, by=user)
    with pytest.raises(ValidationError):
        member_services.join_request_create(actor=actor, by=user)
    member_services.join_request_decide(join_request=join_request, by=member, accept=False)
    with pytest.raises(ValidationError):
        member_services.join_request_decide(join_request=join_request, by=member, accept=True)
    assert not actor.memberships.filter(user=user).exists()


def test_invitations_are_not_repeated_nor_unlimited(actor, member, settings):
    member_services.invitation_create(actor=actor, by=member, email="a@example.org")
    with pytest.raises(ValidationError, match="attend déjà"):
        member_services.invitation_create(actor=actor, by=member, email="A@example.org")
    settings_limit = member_services.INVITATIONS_PER_HOUR
    for n in range(settings_limit - 1):
        member_services.invitation_create(actor=actor, by=member, email=f"p{n}@example.org")
    with pytest.raises(ValidationError, match="Trop d'invitations"):
        member_services.invitation_create(actor=actor, by=member, email="last@example.org")
