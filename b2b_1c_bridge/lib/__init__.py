"""Plain-Python parts of the 1C bridge (no Odoo import here).

- ``protocol``: the CommerceML HTTP exchange answers, refusals and file-name checks;
- ``safezip``: unpacking an archive 1C sent, refusing path traversal and zip bombs;
- ``safexml``: streaming XML parsing with entity resolution and network access off;
- ``importers``: the registry entries that route a received XML file to its reader;
- ``orders``: CommerceML orders documents written for 1C.
"""
