"""Which reader takes a received XML file.

An importer entry says which files it reads: a file-name pattern (shell style, matched on the
base name, case-insensitive), a root element and/or a section (a child element of the root, like
``Каталог`` or ``ПакетПредложений``). Unset criteria match anything; all set criteria must match.
The first entry that matches, by ascending ``sequence``, takes the file. The Odoo side collects the
entries from ``b2b.onec.exchange.file._onec_importers()``, which other addons extend.
"""
import fnmatch
import posixpath


class Importer:
    """``handler`` names a method of the model ``model`` called as
    ``env[model].<handler>(exchange_file, path, info)`` and answering ``"success"`` or
    ``"progress"`` (with an optional note as a second value)."""

    def __init__(self, name, model, handler, filename=None, root=None, section=None, sequence=10):
        self.name = name
        self.model = model
        self.handler = handler
        self.filename = filename
        self.root = root
        self.section = section
        self.sequence = sequence

    def matches(self, filename, info):
        base = posixpath.basename(filename or "").lower()
        if self.filename and not fnmatch.fnmatchcase(base, self.filename.lower()):
            return False
        if self.root and (info is None or info.root != self.root):
            return False
        if self.section and (info is None or self.section not in info.sections):
            return False
        return True

    def __repr__(self):
        return "Importer(%r)" % self.name


def find(importers, filename, info):
    """The importer taking ``filename`` (with its XmlInfo), or None."""
    for importer in sorted(importers, key=lambda imp: imp.sequence):
        if importer.matches(filename, info):
            return importer
    return None
