"""The animator imports a spreadsheet of actors in the browser."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from directory.models import Actor, ImportBatch, Status
from directory.services import imports as importing
from tests.factories import ImportBatchFactory

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "Raison sociale;Commune;Forme juridique;E-mail\r\n"
    "Recyclerie de l'Est;Nantes;Association;contact@est.example\r\n"
    ";Nantes;Association;\r\n"
    "Atelier Vélo;Rezé;SCOP;\r\n"
    "Tiers-lieu;Atlantis;SCIC;\r\n"
).encode("cp1252")


def upload_path(network) -> str:
    return f"/animation/reseaux/{network.slug}/imports/"


def test_animator_uploads_checks_skips_and_imports(page, live_server, network, animator, log_in):
    log_in(page, animator, next_path=upload_path(network))
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer des acteurs")

    page.get_by_label("Fichier CSV ou XLSX").set_input_files(
        {"name": "acteurs.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("button", name="Téléverser et vérifier").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Aperçu de l'import")
    # The mapping was proposed from the header names.
    expect(page.get_by_label("Raison sociale")).to_have_value("name")
    expect(page.get_by_label("Commune", exact=True)).to_have_value("commune")
    errors = page.get_by_role("table", name=re.compile("Lignes en erreur"))
    expect(errors).to_contain_text("Nom manquant.")
    expect(errors).to_contain_text("Commune inconnue : « Atlantis ».")
    expect(page.get_by_label("Ignorer la ligne 3")).to_be_checked()
    expect(page.get_by_label("Ignorer la ligne 5")).to_be_checked()

    # All or nothing is refused while rows have errors.
    page.get_by_label("Tout ou rien").check()
    page.get_by_role("button", name="Lancer l'import").click()
    expect(page.get_by_role("alert")).to_contain_text("2 lignes contiennent des erreurs")

    page.get_by_label("Ignorer les lignes choisies").check()
    page.get_by_role("button", name="Lancer l'import").click()

    expect(page.get_by_role("status").filter(has_text="Import terminé")).to_contain_text(
        "2 fiches créées en brouillon"
    )
    assert set(Actor.objects.filter(status=Status.DRAFT).values_list("name", flat=True)) == {
        "Recyclerie de l'Est",
        "Atelier Vélo",
    }


def test_progress_bar_follows_a_running_import(page, live_server, network, animator, log_in):
    batch = ImportBatchFactory(network=network, created_by=animator, checked=True)
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.RUNNING, total=1000, processed=250
    )
    log_in(page, animator, next_path=f"{upload_path(network)}{batch.pk}/")

    progress = page.get_by_label("Import en cours…")
    expect(progress).to_have_attribute("value", "250")
    ImportBatch.objects.filter(pk=batch.pk).update(processed=600)
    expect(progress).to_have_attribute("value", "600")  # polled by htmx, under the CSP
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.DONE, processed=1000, created_count=1000, finished_at=timezone.now()
    )
    expect(page.get_by_text("Import terminé : 1000 fiches créées en brouillon.")).to_be_visible()


@pytest.mark.browser_context_args(bypass_csp=True)
def test_import_pages_are_accessible(page, live_server, network, animator, log_in, axe_check):
    batch = importing.batch_create(network=network, by=animator, name="acteurs.csv", data=CSV)
    log_in(page, animator, next_path=upload_path(network))
    axe_check(page)
    page.goto(f"{live_server.url}{upload_path(network)}{batch.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aperçu de l'import")
    axe_check(page)
