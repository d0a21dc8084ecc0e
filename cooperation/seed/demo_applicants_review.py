"""The demo's applications still under way (draft, submitted, under review, information
requested): who applies, what they answer, what the reviewers and the pair say."""

from cooperation.seed.demo_data import (
    EMPLOYMENT,
    FOOTPRINT,
    GOVERNANCE,
    LOCAL,
    TRANSPARENCY,
    A,
    DemoApplicant,
    DemoOpinion,
    DemoVisit,
    S,
    V,
)
from directory.models import LegalForm

IN_REVIEW = [
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
]
