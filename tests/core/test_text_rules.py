from hypothesis import given
from hypothesis import strategies as st

from secretariat.core import text_rules
from secretariat.core.text_rules import Status, Version, mark_reviewed, pick, plan_update, status_of

LANGS = ["fr", "de", "nl"]
texts = st.text(alphabet="abcdéß \n", max_size=12)
updates = st.dictionaries(st.sampled_from(LANGS), texts, max_size=3)


def test_first_text_is_the_original_and_a_second_language_is_a_translation() -> None:
    versions = plan_update(
        {}, {"fr": "Assemblée générale", "de": "Mitgliederversammlung"}, languages=LANGS
    )
    assert status_of("fr", versions) == Status.ORIGINAL
    assert versions["de"].source_language == "fr"
    assert versions["de"].origin == text_rules.HUMAN
    assert status_of("de", versions) == Status.UNREVIEWED
    assert status_of("nl", versions) == Status.MISSING


def test_editing_the_source_marks_the_others_outdated_and_review_makes_them_current() -> None:
    versions = plan_update({}, {"fr": "Directoire", "de": "Vorstand"}, languages=LANGS)
    versions = plan_update(versions, {"fr": "Le Directoire"}, languages=LANGS)
    assert status_of("fr", versions) == Status.ORIGINAL
    assert status_of("de", versions) == Status.OUTDATED
    versions = mark_reviewed(versions, "de")
    assert status_of("de", versions) == Status.REVIEWED


def test_editing_a_translation_takes_the_current_source_and_drops_its_review() -> None:
    versions = mark_reviewed(
        plan_update({}, {"fr": "Comité", "de": "Ausschuss"}, languages=LANGS), "de"
    )
    versions = plan_update(versions, {"de": "Koordinierungsausschuss"}, languages=LANGS)
    assert status_of("de", versions) == Status.UNREVIEWED
    assert status_of("fr", versions) == Status.ORIGINAL


def test_machine_output_is_never_reviewed_until_someone_reviews_it() -> None:
    versions = plan_update({}, {"fr": "Bonjour"}, languages=LANGS)
    versions = plan_update(
        versions, {"de": "Guten Tag"}, languages=LANGS, origin=text_rules.MACHINE, engine="tm"
    )
    assert status_of("de", versions) == Status.MACHINE
    assert status_of("de", mark_reviewed(versions, "de")) == Status.REVIEWED


def test_emptying_the_original_promotes_the_next_language_in_order() -> None:
    versions = plan_update({}, {"fr": "Ville", "de": "Stadt"}, languages=LANGS)
    versions = plan_update(versions, {"fr": ""}, languages=LANGS)
    assert list(versions) == ["de"]
    assert status_of("de", versions) == Status.ORIGINAL


def test_make_source_turns_the_former_original_outdated() -> None:
    versions = plan_update({}, {"fr": "Ville", "de": "Stadt"}, languages=LANGS)
    versions = plan_update(versions, {"de": "Die Stadt"}, languages=LANGS, make_source="de")
    assert status_of("de", versions) == Status.ORIGINAL
    assert status_of("fr", versions) == Status.OUTDATED


def test_whitespace_only_changes_do_not_outdate_translations() -> None:
    versions = plan_update({}, {"fr": "Ville", "de": "Stadt"}, languages=LANGS)
    versions = plan_update(versions, {"fr": "  Ville \n"}, languages=LANGS)
    assert status_of("de", versions) == Status.UNREVIEWED


@given(st.lists(updates, max_size=6))
def test_any_sequence_of_edits_keeps_exactly_one_original_and_the_texts(
    edits: list[dict[str, str]],
) -> None:
    versions: dict[str, Version] = {}
    expected: dict[str, str] = {}
    for edit in edits:
        versions = plan_update(versions, edit, languages=LANGS)
        for lang, text in edit.items():
            if text.strip():
                expected[lang] = text.strip()
            else:
                expected.pop(lang, None)
        assert {lang: v.text for lang, v in versions.items()} == expected
        originals = [lang for lang, v in versions.items() if v.is_original]
        assert len(originals) == (1 if versions else 0)
        for v in versions.values():
            if not v.is_original:
                assert v.source_language == originals[0]


@given(st.lists(updates, min_size=1, max_size=5), st.sampled_from(LANGS))
def test_a_translation_made_from_the_current_source_is_never_outdated(
    edits: list[dict[str, str]], lang: str
) -> None:
    versions: dict[str, Version] = {}
    for edit in edits:
        versions = plan_update(versions, edit, languages=LANGS)
    source = text_rules.original_language(versions)
    if source is None or source == lang:
        return
    versions = plan_update(versions, {lang: "fresh translation"}, languages=LANGS)
    assert status_of(lang, versions) in {Status.UNREVIEWED}
    versions = plan_update(versions, {source: versions[source].text + " changed"}, languages=LANGS)
    assert status_of(lang, versions) == Status.OUTDATED


def test_reader_sees_their_language_else_the_default_with_a_missing_flag() -> None:
    assert pick({"fr": "Trèves", "de": "Trier"}, "de", ["fr", "de"], "fr") == pick(
        {"fr": "Trèves", "de": "Trier"}, "de", ["fr", "de"], "fr"
    )
    shown = pick({"fr": "Trèves"}, "de", ["fr", "de"], "fr")
    assert (shown.text, shown.language, shown.missing) == ("Trèves", "fr", True)
    # English is not a working language: the default is shown, and nothing is "missing".
    shown = pick({"fr": "Trèves", "de": "Trier"}, "en", ["fr", "de"], "fr")
    assert (shown.text, shown.language, shown.missing) == ("Trèves", "fr", False)
    assert pick({}, "fr", ["fr"], "fr").text == ""


lines = st.lists(st.text(alphabet="abcdéß «»", max_size=8), min_size=1, max_size=5)


@given(lines)
def test_crlf_lf_and_cr_variants_of_a_text_have_one_digest(parts: list[str]) -> None:
    lf, crlf, cr = "\n".join(parts), "\r\n".join(parts), "\r".join(parts)
    assert text_rules.digest(lf) == text_rules.digest(crlf) == text_rules.digest(cr)
    assert text_rules.normalise(crlf) == text_rules.normalise(cr) == lf.strip()


@given(lines, lines, st.sampled_from(["\r\n", "\r"]))
def test_saving_the_same_texts_with_other_line_endings_changes_no_version(
    source: list[str], translation: list[str], ending: str
) -> None:
    """A browser sends CRLF: the texts it sends back unchanged keep their state (the outdated
    flag of other languages, the review of translations)."""
    first = {"fr": "\n".join(["Titre", *source]), "de": "\n".join(["Titel", *translation])}
    versions = mark_reviewed(plan_update({}, first, languages=LANGS), "de")
    versions = plan_update(versions, {"fr": first["fr"] + " changé"}, languages=LANGS)
    assert status_of("de", versions) == Status.OUTDATED
    resent = {lang: text.replace("\n", ending) for lang, text in first.items()}
    resent["fr"] = (first["fr"] + " changé").replace("\n", ending)
    assert plan_update(versions, resent, languages=LANGS) == versions
