"""The opening line of a letter or message to a person, in one language.

A person's form of address is stored per language as the whole phrase a letter opens with
("Sehr geehrter Herr Ministerpräsident", "Madame la Maire", "Geachte heer Claes"). It is used
in its own language only: a German letter never opens with the French phrase. A bare title
("Herr", "Frau", "Mr", "mevrouw"), as people often type it, is completed the way each language
does, so that no message opens with "Herr,"."""

from django.utils import translation
from django.utils.translation import gettext as _

from secretariat.network.models import Person

# The first words of a complete greeting, per language: a phrase starting so is used as it is.
OPENINGS = {
    "de": ("sehr geehrte", "liebe", "hallo", "guten tag", "grüß", "servus"),
    "nl": ("geachte", "beste", "hooggeachte", "waarde", "dag ", "hallo"),
    "en": ("dear", "hello", "good "),
    "lb": ("léif", "sehr geehrte", "moien"),
}

# A bare title and the greeting it opens in its language (the family name is added).
TITLES = {
    "de": {"herr": "Sehr geehrter Herr", "frau": "Sehr geehrte Frau"},
    "nl": {
        "heer": "Geachte heer",
        "de heer": "Geachte heer",
        "dhr.": "Geachte heer",
        "dhr": "Geachte heer",
        "mevrouw": "Geachte mevrouw",
        "mevr.": "Geachte mevrouw",
        "mevr": "Geachte mevrouw",
    },
    "en": {
        "mr": "Dear Mr",
        "mr.": "Dear Mr",
        "mrs": "Dear Mrs",
        "mrs.": "Dear Mrs",
        "ms": "Dear Ms",
        "ms.": "Dear Ms",
        "dr": "Dear Dr",
        "dr.": "Dear Dr",
    },
}


def _with_comma(phrase: str) -> str:
    phrase = phrase.strip().rstrip(",").rstrip()
    return f"{phrase},"


def greeting(person: Person, language: str) -> str:
    """The greeting line for ``person`` in ``language``, ending with a comma."""
    stored = ((person.salutation or {}).get(language) or "").strip()
    if stored:
        lowered = stored.lower()
        if lowered.startswith(OPENINGS.get(language, ())):
            return _with_comma(stored)
        words = lowered.split()
        for length in (2, 1):  # "de heer" before "heer"
            opening = TITLES.get(language, {}).get(" ".join(words[:length]))
            if opening is not None:
                # Whatever follows the title stays (a doctorate: "Herr Dr." → "Herr Dr. Weber").
                rest = " ".join(stored.split()[length:])
                return _with_comma(" ".join(p for p in (opening, rest, person.family_name) if p))
        if language in TITLES and len(words) <= 2 and person.family_name.lower() not in lowered:
            # An unknown short title in a language whose greetings name the person.
            with translation.override(language):
                return _("Dear %(name)s,") % {"name": person}
        return _with_comma(stored)
    with translation.override(language):
        return _("Dear %(name)s,") % {"name": person}
