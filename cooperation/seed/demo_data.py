"""Demo data of `seed_admission_demo` (French, fictional): the reviewers of the demo network,
the structures that apply, what they answer, what the reviewers and the pair's visit say,
and what the animator decides. The generator is cooperation/seed/demo.py; the applications
are in demo_applicants_review.py and demo_applicants_decided.py (APPLICANTS, in
demo_applicants.py, holds them all in order).

Criteria are named by their title in the model charter (cooperation.seed.charter). A network
whose charter has other criteria still gets an application: `STANDARD_ANSWERS` and the
reviewers' favourable default cover any criterion these texts do not name.
"""

from dataclasses import dataclass, field

from cooperation.models import Answer, ApplicationStatus, Stakeholder, Verdict

S = ApplicationStatus
A, V = Answer, Verdict


@dataclass(frozen=True)
class DemoReviewer:
    key: str  # how the applications below name them
    email: str
    first_name: str
    last_name: str
    stakeholder: str  # the ISO 26000 counterpart of their college
    occupation: str
    member_of: str = ""  # peers: the published demo structure they act for


@dataclass(frozen=True)
class DemoOpinion:
    reviewer: str
    verdict: str
    comment: str = ""
    # {criterion title: (verdict, comment)}; the criteria not named are favourable.
    criteria: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoVisit:
    pair: tuple[str, str]  # the first one writes the report
    met: str
    observations: str
    notes: dict[str, str] = field(default_factory=dict)  # {criterion title: what was seen}


@dataclass(frozen=True)
class DemoApplicant:
    target: str  # the state the application is taken to
    email: str
    first_name: str
    last_name: str
    name: str
    insee: str
    sectors: tuple[str, ...]
    legal_form: str
    address: str
    short_description: str
    description: str
    mission: str  # the answer to "Utilité sociale ou environnementale"
    answers: dict[str, tuple[str, str]] = field(default_factory=dict)  # over STANDARD_ANSWERS
    answered: int | None = None  # a draft answers only its first criteria
    conflicts: tuple[tuple[str, str], ...] = ()  # (reviewer, why they stand aside)
    reviewers: tuple[str, ...] = ()  # assigned by the animator
    opinions: tuple[DemoOpinion, ...] = ()
    visit: DemoVisit | None = None
    information_request: str = ""
    information_answer: str = ""
    decision: str = ""
    reasons: str = ""
    commitments: tuple[tuple[str, int], ...] = ()  # (commitment, due in so many days)
    appeal: str = ""


REVIEWERS = [
    DemoReviewer(
        "pairs",
        "evaluation-pairs@demo.ess",
        "Nadia",
        "Benali",
        Stakeholder.INDUSTRY,
        "coordinatrice du tiers-lieu",
        member_of="Tiers-lieu La Cale de Chantenay",
    ),
    DemoReviewer(
        "pairs2",
        "evaluation-pairs2@demo.ess",
        "Yann",
        "Le Floch",
        Stakeholder.INDUSTRY,
        "cogérant de la SCOP",
        member_of="SCOP Menuiserie du Sillon",
    ),
    DemoReviewer(
        "usagers",
        "evaluation-usagers@demo.ess",
        "Martine",
        "Guérin",
        Stakeholder.CONSUMERS,
        "membre d'une association de consommateurs de Rezé",
    ),
    DemoReviewer(
        "collectivites",
        "evaluation-collectivites@demo.ess",
        "Hélène",
        "Morvan",
        Stakeholder.GOVERNMENT,
        "chargée de mission ESS d'une commune de la métropole",
    ),
    DemoReviewer(
        "salaries",
        "evaluation-salaries@demo.ess",
        "Julien",
        "Perrot",
        Stakeholder.LABOUR,
        "salarié d'une entreprise d'insertion, délégué du personnel",
    ),
    DemoReviewer(
        "partenaires",
        "evaluation-partenaires@demo.ess",
        "Sophie",
        "Tessier",
        Stakeholder.NGO,
        "chargée d'accompagnement d'un dispositif local d'accompagnement",
    ),
    DemoReviewer(
        "experts",
        "evaluation-experts@demo.ess",
        "Marc",
        "Allain",
        Stakeholder.RESEARCH,
        "enseignant-chercheur en économie sociale",
    ),
]

GOVERNANCE = "Gouvernance démocratique"
SURPLUSES = "Lucrativité limitée"
UTILITY = "Utilité sociale ou environnementale"
LOCAL = "Ancrage local"
TRANSPARENCY = "Transparence"
PAY_GAP = "Écart de rémunération excessif"
VALUES = "Activité contraire aux valeurs du réseau"
EMPLOYMENT = "Emploi de qualité"
FOOTPRINT = "Réduction de l'empreinte écologique"
COOPERATION = "Coopération dans le réseau"

# What most structures answer, unless they say otherwise ({commune}: theirs).
STANDARD_ANSWERS: dict[str, tuple[str, str]] = {
    GOVERNANCE: (
        A.YES,
        "L'assemblée générale se réunit chaque année, une personne une voix. Le conseil "
        "d'administration associe des bénévoles, des salariés et des usagers.",
    ),
    SURPLUSES: (
        A.YES,
        "Les statuts interdisent toute distribution aux membres : les excédents sont mis en "
        "réserve et réinvestis dans l'activité.",
    ),
    LOCAL: (
        A.YES,
        "Nous agissons à {commune} et dans les communes voisines, avec les associations du "
        "quartier, et achetons d'abord à des fournisseurs de la métropole.",
    ),
    TRANSPARENCY: (
        A.YES,
        "Les comptes annuels et le rapport d'activité sont présentés en assemblée générale et "
        "envoyés à nos partenaires chaque année.",
    ),
    PAY_GAP: (A.NO, "Les salaires vont du SMIC à 1,6 fois le SMIC."),
    VALUES: (A.NO, ""),
    EMPLOYMENT: (
        A.YES,
        "L'équipe permanente est en CDI ; chaque salarié a un entretien annuel et un plan de "
        "formation.",
    ),
    FOOTPRINT: (
        A.PARTLY,
        "Nous trions et réduisons nos déchets, mais nous n'avons pas encore mesuré nos "
        "consommations d'énergie : un premier bilan est prévu cette année.",
    ),
    COOPERATION: (
        A.YES,
        "Nous participons aux rencontres du pôle et prêtons notre matériel et nos locaux à "
        "d'autres structures.",
    ),
}
