"""schema.org descriptions of public objects."""

from django.http import HttpRequest

from directory.models import Actor


def actor_jsonld(actor: Actor, request: HttpRequest) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": actor.name,
        "url": request.build_absolute_uri(actor.get_absolute_url()),
        "description": actor.short_description,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": actor.address,
            "postalCode": actor.postcode,
            "addressLocality": actor.commune.name,
            "addressCountry": "FR",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": actor.lat, "longitude": actor.lon},
        "knowsAbout": [s.name for s in actor.sectors.all()],
    }
    if actor.website:
        data["sameAs"] = actor.website
    if actor.email:
        data["email"] = actor.email
    if actor.phone:
        data["telephone"] = actor.phone
    if actor.siret:
        data["taxID"] = actor.siret
    if actor.logo:
        data["logo"] = request.build_absolute_uri(actor.logo.url)
    if actor.keywords:
        data["keywords"] = actor.keyword_list
    return data
