"""The profile's sector picker: grouped by filière, narrowed by typing."""

import pytest
from playwright.sync_api import expect

from tests.factories import sector

pytestmark = pytest.mark.django_db(transaction=True)


def test_typing_narrows_the_sectors_and_keeps_the_checked_ones(page, owner, log_in):
    owner.actor.sectors.set([sector("textile")])
    log_in(page, owner, next_path=f"/espace/structures/{owner.actor.slug}/modifier/")
    picker = page.locator("[data-sector-picker]")
    choices = picker.locator("[data-sector-choice]")
    expect(choices.first).to_be_visible()
    total = choices.count()

    box = picker.get_by_label("Filtrer les secteurs")
    box.fill("velo")  # accents aside: "Vélo…"
    visible = picker.locator("[data-sector-choice]:visible")
    expect(visible.filter(has_text="Textile")).to_have_count(1)  # checked: kept
    expect(visible.filter(has_text="Recyclerie")).to_have_count(0)
    assert 1 < visible.count() < total
    expect(picker.get_by_role("group", name="Mobilité")).to_be_visible()
    expect(picker.get_by_role("group", name="Énergie")).to_be_hidden()

    box.fill("zzz")
    expect(picker.locator("[data-sector-filter-status]")).to_have_text(
        "Aucun secteur ne correspond à ce mot."
    )

    box.fill("")  # what the ✕ of a search box does
    expect(picker.locator("[data-sector-choice]:visible")).to_have_count(total)

    picker.get_by_label("Recyclerie et ressourcerie").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Les modifications sont enregistrées.")
    owner.actor.refresh_from_db()
    assert {s.slug for s in owner.actor.sectors.all()} == {"textile", "recyclerie"}
