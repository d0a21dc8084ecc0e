"""The quorum rule, without I/O: given the opinions of a round, what is still missing
before the animator may decide (the page shows these sentences as they are)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class CastOpinion:
    college_id: int
    is_peers: bool


@dataclass(frozen=True)
class Quorum:
    missing: list[str]

    @property
    def met(self) -> bool:
        return not self.missing


def quorum(
    opinions: list[CastOpinion],
    *,
    required_opinions: int,
    required_colleges: int,
    peer_required: bool,
    peer_college_name: str,
) -> Quorum:
    """At least `required_opinions` opinions, from at least `required_colleges` colleges,
    one of them from the peers' college when `peer_required`."""
    missing = []
    if len(opinions) < required_opinions:
        count = required_opinions - len(opinions)
        missing.append(
            ngettext("il manque un avis", "il manque %(count)d avis", count) % {"count": count}
        )
    colleges = {o.college_id for o in opinions}
    if len(colleges) < required_colleges:
        count = required_colleges - len(colleges)
        missing.append(
            ngettext(
                "il manque l'avis d'un autre collège",
                "il manque les avis de %(count)d autres collèges",
                count,
            )
            % {"count": count}
        )
    if peer_required and not any(o.is_peers for o in opinions):
        missing.append(
            _("il manque un avis du collège « %(college)s »") % {"college": peer_college_name}
        )
    return Quorum(missing=missing)
