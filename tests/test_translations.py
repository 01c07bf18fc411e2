"""Every string the code can show has a Spanish translation.

The catalogue is extracted afresh, as a developer would with `makemessages`,
into a copy of the locale directory, so a string added without translation
fails here before anyone reads it in English on a Spanish page.
"""

import re
import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.commands import makemessages

CATALOGUE = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"
IGNORED = [".venv", "var", "tests"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdi]|\{\w*\}")


class MakeMessagesIntoCopy(makemessages.Command):
    """makemessages that writes every string into the first of LOCALE_PATHS.

    Run from the project root, the stock command also finds the project's own
    `locale/` directory and would write there; the test must leave it alone.
    """

    def find_files(self, root):
        files = super().find_files(root)
        for translatable in files:
            translatable.locale_dir = self.default_locale_path
        return files


def label(entry):
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
    return f"{entry.msgid!r} ({where})"


def untranslated(entry):
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


@pytest.fixture
def fresh_catalogue(tmp_path, settings, monkeypatch):
    copy = tmp_path / "locale"
    shutil.copytree(settings.BASE_DIR / "locale", copy)
    settings.LOCALE_PATHS = [copy]
    monkeypatch.chdir(settings.BASE_DIR)
    call_command(MakeMessagesIntoCopy(), locale=["es"], ignore_patterns=IGNORED, verbosity=0)
    return polib.pofile(str(copy / "es" / "LC_MESSAGES" / "django.po"))


def test_every_string_of_the_code_has_a_spanish_translation(fresh_catalogue):
    assert len(fresh_catalogue) > 100, "makemessages found suspiciously few strings"
    missing = [label(entry) for entry in fresh_catalogue if untranslated(entry)]
    fuzzy = [label(entry) for entry in fresh_catalogue.fuzzy_entries()]

    assert not missing, "Untranslated in locale/es/LC_MESSAGES/django.po:\n" + "\n".join(missing)
    assert not fuzzy, "Fuzzy in locale/es/LC_MESSAGES/django.po:\n" + "\n".join(fuzzy)


def test_translations_keep_the_placeholders_of_their_source():
    # A translation that renames or drops a placeholder breaks the page at run time.
    wrong = []
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete:
            continue
        sources = {entry.msgid, entry.msgid_plural} - {""}
        expected = {frozenset(PLACEHOLDER.findall(source)) for source in sources}
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            if translation and frozenset(PLACEHOLDER.findall(translation)) not in expected:
                wrong.append(f"{entry.msgid!r} -> {translation!r}")

    assert not wrong, "Placeholders differ:\n" + "\n".join(wrong)
