"""Shared form fields (ess_platform.lib.forms): a number the database cannot hold is a form
error, and a row's version survives its round trip through the page."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django import forms
from django.utils import translation

from directory.models import Sector
from ess_platform.lib.forms import (
    INTEGER_MAX,
    INTEGER_MIN,
    BoundedModelMultipleChoiceField,
    VersionField,
)

pytestmark = pytest.mark.django_db


class SectorsForm(forms.Form):
    by_pk = BoundedModelMultipleChoiceField(queryset=Sector.objects.all(), required=False)
    by_slug = BoundedModelMultipleChoiceField(
        queryset=Sector.objects.all(), to_field_name="slug", required=False
    )


@pytest.mark.parametrize("number", [INTEGER_MAX + 1, INTEGER_MIN - 1, 10**30])
def test_a_key_beyond_64_bits_gets_djangos_invalid_value_message(number):
    form = SectorsForm({"by_pk": [str(number)]})

    with translation.override("fr"):
        assert not form.is_valid()
        assert form.errors["by_pk"] == [f"«\u00a0{number}\u00a0» n’est pas une valeur correcte."]
    assert form.errors.as_data()["by_pk"][0].code == "invalid_pk_value"


def test_keys_within_the_range_are_looked_up_as_usual():
    sector = Sector.objects.filter(parent__isnull=False).first()
    form = SectorsForm({"by_pk": [str(sector.pk), str(INTEGER_MAX)]})

    assert not form.is_valid()
    assert form.errors.as_data()["by_pk"][0].code == "invalid_choice"  # no such row
    form = SectorsForm({"by_pk": [str(sector.pk)], "by_slug": ["abc"]})
    assert not form.is_valid()
    assert list(form.errors) == ["by_slug"]
    assert SectorsForm({"by_pk": [str(sector.pk)]}).is_valid()


def test_a_text_key_is_not_read_as_a_number():
    form = SectorsForm({"by_slug": [str(10**30)]})

    assert not form.is_valid()
    assert form.errors.as_data()["by_slug"][0].code == "invalid_choice"


class VersionForm(forms.Form):
    version = VersionField()


def test_a_version_comes_back_exactly_whatever_the_local_time():
    # 2:30 on the night the clocks go back in Paris: twice in local time, once in UTC.
    version = datetime(2025, 10, 26, 0, 30, 0, 123456, tzinfo=UTC)
    initial = VersionForm(initial={"version": version})
    rendered = initial["version"].value()

    form = VersionForm({"version": rendered})

    assert 'type="hidden"' in str(initial["version"])
    assert form.is_valid()
    assert form.cleaned_data["version"] == version


@pytest.mark.parametrize(
    "value", ["", "hier", "2025-10-26T00:30:00", "2025-13-40T00:00:00+00:00", "0" * 500]
)
def test_a_missing_or_tampered_version_reads_as_none(value):
    form = VersionForm({"version": value})

    assert form.is_valid()
    assert form.cleaned_data["version"] is None


def test_a_version_in_another_offset_is_the_same_instant():
    version = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    paris = version.astimezone(timezone(timedelta(hours=2))).isoformat()

    form = VersionForm({"version": paris})

    assert form.is_valid() and form.cleaned_data["version"] == version
