import json
import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The characters json_script escapes, so data cannot close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
# French typography: a narrow no-break space (U+202F) before ; : ! ? and », after «.
NARROW_NBSP = "\u202f"
_SPACE_BEFORE_SIGN = re.compile(r"[ \u00a0]+([;:!?»])")
_SPACE_AFTER_GUILLEMET = re.compile(r"«[ \u00a0]+")


@register.filter
def jsonld(value: dict) -> str:
    """A schema.org JSON-LD block (a data block: not executed, so CSP allows it)."""
    payload = json.dumps(value, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter(is_safe=True)
def french_spacing(text: str) -> str:
    """Text typed by members, with the spaces French puts before ; : ! ? » and after « made
    unbreakable, so that a line never starts with one of those signs. Only spaces change:
    escaping still applies as usual."""
    if not text:
        return text
    text = _SPACE_BEFORE_SIGN.sub(NARROW_NBSP + r"\1", str(text))
    return _SPACE_AFTER_GUILLEMET.sub("«" + NARROW_NBSP, text)


@register.filter
def tel_uri(phone: str) -> str:
    """A phone number as a tel: link needs it (RFC 3966): digits and a leading +, without
    the spaces, dots or dashes people write between them."""
    phone = (phone or "").strip()
    digits = re.sub(r"\D", "", phone)
    return f"+{digits}" if phone.startswith("+") else digits
