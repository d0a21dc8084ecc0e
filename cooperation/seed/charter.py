"""The model charter and colleges a network starts from (data, in French: a network edits
its own charter in its language; gettext_noop marks the texts for the catalogues).

The criteria follow what ESS networks' charters ask (the 2014 ESS law's principles, the
charters of regional ESS chambers and of participatory guarantee systems): governance,
use of surpluses, employment, environment, local anchoring, transparency…
"""

from django.utils.translation import gettext_noop as _

MODEL_INTRODUCTION = _(
    "Notre réseau rassemble les structures de l'économie sociale et solidaire du territoire. "
    "Rejoindre le réseau, c'est partager un projet : entreprendre autrement, au service des "
    "personnes et du territoire plutôt que du seul profit. Cette charte dit ce que nous "
    "attendons les uns des autres. Les critères d'inclusion doivent être remplis, les "
    "critères d'exclusion ne doivent pas s'appliquer, et les engagements de progrès disent la "
    "direction dans laquelle chaque structure s'engage à avancer. Les pairs et les parties "
    "prenantes du réseau examinent chaque candidature, visitent la structure et donnent leur "
    "avis ; l'équipe d'animation décide, motive sa décision, et un recours est possible."
)

# (kind, title, description)
MODEL_CRITERIA = [
    (
        "inclusion",
        _("Gouvernance démocratique"),
        _(
            "Les décisions sont prises selon le principe « une personne, une voix » ou associent "
            "les salariés, les bénévoles et les usagers, quel que soit l'apport en capital."
        ),
    ),
    (
        "inclusion",
        _("Lucrativité limitée"),
        _(
            "Les excédents sont majoritairement consacrés au maintien et au développement de "
            "l'activité ; les réserves obligatoires ne sont pas partagées."
        ),
    ),
    (
        "inclusion",
        _("Utilité sociale ou environnementale"),
        _(
            "L'activité répond à un besoin du territoire : solidarité, lien social, insertion, "
            "transition écologique, accès de tous aux biens et services."
        ),
    ),
    (
        "inclusion",
        _("Ancrage local"),
        _(
            "La structure agit sur le territoire du réseau, avec ses habitants et ses acteurs, "
            "et privilégie les partenaires et fournisseurs proches."
        ),
    ),
    (
        "inclusion",
        _("Transparence"),
        _(
            "Les comptes et le rapport d'activité sont tenus à jour et accessibles aux membres "
            "et aux partenaires."
        ),
    ),
    (
        "exclusion",
        _("Écart de rémunération excessif"),
        _(
            "La rémunération la plus haute dépasse dix fois le salaire minimum, ou l'écart entre "
            "la plus haute et la plus basse dépasse un rapport de un à dix."
        ),
    ),
    (
        "exclusion",
        _("Activité contraire aux valeurs du réseau"),
        _(
            "Discrimination, atteinte à la dignité des personnes, prosélytisme politique ou "
            "religieux dans l'activité."
        ),
    ),
    (
        "progress",
        _("Emploi de qualité"),
        _(
            "Favoriser les contrats durables, la formation et la participation des salariés, "
            "l'égalité entre femmes et hommes."
        ),
    ),
    (
        "progress",
        _("Réduction de l'empreinte écologique"),
        _(
            "Mesurer puis réduire ses consommations d'énergie, ses déchets et ses déplacements ; "
            "préférer le réemploi et les achats responsables."
        ),
    ),
    (
        "progress",
        _("Coopération dans le réseau"),
        _(
            "Participer à la vie du réseau, partager ses ressources et ses savoir-faire, "
            "coopérer avec les autres structures plutôt que se concurrencer."
        ),
    ),
]

# (name, ISO 26000 stakeholder)
MODEL_COLLEGES = [
    (_("Structures pairs de l'ESS"), "industry"),
    (_("Usagers et consommateurs"), "consumers"),
    (_("Collectivités locales"), "government"),
    (_("Salariés et bénévoles"), "labour"),
    (_("Partenaires : financeurs, accompagnateurs, associations"), "ngo"),
    (_("Experts et chercheurs"), "research"),
]
