"""Every message of the exchange has a Russian translation with the same fields."""
import ast
import os
import re

ADDON_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIELD_RE = re.compile(r"%\((\w+)\)[sd]")


def marked_messages():
    found = set()
    for folder in ("lib", "models", "controllers"):
        top = os.path.join(ADDON_DIR, folder)
        for name in sorted(os.listdir(top)):
            if not name.endswith(".py"):
                continue
            with open(os.path.join(top, name), encoding="utf-8") as fh:
                tree = ast.parse(fh.read())
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_" \
                        and node.args and isinstance(node.args[0], ast.Constant):
                    found.add(node.args[0].value)
    return found


def po_entries(path):
    entries = {}
    key = None
    current = None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("msgid "):
                key, current = "msgid", [ast.literal_eval(line[6:])]
                msgid = current
            elif line.startswith("msgstr "):
                key, current = "msgstr", [ast.literal_eval(line[7:])]
                entries["".join(msgid)] = current
            elif line.startswith('"') and current is not None:
                current.append(ast.literal_eval(line))
    return {k: "".join(v) for k, v in entries.items() if k}


def test_every_message_is_translated_with_the_same_fields():
    russian = po_entries(os.path.join(ADDON_DIR, "i18n", "ru.po"))
    messages = marked_messages()
    assert len(messages) > 30
    for message in sorted(messages):
        assert message in russian, "no Russian for %r" % message
        translated = russian[message]
        assert translated and translated != message, "untranslated: %r" % message
        assert sorted(FIELD_RE.findall(translated)) == sorted(FIELD_RE.findall(message)), message
