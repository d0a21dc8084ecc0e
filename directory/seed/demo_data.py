"""Demo data of `seed_demo` (French, fictional), kept as compact text parsed at import."""

from directory.models import LegalForm

# A long list of Python literals would bury the generator (directory/seed/demo.py): the data
# stays compact text, parsed once at import.


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.replace("\n", ";").split(";") if item.strip()]


def _profiles(text: str) -> dict[str, dict]:
    """Parse the sector profiles below.

    A header line `slug: legal forms…`, then `key: a; b; c` lines indented by 4 (`d:` holds
    one description per line); a line indented by 5 to 9 adds items to the same key, and one
    indented by 10 or more continues the previous item.
    """
    keys = {"n": "names", "d": "descriptions", "o": "offers", "k": "keywords", "l": "labels"}
    profiles: dict[str, dict] = {}
    current: dict = {}
    key = ""
    for line in text.strip().splitlines():
        indent = len(line) - len(line.lstrip())
        if indent == 0:
            slug, forms = line.split(":")
            current = profiles[slug] = {"forms": forms.split(), "labels": []}
        elif indent >= 10:
            current[key][-1] += " " + line.strip()
        elif indent > 4:
            current[key].extend(_items(line))
        else:
            code, _colon, rest = line.strip().partition(":")
            key = keys[code]
            values = [rest.strip()] if code == "d" else _items(rest)
            current.setdefault(key, []).extend(values)
    return profiles


NANTES_PLACES = _items("""
    du Port; de la Chézine; de l'Erdre; de Chantenay; du Bas-Chantenay; de Doulon; de Bellevue;
    de Malakoff; des Dervallières; de la Bottière; de Pirmil; de l'Île; de la Madeleine; de Procé;
    du Breil; de la Halvêque; de Zola; de Sainte-Anne; du Marais; de la Fosse; du Petit-Port;
    de la Beaujoire; du Vieux Doulon; de Saint-Félix; des Hauts-Pavés; de Nantes Nord; du Bouffay;
    de Talensac; de Mellinet; de la Prairie-au-Duc; des Batignolles; de Saint-Joseph-de-Porterie
""")
SURROUNDING_PLACES = _items("""
    des Bords de Loire; du Bourg; de la Sèvre; du Lac de Grand-Lieu; des Coteaux; du Vignoble;
    de l'Estuaire; des Prés; du Moulin; de la Vallée; du Sillon; des Marais; de la Gare; du Cens;
    des Landes
""")
BENCH_PLACES = _items("""
    des Tilleuls; du Moulin; de la Vallée; du Lavoir; des Quatre Vents; du Canal; de la Gare;
    des Halles; du Centre; des Coteaux; du Plateau; de la Rivière; du Vieux Bourg; des Prés;
    du Château; de la Forêt; du Marché; des Vignes; de la Source; du Pont; des Saules; de l'Étang;
    du Faubourg; de la Colline
""")
STREETS = _items("""
    rue de la Loire; quai de la Fosse; rue des Olivettes; boulevard de la Prairie-au-Duc;
    rue du Général Buat; rue de la Mairie; place du Commerce; rue des Écoles; chemin des Vignes;
    avenue de la Gare; rue Jean Jaurès; rue Victor Hugo; rue de la République; impasse du Moulin;
    allée des Tilleuls; route de Clisson; rue de Rennes; boulevard des Anglais; rue Paul Bellamy
""")
OPENING_HOURS = [
    *_items("""
    Du lundi au vendredi, 9h–12h30 et 14h–17h30; Du mardi au samedi, 10h–18h;
    Mercredi 14h–18h, samedi 10h–13h; Mardi, jeudi et vendredi, 9h–17h; Sur rendez-vous;
    Du lundi au samedi, 8h–19h; Premier et troisième samedis du mois, 14h–17h
    """),
    "",
]
HISTORIES = _items("""
    Créée en {year} par des habitants de {commune}, la structure a grandi avec son quartier.;
    Fondée en {year}, elle réunit salariés, bénévoles et usagers autour d'un même projet.;
    Depuis {year}, elle fait vivre un projet collectif, gouverné par ses membres.;
    Née en {year} d'un collectif d'associations, elle a de nombreux partenaires à {commune}.
""")
ADDED_VALUES = _items("""
    Des emplois locaux et non délocalisables, dont une part en parcours d'insertion.;
    Une gouvernance démocratique : une personne, une voix.;
    Des tarifs solidaires adaptés aux revenus de chacun.;
    Des bénéfices réinvestis dans le projet et le territoire.;
    Des liens créés entre habitants, générations et cultures.;
    Des achats responsables, auprès de fournisseurs locaux et solidaires d'abord.;
    Des bénévoles formés et associés aux décisions.;
    Une réduction de l'empreinte carbone de ses activités, mesurée chaque année.;
    L'inclusion de personnes en situation de handicap dans toutes ses équipes.;
    Des partenariats avec les écoles, les centres sociaux et les associations du quartier.
""")
LABELS_BY_FORM = {
    LegalForm.ESUS: ["Agrément ESUS"],
    LegalForm.SIAE: ["Conventionnement IAE", "Agrément ESUS"],
    LegalForm.SCIC: ["Agrément ESUS"],
    LegalForm.ESAT_EA: ["Agrément ESUS"],
    LegalForm.FOUNDATION: ["Reconnue d'utilité publique"],
}
FIRST_NAMES = _items("""
    Camille; Léa; Manon; Chloé; Inès; Sarah; Julie; Louise; Emma; Claire; Nadia; Fatou; Amina;
    Sophie; Anne; Hélène; Maëlle; Gwenaëlle; Lucas; Hugo; Thomas; Nicolas; Julien; Mehdi; Yann;
    Erwan; Antoine; Pierre; Karim; Mamadou; Olivier; Benoît; Loïc; Théo; Maxime; Jérôme
""")
LAST_NAMES = _items("""
    Martin; Bernard; Guérin; Le Goff; Moreau; Leroy; Renaud; Fournier; Girard; Bonnet; Dupont;
    Lambert; Fontaine; Rousseau; Vincent; Muller; Lefèvre; Morel; Bouvier; Gautier; Le Floch;
    Perrin; Chevalier; Robin; Diallo; Benali; Nguyen; Da Silva; Garnier; Mercier; Blanchard;
    Brunet; Caillaud; Cousin; Jamet; Hervé
""")

