"""Template tags of the cooperations feature, for the pages of other features (the listing's page,
the structure's page in the directory)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def listing_cooperations(context, obj):
    return ""  # placeholder until the feature lands


@register.simple_tag(takes_context=True)
def actor_cooperations(context, obj):
    return ""  # placeholder until the feature lands
