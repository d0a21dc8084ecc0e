"""The animator's writes on its network: bulk archive and freshness policy (services.network)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from directory.models import Actor, ActorChange, Network, Status
from directory.services import network as workspace
from tests.directory.helpers import make
from tests.directory.helpers import map_total as _map_total

pytestmark = pytest.mark.django_db


def test_bulk_archive_updates_status_map_cells_and_history(network, animator, chase, nantes):
    pending = make(network, nantes, "En attente", status=Status.PENDING)
    archived = make(network, nantes, "Déjà archivée", status=Status.ARCHIVED)
    published_before = _map_total()
    ids = [chase["due"].pk, chase["stale"].pk, pending.pk, archived.pk]

    count = workspace.bulk_archive(network=network, actor_ids=ids, by=animator)

    assert count == 3
    statuses = dict(Actor.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert set(statuses.values()) == {Status.ARCHIVED}
    assert _map_total() == published_before - 2
    # The published map cells still match the published actors exactly.
    assert _map_total() == Actor.objects.published().count()
    changes = ActorChange.objects.filter(source=ActorChange.Source.BULK)
    assert {(c.actor_id, tuple(c.changes["status"]), c.by_id) for c in changes} == {
        (chase["due"].pk, ("Publié", "Archivé"), animator.pk),
        (chase["stale"].pk, ("Publié", "Archivé"), animator.pk),
        (pending.pk, ("En attente de validation", "Archivé"), animator.pk),
    }
    # Twice is harmless: nothing left to archive, no new history.
    assert workspace.bulk_archive(network=network, actor_ids=ids, by=animator) == 0
    assert changes.count() == 3


def test_policy_service_checks_the_right(network, other_animator, member):
    for intruder in (other_animator, member):
        with pytest.raises(PermissionDenied):
            workspace.network_update_policy(
                network=network, by=intruder, data={"due_after_months": 3}
            )
    assert Network.objects.get(pk=network.pk).due_after_months is None


def test_policy_service_validates_ranges(network, animator):
    with pytest.raises(ValidationError) as error:
        workspace.network_update_policy(network=network, by=animator, data={"grace_months": 99})
    assert "grace_months" in error.value.error_dict
