"""The quorum rule (cooperation.admission), without the database: what the animator's page
says is still missing before a decision."""

import pytest

from cooperation.admission import CastOpinion, quorum

PEERS, USERS, AUTHORITIES = 1, 2, 3
DEFAULT = {
    "required_opinions": 3,
    "required_colleges": 2,
    "peer_required": True,
    "peer_college_name": "Structures pairs de l'ESS",
}


def cast(*colleges: int) -> list[CastOpinion]:
    return [CastOpinion(college_id=c, is_peers=c == PEERS) for c in colleges]


@pytest.mark.parametrize(
    "colleges", [(PEERS, USERS, USERS), (PEERS, USERS, AUTHORITIES), (PEERS, PEERS, USERS, USERS)]
)
def test_three_opinions_from_two_colleges_with_the_peers_meet_the_default_quorum(colleges):
    state = quorum(cast(*colleges), **DEFAULT)

    assert state.met
    assert state.missing == []


def test_without_any_opinion_everything_is_missing():
    state = quorum([], **DEFAULT)

    assert not state.met
    assert state.missing == [
        "il manque 3 avis",
        "il manque les avis de 2 autres collèges",
        "il manque un avis du collège « Structures pairs de l'ESS »",
    ]


def test_three_opinions_without_the_peers_miss_the_peers_by_name():
    assert quorum(cast(USERS, USERS, AUTHORITIES), **DEFAULT).missing == [
        "il manque un avis du collège « Structures pairs de l'ESS »"
    ]


def test_three_opinions_of_the_peers_alone_miss_another_college():
    assert quorum(cast(PEERS, PEERS, PEERS), **DEFAULT).missing == [
        "il manque l'avis d'un autre collège"
    ]


def test_two_opinions_of_two_colleges_miss_one_opinion():
    assert quorum(cast(PEERS, USERS), **DEFAULT).missing == ["il manque un avis"]


def test_a_network_may_drop_the_peers_and_ask_for_more():
    rules = {**DEFAULT, "peer_required": False, "required_opinions": 4, "required_colleges": 3}

    assert quorum(cast(USERS, USERS, AUTHORITIES), **rules).missing == [
        "il manque un avis",
        "il manque l'avis d'un autre collège",
    ]
    assert quorum(cast(USERS, USERS, AUTHORITIES, PEERS), **rules).met
