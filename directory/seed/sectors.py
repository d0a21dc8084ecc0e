"""The initial taxonomy of ESS filières and sectors (French names are data, not UI text).

Each filière: (slug, name, map colour, icon name, [(sector slug, sector name), …]).
Colours are distinct, readable with white text (contrast ≥ 4.5:1) and used on the map.

The names are stored in French, as typed; gettext_noop only marks them for the catalogues
(`make makemessages`), so pages show them in the visitor's language (Sector.label).
"""

from django.utils.translation import gettext_noop as _

SECTOR_TREE = [
    (
        "alimentation-agriculture",
        _("Alimentation et agriculture"),
        "#2f7d32",
        "carrot",
        [
            ("agriculture-biologique", _("Agriculture biologique et paysanne")),
            ("epicerie-solidaire", _("Épicerie solidaire et vrac")),
            ("circuits-courts", _("Circuits courts, AMAP et magasins de producteurs")),
            ("restauration", _("Restauration et traiteur solidaires")),
            ("aide-alimentaire", _("Aide alimentaire")),
        ],
    ),
    (
        "reemploi-recyclage",
        _("Réemploi et recyclage"),
        "#8a4b08",
        "recycle",
        [
            ("recyclerie", _("Recyclerie et ressourcerie")),
            ("reparation", _("Réparation et repair cafés")),
            ("textile", _("Textile et friperie")),
            ("collecte-dechets", _("Collecte et valorisation des déchets")),
        ],
    ),
    (
        "eco-construction",
        _("Éco-construction et habitat"),
        "#6d4c41",
        "house",
        [
            ("batiment", _("Bâtiment et rénovation énergétique")),
            ("materiaux-biosources", _("Matériaux biosourcés")),
            ("espaces-verts", _("Espaces verts et paysage")),
        ],
    ),
    (
        "energie",
        _("Énergie"),
        "#975a00",
        "bolt",
        [
            ("energie-citoyenne", _("Énergies renouvelables citoyennes")),
            ("sobriete", _("Sobriété et précarité énergétique")),
        ],
    ),
    (
        "mobilite",
        _("Mobilité"),
        "#00695c",
        "bike",
        [
            ("velo", _("Vélo et atelier d'autoréparation")),
            ("mobilite-solidaire", _("Mobilité solidaire et covoiturage")),
        ],
    ),
    (
        "services-personnes",
        _("Services aux personnes"),
        "#ad1457",
        "hands",
        [
            ("aide-domicile", _("Aide à domicile")),
            ("services-entreprises", _("Services aux entreprises et conciergerie")),
        ],
    ),
    (
        "enfance-age",
        _("Petite enfance et grand âge"),
        "#c2185b",
        "child",
        [
            ("petite-enfance", _("Petite enfance et crèches")),
            ("personnes-agees", _("Accompagnement des personnes âgées")),
        ],
    ),
    (
        "sante",
        _("Santé et action sociale"),
        "#c62828",
        "heart",
        [
            ("sante-prevention", _("Santé et prévention")),
            ("handicap", _("Handicap")),
            ("action-sociale", _("Action sociale et hébergement")),
        ],
    ),
    (
        "culture",
        _("Culture"),
        "#6a1b9a",
        "music",
        [
            ("spectacle-vivant", _("Spectacle vivant")),
            ("arts-patrimoine", _("Arts, patrimoine et lieux culturels")),
            ("tiers-lieux", _("Tiers-lieux")),
        ],
    ),
    (
        "tourisme-loisirs",
        _("Tourisme et loisirs"),
        "#0277bd",
        "tent",
        [
            ("tourisme-solidaire", _("Tourisme social et solidaire")),
            ("sport", _("Sport et loisirs")),
        ],
    ),
    (
        "education-formation",
        _("Éducation et formation"),
        "#283593",
        "book",
        [
            ("education-populaire", _("Éducation populaire")),
            ("formation", _("Formation professionnelle")),
            ("environnement-education", _("Éducation à l'environnement")),
        ],
    ),
    (
        "insertion",
        _("Insertion par l'activité économique"),
        "#37474f",
        "briefcase",
        [
            ("chantier-insertion", _("Ateliers et chantiers d'insertion")),
            ("entreprise-insertion", _("Entreprises d'insertion et ETTI")),
            ("esat-ea", _("ESAT et entreprises adaptées")),
        ],
    ),
    (
        "finance-solidaire",
        _("Finance éthique et solidaire"),
        "#4e342e",
        "coins",
        [
            ("epargne-solidaire", _("Épargne et financement solidaires")),
            ("monnaie-locale", _("Monnaies locales complémentaires")),
        ],
    ),
    (
        "logement",
        _("Logement"),
        "#5d4037",
        "key",
        [
            ("habitat-participatif", _("Habitat participatif")),
            ("logement-social", _("Logement très social et accompagnement")),
        ],
    ),
    (
        "numerique",
        _("Numérique"),
        "#1565c0",
        "laptop",
        [
            ("numerique-inclusif", _("Inclusion numérique")),
            ("numerique-libre", _("Logiciels libres et reconditionnement")),
        ],
    ),
]


def seed_sectors(sector_model) -> None:
    """Create or refresh the taxonomy. Takes the model so a migration can pass its
    historical one; tests call it again after a transactional flush empties the table."""
    for position, (slug, name, colour, icon, children) in enumerate(SECTOR_TREE):
        filiere, _ = sector_model.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "colour": colour,
                "icon": icon,
                "position": position,
                "parent": None,
            },
        )
        for child_position, (child_slug, child_name) in enumerate(children):
            sector_model.objects.update_or_create(
                slug=child_slug,
                defaults={
                    "name": child_name,
                    "colour": colour,
                    "icon": icon,
                    "position": child_position,
                    "parent": filiere,
                },
            )
