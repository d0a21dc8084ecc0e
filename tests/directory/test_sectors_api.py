"""The sector taxonomy in the API (/api/v1/sectors/)."""

from tests.directory.helpers import get


def test_sectors_are_the_nested_taxonomy(client, db):
    response = get(client, "api-sector-list")

    assert response.status_code == 200
    filieres = response.json()
    assert isinstance(filieres, list)  # not paginated
    by_slug = {filiere["slug"]: filiere for filiere in filieres}
    reemploi = by_slug["reemploi-recyclage"]
    assert reemploi["name"] == "Réemploi et recyclage"
    # The name in the language asked for (French by default): see test_sectors_i18n.
    assert reemploi["label"] == "Réemploi et recyclage"
    assert reemploi["children"][0]["label"] == "Recyclerie et ressourcerie"
    assert reemploi["colour"].startswith("#")
    assert [child["slug"] for child in reemploi["children"]] == [
        "recyclerie",
        "reparation",
        "textile",
        "collecte-dechets",
    ]
    assert "recyclerie" not in by_slug  # sectors only appear under their filière
