"""Fill the English catalogue: an English entry's translation is its source text (plural forms included)."""

import sys

import polib


def fill(path: str) -> int:
    catalogue = polib.pofile(path)
    filled = 0
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                filled += 1
        elif not entry.msgstr:
            entry.msgstr = entry.msgid
            filled += 1
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = entry.msgid
    catalogue.save(path)
    return filled


if __name__ == "__main__":
    print(f"filled {fill(sys.argv[1])} English entries")  # noqa: T201
