"""The import pages: upload, preview, mapping, start and progress, for the network's animators."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from directory.models import Actor, ImportBatch, Status
from tests.directory.helpers import ROWS, csv_bytes
from tests.factories import ImportBatchFactory, UserFactory


def urls(network, batch) -> dict[str, str]:
    kwargs = {"network_slug": network.slug, "batch_id": batch.pk}
    return {
        "upload": reverse("directory:import_upload", kwargs={"network_slug": network.slug}),
        "detail": reverse("directory:import_detail", kwargs=kwargs),
        "mapping": reverse("directory:import_mapping", kwargs=kwargs),
        "start": reverse("directory:import_start", kwargs=kwargs),
        "progress": reverse("directory:import_progress", kwargs=kwargs),
    }


@pytest.mark.django_db
def test_the_animator_uploads_previews_and_imports_in_the_browser_flow(
    client, network, animator, capture
):
    client.force_login(animator)
    upload_url = reverse("directory:import_upload", kwargs={"network_slug": network.slug})
    assert client.get(upload_url).status_code == 200

    response = client.post(
        upload_url, {"file": SimpleUploadedFile("acteurs.csv", csv_bytes(ROWS), "text/csv")}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == urls(network, batch)["detail"]

    page = client.get(response["Location"]).content.decode()
    assert "Recyclerie de l&#x27;Est" in page
    assert "Nom manquant." in page
    assert 'name="skip" value="4" id="skip-4"' in page and "checked" in page
    assert "au centre de leur commune" in page

    response = client.post(urls(network, batch)["start"], {"mode": "all"})
    assert response.status_code == 400
    assert "Une ligne contient des erreurs" in response.content.decode()

    with capture(execute=True):
        response = client.post(
            urls(network, batch)["start"], {"mode": "skip", "skip": ["4"], "other_lines": "3"}
        )
    assert response.status_code == 302
    assert Actor.objects.filter(status=Status.DRAFT).count() == 2

    page = client.get(urls(network, batch)["detail"]).content.decode()
    assert "Import terminé : 2 fiches créées en brouillon." in page
    assert "<progress" in page
    assert "hx-trigger" not in page  # done: the page stops polling


@pytest.mark.django_db
def test_the_progress_block_polls_while_the_import_runs(client, network, animator):
    batch = ImportBatchFactory(network=network, created_by=animator, checked=True)
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.RUNNING, total=10, processed=4
    )
    client.force_login(animator)

    page = client.get(urls(network, batch)["detail"]).content.decode()
    fragment = client.get(urls(network, batch)["progress"]).content.decode()

    assert '<progress id="import-progress-bar" max="10" value="4">' in page
    assert 'hx-trigger="every 1s"' in fragment
    assert "vendor/htmx/htmx.min.js" in page
    assert "<html" not in fragment


@pytest.mark.django_db
def test_the_mapping_form_changes_the_mapping(client, network, animator):
    batch = ImportBatchFactory(
        network=network,
        created_by=animator,
        headers=["Structure", "Lieu"],
        rows=[[2, ["A", "Nantes"]]],
    )
    assert batch.state == ImportBatch.State.UPLOADED  # "Lieu" is not a known column name
    client.force_login(animator)
    assert (
        "Choisissez la colonne de la commune"
        in client.get(urls(network, batch)["detail"]).content.decode()
    )

    response = client.post(urls(network, batch)["mapping"], {"col_0": "name", "col_1": "name"})
    assert response.status_code == 400
    assert "choisi pour plusieurs colonnes" in response.content.decode()

    response = client.post(urls(network, batch)["mapping"], {"col_0": "name", "col_1": "commune"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.mapping == {"0": "name", "1": "commune"}
    assert batch.state == ImportBatch.State.CHECKED


@pytest.mark.django_db
def test_upload_errors_are_shown_on_the_form(client, network, animator):
    client.force_login(animator)
    url = reverse("directory:import_upload", kwargs={"network_slug": network.slug})

    response = client.post(url, {"file": SimpleUploadedFile("acteurs.ods", b"data")})

    assert response.status_code == 200
    assert (
        "Format non pris en charge : envoyez un fichier CSV ou XLSX." in response.content.decode()
    )
    assert not ImportBatch.objects.exists()


def truncated_xlsx() -> bytes:
    """A workbook whose sheet was cut in the middle, as an interrupted copy leaves it."""
    workbook = Workbook()
    for n in range(50):
        workbook.active.append([f"Structure {n}", "Nantes"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) * 2 // 3]
            archive.writestr(item, content)
    return damaged.getvalue()


@pytest.mark.django_db
def test_a_damaged_workbook_is_explained_on_the_form_not_a_500(client, network, animator):
    client.force_login(animator)
    url = reverse("directory:import_upload", kwargs={"network_slug": network.slug})

    response = client.post(url, {"file": SimpleUploadedFile("acteurs.xlsx", truncated_xlsx())})

    assert response.status_code == 200
    html = response.content.decode()
    errors = re.search(r'<ul class="errorlist" id="id_file_errors">(.*?)</ul>', html, re.S)
    assert "Ce classeur XLSX est abîmé" in errors.group(1)
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_pages_are_for_the_networks_animators_only(
    client, network, animator, other_animator, member
):
    batch = ImportBatchFactory(
        network=network, created_by=animator, rows=[[2, ["A", "Nantes"]]], checked=True
    )
    actors_before = Actor.objects.count()  # the member's own
    pages = urls(network, batch)
    posts = {"mapping": {"col_0": "name", "col_3": "commune"}, "start": {"mode": "all"}}

    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/login/" in response["Location"], name
    for person in (other_animator, member):
        client.force_login(person)
        for name, url in pages.items():
            if name in posts:
                assert client.post(url, posts[name]).status_code == 404, (person, name)
                assert client.get(url).status_code == 405, (person, name)
            else:
                assert client.get(url).status_code == 404, (person, name)
        assert client.post(pages["upload"], {}).status_code == 404
    # Another network's batch through one's own network's URL: 404 too.
    client.force_login(other_animator)
    other_urls = urls(other_animator.animated_networks.get(), batch)
    assert client.get(other_urls["detail"]).status_code == 404
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CHECKED
    assert Actor.objects.count() == actors_before

    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(pages["detail"]).status_code == 200
