"""Hooks other apps listen to without core knowing them."""

from django.dispatch import Signal

# Sent when a language version is marked reviewed, with: obj, field, language, text,
# source_language, source_text. The translation memory learns from it.
text_reviewed = Signal()

# Sent after new translations were recorded (not originals, not unchanged texts), once per
# write with all of them: ``written`` is a list of (obj, field, language, Version, source text),
# ``by`` the user. The translation app counts their words.
translations_written = Signal()
