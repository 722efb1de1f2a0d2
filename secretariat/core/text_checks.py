"""Checks of translations that other apps provide (the termbase of the translation app), run
wherever language versions are shown side by side. Core only keeps the list."""

from collections.abc import Callable, Sequence

from secretariat.core.models import Organisation

# (source language, source text, target language, target text)
Pair = tuple[str, str, str, str]
Checker = Callable[[Organisation, Sequence[Pair]], list[list[str]]]
CHECKERS: list[Checker] = []


def register(checker: Checker) -> None:
    if checker not in CHECKERS:
        CHECKERS.append(checker)


def warnings(organisation: Organisation, pairs: Sequence[Pair]) -> list[list[str]]:
    """For each pair, the warnings of every registered check."""
    found: list[list[str]] = [[] for _pair in pairs]
    for checker in CHECKERS:
        for index, messages in enumerate(checker(organisation, pairs)):
            found[index].extend(messages)
    return found
