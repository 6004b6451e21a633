"""Refresh an addon's i18n/ru.po from the terms Odoo exports, keeping the translations it has.

Usage (database with the addon installed):
    .venv/bin/python runtime/i18n_update.py ADDON DBNAME [TRANSLATIONS.json]

The optional JSON file maps English msgids to Russian msgstrs to add or replace. Terms the addon no
longer has are dropped; new terms keep an empty msgstr (Odoo then shows the English text), and the
script lists them so nothing goes unnoticed.
"""
import json
import os
import subprocess
import sys
import tempfile

import polib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def export(addon, dbname, path):
    subprocess.run([sys.executable, os.path.join(ROOT, "runtime", "launcher.py"), "-d", dbname,
                    "--i18n-export=%s" % path, "--language=ru_RU", "--modules=%s" % addon,
                    "--workers=0", "--no-http", "--stop-after-init", "--log-level=warn"], check=True)


def main(addon, dbname, extra=None):
    target = None
    for base in (os.path.join(ROOT, "addons"), ROOT):
        if os.path.isdir(os.path.join(base, addon)):
            target = os.path.join(base, addon, "i18n", "ru.po")
            break
    if target is None:
        raise SystemExit("no addon %s" % addon)
    known = {}
    if os.path.isfile(target):
        known = {e.msgid: e.msgstr for e in polib.pofile(target) if e.msgstr}
    if extra:
        with open(extra, encoding="utf-8") as fh:
            known.update(json.load(fh))
    with tempfile.TemporaryDirectory() as tmp:
        fresh = os.path.join(tmp, "ru.po")
        export(addon, dbname, fresh)
        po = polib.pofile(fresh)
    missing = []
    for entry in po:
        if entry.msgid in known:
            entry.msgstr = known[entry.msgid]
        elif entry.msgstr in ("", entry.msgid) and any(c.isascii() and c.isalpha()
                                                       for c in entry.msgid):
            # the database may hand back the English text as its "translation"
            entry.msgstr = ""
            missing.append(entry.msgid)
    po.metadata["Language"] = "ru"
    po.metadata["Plural-Forms"] = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
                                   "n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    po.save(target)
    print("%s: %d terms, %d without Russian" % (target, len(po), len(missing)))
    for msgid in missing:
        print("  untranslated: %s" % msgid)


if __name__ == "__main__":
    main(*sys.argv[1:])
