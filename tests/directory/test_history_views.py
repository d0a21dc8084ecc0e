"""The history page of a profile: every change, shown to its members and animators only."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from directory.models import ActorChange, Status
from directory.services import actors as services
from directory.services import history
from tests.factories import ActorFactory, CorrectionReportFactory

pytestmark = pytest.mark.django_db


def history_url(actor) -> str:
    return reverse("directory:actor_history", args=[actor.slug])


def test_a_members_edit_is_listed_with_who_when_and_old_to_new(client, actor, member):
    old = actor.short_description
    services.actor_update(
        actor=actor, by=member, data={"short_description": "Ressourcerie de quartier."}
    )
    client.force_login(member)

    response = client.get(history_url(actor))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Présentation courte" in html  # the field's French name, not "short_description"
    assert "short_description" not in html
    assert escape(old) in html and "Ressourcerie de quartier." in html
    assert member.email in html
    assert "Modification" in html


def test_accepted_corrections_and_status_changes_are_listed(client, actor, member, animator):
    report = CorrectionReportFactory(
        actor=actor, proposed_value="02 51 11 22 33", accepted=True, decided_by=member
    )
    services.actor_set_status(actor=actor, by=animator, status=Status.SUSPENDED)
    client.force_login(animator)

    html = client.get(history_url(actor)).content.decode()

    assert "Correction acceptée" in html
    assert f"Signalement n° {report.pk}" in html
    assert "Téléphone" in html and "02 51 11 22 33" in html
    assert "Changement de statut" in html
    assert "Publié" in html and "Suspendu" in html
    # Most recent first.
    assert html.index("Changement de statut") < html.index("Correction acceptée")


def test_bulk_changes_recorded_with_record_many_are_listed(client, network, nantes, animator):
    actors = [ActorFactory(network=network, commune=nantes) for _ in range(3)]
    history.record_many(
        [a.pk for a in actors],
        by=animator,
        source=ActorChange.Source.BULK,
        changes={"status": ["Publié", "Archivé"]},
        note="Archivage groupé",
    )
    client.force_login(animator)

    for actor in actors:
        html = client.get(history_url(actor)).content.decode()
        assert "Action groupée" in html and "Archivage groupé" in html
        assert "Statut" in html and "Archivé" in html


def test_history_is_paginated(client, actor, member):
    history.record_many(
        [actor.pk] * 30, by=member, source=ActorChange.Source.CONFIRMATION, note="lot"
    )
    client.force_login(member)

    first = client.get(history_url(actor)).content.decode()
    second = client.get(history_url(actor), {"page": 2}).content.decode()

    assert "Page 1 sur 2" in first and "Page 2 sur 2" in second
    assert first.count("<tr>") == 26  # the header row and 25 changes


def test_history_query_count_does_not_grow_with_changes(
    client, actor, member, django_assert_max_num_queries
):
    client.force_login(member)
    history.record(actor, by=member, source=ActorChange.Source.CONFIRMATION)
    with django_assert_max_num_queries(20) as few:
        response = client.get(history_url(actor))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 2  # the header row and the change
    history.record_many([actor.pk] * 20, by=member, source=ActorChange.Source.CONFIRMATION)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(history_url(actor))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 22


def test_history_is_refused_to_strangers(client, actor, member, other_member, other_animator):
    services.actor_update(actor=actor, by=member, data={"phone": "02 99 99 99 99"})
    assert client.get(history_url(actor)).status_code == 302  # sign in first
    client.force_login(other_member)
    assert client.get(history_url(actor)).status_code == 403
    client.force_login(other_animator)
    assert client.get(history_url(actor)).status_code == 404
