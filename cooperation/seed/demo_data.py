"""Demo data of `seed_admission_demo` (French, fictional): the reviewers of the demo network,
the structures that apply, what they answer, what the reviewers and the pair's visit say,
and what the animator decides. The generator is cooperation/seed/demo.py.

Criteria are named by their title in the model charter (cooperation.seed.charter). A network
whose charter has other criteria still gets an application: `STANDARD_ANSWERS` and the
reviewers' favourable default cover any criterion these texts do not name.
"""

from dataclasses import dataclass, field

from cooperation.models import Answer, ApplicationStatus, Stakeholder, Verdict
from directory.models import LegalForm

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

APPLICANTS = [
    DemoApplicant(
        target=S.DRAFT,
        email="candidature-brouillon@demo.ess",
        first_name="Camille",
        last_name="Le Goff",
        name="Conserverie solidaire Les Bocaux de l'Erdre",
        insee="44035",
        sectors=("circuits-courts", "aide-alimentaire"),
        legal_form=LegalForm.ASSOCIATION,
        address="8 chemin de la Gandonnière",
        short_description=(
            "Conserverie associative : les invendus des maraîchers de l'Erdre deviennent des "
            "bocaux vendus à prix solidaires."
        ),
        description=(
            "Créée en 2024 par des bénévoles et deux maraîchers, la conserverie récupère les "
            "légumes invendus ou déclassés, les cuisine avec des habitants lors d'ateliers "
            "ouverts et vend les bocaux à prix libre à l'épicerie sociale voisine."
        ),
        mission=(
            "Lutter contre le gaspillage alimentaire et rendre des produits locaux de qualité "
            "accessibles aux familles à petit budget."
        ),
        answered=4,
    ),
    DemoApplicant(
        target=S.SUBMITTED,
        email="candidature-deposee@demo.ess",
        first_name="Karim",
        last_name="Haddad",
        name="Ressourcerie Les Petites Mains",
        insee="44047",
        sectors=("recyclerie", "textile"),
        legal_form=LegalForm.ASSOCIATION,
        address="21 rue Jean Jaurès",
        short_description=(
            "Ressourcerie de Couëron : collecte, tri, remise en état et revente d'objets et de "
            "vêtements, ateliers de couture et de réparation."
        ),
        description=(
            "La ressourcerie collecte chaque année une centaine de tonnes d'objets, dont les "
            "trois quarts retrouvent une seconde vie. Une boutique, un atelier couture et des "
            "ateliers de réparation ouverts aux habitants."
        ),
        mission=(
            "Réduire les déchets du territoire par le réemploi et proposer des biens à petit "
            "prix ; cinq postes en contrat aidé y retrouvent un premier emploi."
        ),
        answers={
            FOOTPRINT: (
                A.YES,
                "Réemploi au cœur de l'activité ; camion de collecte au bioGNV depuis 2023.",
            ),
        },
        conflicts=(
            (
                "pairs2",
                "J'ai siégé à leur conseil d'administration jusqu'à l'an dernier.",
            ),
        ),
    ),
    DemoApplicant(
        target=S.UNDER_REVIEW,
        email="candidature-evaluation@demo.ess",
        first_name="Léa",
        last_name="Fournier",
        name="Café associatif Le Comptoir",
        insee="44020",
        sectors=("tiers-lieux", "education-populaire"),
        legal_form=LegalForm.ASSOCIATION,
        address="3 place de la Mairie",
        short_description=(
            "Café associatif de centre-bourg à Bouguenais : boissons locales à prix doux, "
            "soirées jeux, concerts et ateliers proposés par les habitants."
        ),
        description=(
            "Ouvert du mercredi au dimanche, tenu par une salariée et une quarantaine de "
            "bénévoles. Les associations du bourg y tiennent leurs réunions gratuitement."
        ),
        mission=(
            "Recréer un lieu de rencontre dans un bourg qui a perdu ses commerces, ouvert à "
            "toutes les générations, où chacun peut proposer une activité."
        ),
        reviewers=("pairs", "salaries", "partenaires"),
        opinions=(
            DemoOpinion(
                "partenaires",
                V.FAVOURABLE,
                "Projet solide que nous accompagnons depuis deux ans ; le modèle économique "
                "s'est stabilisé avec la convention signée avec la commune.",
                {
                    FOOTPRINT: (
                        V.RESERVED,
                        "Pas encore de bilan des consommations : à suivre, sans que cela "
                        "bloque l'admission.",
                    ),
                },
            ),
        ),
    ),
    DemoApplicant(
        target=S.UNDER_REVIEW,
        email="candidature-quorum@demo.ess",
        first_name="Thomas",
        last_name="Bernier",
        name="SCIC Les Paniers de la Sèvre",
        insee="44215",
        sectors=("circuits-courts", "agriculture-biologique"),
        legal_form=LegalForm.SCIC,
        address="Zone artisanale de la Vertonne, 4 rue des Vignerons",
        short_description=(
            "Coopérative de producteurs, de salariés et de consommateurs : paniers de légumes "
            "bio et de produits fermiers livrés en points relais dans le sud de la métropole."
        ),
        description=(
            "Vingt-deux fermes associées, trois salariés et plus de quatre cents "
            "consommateurs sociétaires. Les paniers sont préparés à Vertou et livrés dans "
            "quinze points relais, dont deux centres sociaux."
        ),
        mission=(
            "Faire vivre les fermes bio du sud-Loire avec un prix juste et rendre les produits "
            "bio accessibles : un panier sur cinq est vendu à tarif réduit."
        ),
        answers={
            GOVERNANCE: (
                A.YES,
                "Quatre collèges (producteurs, salariés, consommateurs, collectivités), une "
                "personne une voix dans chacun ; le conseil coopératif se réunit chaque mois.",
            ),
            LOCAL: (
                A.PARTLY,
                "Les légumes viennent à 90 % de fermes à moins de 40 km ; l'épicerie sèche "
                "(farine, huile) vient encore pour partie de Vendée et du Maine-et-Loire.",
            ),
        },
        reviewers=("pairs", "usagers", "collectivites"),
        opinions=(
            DemoOpinion(
                "pairs",
                V.FAVOURABLE,
                "Une gouvernance multi-collèges qui fonctionne vraiment : les consommateurs "
                "ont voté le dernier tarif. Ils pourront apporter beaucoup au réseau.",
            ),
            DemoOpinion(
                "usagers",
                V.FAVOURABLE,
                "Sociétaire depuis deux ans, j'ai pu vérifier la qualité des paniers et "
                "l'écoute de l'équipe quand un point relais a fermé.",
            ),
            DemoOpinion(
                "collectivites",
                V.RESERVED,
                "Projet utile pour le territoire ; je souhaite que l'approvisionnement de "
                "l'épicerie sèche se rapproche de la métropole.",
                {
                    LOCAL: (
                        V.RESERVED,
                        "Une partie des produits secs vient de plus de 80 km ; un plan de "
                        "relocalisation serait bienvenu.",
                    ),
                },
            ),
        ),
        visit=DemoVisit(
            ("pairs", "usagers"),
            met=(
                "Thomas Bernier (gérant), deux salariées de préparation, trois producteurs "
                "associés et une consommatrice membre du conseil coopératif"
            ),
            observations=(
                "Visite du local de préparation un jeudi matin, jour de livraison. Locaux "
                "propres et bien organisés, chambre froide partagée avec une ferme voisine. "
                "Nous avons consulté le registre des sociétaires et le compte rendu de la "
                "dernière assemblée générale (84 présents ou représentés). Les producteurs "
                "nous ont expliqué la fixation des prix en commission mixte."
            ),
            notes={
                GOVERNANCE: "Registre des sociétaires et procès-verbaux consultés : conformes.",
                LOCAL: "Liste des fournisseurs remise : 22 fermes, 3 fournisseurs hors 44.",
                EMPLOYMENT: "Trois salariés en CDI, dont une à temps partiel choisi.",
            },
        ),
    ),
    DemoApplicant(
        target=S.INFORMATION_REQUESTED,
        email="candidature-informations@demo.ess",
        first_name="Inès",
        last_name="Moreau",
        name="Atelier numérique Clic & Lien",
        insee="44162",
        sectors=("numerique-inclusif", "formation"),
        legal_form=LegalForm.ASSOCIATION,
        address="Centre socioculturel, 12 avenue de la Bourgeonnière",
        short_description=(
            "Ateliers d'initiation au numérique, aide aux démarches en ligne et ordinateurs "
            "reconditionnés à petit prix pour les habitants de Saint-Herblain."
        ),
        description=(
            "Deux médiatrices numériques et une quinzaine de bénévoles accueillent chaque "
            "semaine près de cent personnes, seniors et demandeurs d'emploi surtout. Les "
            "ordinateurs reconditionnés viennent de dons d'entreprises."
        ),
        mission=(
            "Lutter contre l'exclusion numérique : aider chacun à faire ses démarches en "
            "ligne seul, et équiper les foyers qui n'ont pas d'ordinateur."
        ),
        answers={
            GOVERNANCE: (
                A.PARTLY,
                "Association loi 1901 créée par trois fondateurs, qui forment aujourd'hui le "
                "conseil d'administration ; nous voulons l'ouvrir aux bénévoles et aux usagers "
                "à la prochaine assemblée générale.",
            ),
            TRANSPARENCY: (
                A.PARTLY,
                "Les comptes sont tenus par un cabinet, mais le rapport d'activité n'a pas "
                "encore été diffusé aux partenaires.",
            ),
        },
        reviewers=("pairs2", "experts"),
        opinions=(
            DemoOpinion(
                "pairs2",
                V.RESERVED,
                "L'utilité sociale est évidente et le travail remarquable, mais la gouvernance "
                "reste concentrée sur les fondateurs et les comptes ne nous ont pas été "
                "transmis.",
                {
                    GOVERNANCE: (
                        V.RESERVED,
                        "Conseil d'administration limité aux trois fondateurs.",
                    ),
                    TRANSPARENCY: (V.RESERVED, "Comptes 2024 non fournis."),
                },
            ),
            DemoOpinion(
                "experts",
                V.FAVOURABLE,
                "Une action de médiation numérique reconnue sur le quartier ; la gouvernance "
                "peut s'ouvrir comme le projet associatif l'annonce.",
            ),
        ),
        information_request=(
            "Pouvez-vous nous transmettre vos comptes 2024 et le compte rendu de votre "
            "dernière assemblée générale, et nous dire qui siège au conseil d'administration "
            "et comment vous comptez l'ouvrir aux bénévoles et aux usagers ?"
        ),
    ),
    DemoApplicant(
        target=S.ADMITTED,
        email="candidature-admise@demo.ess",
        first_name="Élodie",
        last_name="Garnier",
        name="Crèche parentale Les P'tits Mousses",
        insee="44190",
        sectors=("petite-enfance",),
        legal_form=LegalForm.ASSOCIATION,
        address="15 rue de la Profondine",
        short_description=(
            "Crèche parentale de vingt places à Saint-Sébastien-sur-Loire : les parents "
            "gèrent l'association et participent à l'accueil avec l'équipe éducative."
        ),
        description=(
            "Fondée en 1992 par des familles du quartier, la crèche accueille vingt enfants "
            "de trois mois à trois ans avec six professionnelles. Chaque famille assure une "
            "demi-journée de permanence par mois et une commission (repas, travaux, "
            "recrutement…)."
        ),
        mission=(
            "Offrir un mode d'accueil de qualité, à tarif CAF, où les parents sont acteurs ; "
            "quatre places sont réservées à des familles orientées par le CCAS."
        ),
        answers={
            GOVERNANCE: (
                A.YES,
                "Le conseil d'administration est composé de parents élus chaque année ; les "
                "professionnelles y siègent avec voix consultative.",
            ),
        },
        reviewers=("pairs", "usagers", "salaries"),
        opinions=(
            DemoOpinion(
                "pairs",
                V.FAVOURABLE,
                "Un modèle de gouvernance parentale exemplaire, ancré dans le quartier depuis "
                "trente ans.",
            ),
            DemoOpinion(
                "usagers",
                V.FAVOURABLE,
                "Les parents rencontrés sont impliqués et bien informés ; les places "
                "réservées au CCAS sont une vraie ouverture.",
            ),
            DemoOpinion(
                "salaries",
                V.FAVOURABLE,
                "Équipe stable, formée, consultée sur le projet pédagogique.",
                {
                    FOOTPRINT: (
                        V.RESERVED,
                        "Couches jetables : l'essai de couches lavables mériterait d'être repris.",
                    ),
                },
            ),
        ),
        visit=DemoVisit(
            ("pairs", "salaries"),
            met=(
                "Élodie Garnier (présidente), la directrice, deux auxiliaires de puériculture "
                "et trois parents de permanence"
            ),
            observations=(
                "Visite en fin de matinée, pendant le repas des grands. Locaux lumineux, "
                "jardin partagé avec l'école voisine. Le planning des permanences parentales "
                "est affiché et complet ; les comptes rendus du conseil sont consultables par "
                "toutes les familles. Repas préparés sur place avec des produits bio d'une "
                "ferme de Basse-Goulaine."
            ),
            notes={
                GOVERNANCE: "Conseil de neuf parents élus ; procès-verbaux à jour.",
                EMPLOYMENT: "Six professionnelles en CDI, deux jours de formation par an.",
            },
        ),
        decision=S.ADMITTED,
        reasons=(
            "Avis favorables des collèges des structures pairs, des usagers et des salariés, "
            "confirmés par la visite. Bienvenue dans le réseau !"
        ),
    ),
    DemoApplicant(
        target=S.ADMITTED_WITH_PLAN,
        email="candidature-plan@demo.ess",
        first_name="Mathieu",
        last_name="Rousseau",
        name="La Marmite d'Orvault, traiteur d'insertion",
        insee="44114",
        sectors=("restauration", "entreprise-insertion"),
        legal_form=LegalForm.SIAE,
        address="2 rue de l'Ériau",
        short_description=(
            "Traiteur et restaurant d'entreprise d'insertion : des plats cuisinés maison pour "
            "les entreprises et les collectivités, et un parcours vers l'emploi."
        ),
        description=(
            "Douze salariés en parcours d'insertion encadrés par trois chefs cuisiniers et "
            "une chargée d'accompagnement socioprofessionnel. 400 repas par jour, livrés "
            "dans l'ouest de la métropole."
        ),
        mission=(
            "Donner un emploi et une qualification en cuisine à des personnes éloignées de "
            "l'emploi : deux sur trois trouvent un emploi ou une formation à la sortie."
        ),
        answers={
            EMPLOYMENT: (
                A.PARTLY,
                "Les salariés en insertion sont en CDDI de quatre à vingt-quatre mois avec un "
                "accompagnement individuel ; ils ne participent pas encore aux instances.",
            ),
            FOOTPRINT: (
                A.PARTLY,
                "Les livraisons aux entreprises se font encore en barquettes jetables ; les "
                "repas des collectivités sont livrés en bacs inox.",
            ),
        },
        reviewers=("pairs2", "collectivites", "partenaires"),
        opinions=(
            DemoOpinion(
                "pairs2",
                V.FAVOURABLE,
                "Belle structure d'insertion, rigoureuse ; la gouvernance associative est réelle.",
            ),
            DemoOpinion(
                "collectivites",
                V.FAVOURABLE,
                "Partenaire fiable de la restauration scolaire de la commune depuis quatre ans.",
            ),
            DemoOpinion(
                "partenaires",
                V.RESERVED,
                "Favorable sur le fond, mais deux points de la charte ne sont qu'en partie "
                "tenus : les emballages jetables et la place des salariés en insertion dans "
                "les décisions.",
                {
                    EMPLOYMENT: (
                        V.RESERVED,
                        "Aucun salarié en parcours au comité de pilotage.",
                    ),
                    FOOTPRINT: (
                        V.RESERVED,
                        "Environ 60 000 barquettes jetables par an pour les livraisons.",
                    ),
                },
            ),
        ),
        visit=DemoVisit(
            ("pairs2", "partenaires"),
            met=(
                "Mathieu Rousseau (directeur), le chef de cuisine, la chargée d'accompagnement "
                "et quatre salariés en parcours"
            ),
            observations=(
                "Visite de la cuisine centrale pendant le service de midi. Cuisine aux normes, "
                "organisation claire des postes, tutorat visible entre anciens et nouveaux "
                "salariés. Les salariés en parcours rencontrés disent être bien accompagnés "
                "mais ne sont pas consultés sur l'organisation. Stock important de barquettes "
                "plastique jetables."
            ),
            notes={
                EMPLOYMENT: "Livret d'accueil et plan de formation individualisés consultés.",
                FOOTPRINT: "Barquettes jetables pour les livraisons aux entreprises.",
            },
        ),
        information_request=(
            "Combien de barquettes jetables utilisez-vous par an, et que prévoyez-vous pour "
            "les remplacer ?"
        ),
        information_answer=(
            "Environ 60 000 barquettes par an. Nous avons un devis pour des contenants "
            "consignés en inox avec une entreprise de lavage de Saint-Herblain, et un premier "
            "client prêt à tester dès le trimestre prochain."
        ),
        decision=S.ADMITTED_WITH_PLAN,
        reasons=(
            "Avis favorables des trois collèges et visite concluante. L'admission s'assortit "
            "d'un plan de progrès sur les deux points que la charte demande de faire avancer."
        ),
        commitments=(
            (
                "Remplacer les barquettes jetables par des contenants consignés pour les "
                "livraisons aux entreprises",
                180,
            ),
            ("Ouvrir le comité de pilotage à deux salariés en parcours d'insertion", 365),
        ),
    ),
    DemoApplicant(
        target=S.REFUSED,
        email="candidature-refusee@demo.ess",
        first_name="Vincent",
        last_name="Lemoine",
        name="Loire Conciergerie Services",
        insee="44026",
        sectors=("services-entreprises",),
        legal_form=LegalForm.OTHER,
        address="Parc d'activités de la Fleuriaye, 5 rue Marie Curie",
        short_description=(
            "Conciergerie d'entreprises à Carquefou : pressing, cordonnerie, paniers de "
            "légumes et petits services pour les salariés des zones d'activités."
        ),
        description=(
            "SAS créée en 2021, huit salariés. Prestations vendues aux entreprises de la "
            "Fleuriaye et de la Chantrerie comme avantage pour leurs salariés."
        ),
        mission=(
            "Faciliter la vie des salariés et faire travailler des artisans et producteurs locaux."
        ),
        answers={
            GOVERNANCE: (
                A.PARTLY,
                "SAS dont les deux associés fondateurs détiennent tout le capital ; un comité "
                "de clients est consulté deux fois par an.",
            ),
            SURPLUSES: (
                A.PARTLY,
                "40 % du résultat est mis en réserve, le reste est versé en dividendes aux "
                "associés.",
            ),
            EMPLOYMENT: (A.YES, "Huit salariés, tous en CDI."),
        },
        reviewers=("pairs", "collectivites", "experts"),
        opinions=(
            DemoOpinion(
                "pairs",
                V.UNFAVOURABLE,
                "Une entreprise sympathique et locale, mais ni la gouvernance ni l'usage des "
                "bénéfices ne relèvent de l'ESS.",
                {
                    GOVERNANCE: (V.UNFAVOURABLE, "Décisions réservées aux deux associés."),
                    SURPLUSES: (V.UNFAVOURABLE, "60 % du résultat distribué en dividendes."),
                },
            ),
            DemoOpinion(
                "collectivites",
                V.RESERVED,
                "Le recours à des artisans locaux est réel, mais l'utilité sociale reste "
                "limitée à une clientèle d'entreprises.",
                {
                    UTILITY: (
                        V.RESERVED,
                        "Service réservé aux salariés des entreprises clientes.",
                    ),
                },
            ),
            DemoOpinion(
                "experts",
                V.UNFAVOURABLE,
                "Les critères de la loi de 2014 ne sont pas remplis : lucrativité non limitée "
                "et gouvernance liée au capital. Un agrément ESUS n'est pas envisageable en "
                "l'état.",
                {
                    SURPLUSES: (V.UNFAVOURABLE, "Pas de réserves impartageables."),
                    GOVERNANCE: (V.UNFAVOURABLE, "Pouvoir proportionnel au capital."),
                },
            ),
        ),
        visit=DemoVisit(
            ("pairs", "experts"),
            met="Vincent Lemoine (président de la SAS) et deux concierges salariés",
            observations=(
                "Visite du comptoir installé dans le hall d'une entreprise cliente. Service "
                "apprécié, fournisseurs locaux (cordonnier de Carquefou, maraîcher de "
                "Thouaré). Les statuts et le dernier procès-verbal d'approbation des comptes "
                "confirment la distribution de dividendes ; aucun projet de changement de "
                "statut n'est envisagé."
            ),
            notes={
                GOVERNANCE: "Statuts de SAS classique, deux associés.",
                SURPLUSES: "Dividendes versés les trois derniers exercices.",
            },
        ),
        decision=S.REFUSED,
        reasons=(
            "La charte demande une gouvernance démocratique et une lucrativité limitée : les "
            "décisions reviennent aux seuls associés et la majorité du résultat est "
            "distribuée. Le réseau reste ouvert à une nouvelle candidature si les statuts "
            "évoluent (par exemple vers une SCIC ou un agrément ESUS)."
        ),
    ),
    DemoApplicant(
        target=S.APPEALED,
        email="candidature-recours@demo.ess",
        first_name="Nathalie",
        last_name="Chevalier",
        name="Coopérative d'habitants Le Hameau des Coteaux",
        insee="44172",
        sectors=("habitat-participatif",),
        legal_form=LegalForm.COOPERATIVE,
        address="Chemin des Coteaux",
        short_description=(
            "Coopérative d'habitants de quatorze logements à Sainte-Luce-sur-Loire, avec "
            "une salle commune, un atelier et un jardin partagés."
        ),
        description=(
            "Les habitants sont collectivement propriétaires de l'immeuble et locataires de "
            "leur logement ; la propriété n'est jamais revendue avec plus-value. Trois "
            "logements sont en prêt locatif social."
        ),
        mission=(
            "Proposer un logement abordable, sorti de la spéculation, et une vie de voisinage "
            "solidaire ouverte sur le quartier."
        ),
        answers={
            GOVERNANCE: (
                A.PARTLY,
                "L'assemblée des coopérateurs décide ; les voix sont aujourd'hui "
                "proportionnelles aux parts sociales détenues.",
            ),
            LOCAL: (
                A.PARTLY,
                "La salle commune accueille surtout les habitants ; nous souhaitons l'ouvrir "
                "aux associations du quartier.",
            ),
        },
        reviewers=("pairs", "usagers", "experts"),
        opinions=(
            DemoOpinion(
                "pairs",
                V.RESERVED,
                "Projet anti-spéculatif intéressant, mais encore tourné vers ses seuls habitants.",
                {LOCAL: (V.RESERVED, "Salle commune peu ouverte sur le quartier.")},
            ),
            DemoOpinion(
                "usagers",
                V.UNFAVOURABLE,
                "Des droits de vote proportionnels aux parts : ce n'est pas une gouvernance "
                "démocratique au sens de la charte.",
                {GOVERNANCE: (V.UNFAVOURABLE, "Une part, une voix au lieu d'une personne.")},
            ),
            DemoOpinion(
                "experts",
                V.RESERVED,
                "Le statut de coopérative d'habitants est conforme à l'esprit de l'ESS, mais "
                "les statuts adoptés s'écartent du principe une personne, une voix.",
                {GOVERNANCE: (V.RESERVED, "Statuts à mettre en conformité.")},
            ),
        ),
        visit=DemoVisit(
            ("pairs", "usagers"),
            met="Nathalie Chevalier (gérante) et six coopérateurs, lors d'un repas partagé",
            observations=(
                "Visite du bâtiment, de la salle commune et du jardin. Forte implication des "
                "habitants, entretien fait en chantiers collectifs. Les statuts prévoient "
                "des voix proportionnelles aux parts ; la salle commune n'a accueilli aucune "
                "activité extérieure cette année."
            ),
            notes={
                GOVERNANCE: "Statuts consultés : voix proportionnelles aux parts.",
                LOCAL: "Salle commune réservée aux habitants pour l'instant.",
            },
        ),
        decision=S.REFUSED,
        reasons=(
            "Les droits de vote proportionnels aux parts sociales ne répondent pas au critère "
            "de gouvernance démocratique, et l'ouverture du lieu sur le quartier reste à "
            "construire."
        ),
        appeal=(
            "Notre assemblée générale extraordinaire a adopté de nouveaux statuts : chaque "
            "coopérateur dispose désormais d'une voix, quel que soit le nombre de ses parts "
            "(procès-verbal disponible sur demande). Depuis, la salle commune est ouverte deux "
            "soirs par semaine à l'amicale laïque et à une AMAP du quartier, qui y tient sa "
            "distribution."
        ),
    ),
]
