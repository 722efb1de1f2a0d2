"""Fill gettext catalogues from a JSON file {lang: {msgid: msgstr or [singular, plural]}};
the English catalogue gets its msgids. An entry with a context (pgettext) is keyed
"context\u0004msgid", as gettext itself keys it. Run after `make messages`; then compile."""

import json
import sys
from pathlib import Path

import polib

translations = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
for lang, table in translations.items():
    path = f"secretariat/locale/{lang}/LC_MESSAGES/django.po"
    po = polib.pofile(path, wrapwidth=79)
    for entry in po:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if key in table:
            value = table[key]
            if isinstance(value, list):
                entry.msgstr_plural = {0: value[0], 1: value[1]}
            else:
                entry.msgstr = value
        elif lang == "en" and (
            "fuzzy" in entry.flags or not (entry.msgstr or entry.msgstr_plural.get(0))
        ):
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
        else:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
        entry.previous_msgctxt = None
    po.save(path)
    left = [e.msgid for e in po if "fuzzy" in e.flags or (not e.msgstr and not e.msgid_plural)]
    print(lang, "left:", left)
