"""The supplier's files library and news: what an upload of a file version must be, a promotion's
period, which version is current and how a download is named. No Odoo import here."""
import mimetypes
import os
import re

from odoo.addons.b2b_base.lib.messages import Problem, _

# the largest file a version may hold (the library serves instructions, certificates, leaflets)
MAX_SIZE = 50 * 1024 * 1024

EMPTY_FILE = _("The file is empty: choose the file of the new version.")
NO_NAME = _("The file has no name: give it one with its extension (.pdf, .docx, ...).")
TOO_BIG = _("The file is %(size)s MB; a version may hold at most %(max)s MB.")
BAD_PERIOD = _("The promotion ends (%(end)s) before it starts (%(start)s).")
FROZEN = _("A version's file cannot be changed after its upload: add a new version instead.")
NO_PERIOD = _("A promotion needs the first and the last day of its period.")


def check_upload(file_name, size, max_size=MAX_SIZE):
    """Problems of a new version's file ``file_name`` of ``size`` bytes."""
    if not size:
        return [Problem(EMPTY_FILE)]
    problems = []
    if not (file_name or "").strip():
        problems.append(Problem(NO_NAME))
    if size > max_size:
        problems.append(Problem(TOO_BIG, {"size": round(size / 1048576.0, 1),
                                          "max": max_size // 1048576}))
    return problems


def check_period(kind, date_start, date_end):
    """Problems of a news item's period: a promotion runs from ``date_start`` to ``date_end``
    (ISO dates, both days included)."""
    if kind != "promotion":
        return []
    if not date_start or not date_end:
        return [Problem(NO_PERIOD)]
    if date_end < date_start:
        return [Problem(BAD_PERIOD, {"start": date_start, "end": date_end})]
    return []


def promotion_state(date_start, date_end, today):
    """'upcoming', 'running' or 'ended' for a promotion's period on ``today`` (ISO dates)."""
    if date_start and today < date_start:
        return "upcoming"
    if date_end and today > date_end:
        return "ended"
    return "running"


def next_number(numbers):
    """The number of the next version after the ``numbers`` a file has."""
    return max(numbers, default=0) + 1


def mimetype_of(file_name):
    """The content type a download of ``file_name`` is served with."""
    return mimetypes.guess_type(file_name or "")[0] or "application/octet-stream"


def download_name(file_name, number):
    """The name a version downloads under: the uploaded name; an old version's gets its number
    before the extension ("manual.v2.pdf") so that two versions do not overwrite each other."""
    name = os.path.basename((file_name or "").replace("\\", "/")).strip() or "file"
    name = re.sub(r"[\x00-\x1f]", "", name)
    if number is None:
        return name
    stem, ext = os.path.splitext(name)
    return "%s.v%d%s" % (stem, number, ext)


def simple_pdf(lines):
    """A one-page PDF (bytes) of ``lines`` of ASCII text in Helvetica: the demo library's
    certificates and instructions."""
    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = ["BT", "/F1 14 Tf", "50 780 Td", "18 TL"]
    for line in lines:
        text.append("(%s) Tj T*" % escape(line.encode("ascii", "replace").decode()))
    text.append("ET")
    stream = "\n".join(text).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out
