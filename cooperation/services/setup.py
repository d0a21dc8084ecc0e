"""A network's admission set-up: its colleges and its charter, from the model ones
(cooperation.seed.charter) until its animators change them; its admission rules."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cooperation.models import AdmissionPolicy, CharterVersion, College, Criterion
from cooperation.seed.charter import MODEL_COLLEGES, MODEL_CRITERIA, MODEL_INTRODUCTION
from directory.models import Network
from directory.permissions import can_animate


@transaction.atomic
def admission_setup(*, network: Network) -> None:
    """Give a network the six default colleges and version 1 of the model charter when it
    has none (a network created after migration 0002). Idempotent; no permission: called
    by the services that need them, for a network they already checked."""
    Network.objects.select_for_update().filter(pk=network.pk).first()
    if not College.objects.filter(network=network).exists():
        College.objects.bulk_create(
            College(network=network, name=name, stakeholder=stakeholder, position=i)
            for i, (name, stakeholder) in enumerate(MODEL_COLLEGES)
        )
    if not CharterVersion.objects.filter(network=network).exists():
        version = CharterVersion.objects.create(
            network=network, number=1, introduction=MODEL_INTRODUCTION
        )
        Criterion.objects.bulk_create(
            Criterion(version=version, kind=kind, title=title, description=text, position=i)
            for i, (kind, title, text) in enumerate(MODEL_CRITERIA)
        )


@transaction.atomic
def admission_policy_save(*, policy: AdmissionPolicy, by: AbstractBaseUser) -> AdmissionPolicy:
    """A network's admission rules, set by its animators or the platform's admins. A quorum
    asks at least one opinion, from colleges no more numerous than the opinions."""
    if not can_animate(by, policy.network_id):
        raise PermissionDenied
    policy.full_clean()
    if policy.quorum_opinions < 1 or policy.quorum_colleges > policy.quorum_opinions:
        raise ValidationError(
            _("Le quorum demande au moins un avis, et pas plus de collèges que d'avis.")
        )
    policy.save()
    return policy


@transaction.atomic
def college_save(*, college: College, by: AbstractBaseUser) -> College:
    """Rename, reorder or add a college of a network (its stakeholder counterpart says
    which one is the peers', whose opinion the default quorum asks)."""
    if not can_animate(by, college.network_id):
        raise PermissionDenied
    college.full_clean()
    college.save()
    return college
