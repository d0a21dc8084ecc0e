"""Template tags of the matching feature, for the pages of other features (the listing's page,
the structure's page in the directory)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def listing_matches(context, obj):
    return ""  # placeholder until the feature lands
