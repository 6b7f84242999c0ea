"""Both catalogues are complete: every translatable string in the code and templates is in the zh-hans and
en catalogues, translated, not fuzzy, and compiled. Fails with the list of what is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "massline"
CATALOGUES = {
    "zh_Hans": PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po",
    "en": PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po",
}


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    """The messages the code uses now, extracted by Django's makemessages from a copy of the package."""
    workdir = tmp_path_factory.mktemp("messages") / "massline"
    shutil.copytree(PACKAGE, workdir, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc"))
    (workdir / "locale").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    django_admin = Path(os.sys.executable).parent / "django-admin"
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "zh_Hans", "-e", "html,txt,py", "--no-location", "-v0"],
        cwd=workdir,
        env=env,
        check=True,
    )
    po = polib.pofile(str(workdir / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    return {_key(entry) for entry in po if not entry.obsolete}


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_message_is_in_the_catalogue(language: str, extracted: set[tuple[str, str]]) -> None:
    catalogue = {_key(entry) for entry in polib.pofile(str(CATALOGUES[language])) if not entry.obsolete}
    missing = sorted(extracted - catalogue)
    assert not missing, f"{len(missing)} message(s) missing from {language}; run `make messages-update`: {missing[:20]}"


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_message_is_translated(language: str) -> None:
    po = polib.pofile(str(CATALOGUES[language]))
    untranslated = [entry.msgid for entry in po if not entry.obsolete and not entry.translated()]
    fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags and not entry.obsolete]
    assert not untranslated, f"{len(untranslated)} untranslated in {language}: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:20]}"


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_placeholders_survive_translation(language: str) -> None:
    """A translation that drops or renames a %(name)s or {{ name }} placeholder breaks the page."""
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]|%\w|\{\{\s*\w+\s*\}\}")
    broken = []
    for entry in polib.pofile(str(CATALOGUES[language])):
        if entry.obsolete or not entry.translated():
            continue
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in translations:
            if sorted(pattern.findall(entry.msgid)) != sorted(pattern.findall(text)):
                broken.append(entry.msgid)
    assert not broken, f"placeholders differ in {language}: {broken[:20]}"


def test_english_says_what_the_code_says() -> None:
    """The source strings are English: an English entry that differs is a leftover of a fuzzy match (another
    message's text, sometimes with another placeholder type that msgfmt refuses)."""
    differ = [
        entry.msgid
        for entry in polib.pofile(str(CATALOGUES["en"]))
        if not entry.obsolete
        and ([entry.msgstr] if not entry.msgid_plural else [entry.msgstr_plural.get(0), entry.msgstr_plural.get(1)])
        != ([entry.msgid] if not entry.msgid_plural else [entry.msgid, entry.msgid_plural])
    ]
    assert not differ, f"{len(differ)} English entries differ from the code: {differ[:20]}"


def test_compiled_catalogues_are_current() -> None:
    for path in CATALOGUES.values():
        compiled = path.with_suffix(".mo")
        assert compiled.exists(), f"{compiled} is missing: run `make messages`"
        assert compiled.stat().st_mtime >= path.stat().st_mtime, (
            f"{compiled} is older than its .po: run `make messages`"
        )


def test_django_serves_chinese_and_english(client, db) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("English") == "英语"
    with translation.override("en"):
        assert translation.gettext("Simplified Chinese") == "Simplified Chinese"
    subprocess.run(["msgfmt", "--check-format", "-o", os.devnull, str(CATALOGUES["zh_Hans"])], check=True)
