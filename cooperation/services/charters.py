"""The animators publish a new version of their network's charter."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cooperation.models import CharterVersion, Criterion, CriterionKind
from cooperation.services.setup import admission_setup
from directory.models import Network
from directory.permissions import can_animate


@transaction.atomic
def charter_publish(
    *,
    network: Network,
    by: AbstractBaseUser,
    introduction: str,
    criteria: list[tuple[str, str, str]],
) -> CharterVersion:
    """A new version (introduction and (kind, title, description) criteria): applications
    started from now answer it; those already started keep theirs."""
    if not can_animate(by, network):
        raise PermissionDenied
    admission_setup(network=network)
    introduction = introduction.strip()
    criteria = [(k, t.strip(), d.strip()) for k, t, d in criteria if t.strip()]
    if not introduction:
        raise ValidationError({"introduction": _("Présentez la charte en quelques lignes.")})
    if not any(kind == CriterionKind.INCLUSION for kind, _t, _d in criteria):
        raise ValidationError(_("Une charte compte au moins un critère d'inclusion."))
    if any(kind not in CriterionKind.values for kind, _t, _d in criteria):
        raise ValidationError(_("Nature de critère inconnue."))
    last = CharterVersion.objects.filter(network=network).aggregate(n=Max("number"))["n"] or 0
    version = CharterVersion.objects.create(
        network=network, number=last + 1, introduction=introduction, created_by=by
    )
    rows = [
        Criterion(version=version, kind=kind, title=title, description=text, position=i)
        for i, (kind, title, text) in enumerate(criteria)
    ]
    for row in rows:
        row.full_clean(exclude=["version"])
    Criterion.objects.bulk_create(rows)
    return version
