"""Every word a person reads comes from the catalogs, and Indonesian has them all."""
import re
from io import BytesIO
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.engine.i18n import LOCALES_DIR, get_translator, load_catalog

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"N_": None, "t": None, "gettext": None, "ngettext": (1, 2)}
SOURCE_DIRS = ["bot", "handlers"]


def _source_msgids() -> set[str]:
    found = set()
    for directory in SOURCE_DIRS:
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / directory, method_map=[("**.py", "python")], keywords=KEYWORDS):
            found.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in found if m}


def test_every_catalog_file_parses_and_compiles():
    files = sorted(LOCALES_DIR.glob("*/LC_MESSAGES/*.po"))
    assert files
    for path in files:
        with path.open("rb") as handle:
            catalog = read_po(handle)
        write_mo(BytesIO(), catalog)
        assert not catalog.obsolete, path


def test_no_msgid_lacks_an_indonesian_translation():
    catalog = load_catalog("id")
    missing = sorted(msgid for msgid in _source_msgids() if msgid not in catalog
                     or not catalog[msgid].string)
    assert missing == []


def test_placeholders_survive_translation():
    catalog = load_catalog("id")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"\{\w+\}", ids[0]))
        for string in strings:
            assert set(re.findall(r"\{\w+\}", string)) == wanted, message.id


def test_translations_are_not_hidden_in_f_strings():
    """Babel cannot extract t() inside an f-string, so such text would stay English."""
    offenders = []
    for directory in SOURCE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(r"""\bf["'][^"']*\{[^}]*\bt\(""", line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_indonesian_is_the_default_and_formats_numbers_the_indonesian_way():
    t = get_translator(None)
    assert t.locale == "id"
    assert t("Skip") == "Lewati"
    assert t.number(1234) == "1.234"
    assert t.country("KR") == "Korea Selatan"


# One vocabulary (docs/reviews/bahasa-review.md): urgency is "darurat", evidence is
# "bukti", a referral is "diteruskan ke"; no English duty words in officers' texts.
FORBIDDEN_INDONESIAN = ("mendesak", "lampiran", "urgensi", "dirujuk", "check-in", "check-out",
                        "titik lokasi", "karakter", "DAK Tiongkok", "terenkripsi.")


def test_indonesian_catalogs_keep_one_vocabulary():
    catalog = load_catalog("id")
    offenders = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            offenders += [(word, string) for word in FORBIDDEN_INDONESIAN
                          if word.lower() in (string or "").lower()]
    assert offenders == []


def test_numbers_and_country_names_read_naturally():
    t = get_translator("id")
    assert t.number(3000) == "3.000"
    assert t.country("HK") == "Hong Kong"
    from bot.engine.form import STEPS, Step
    assert "3.000" in t(STEPS[Step.DESCRIPTION].question).format(min=t.number(20), max=t.number(3000))


def test_no_catalog_text_is_left_unused():
    """A msgid the code no longer asks for is a stale text a translator would still review."""
    used = _source_msgids()
    stale = []
    for path in sorted(LOCALES_DIR.glob("*/LC_MESSAGES/*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle):
                msgid = message.id[0] if isinstance(message.id, tuple) else message.id
                if msgid and msgid not in used:
                    stale.append(f"{path.parent.parent.name}/{path.name}: {msgid[:60]}")
    assert stale == []


# Each catalog is named after what it holds, so a new text has one obvious home.
CATALOGS = {"resident", "officer", "admin", "prevention", "sandbox", "labels", "commands"}


def test_catalogs_are_named_after_what_they_hold_and_both_languages_have_the_same_texts():
    for lang in ("id", "en"):
        assert {path.stem for path in (LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po")} == CATALOGS
    for name in CATALOGS:
        ids = {}
        for lang in ("id", "en"):
            with (LOCALES_DIR / lang / "LC_MESSAGES" / f"{name}.po").open("rb") as handle:
                ids[lang] = {message.id for message in read_po(handle) if message.id}
        assert ids["id"] == ids["en"], name


def test_no_text_is_in_two_catalogs():
    """Catalogs are merged: a msgid in two files would have one translation shadow the other."""
    for lang in ("id", "en"):
        homes: dict[str, list[str]] = {}
        for path in sorted((LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po")):
            with path.open("rb") as handle:
                for message in read_po(handle):
                    if message.id:
                        key = message.id[0] if isinstance(message.id, tuple) else message.id
                        homes.setdefault(key, []).append(path.stem)
        assert {key: files for key, files in homes.items() if len(files) > 1} == {}, lang
