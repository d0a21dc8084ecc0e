"""Running an import: its modes, drafts, invitations, failures and progress (services.imports)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from directory.models import Actor, ActorChange, ImportBatch, Invitation, LegalForm, Role, Status
from directory.services import imports as importing
from ess_platform.lib.outbox import sending as outbox_sending
from tests.directory.helpers import ROWS, csv_bytes, errors_of, make_siret, upload
from tests.factories import ActorFactory, ImportBatchFactory, UserFactory


def run(batch, animator, *, mode=ImportBatch.Mode.ALL_OR_NOTHING, skipped=(), capture=None):
    """Start the import and run it (the task is eager, queued on commit)."""
    with capture(execute=True):
        importing.import_start(batch=batch, by=animator, mode=mode, skipped=skipped)
    batch.refresh_from_db()
    return batch


@pytest.mark.django_db
def test_a_new_mapping_is_checked_again(network, animator):
    header = ["Structure", "Ville", "Notes"]
    batch = upload(network, animator, csv_bytes([["A", "Nantes", "Atlantis"]], header=header))
    assert batch.row_errors == {}

    importing.batch_check(batch=batch, by=animator, mapping={"0": "name", "2": "commune"})

    assert errors_of(batch) == {2: ["Commune inconnue : « Atlantis »."]}
    with pytest.raises(ValidationError, match="nom des structures"):
        importing.batch_check(batch=batch, by=animator, mapping={"1": "commune"})
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.UPLOADED
    with pytest.raises(ValidationError, match="Cet import a déjà été lancé"):
        importing.import_start(batch=batch, by=animator, mode=ImportBatch.Mode.ALL_OR_NOTHING)


# --- Importing -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_all_or_nothing_is_refused_while_a_row_has_an_error(network, animator, capture):
    batch = upload(network, animator, csv_bytes(ROWS))

    with pytest.raises(ValidationError, match="Une ligne contient des erreurs"):
        importing.import_start(batch=batch, by=animator, mode=ImportBatch.Mode.ALL_OR_NOTHING)

    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CHECKED
    assert not Actor.objects.exists()


@pytest.mark.django_db
def test_all_or_nothing_skips_no_row(network, animator):
    batch = upload(network, animator, csv_bytes([["A", "", "", "Nantes", "", ""]] * 1))

    with pytest.raises(ValidationError, match="Tout ou rien » importe toutes les lignes"):
        importing.import_start(
            batch=batch, by=animator, mode=ImportBatch.Mode.ALL_OR_NOTHING, skipped=[2]
        )


@pytest.mark.django_db
def test_skip_mode_requires_every_erroneous_row_to_be_skipped(network, animator):
    batch = upload(network, animator, csv_bytes(ROWS))

    with pytest.raises(ValidationError, match=r"doivent être ignorées : ligne\(s\) 4"):
        importing.import_start(
            batch=batch, by=animator, mode=ImportBatch.Mode.SKIP_CHOSEN, skipped=[2]
        )
    with pytest.raises(ValidationError, match="n'existent pas dans le fichier : 40"):
        importing.import_start(
            batch=batch, by=animator, mode=ImportBatch.Mode.SKIP_CHOSEN, skipped=[4, 40]
        )
    with pytest.raises(ValidationError, match="Aucune ligne à importer"):
        importing.import_start(
            batch=batch, by=animator, mode=ImportBatch.Mode.SKIP_CHOSEN, skipped=[2, 3, 4, 5]
        )


@pytest.mark.django_db
def test_skip_mode_imports_exactly_the_other_rows_as_drafts(
    network, animator, nantes, reze, capture
):
    batch = upload(network, animator, csv_bytes(ROWS))

    batch = run(batch, animator, mode=ImportBatch.Mode.SKIP_CHOSEN, skipped=[4, 3], capture=capture)

    assert batch.state == ImportBatch.State.DONE
    assert (batch.total, batch.processed, batch.created_count) == (2, 2, 2)
    assert batch.skipped_rows == [3, 4]
    assert batch.finished_at is not None
    actors = {a.name: a for a in Actor.objects.all()}
    assert set(actors) == {"Recyclerie de l'Est", "Épicerie solidaire"}
    est = actors["Recyclerie de l'Est"]
    assert est.status == Status.DRAFT
    assert est.network == network
    assert est.commune == nantes
    assert (est.lat, est.lon) == (nantes.lat, nantes.lon)
    assert est.siret == make_siret(11)
    assert est.legal_form == LegalForm.ASSOCIATION
    assert est.slug == "recyclerie-de-lest"
    assert est.last_confirmed_at is None
    assert "recyclerie" in est.search_text and "nantes" in est.search_text
    assert actors["Épicerie solidaire"].legal_form == LegalForm.OTHER
    # Found by the public search like any other actor, once published.
    assert list(Actor.objects.search("épicerie")) == [actors["Épicerie solidaire"]]


@pytest.mark.django_db
def test_an_import_creates_sectors_history_and_invitations_emailed(network, animator, capture):
    ActorFactory(network=network, name="Atelier", slug="atelier")
    header = ["Nom", "Commune", "Secteur", "E-mail", "E-mail du contact"]
    rows = [
        ["Atelier", "Rezé", "Recyclerie et ressourcerie", "public@a.example", "Marie@A.example"],
        ["Atelier", "Nantes", "reparation", "public@b.example", ""],
        ["Sans e-mail", "Nantes", "", "", ""],
    ]
    batch = upload(network, animator, csv_bytes(rows, header=header), name="réseau 2024.csv")

    batch = run(batch, animator, capture=capture)

    assert batch.state == ImportBatch.State.DONE, batch.error_message
    actors = list(Actor.objects.filter(status=Status.DRAFT).order_by("pk"))
    assert [a.slug for a in actors] == ["atelier-2", "atelier-3", "sans-e-mail"]
    assert [list(a.sectors.values_list("slug", flat=True)) for a in actors] == [
        ["recyclerie"],
        ["reparation"],
        [],
    ]
    changes = ActorChange.objects.filter(source=ActorChange.Source.IMPORT)
    assert sorted(changes.values_list("actor_id", flat=True)) == [a.pk for a in actors]
    assert {(c.by, c.note) for c in changes} == {(animator, "réseau 2024.csv")}
    invitations = Invitation.objects.order_by("actor_id")
    # The contact's address when given, else the public one.
    assert [(i.actor, i.email, i.role) for i in invitations] == [
        (actors[0], "marie@a.example", Role.OWNER),
        (actors[1], "public@b.example", Role.OWNER),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["marie@a.example", "public@b.example"]
    message = next(m for m in mail.outbox if m.to == ["public@b.example"])
    assert "Pôle ESS Nantes a ajouté « Atelier »" in message.body
    assert "/espace/invitations/" in message.body
    assert "Confirmez la fiche de Atelier" in message.subject

    # A redelivered task, or a rerun of the sending, owes and sends nothing twice.
    assert importing._owe_invitations([i.pk for i in invitations]) == 0
    outbox_sending.send_pending()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_invitation_link_lets_the_contact_take_over_the_draft(
    client, network, animator, capture
):
    rows = [["Recyclerie de l'Est", "", "", "Nantes", "", "marie@example.org"]]
    batch = run(upload(network, animator, csv_bytes(rows)), animator, capture=capture)
    assert batch.created_count == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/invitations/" in line)
    marie = UserFactory(username="marie", email="marie@example.org")
    client.force_login(marie)

    response = client.post(link.removeprefix("http://127.0.0.1:8000").strip())

    assert response.status_code == 302
    actor = Actor.objects.get(name="Recyclerie de l'Est")
    assert actor.memberships.get().user == marie
    assert actor.memberships.get().role == Role.OWNER


@pytest.mark.django_db
def test_a_failure_mid_way_leaves_no_actor_behind(network, animator, capture, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    rows = [[f"Structure {n}", "", "", "Nantes", "", f"s{n}@example.org"] for n in range(5)]
    batch = upload(network, animator, csv_bytes(rows))
    calls = []
    real_bulk_create = Invitation.objects.bulk_create

    def failing_second_batch(objs, **kwargs):
        calls.append(len(objs))
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_bulk_create(objs, **kwargs)

    monkeypatch.setattr(Invitation.objects, "bulk_create", failing_second_batch)

    batch = run(batch, animator, capture=capture)

    assert calls == [2, 2]  # the first batch was inserted before the failure
    assert batch.state == ImportBatch.State.FAILED
    assert "aucune fiche n'a été créée" in batch.error_message
    assert (batch.processed, batch.created_count) == (0, 0)
    assert not Actor.objects.exists()
    assert not Invitation.objects.exists()
    assert not ActorChange.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_rows_that_became_duplicates_after_the_check_stop_the_import(
    network, animator, nantes, capture
):
    batch = upload(
        network, animator, csv_bytes([["Recyclerie de l'Est", "", "", "Nantes", "", ""]])
    )
    ActorFactory(network=network, commune=nantes, name="Recyclerie de l’Est")

    batch = run(batch, animator, capture=capture)

    assert batch.state == ImportBatch.State.CHECKED
    assert "De nouvelles erreurs" in batch.error_message
    assert errors_of(batch) == {
        2: ["Doublon : la fiche « Recyclerie de l’Est » existe déjà à Nantes."]
    }
    assert Actor.objects.count() == 1


@pytest.mark.django_db
def test_progress_is_written_per_batch(network, animator, capture, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    written = []
    monkeypatch.setattr(importing._ProgressWriter, "write", lambda self, n: written.append(n))
    rows = [[f"Structure {n}", "", "", "Nantes", "", ""] for n in range(5)]

    batch = run(upload(network, animator, csv_bytes(rows)), animator, capture=capture)

    assert written == [2, 4, 5]
    assert (batch.processed, batch.total) == (5, 5)


@pytest.mark.django_db
def test_a_batch_is_started_once(network, animator):
    batch = ImportBatchFactory(
        network=network, created_by=animator, rows=[[2, ["A", "Nantes"]]], done=True
    )

    with pytest.raises(ValidationError, match="déjà été lancé"):
        importing.import_start(batch=batch, by=animator, mode=ImportBatch.Mode.ALL_OR_NOTHING)
    importing.import_run(batch.pk)  # a redelivered task does nothing

    assert Actor.objects.count() == 1


@pytest.mark.django_db
def test_services_refuse_people_who_do_not_animate_the_network(
    network, animator, other_animator, member
):
    data = csv_bytes([["A", "", "", "Nantes", "", ""]])
    for person in (other_animator, member):
        with pytest.raises(PermissionDenied):
            upload(network, person, data)
    batch = upload(network, animator, data)
    with pytest.raises(PermissionDenied):
        importing.batch_check(batch=batch, by=other_animator, mapping=batch.mapping)
    with pytest.raises(PermissionDenied):
        importing.import_start(batch=batch, by=other_animator, mode="all")


def test_line_numbers_are_parsed():
    assert importing.parse_line_numbers(" 3, 8-10 ;12 ") == {3, 8, 9, 10, 12}
    assert importing.parse_line_numbers("") == set()
    with pytest.raises(ValidationError, match="n'est pas un numéro de ligne"):
        importing.parse_line_numbers("trois")


# --- PostgreSQL: a large file, progress seen from outside the import's transaction ----------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_to_other_connections_while_nothing_else_is(
    network, animator, monkeypatch
):
    from django.db import DEFAULT_DB_ALIAS, connections

    rows = [
        [
            f"Structure {n}",
            make_siret(100 + n),
            "Association",
            "Nantes" if n % 2 else "Rezé",
            "",
            f"s{n}@example.org",
        ]
        for n in range(2000)
    ]
    batch = upload(network, animator, csv_bytes(rows))
    assert batch.row_errors == {}
    observer = connections.create_connection(DEFAULT_DB_ALIAS)
    seen = []
    real_write = importing._ProgressWriter.write

    def write_and_look(self, processed):
        real_write(self, processed)
        with observer.cursor() as cursor:
            cursor.execute("SELECT processed FROM directory_importbatch WHERE id = %s", [batch.pk])
            (visible_progress,) = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM directory_actor")
            (visible_actors,) = cursor.fetchone()
        seen.append((processed, visible_progress, visible_actors))

    monkeypatch.setattr(importing._ProgressWriter, "write", write_and_look)
    try:
        importing.import_start(batch=batch, by=animator, mode=ImportBatch.Mode.ALL_OR_NOTHING)
    finally:
        observer.close()

    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DONE, batch.error_message
    # Progress committed at each batch of rows; the actors only at the end, all at once.
    assert seen == [(1000, 1000, 0), (2000, 2000, 0)]
    assert Actor.objects.filter(network=network, status=Status.DRAFT).count() == 2000
    assert Invitation.objects.count() == 2000
    assert len(mail.outbox) == 2000
