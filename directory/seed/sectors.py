"""The initial taxonomy of ESS filières and sectors (French names are data, not UI text).

Each filière: (slug, name, map colour, icon name, [(sector slug, sector name), …]).
Colours are distinct, readable with white text (contrast ≥ 4.5:1) and used on the map.
"""

SECTOR_TREE = [
    (
        "alimentation-agriculture",
        "Alimentation et agriculture",
        "#2f7d32",
        "carrot",
        [
            ("agriculture-biologique", "Agriculture biologique et paysanne"),
            ("epicerie-solidaire", "Épicerie solidaire et vrac"),
            ("circuits-courts", "Circuits courts, AMAP et magasins de producteurs"),
            ("restauration", "Restauration et traiteur solidaires"),
            ("aide-alimentaire", "Aide alimentaire"),
        ],
    ),
    (
        "reemploi-recyclage",
        "Réemploi et recyclage",
        "#8a4b08",
        "recycle",
        [
            ("recyclerie", "Recyclerie et ressourcerie"),
            ("reparation", "Réparation et repair cafés"),
            ("textile", "Textile et friperie"),
            ("collecte-dechets", "Collecte et valorisation des déchets"),
        ],
    ),
    (
        "eco-construction",
        "Éco-construction et habitat",
        "#6d4c41",
        "house",
        [
            ("batiment", "Bâtiment et rénovation énergétique"),
            ("materiaux-biosources", "Matériaux biosourcés"),
            ("espaces-verts", "Espaces verts et paysage"),
        ],
    ),
    (
        "energie",
        "Énergie",
        "#975a00",
        "bolt",
        [
            ("energie-citoyenne", "Énergies renouvelables citoyennes"),
            ("sobriete", "Sobriété et précarité énergétique"),
        ],
    ),
    (
        "mobilite",
        "Mobilité",
        "#00695c",
        "bike",
        [
            ("velo", "Vélo et atelier d'autoréparation"),
            ("mobilite-solidaire", "Mobilité solidaire et covoiturage"),
        ],
    ),
    (
        "services-personnes",
        "Services aux personnes",
        "#ad1457",
        "hands",
        [
            ("aide-domicile", "Aide à domicile"),
            ("services-entreprises", "Services aux entreprises et conciergerie"),
        ],
    ),
    (
        "enfance-age",
        "Petite enfance et grand âge",
        "#c2185b",
        "child",
        [
            ("petite-enfance", "Petite enfance et crèches"),
            ("personnes-agees", "Accompagnement des personnes âgées"),
        ],
    ),
    (
        "sante",
        "Santé et action sociale",
        "#c62828",
        "heart",
        [
            ("sante-prevention", "Santé et prévention"),
            ("handicap", "Handicap"),
            ("action-sociale", "Action sociale et hébergement"),
        ],
    ),
    (
        "culture",
        "Culture",
        "#6a1b9a",
        "music",
        [
            ("spectacle-vivant", "Spectacle vivant"),
            ("arts-patrimoine", "Arts, patrimoine et lieux culturels"),
            ("tiers-lieux", "Tiers-lieux"),
        ],
    ),
    (
        "tourisme-loisirs",
        "Tourisme et loisirs",
        "#0277bd",
        "tent",
        [
            ("tourisme-solidaire", "Tourisme social et solidaire"),
            ("sport", "Sport et loisirs"),
        ],
    ),
    (
        "education-formation",
        "Éducation et formation",
        "#283593",
        "book",
        [
            ("education-populaire", "Éducation populaire"),
            ("formation", "Formation professionnelle"),
            ("environnement-education", "Éducation à l'environnement"),
        ],
    ),
    (
        "insertion",
        "Insertion par l'activité économique",
        "#37474f",
        "briefcase",
        [
            ("chantier-insertion", "Ateliers et chantiers d'insertion"),
            ("entreprise-insertion", "Entreprises d'insertion et ETTI"),
            ("esat-ea", "ESAT et entreprises adaptées"),
        ],
    ),
    (
        "finance-solidaire",
        "Finance éthique et solidaire",
        "#4e342e",
        "coins",
        [
            ("epargne-solidaire", "Épargne et financement solidaires"),
            ("monnaie-locale", "Monnaies locales complémentaires"),
        ],
    ),
    (
        "logement",
        "Logement",
        "#5d4037",
        "key",
        [
            ("habitat-participatif", "Habitat participatif"),
            ("logement-social", "Logement très social et accompagnement"),
        ],
    ),
    (
        "numerique",
        "Numérique",
        "#1565c0",
        "laptop",
        [
            ("numerique-inclusif", "Inclusion numérique"),
            ("numerique-libre", "Logiciels libres et reconditionnement"),
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
