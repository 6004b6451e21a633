"""The CommerceML 2 HTTP exchange as 1C's site-exchange module drives it: answers and refusals.

Every answer is plain text, one item per line. The first line is the machine-readable verdict
(``success``, ``progress`` or ``failure``); a refusal carries a short reason on the next line(s).
"""
import re

from odoo.addons.b2b_base.lib.messages import Problem, ProblemError, _


COOKIE_NAME = "b2b_1c_exchange"
EXCHANGE_TYPES = ("catalog", "sale", "b2b")
MAX_NAME_LENGTH = 255


class ExchangeRefused(ProblemError):
    """Input the exchange refuses; ``template`` is an English message with %(name)s fields (the
    located ones name the file and line in the template itself), filled with ``params``."""

    def __init__(self, template, **params):
        super(ExchangeRefused, self).__init__(Problem(template, params))


class FileRefused(ExchangeRefused):
    """A refusal at a place of an exchange file: ``file``, ``line`` (0: unknown) and, when the
    template names one, the ``field`` (element path); all of them are fields of the template."""

    def __init__(self, template, file, line, **params):
        self.file = file
        self.line = line or 0
        self.field = params.get("field")
        super(FileRefused, self).__init__(template, file=file, line=line or 0, **params)


def answer(*lines):
    """The body of an answer: the given lines, each ended by a line feed."""
    return "".join("%s\n" % line for line in lines)


def success(*extra):
    return answer("success", *extra)


def progress(note=""):
    return answer("progress", note) if note else answer("progress")


def failure(*reasons):
    """``failure`` then each distinct, non-empty reason on its own line (newlines flattened)."""
    lines = []
    for reason in reasons:
        text = " ".join(str(reason or "").split())
        if text and text not in lines:
            lines.append(text)
    return answer("failure", *lines)


def checkauth_success(cookie_value, cookie_name=COOKIE_NAME):
    return answer("success", cookie_name, cookie_value)


def init_answer(zip_enabled, file_limit):
    return answer("zip=%s" % ("yes" if zip_enabled else "no"), "file_limit=%d" % int(file_limit))


def parse_answer(text):
    """(verdict, remaining lines) of an answer; the inverse of the helpers above."""
    lines = (text or "").replace("\r\n", "\n").split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    if not lines:
        return "", []
    return lines[0].strip(), lines[1:]


_DRIVE_RE = re.compile(r"^[A-Za-z]:")


def check_filename(name):
    """Return ``name`` when it is a safe relative file path, else raise ExchangeRefused.

    1C sends plain names (``import.xml``) and, for images of an unzipped exchange, relative paths
    with forward slashes (``import_files/ab/ab12.jpg``). Refused: empty names, absolute paths,
    drive letters, backslashes, NUL and other control characters, ``.`` and ``..`` segments, empty
    segments and names longer than 255 characters.
    """
    if name is None or name == "":
        raise ExchangeRefused(_("The file name is missing."))
    if len(name) > MAX_NAME_LENGTH:
        raise ExchangeRefused(_("The file name is longer than %(limit)d characters."),
                              limit=MAX_NAME_LENGTH)
    shown = name.encode("unicode_escape").decode("ascii")
    if "\x00" in name or any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise ExchangeRefused(_("The file name %(name)s contains control characters."), name=shown)
    if "\\" in name:
        raise ExchangeRefused(_("The file name %(name)s contains a backslash."), name=shown)
    if name.startswith("/") or _DRIVE_RE.match(name):
        raise ExchangeRefused(_("The file name %(name)s is an absolute path."), name=shown)
    for segment in name.split("/"):
        if segment in ("", ".", ".."):
            raise ExchangeRefused(
                _("The file name %(name)s leaves the exchange folder or has an empty part."),
                name=shown)
    return name


def is_zip(head):
    """True when the first bytes of a file are those of a zip archive."""
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")


# Refusals of the endpoint itself (the HTTP status comes with them)
class AuthRefused(ExchangeRefused):
    """checkauth refused: HTTP 401."""
    status = 401


class SessionRefused(ExchangeRefused):
    """A call without a valid exchange session: HTTP 403."""
    status = 403


ExchangeRefused.status = 200

MSG_NO_DATABASE = _("The exchange URL is not bound to a database; set dbfilter so that it selects "
                    "exactly one database.")
MSG_NO_CREDENTIALS = _("Log in with HTTP Basic authentication (the login and password of the 1C "
                       "exchange user).")
MSG_BAD_CREDENTIALS = _("Wrong login or password.")
MSG_NOT_EXCHANGE_USER = _("User %(login)s may not use the 1C exchange: it must be an internal user "
                          "in the group \"1C exchange\".")
MSG_NO_SESSION = _("No exchange session: call mode=checkauth first and send its cookie.")
MSG_UNKNOWN_SESSION = _("Unknown or closed exchange session: call mode=checkauth again.")
MSG_SESSION_EXPIRED = _("The exchange session has expired: call mode=checkauth again.")
MSG_UNKNOWN_TYPE = _("Unknown exchange type %(type)s; expected catalog, sale or b2b.")
MSG_UNKNOWN_MODE = _("Unknown mode %(mode)s for exchange type %(type)s.")
MSG_POST_REQUIRED = _("mode=file expects the file bytes as the body of a POST request.")
MSG_FORM_BODY = _("mode=file received a form (Content-Type %(content_type)s); send the file bytes as "
                  "the raw request body (application/octet-stream).")
MSG_FILE_TOO_LARGE = _("File %(file)s exceeds the limit of %(limit)d bytes; nothing of it is kept.")
MSG_FILE_NOT_RECEIVED = _("File %(file)s was not received in this exchange session.")
MSG_FILE_REFUSED_EARLIER = _("File %(file)s was refused earlier in this session: %(reason)s")
MSG_IMPORT_ERROR = _("File %(file)s could not be imported because of an internal error; the "
                     "database is unchanged. See the server log.")

MSG_JOB_LOST = _("The import job of file %(file)s ended (%(state)s) without importing it; the "
                 "database is unchanged. Send the file again.")
MSG_NO_READER_ANY_MORE = _("File %(file)s can no longer be imported: its reader %(reader)s is not "
                           "installed any more.")
MSG_READER_ENDLESS = _("The reader of file %(file)s did not finish after %(steps)d steps; the "
                       "database is unchanged.")
MSG_NOTHING_TO_REPLAY = _("Exchange session %(session)s kept no file that can be replayed.")

# Progress notes (second line of a ``progress`` answer; 1C only logs them)
NOTE_QUEUED = "%(file)s: waiting for the job queue"
NOTE_RUNNING = "%(file)s: being imported"
NOTE_SKIPPED = "%(count)d records skipped (the exchange session lists where and why)"


def parse_basic_auth(header):
    """(login, password) of an ``Authorization: Basic`` header, or None.

    The credentials are decoded as UTF-8, falling back to windows-1251 (older 1C releases).
    """
    import base64
    import binascii
    if not header:
        return None
    scheme, _sep, value = header.strip().partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        return None
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    for encoding in ("utf-8", "cp1251"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    login, sep, password = text.partition(":")
    if not sep:
        return None
    return login, password
