from .actor import Actor, ActorQuerySet, Capacity, Freshness, LegalForm, Status
from .geo import Commune, Network
from .mapcell import MapCell
from .membership import Invitation, JoinRequest, Membership, Role
from .search import SearchWord
from .sector import Sector

__all__ = [
    "Actor",
    "ActorQuerySet",
    "Capacity",
    "Commune",
    "Freshness",
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
]
