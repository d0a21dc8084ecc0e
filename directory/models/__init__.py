from .actor import Actor, ActorQuerySet, Capacity, Freshness, LegalForm, Status
from .correction import CorrectionReport
from .freshness import ActorChange, FreshnessDigest, FreshnessNotice, FreshnessSnapshot
from .freshness_policy import FreshnessPolicy, Thresholds
from .geo import Commune, Network
from .imports import ImportBatch
from .mapcell import MapCell
from .membership import Invitation, JoinRequest, Membership, Role
from .search import SearchWord
from .sector import Sector

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
]