# Per sector: names ({de} is a place with its preposition), descriptions ({commune}), offers,
# keywords, labels; the header lists the likely legal forms (LegalForm values).
SECTOR_PROFILES = _profiles("""
agriculture-biologique: association siae scop cooperative other
    n: Les Jardins de Cocagne {de}; Ferme maraîchère {de}; Les Paniers bio {de};
       GAEC Terres partagées {de}; Le Potager solidaire {de}
    d: Maraîchage biologique et paniers de légumes de saison cultivés à {commune}.
    d: Ferme paysanne en agriculture biologique : légumes, œufs et petits fruits,
          vendus à la ferme et au marché.
    o: Paniers de légumes bio chaque semaine; Vente à la ferme le vendredi;
       Accueil de groupes scolaires; Plants potagers au printemps;
       Approvisionnement de la restauration collective
    k: maraîchage; bio; paniers; légumes; circuit court; ferme
    l: AB – Agriculture biologique; Ecocert; Nature & Progrès
epicerie-solidaire: association cooperative scic
    n: Épicerie solidaire {de}; L'Épicerie du coin {de}; Épicerie coopérative {de};
       Le Grain de sel {de}; Vrac & Compagnie {de}
    d: Épicerie solidaire : des produits de qualité à prix réduits pour les petits budgets
          de {commune}, ouverte à tous en double tarif.
    d: Épicerie participative en vrac : les adhérents tiennent la boutique et choisissent
          les producteurs locaux.
    o: Produits alimentaires et d'hygiène à prix solidaires; Vente en vrac;
       Ateliers cuisine anti-gaspillage; Accompagnement budgétaire
    k: épicerie; épicerie solidaire; vrac; anti-gaspillage; alimentation
circuits-courts: association scic cooperative
    n: AMAP {de}; Le Panier paysan {de}; Magasin de producteurs {de};
       La Ruche des producteurs {de}; Drive fermier {de}
    d: AMAP : un partenariat entre des familles de {commune} et des paysans locaux,
          avec une distribution de paniers chaque semaine.
    d: Magasin de producteurs tenu par une vingtaine de fermes du département, en vente directe.
    o: Distribution de paniers le mardi soir; Contrats légumes, pain, fromage et œufs;
       Vente directe de produits fermiers; Commandes en ligne et retrait au magasin
    k: AMAP; circuit court; producteurs locaux; paniers; vente directe
restauration: siae association scop esus
    n: Restaurant solidaire {de}; La Cantine {de}; Traiteur solidaire Les Toqués {de};
       Café-cantine {de}; Le Resto des possibles {de}
    d: Restaurant d'insertion : cuisine maison de produits locaux, préparée par des salariés
          en parcours d'insertion.
    d: Traiteur solidaire pour les entreprises et les collectivités de {commune} : buffets
          et plateaux repas en circuit court.
    o: Repas du midi du lundi au vendredi; Buffets et plateaux repas pour vos événements;
       Livraison en vélo cargo; Formation aux métiers de la restauration
    k: restaurant; traiteur; cuisine; insertion; repas
aide-alimentaire: association foundation
    n: Banque alimentaire {de}; Épicerie sociale {de}; Collectif d'aide alimentaire {de};
       Frigo solidaire {de}; Distribution solidaire {de}
    d: Collecte et distribution de denrées aux personnes en difficulté de {commune},
          grâce aux bénévoles du quartier.
    d: Aide alimentaire d'urgence et accès aux droits, en lien avec les services sociaux.
    o: Colis alimentaires hebdomadaires; Collecte des invendus des commerces;
       Frigo solidaire en libre-service; Repas chauds l'hiver
    k: aide alimentaire; colis; bénévolat; invendus; solidarité
    l: Habilitation aide alimentaire
recyclerie: association siae scic
    n: Recyclerie {de}; Ressourcerie {de}; La Ressourcerie L'Établi {de};
       Recyclerie Le Grenier {de}; La Boutique du réemploi {de}
    d: Recyclerie : nous collectons les objets dont vous n'avez plus l'usage, les remettons
          en état et les revendons à petits prix à {commune}.
    d: Ressourcerie de quartier : collecte, valorisation, vente d'occasion et sensibilisation
          à la réduction des déchets.
    o: Dépôt d'objets : meubles, vaisselle, livres, jouets; Boutique de seconde main;
       Enlèvement d'encombrants à domicile; Ateliers de relooking de meubles
    k: recyclerie; ressourcerie; réemploi; seconde main; déchets; occasion
reparation: association scop other
    n: Repair Café {de}; L'Atelier de réparation {de}; Répar'Tout {de};
       Les Bricoleurs solidaires {de}
    d: Repair café mensuel à {commune} : des bénévoles vous aident à réparer appareils
          électriques, vélos et vêtements.
    d: Atelier de réparation d'électroménager et de petits appareils, pour les faire durer.
    o: Réparation d'électroménager; Ateliers mensuels ouverts à tous; Prêt d'outils;
       Diagnostic de petits appareils
    k: réparation; repair café; électroménager; bricolage; anti-gaspillage
    l: Répar'acteurs
textile: association siae scop
    n: Friperie solidaire {de}; La Fabrique textile {de}; Retouches & Création {de};
       Le Dressing solidaire {de}
    d: Friperie solidaire et atelier de couture à {commune} : collecte, tri et revente
          de vêtements de seconde main.
    d: Atelier d'upcycling textile : les chutes et les invendus deviennent des pièces uniques.
    o: Vêtements de seconde main; Retouches et upcycling; Ateliers couture; Collecte de textiles
    k: friperie; textile; vêtements; couture; upcycling
collecte-dechets: siae scic association esus
    n: Compost'Quartier {de}; La Collecte à vélo {de}; Valoris {de}; L'Atelier du tri {de}
    d: Collecte à vélo des biodéchets des restaurants de {commune} et compostage de proximité.
    d: Collecte et valorisation des déchets de bureau, en emploi d'insertion.
    o: Collecte de biodéchets; Animation de composteurs partagés;
       Collecte de cartons et papiers de bureau; Sensibilisation au tri
    k: compost; collecte; déchets; biodéchets; tri; valorisation
batiment: scop siae cooperative esus
    n: Menuiserie {de}; Les Compagnons bâtisseurs {de}; Rénov'Solidaire {de};
       Atelier charpente {de}; Éco-Rénovation {de}
    d: Entreprise coopérative de menuiserie et de rénovation énergétique des logements,
          installée à {commune}.
    d: Chantiers d'auto-réhabilitation accompagnée pour les propriétaires modestes.
    o: Rénovation énergétique; Menuiserie bois sur mesure; Isolation thermique;
       Auto-réhabilitation accompagnée
    k: bâtiment; rénovation; menuiserie; isolation; artisanat
    l: RGE – Reconnu garant de l'environnement; Qualibat
materiaux-biosources: scic scop association
    n: La Filière paille {de}; Chanvre & Terre {de}; Matériaux du réemploi {de};
       L'Atelier terre crue {de}
    d: Production et mise en œuvre de matériaux biosourcés : paille, chanvre et terre crue.
    d: Plateforme de réemploi des matériaux du bâtiment à {commune}.
    o: Bottes de paille pour la construction; Enduits terre; Formation à la construction paille;
       Matériaux de réemploi du bâtiment
    k: paille; chanvre; terre crue; biosourcé; éco-construction
espaces-verts: siae esat_ea scop association
    n: Les Jardiniers {de}; Paysages solidaires {de}; Vert l'Emploi {de}; Entretien Nature {de}
    d: Entretien d'espaces verts et création de jardins en gestion différenciée, sans pesticides,
          à {commune} et alentour.
    d: Chantier paysager d'insertion pour les collectivités, les bailleurs et les particuliers.
    o: Entretien de jardins; Tonte et taille; Création de potagers; Gestion différenciée
    k: espaces verts; jardin; paysage; entretien; zéro pesticide
energie-citoyenne: scic cooperative association
    n: Énergie citoyenne {de}; Les Toits solaires {de}; Centrale villageoise {de};
       Soleil partagé {de}
    d: Coopérative citoyenne qui installe et exploite des centrales photovoltaïques
          sur les toits publics de {commune}.
    d: Projet citoyen d'énergie renouvelable financé par les habitants du territoire.
    o: Souscription de parts sociales; Installation photovoltaïque;
       Études de potentiel solaire; Fourniture d'électricité locale
    k: énergie; solaire; photovoltaïque; citoyen; renouvelable
    l: Label Énergie Partagée
sobriete: association esus
    n: Maison de la sobriété {de}; Les Ambassadeurs de l'énergie {de}; Précarité Zéro {de};
       Éco-Watt {de}
    d: Accompagnement des ménages en précarité énergétique de {commune} : visites à domicile,
          petits équipements, conseils.
    d: Espace conseil sur les économies d'énergie et d'eau, pour locataires et propriétaires.
    o: Visites énergie à domicile; Défi familles à énergie positive; Conseils travaux;
       Ateliers éco-gestes
    k: précarité énergétique; sobriété; économies d'énergie; logement
velo: association siae scic
    n: Atelier vélo {de}; La Roue libre {de}; Cycles solidaires {de}; Le Clou {de};
       Vélo-Cité {de}
    d: Atelier participatif et solidaire de réparation de vélos à {commune} : apprenez
          à entretenir votre vélo avec des bénévoles.
    d: Vente de vélos d'occasion remis en état et vélo-école pour adultes.
    o: Atelier d'autoréparation; Vente de vélos d'occasion; Vélo-école; Marquage antivol
    k: vélo; atelier vélo; autoréparation; mobilité; cycle
mobilite-solidaire: association siae esus
    n: Mobilité solidaire {de}; Auto-école sociale {de}; Garage solidaire {de};
       Covoit'Solidaire {de}
    d: Garage solidaire et location de véhicules à petit prix pour les personnes
          en insertion professionnelle de {commune}.
    d: Auto-école sociale : le permis de conduire accompagné, pour trouver ou garder un emploi.
    o: Location de voitures et de scooters; Réparation automobile à prix solidaire;
       Permis de conduire accompagné; Transport à la demande
    k: mobilité; garage solidaire; permis; covoiturage; location
aide-domicile: association scic esus mutual
    n: Aide à domicile {de}; Les Services du quotidien {de}; Domicile solidaire {de};
       Présence Services {de}
    d: Aide et accompagnement à domicile des personnes âgées et en situation de handicap
          à {commune}.
    d: Services à la personne de proximité, par des salariées formées et bien encadrées.
    o: Aide au ménage et aux repas; Accompagnement aux courses; Garde de nuit; Portage de repas
    k: aide à domicile; services à la personne; accompagnement; ménage
    l: Agrément services à la personne
services-entreprises: siae esat_ea scop esus
    n: Conciergerie solidaire {de}; Bureau partagé {de}; Les Services associés {de};
       Atelier logistique {de}
    d: Conciergerie d'entreprise solidaire et services logistiques réalisés par des salariés
          en insertion à {commune}.
    d: Sous-traitance administrative et logistique pour les entreprises et les collectivités.
    o: Conciergerie d'entreprise; Mise sous pli et routage; Nettoyage de locaux;
       Prestations logistiques
    k: conciergerie; services aux entreprises; logistique; nettoyage; sous-traitance
petite-enfance: association scic mutual
    n: Crèche parentale {de}; Les Petits Pas {de}; Multi-accueil Les Lutins {de};
       La Maison des bambins {de}
    d: Crèche associative parentale à {commune} : les parents participent à la vie
          de la crèche aux côtés des professionnelles.
    d: Multi-accueil de 20 places, ouvert aux horaires décalés.
    o: Accueil régulier et occasionnel; Places en horaires décalés; Ateliers parents-enfants;
       Lieu d'accueil enfants-parents
    k: crèche; petite enfance; parentalité; accueil; multi-accueil
personnes-agees: association foundation mutual
    n: Les Aînés solidaires {de}; Habitat seniors {de}; Maison de répit {de};
       Génération Partage {de}
    d: Lutte contre l'isolement des personnes âgées de {commune} : visites de convivialité,
          sorties et cohabitation intergénérationnelle.
    d: Soutien aux aidants familiaux et solutions de répit.
    o: Visites de convivialité; Cohabitation intergénérationnelle; Sorties et ateliers mémoire;
       Aide aux aidants
    k: personnes âgées; isolement; intergénérationnel; aidants; seniors
sante-prevention: mutual association foundation
    n: Centre de santé {de}; Mutuelle solidaire {de}; Maison de santé {de}; Prévention Santé {de}
    d: Centre de santé mutualiste à {commune} : médecine générale, soins dentaires
          et prévention, sans dépassement d'honoraires.
    d: Actions de prévention santé auprès des jeunes et des personnes précaires.
    o: Consultations de médecine générale; Soins dentaires; Ateliers de prévention;
       Complémentaire santé solidaire
    k: santé; prévention; centre de santé; mutuelle; soins
handicap: association foundation esat_ea
    n: Handi'Cap {de}; Les Ateliers du Val {de}; Accueil Handicap {de}; Loisirs pour tous {de}
    d: Accompagnement des personnes en situation de handicap et de leurs familles à {commune}.
    d: Loisirs adaptés, sorties et séjours pour les personnes en situation de handicap.
    o: Accompagnement des familles; Loisirs et séjours adaptés;
       Sensibilisation dans les entreprises; Aide aux démarches
    k: handicap; inclusion; accompagnement; loisirs adaptés
action-sociale: association foundation
    n: Maison d'accueil {de}; Le Relais {de}; Centre social {de}; L'Abri {de}
    d: Accueil de jour, hébergement d'urgence et accompagnement social des personnes
          sans domicile à {commune}.
    d: Centre social : activités pour tous les âges, aide aux démarches, projets d'habitants.
    o: Accueil de jour; Hébergement d'urgence; Domiciliation; Accompagnement social
    k: hébergement; accueil; action sociale; précarité; accompagnement
spectacle-vivant: association scic cae
    n: Compagnie Les Arts mêlés {de}; Théâtre de la Fabrique {de}; Fanfare {de};
       La Compagnie du fleuve {de}
    d: Compagnie de théâtre et d'arts de la rue, créations participatives avec les habitants
          de {commune}.
    d: Collectif de musiciens et de comédiens, créations et actions culturelles.
    o: Spectacles tout public; Ateliers théâtre; Résidences d'artistes;
       Interventions en milieu scolaire
    k: théâtre; spectacle; arts de la rue; culture; création
arts-patrimoine: association foundation cae
    n: Atelier d'artistes {de}; Les Amis du patrimoine {de}; Galerie associative {de};
       Musée vivant {de}
    d: Collectif d'artistes plasticiens à {commune} : ateliers partagés, expositions
          et médiation culturelle.
    d: Sauvegarde et valorisation du patrimoine local avec des bénévoles passionnés.
    o: Expositions; Ateliers d'arts plastiques; Visites du patrimoine;
       Location d'ateliers d'artistes
    k: arts; patrimoine; exposition; médiation culturelle
tiers-lieux: scic association cooperative
    n: Tiers-lieu La Fabrique {de}; Le Hangar {de}; La Cale {de}; Le Bocal {de}; La Grange {de}
    d: Tiers-lieu à {commune} : espace de coworking, atelier partagé, café
          et programmation culturelle.
    d: Friche réhabilitée en lieu de vie : ateliers, bureaux partagés et guinguette.
    o: Coworking; Fablab et atelier partagé; Location de salles; Café associatif
    k: tiers-lieu; coworking; fablab; café associatif; lieu partagé
tourisme-solidaire: association cooperative foundation
    n: Auberge de jeunesse {de}; Gîte solidaire {de}; Village vacances {de};
       Balades solidaires {de}
    d: Hébergement touristique à vocation sociale et découverte du territoire de {commune}
          à vélo, le long de la Loire.
    d: Séjours de vacances accessibles aux familles et aux groupes.
    o: Hébergement de groupes; Séjours de vacances; Balades guidées; Location de vélos
    k: tourisme; hébergement; vacances; découverte; loisirs
sport: association
    n: Club sportif {de}; Sport pour tous {de}; Les Pagayeurs {de}; Union sportive {de}
    d: Club omnisports de {commune} ouvert à tous, avec des créneaux sport-santé et handisport.
    d: Club de canoë-kayak sur la Loire et ses affluents, pour petits et grands.
    o: Cours de sport adapté; Sport-santé sur ordonnance; Stages pendant les vacances;
       Location de matériel
    k: sport; loisirs; sport-santé; handisport; club
education-populaire: association
    n: Maison des jeunes {de}; Amicale laïque {de}; Centre d'animation {de}; Les Curieux {de}
    d: Association d'éducation populaire à {commune} : accueils de loisirs, ateliers
          et projets citoyens avec les jeunes.
    d: Accompagnement à la scolarité et projets de jeunes.
    o: Accueil de loisirs; Accompagnement à la scolarité; Projets jeunes; Ateliers citoyens
    k: éducation populaire; jeunesse; loisirs; citoyenneté; animation
    l: Agrément Jeunesse et éducation populaire
formation: cae scop association cooperative
    n: Coopérative d'activité {de}; Les Ateliers du savoir {de}; Compétences solidaires {de};
       Organisme de formation {de}
    d: Organisme de formation professionnelle aux métiers de l'ESS et à la création
          d'activité, à {commune}.
    d: Coopérative d'activité et d'emploi : entreprendre sous statut salarié, en collectif.
    o: Formations certifiantes; Accompagnement à la création d'activité; Bilan de compétences;
       Formation des bénévoles
    k: formation; compétences; emploi; création d'activité; accompagnement
    l: Qualiopi
environnement-education: association
    n: Maison de la nature {de}; Les Amis de la nature {de}; Atelier environnement {de};
       La Maison du fleuve {de}
    d: Sorties nature, animations scolaires et sensibilisation à la biodiversité des bords
          de Loire, à {commune}.
    d: Éducation à l'environnement pour les écoles et les centres de loisirs.
    o: Animations scolaires; Sorties nature; Inventaires participatifs; Formation des animateurs
    k: environnement; biodiversité; nature; éducation; sensibilisation
chantier-insertion: siae association
    n: Chantier d'insertion {de}; Atelier chantier {de}; Passerelle Emploi {de}; Tremplin {de}
    d: Atelier et chantier d'insertion à {commune} : un contrat de travail
          et un accompagnement vers l'emploi durable.
    d: Chantiers de rénovation du petit patrimoine et d'entretien des berges.
    o: Rénovation du petit patrimoine; Entretien des berges; Accompagnement socioprofessionnel;
       Sous-traitance pour les entreprises
    k: insertion; chantier; emploi; accompagnement; IAE
    l: Conventionnement IAE
entreprise-insertion: siae esus
    n: Entreprise d'insertion {de}; Intérim solidaire {de}; ETTI {de}; Tremplin Travail {de}
    d: Entreprise de travail temporaire d'insertion : missions en entreprise
          et accompagnement personnalisé à {commune}.
    d: Entreprise d'insertion de nettoyage et de second œuvre.
    o: Mise à disposition de personnel; Missions d'intérim; Recrutement inclusif;
       Formation au poste
    k: insertion; intérim; emploi; recrutement; IAE
esat-ea: esat_ea
    n: ESAT Les Ateliers {de}; Entreprise adaptée {de}; Atelier adapté {de}
    d: Entreprise adaptée à {commune} : sous-traitance industrielle et services
          aux entreprises par des salariés en situation de handicap.
    d: ESAT : conditionnement, blanchisserie et espaces verts.
    o: Sous-traitance industrielle; Numérisation de documents; Entretien d'espaces verts;
       Blanchisserie
    k: ESAT; entreprise adaptée; handicap; sous-traitance
epargne-solidaire: association cooperative foundation mutual
    n: Club d'investisseurs solidaires {de}; Fonds territorial {de}; Finance solidaire {de};
       Cigales {de}
    d: Épargne citoyenne et prêts d'honneur pour financer les projets de l'ESS à {commune}
          et alentour.
    d: Garanties et prêts pour les entreprises solidaires qui se créent ou se développent.
    o: Prêts d'honneur; Garanties bancaires; Accompagnement financier; Épargne solidaire
    k: finance solidaire; épargne; prêt; investissement; financement
    l: Label Finansol
monnaie-locale: association scic
    n: Comptoir de change de la Muscade {de}; Les Amis de la Muscade {de};
       Bureau de change Muscade {de}
    d: Point de change de la monnaie locale à {commune} : convertissez vos euros en Muscades
          et découvrez le réseau des prestataires.
    d: Association qui fait vivre la monnaie locale complémentaire du territoire.
    o: Change euros–Muscades; Annuaire des prestataires; Animations sur la consommation locale
    k: monnaie locale; Muscade; économie locale; circuits courts
habitat-participatif: cooperative association scic
    n: Habitat participatif {de}; Coopérative d'habitants {de}; Les Toits partagés {de}
    d: Coopérative d'habitants à {commune} : logements, jardin et salle communs,
          gérés collectivement.
    d: Accompagnement de groupes qui construisent leur habitat participatif.
    o: Accompagnement de groupes d'habitants; Visites d'habitats participatifs;
       Chambre d'amis partagée
    k: habitat participatif; coopérative d'habitants; logement; vivre ensemble
logement-social: association foundation esus
    n: Solidarité logement {de}; Agence immobilière sociale {de}; Toit solidaire {de};
       Un toit pour tous {de}
    d: Agence immobilière à vocation sociale à {commune} : captation de logements
          et accompagnement des locataires.
    d: Logements passerelles et accompagnement vers un logement durable.
    o: Gestion locative sociale; Accompagnement des locataires; Logements passerelles;
       Médiation locative
    k: logement; gestion locative; accompagnement; hébergement
numerique-inclusif: association scic
    n: Point numérique {de}; Connect'Solidaire {de}; L'Atelier numérique {de};
       Les Médiateurs {de}
    d: Médiation numérique à {commune} : accompagnement aux démarches en ligne et ateliers
          d'initiation à l'informatique.
    d: Espace public numérique en accès libre, avec des médiateurs pour vous aider.
    o: Ateliers d'initiation; Aide aux démarches en ligne; Accès libre aux ordinateurs;
       Pass numériques
    k: inclusion numérique; médiation; informatique; démarches en ligne
numerique-libre: scop siae association scic cae
    n: Reconditionnement solidaire {de}; Libre Informatique {de}; Les Ordis solidaires {de};
       Code Commun {de}
    d: Reconditionnement d'ordinateurs sous logiciels libres et vente à prix solidaires
          à {commune}.
    d: Coopérative de développement web et d'hébergement éthique en logiciels libres.
    o: Ordinateurs reconditionnés; Installation de logiciels libres; Développement web;
       Hébergement éthique
    k: logiciel libre; reconditionnement; informatique; ordinateur
""")
