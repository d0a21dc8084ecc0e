"""The directory's models, one module per feature; every read is a QuerySet method."""

from .accounts import TwoFactorGrace
from .actors import Actor, ActorQuerySet, Capacity, Freshness, LegalForm, Status
from .corrections import CorrectionReport
from .freshness import (
    FreshnessDigest,
    FreshnessNotice,
    FreshnessPolicy,
    FreshnessSnapshot,
    Thresholds,
)
from .history import ActorChange
from .imports import ImportBatch
from .map import MapCell
from .members import Invitation, JoinRequest, Membership, Role
from .network import Commune, Network
from .search import SearchWord
from .sectors import Sector

__all__ = [
    "Actor",
    "ActorChange",
    "ActorQuerySet",
    "Capacity",
    "Commune",
    "CorrectionReport",
    "Freshness",
    "FreshnessDigest",
    "FreshnessNotice",
    "FreshnessPolicy",
    "FreshnessSnapshot",
    "ImportBatch",
    "Invitation",
    "JoinRequest",
    "LegalForm",
    "MapCell",
    "Membership",
    "Network",
    "Role",
    "SearchWord",
    "Sector",
    "Status",
    "Thresholds",
    "TwoFactorGrace",
]
