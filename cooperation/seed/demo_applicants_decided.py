"""The demo's applications already decided (admitted, with a progress plan, refused,
appealed): who applies, what they answer, the opinions, the visit and the decision."""

from cooperation.seed.demo_data import (
    EMPLOYMENT,
    FOOTPRINT,
    GOVERNANCE,
    LOCAL,
    SURPLUSES,
    UTILITY,
    A,
    DemoApplicant,
    DemoOpinion,
    DemoVisit,
    S,
    V,
)
from directory.models import LegalForm

DECIDED = [
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
