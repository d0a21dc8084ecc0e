"""The interface is French (the source language of the messages); the English catalogue
must stay complete. `make messages` refreshes the catalogues from the code."""

import re
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(
    r'(?P<flags>(?:#,[^\n]*\n)?)(?:#\|[^\n]*\n)*msgid (?P<id>(?:"[^\n]*"\n)+)'
    r'(?:msgid_plural (?P<plural>(?:"[^\n]*"\n)+))?'
    r'(?P<strs>(?:msgstr(?:\[\d\])? (?:"[^\n]*"\n)+)+)'
)


def _text(block: str) -> str:
    return "".join(re.findall(r'"(.*)"', block))


def _entries():
    content = CATALOGUE.read_text(encoding="utf-8") + "\n"
    for match in ENTRY.finditer(content):
        msgid = _text(match["id"])
        if msgid:  # the header
            yield (
                msgid,
                match["flags"],
                [_text(s) for s in re.split(r"msgstr(?:\[\d\])? ", match["strs"]) if s.strip()],
            )


def test_english_catalogue_is_complete():
    entries = list(_entries())
    assert len(entries) > 100
    untranslated = [msgid for msgid, _flags, strs in entries if not all(strs)]
    fuzzy = [msgid for msgid, flags, _strs in entries if "fuzzy" in flags]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def test_pages_switch_to_english(client, db):
    response = client.get("/", headers={"Accept-Language": "en"})
    html = response.content.decode()
    assert 'lang="en"' in html
    # Needs the compiled catalogue (`make messages`, run by `make test`).
    assert "Social and solidarity economy organisations" in html
    response = client.get("/")
    assert 'lang="fr"' in response.content.decode()
