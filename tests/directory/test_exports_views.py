"""The animator's XLSX of its network (directory.views.exports) and the list's download links."""

import io

import pytest
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from directory.models import Actor
from ess_platform.lib.exports import XLSX_CONTENT_TYPE
from tests.directory.helpers import csv_rows
from tests.factories import ActorFactory, MembershipFactory, UserFactory, sector

pytestmark = pytest.mark.usefixtures("empty_cache")


# --- The animator's XLSX --------------------------------------------------------------------


def xlsx_url(network, query: str = "") -> str:
    url = reverse("directory:network_export_xlsx", kwargs={"network_slug": network.slug})
    return f"{url}?{query}" if query else url


def sheet_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert isinstance(response, FileResponse)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = workbook.active.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


class TestNetworkXlsx:
    @pytest.fixture
    def other_networks_actor(self, other_network):
        return ActorFactory(
            network=other_network,
            commune=other_network.communes.get(),
            name="Lyonnaise",
            siret="35600000000048",
        )

    def test_every_actor_of_the_network_with_the_internal_fields(
        self, client, animator, recyclerie, network, nantes, other_networks_actor
    ):
        MembershipFactory(actor=recyclerie, user=UserFactory(username="membre"))
        MembershipFactory(actor=recyclerie, user=UserFactory(username="deuxieme"))
        draft = ActorFactory(
            network=network, commune=nantes, name="Atelier brouillon", draft=True, volunteers=12
        )
        Actor.objects.filter(pk=draft.pk).update(headcount_band="1-9", turnover_band="<100k")
        client.force_login(animator)

        response = client.get(xlsx_url(network))

        assert response["Content-Type"] == XLSX_CONTENT_TYPE
        assert response["Content-Disposition"].startswith(
            'attachment; filename="acteurs-pole-ess-nantes-'
        )
        rows = sheet_rows(response)
        assert [row["Nom"] for row in rows] == ["Atelier brouillon", "Recyclerie du Port"]
        brouillon, recyclerie_row = rows
        assert brouillon["Statut"] == "Brouillon"
        assert brouillon["Effectif salarié"] == "1 à 9 salariés"
        assert brouillon["Chiffre d'affaires"] == "Moins de 100 000 €"
        assert brouillon["Bénévoles"] == 12
        # Freshness is about published profiles: a draft is never shown "À jour".
        assert brouillon["Fraîcheur"] is None
        assert recyclerie_row["Statut"] == "Publié"
        assert recyclerie_row["SIRET"] == "73282932000074"
        assert recyclerie_row["Fraîcheur"] == "À jour"
        assert recyclerie_row["E-mails des membres"] == "deuxieme@example.org, membre@example.org"
        assert recyclerie_row["Dernière confirmation"].date() == timezone.localdate(
            recyclerie.last_confirmed_at
        )
        assert recyclerie_row["Créé le"] is not None
        assert recyclerie_row["Latitude"] == pytest.approx(47.2184)
        assert recyclerie_row["Fiche"] == "http://testserver/acteurs/recyclerie-du-port/"
        assert "35600000000048" not in {row["SIRET"] for row in rows}

    def test_same_filters_as_the_list(self, client, animator, network, nantes, reze):
        ActorFactory(network=network, commune=nantes, name="À jour")
        ActorFactory(network=network, commune=reze, name="Obsolète à Rezé", stale=True)
        ActorFactory(
            network=network, commune=reze, name="Brouillon obsolète", stale=True, draft=True
        )
        client.force_login(animator)

        rows = sheet_rows(client.get(xlsx_url(network, "format=xlsx&freshness=stale&page=3")))

        assert [row["Nom"] for row in rows] == ["Brouillon obsolète", "Obsolète à Rezé"]
        rows = sheet_rows(client.get(xlsx_url(network, "commune=44109")))
        assert [row["Nom"] for row in rows] == ["À jour"]

    def test_invalid_filters_get_a_400_in_french(self, client, animator, network):
        client.force_login(animator)

        response = client.get(xlsx_url(network, "freshness=old"))

        assert response.status_code == 400
        assert "Sélectionnez un choix valide" in response.content.decode()

    def test_formulas_stay_text(self, client, animator, network, nantes):
        ActorFactory(network=network, commune=nantes, name="=1+1", short_description="#N/A")
        client.force_login(animator)

        response = client.get(xlsx_url(network))
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active

        name, description = sheet["B2"], sheet["Q2"]
        assert (name.value, name.data_type, name.quotePrefix) == ("=1+1", "s", True)
        assert (description.value, description.data_type) == ("#N/A", "s")

    def test_the_sheet_has_filters_over_every_row_and_readable_widths(
        self, client, animator, network, nantes
    ):
        ActorFactory.create_batch(3, network=network, commune=nantes)
        client.force_login(animator)

        response = client.get(xlsx_url(network))
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active

        last_column = sheet.cell(row=1, column=sheet.max_column).column_letter
        assert sheet.max_row == 4
        assert sheet.auto_filter.ref == f"A1:{last_column}4"
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["B"].width >= 12

    def test_another_network_s_animator_gets_404(self, client, other_animator, network, actor):
        client.force_login(other_animator)

        assert client.get(xlsx_url(network)).status_code == 404

    def test_a_member_gets_404(self, client, member, network):
        client.force_login(member)

        assert client.get(xlsx_url(network)).status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client, network):
        response = client.get(xlsx_url(network))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_a_superuser_exports_any_network(self, client, actor, network):
        client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))

        assert [row["Nom"] for row in sheet_rows(client.get(xlsx_url(network)))] == [actor.name]

    def test_unknown_network_is_not_found(self, client, animator):
        client.force_login(animator)

        response = client.get(
            reverse("directory:network_export_xlsx", kwargs={"network_slug": "inconnu"})
        )

        assert response.status_code == 404


