"""Hooks other apps listen to without core knowing them."""

from django.dispatch import Signal

# Sent when a language version is marked reviewed, with: obj, field, language, text,
# source_language, source_text. The translation memory learns from it.
text_reviewed = Signal()
