"""SIRET numbers (French establishment identifiers): one normalisation, one check.

The check is python-stdnum's (Luhn, with La Poste's exception); the tenders' buyers will
use the same functions as the directory's actors."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret

# What people and spreadsheets put between the digits: spaces (also non-breaking), dots,
# dashes.
_SEPARATORS = re.compile(r"[\s.\-\u00a0\u202f]")


def normalize_siret(value: str | None) -> str:
    """ "123 456 789 00012" or "123.456.789-00012" → "12345678900012"."""
    return _SEPARATORS.sub("", value or "")


def validate_siret(value: str) -> None:
    """14 digits with a valid Luhn checksum (python-stdnum knows La Poste's exception)."""
    if value and not siret.is_valid(value):
        raise ValidationError(
            _("Ce numéro SIRET n'est pas valide : vérifiez les 14 chiffres."), code="invalid_siret"
        )
