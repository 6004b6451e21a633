"""The one walk over an exchange file that every reader of the bridge is built on.

A reader names the elements that are its records by their path of local names from the root
(namespaces aside: ``urn:1C.ru:commerceml_2``, ``urn:1C.ru:commerceml_3`` and none are read
alike). The file is streamed through ``safexml.iterparse`` (no DTD, no entities, no network);
each record is handed to ``record(path, element)`` complete, then freed with everything read
before it, so memory stays bounded by the largest record whatever the file's size. Elements
outside records are offered to ``end_element`` before they are freed; elements nested in a
record are the record's, never records of their own.

What a reader yields is its own: plain records, located problems (``protocol.FileRefused``), a
header. The hooks ``start_root``, ``start_section`` and ``finish`` let it check the root, note
what a section says of itself and report what the whole file lacks.
"""
from .safexml import clear, iterparse, local_name


class RecordReader:
    """Iterate to read ``source`` (a path or binary file) named ``name``."""

    # tuples of local names from the root, e.g. ("КоммерческаяИнформация", "Каталог",
    # "Товары", "Товар")
    record_paths = frozenset()

    def __init__(self, source, name):
        self.source = source
        self.name = name
        self.stopped = False

    # ------------------------------------------------------------------ hooks
    def start_root(self, element):
        """Items to yield when the root starts; set ``self.stopped`` to read no further."""
        return ()

    def start_section(self, element):
        """A child of the root starts (its attributes are read, not yet its content)."""

    def end_element(self, path, element):
        """An element outside records ended (``path`` includes it); it is freed after this."""

    def record(self, path, element):
        """The items of a complete record element at ``path``."""
        return ()

    def finish(self):
        """Items to yield once the whole file was read."""
        return ()

    # ------------------------------------------------------------------ the walk
    def __iter__(self):
        path = []
        records = self.record_paths
        inner = 0           # depth inside the record being read (0: outside records)
        for event, element in iterparse(self.source, self.name, events=("start", "end")):
            if event == "start":
                if inner:
                    inner += 1
                    continue
                path.append(local_name(element.tag))
                if len(path) == 1:
                    for item in self.start_root(element):
                        yield item
                    if self.stopped:
                        return
                elif len(path) == 2:
                    self.start_section(element)
                if tuple(path) in records:
                    inner = 1
                continue
            if inner > 1:
                inner -= 1
                continue        # inside a record: read with it
            if inner == 1:
                inner = 0
                current = tuple(path)
                path.pop()
                for item in self.record(current, element):
                    yield item
            else:
                self.end_element(tuple(path), element)
                path.pop()
            clear(element)
        for item in self.finish():
            yield item
