"""Every message marked in an addon's lib has a Russian translation with the same named fields, in
that addon's i18n/ru.po (the located templates of lib/messages.py in b2b_base's)."""
import ast
import os
import re

import polib
import pytest

from b2b_base.tools import checkout

FIELD_RE = re.compile(r"%\((\w+)\)[sd]")
POSITIONAL_RE = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[sdfi]")


def addons_with_lib():
    found = []
    for base in (checkout.root(), checkout.path("addons")):
        for name in sorted(os.listdir(base)):
            if os.path.isfile(os.path.join(base, name, "__manifest__.py")) \
                    and os.path.isdir(os.path.join(base, name, "lib")):
                found.append(os.path.join(base, name))
    return found


def marked(folder):
    """The texts given to ``_`` in the modules of ``folder``."""
    texts = set()
    for name in sorted(os.listdir(folder)):
        if name.endswith(".py"):
            with open(os.path.join(folder, name), encoding="utf-8") as fh:
                tree = ast.parse(fh.read())
            texts.update(node.args[0].value for node in ast.walk(tree)
                         if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_"
                         and node.args and isinstance(node.args[0], ast.Constant))
    return texts


def test_messages_module_is_scanned():
    base = [path for path in addons_with_lib() if path.endswith(os.sep + "b2b_base")]
    assert base and "Line %(line)s: %(message)s" in marked(os.path.join(base[0], "lib"))


@pytest.mark.parametrize("addon", addons_with_lib(), ids=os.path.basename)
def test_lib_messages_are_translated_with_the_same_fields(addon):
    texts = marked(os.path.join(addon, "lib"))
    if not texts:
        return
    russian = {entry.msgid: entry.msgstr for entry in polib.pofile(os.path.join(addon, "i18n", "ru.po"))}
    for text in sorted(texts):
        assert russian.get(text), "no Russian for %r" % text
        assert sorted(FIELD_RE.findall(russian[text])) == sorted(FIELD_RE.findall(text)), text
        # a message with more than one value names them, so that a translation may reorder them
        assert len(POSITIONAL_RE.findall(text.replace("%%", ""))) < 2, text


def addons_with_russian():
    found = []
    for base in (checkout.root(), checkout.path("addons")):
        for name in sorted(os.listdir(base)):
            if os.path.isfile(os.path.join(base, name, "i18n", "ru.po")):
                found.append(os.path.join(base, name))
    return found


@pytest.mark.parametrize("addon", addons_with_russian(), ids=os.path.basename)
def test_every_russian_entry_names_its_addon(addon):
    """Odoo loads an entry of a .po file only under a ``#. module: <addon>`` line; an entry
    joined to the one before it (two files merged without a blank line between) is lost."""
    name = os.path.basename(addon)
    for entry in polib.pofile(os.path.join(addon, "i18n", "ru.po")):
        assert ("module: %s" % name) in entry.comment.splitlines(), \
            "%s: %r has no '#. module: %s' line" % (name, entry.msgid, name)
