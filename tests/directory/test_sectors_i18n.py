"""Sector names are data, seeded in French: pages and the API show them in the visitor's
language (Sector.label, through the catalogues), with no migration and no second column."""

import pytest
from django.urls import reverse
from django.utils import translation

from directory.models import Sector
from directory.seed.sectors import SECTOR_TREE
from tests.factories import ActorFactory, sector
from tests.test_i18n import _entries

pytestmark = pytest.mark.django_db


def seeded_names() -> list[str]:
    names = []
    for _slug, name, _colour, _icon, children in SECTOR_TREE:
        names.append(name)
        names.extend(child_name for _child_slug, child_name in children)
    return names


def test_every_seeded_name_has_an_english_translation():
    # The names are marked with gettext_noop in directory/seed/sectors.py, so that
    # `make makemessages` brings them into the catalogues, where they get translated.
    translated = {msgid: all(strs) for msgid, _flags, strs in _entries()}
    missing = [name for name in seeded_names() if not translated.get(name)]
    assert missing == []


def test_the_label_is_the_name_in_the_current_language():
    reemploi = Sector.objects.get(slug="reemploi-recyclage")

    with translation.override("en"):
        assert reemploi.label == "Reuse and recycling"
    with translation.override("fr"):
        assert reemploi.label == "Réemploi et recyclage"
    assert reemploi.name == "Réemploi et recyclage"  # the data is unchanged


def test_a_name_no_catalogue_knows_shows_as_typed():
    recyclerie = Sector.objects.get(slug="recyclerie")
    recyclerie.name = "Ressourceries du bocage"  # as edited in the admin

    with translation.override("en"):
        assert recyclerie.label == "Ressourceries du bocage"
        assert Sector(name="").label == ""  # not the catalogue's header


def test_the_api_adds_the_label_in_the_language_asked_for_and_keeps_the_name(client, network):
    actor = ActorFactory(network=network, sectors=[sector("recyclerie")])

    def english(name, **kwargs):
        return client.get(
            reverse(name, kwargs=kwargs or None),
            headers={"Accept-Language": "en"},
        ).json()

    filieres = {f["slug"]: f for f in english("api-sector-list")}
    reemploi = filieres["reemploi-recyclage"]
    assert (reemploi["name"], reemploi["label"]) == ("Réemploi et recyclage", "Reuse and recycling")
    assert reemploi["children"][0]["name"] == "Recyclerie et ressourcerie"
    assert reemploi["children"][0]["label"] == "Reuse and resource centres"

    (actor_sector,) = english("api-actor-detail", slug=actor.slug)["sectors"]
    assert actor_sector["name"] == "Recyclerie et ressourcerie"
    assert actor_sector["label"] == "Reuse and resource centres"

    point = english("api-map-actor-detail", pk=actor.pk)
    assert point["sectors"] == ["Reuse and resource centres"]
