from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret


def validate_siret(value: str) -> None:
    """14 digits with a valid Luhn checksum (python-stdnum knows La Poste's exception)."""
    if value and not siret.is_valid(value):
        raise ValidationError(
            _("Ce numéro SIRET n'est pas valide : vérifiez les 14 chiffres."), code="invalid_siret"
        )