# --- The links of the list page ---------------------------------------------------------------


class TestListLinks:
    def test_links_carry_the_current_filters(self, client, actor):
        response = client.get(
            reverse("directory:home"),
            {"q": "recyclerie", "sector": "", "commune": "44109", "page": "1", "radius_km": "10"},
        )

        html = response.content.decode()
        assert (
            'href="/api/v1/actors/?format=csv&amp;q=recyclerie&amp;commune=44109&amp;radius_km=10"'
            in html
        )
        assert (
            'href="/api/v1/actors/?format=geojson&amp;q=recyclerie&amp;commune=44109'
            "&amp;radius_km=10" in html
        )
        assert "export.xlsx" not in html

    def test_htmx_swap_brings_links_with_the_new_filters(self, client, network, nantes):
        ActorFactory(network=network, commune=nantes, sectors=[sector("recyclerie")])
        response = client.get(
            reverse("directory:home"),
            {"freshness": "fresh", "sector": ["recyclerie", "textile"]},
            HTTP_HX_REQUEST="true",
        )

        html = response.content.decode()
        assert "<html" not in html  # the partial that replaces the list
        assert (
            'href="/api/v1/actors/?format=csv&amp;freshness=fresh'
            '&amp;sector=recyclerie&amp;sector=textile"'
        ) in html or (
            'href="/api/v1/actors/?format=csv&amp;sector=recyclerie&amp;sector=textile'
            '&amp;freshness=fresh"'
        ) in html

    def test_the_link_downloads_what_the_list_shows(self, client, actor, other_member):
        html = client.get(reverse("directory:home"), {"commune": "44143"}).content.decode()
        href = html.split('data-export="csv"')[0].rsplit('href="', 1)[1].split('"')[0]

        rows = csv_rows(client.get(href.replace("&amp;", "&")))

        assert [row["Nom"] for row in rows] == ["Épicerie solidaire de Rezé"]

    def test_animators_also_get_their_network_s_xlsx(self, client, animator, actor, network):
        client.force_login(animator)

        html = client.get(reverse("directory:home"), {"q": "port"}).content.decode()

        assert f'href="{xlsx_url(network)}?format=xlsx&amp;q=port"' in html

    def test_list_filters_on_freshness(self, client, network, nantes):
        ActorFactory(network=network, commune=nantes, name="Jeune pousse")
        ActorFactory(network=network, commune=nantes, name="Vieille branche", stale=True)

        html = client.get(reverse("directory:home"), {"freshness": "stale"}).content.decode()

        assert "Vieille branche" in html
        assert "Jeune pousse" not in html
        assert '<option value="stale" selected>' in html
        assert "Informations possiblement obsolètes" in html
