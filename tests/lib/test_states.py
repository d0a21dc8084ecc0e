"""The shared state-machine move: allowed moves only, claimed once."""

import pytest
from django.core.exceptions import ValidationError

from cooperation.models import Listing
from cooperation.models.listings import TRANSITIONS
from cooperation.services.listings import listing_create
from ess_platform.lib.states import claim_move

pytestmark = pytest.mark.django_db

DATA = {
    "kind": "offer",
    "nature": "skill",
    "mode": "volunteering",
    "title": "Comptabilité associative",
    "description": "Deux heures par mois pour tenir les comptes d'une petite association.",
}


def test_a_move_not_in_the_table_is_refused_in_french(actor, member):
    listing = listing_create(actor=actor, by=member, data=DATA)

    with pytest.raises(ValidationError, match="Une annonce « Brouillon » ne peut pas passer"):
        claim_move(listing, to="fulfilled", transitions=TRANSITIONS, noun="Une annonce")


def test_a_move_is_claimed_once_from_the_state_read(actor, member):
    listing = listing_create(actor=actor, by=member, data=DATA)
    stale = Listing.objects.get(pk=listing.pk)

    old = claim_move(listing, to="withdrawn", transitions=TRANSITIONS, noun="Une annonce")

    assert (old, listing.status) == ("draft", "withdrawn")
    with pytest.raises(ValidationError, match="entre-temps"):
        claim_move(stale, to="open", transitions=TRANSITIONS, noun="Une annonce")
