"""Outbound events of Bitrix24 (``ONCRMDEALUPDATE`` and the like), as they arrive.

Bitrix24 POSTs a form with PHP-style keys::

    event=ONCRMDEALUPDATE&event_handler_id=7&data[FIELDS][ID]=123&ts=1700000000
    &auth[domain]=portal.bitrix24.ru&auth[client_endpoint]=https://portal.bitrix24.ru/rest/
    &auth[server_endpoint]=https://oauth.bitrix.info/rest/&auth[member_id]=...
    &auth[application_token]=...

Only the record id travels; the record itself is fetched afterwards. ``application_token`` is the
proof that the post comes from the portal: it must equal the token Bitrix24 showed when the outbound
webhook was created.
"""
import datetime
import hashlib
import hmac
import re
from urllib.parse import parse_qsl

from .query import flatten

TOKEN_KEY = "auth[application_token]"
_EVENT_RE = re.compile(r"^[A-Z][A-Z0-9_]{2,99}$")


class EventFormError(ValueError):
    """The post is not a Bitrix24 event; ``message_en`` / ``message_ru`` say why."""

    def __init__(self, message_en, message_ru):
        self.message_en = message_en
        self.message_ru = message_ru
        super().__init__("%s / %s" % (message_en, message_ru))


def token_matches(given, expected):
    """Whether ``given`` equals the configured ``expected`` token, compared in constant time.

    An empty configured token matches nothing: intake stays closed until a token is configured.
    """
    if not expected or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class BitrixEvent:
    """One delivered event: name, record id (or None), Bitrix24 timestamp, portal domain."""

    def __init__(self, event, record_id, ts, domain, fields, data=None):
        self.event = event
        self.record_id = record_id
        self.ts = ts
        self.domain = domain
        self.fields = fields
        #: the flat ``data[...]`` items of the post, [(key, value)] sorted
        self.data = data or []

    @property
    def delivery_key(self):
        """Same event, same record, same ``ts``: the same delivery sent again.

        An event about no record (a chat message) is told apart by what its ``data`` holds."""
        key = "%s:%s:%s" % (self.event, self.record_id or "", self.ts)
        if self.record_id is None and self.data:
            digest = hashlib.sha1(repr(self.data).encode("utf-8")).hexdigest()[:20]
            key = "%s:%s" % (key, digest)
        return key


def parse_event_form(form):
    """A :class:`BitrixEvent` from the posted form (a mapping of flat PHP keys to strings).

    Raises :class:`EventFormError` when the event name, the timestamp or the record id are missing
    or malformed.
    """
    event = (form.get("event") or "").strip().upper()
    if not _EVENT_RE.match(event):
        raise EventFormError(
            "Field 'event' is missing or is not a Bitrix24 event name (got %r)" % form.get("event"),
            "Поле 'event' отсутствует или не является именем события Bitrix24 (получено %r)"
            % form.get("event"))
    ts = (form.get("ts") or "").strip()
    if not ts.isdigit():
        raise EventFormError(
            "Field 'ts' (Unix time of the event) is missing or not a number (got %r)" % form.get("ts"),
            "Поле 'ts' (время события, Unix) отсутствует или не число (получено %r)" % form.get("ts"))
    raw_id = form.get("data[FIELDS][ID]")
    record_id = None
    if raw_id not in (None, ""):
        if not str(raw_id).strip().isdigit():
            raise EventFormError(
                "Field 'data[FIELDS][ID]' is not a record id (got %r)" % raw_id,
                "Поле 'data[FIELDS][ID]' не является id записи (получено %r)" % raw_id)
        record_id = int(str(raw_id).strip())
    fields = {key[len("data[FIELDS]["):-1]: value for key, value in form.items()
              if key.startswith("data[FIELDS][") and key.endswith("]")}
    data = sorted((key, str(value)) for key, value in form.items() if key.startswith("data["))
    return BitrixEvent(event, record_id, ts, (form.get("auth[domain]") or "").strip(), fields, data)


def nested(pairs):
    """PHP's ``parse_str`` of flat bracketed ``[(key, value)]``: nested dicts, and lists where
    the keys are 0..n-1 (as PHP's ``json_encode`` would give them). Values stay strings."""
    root = {}
    for key, value in pairs:
        m = re.match(r"^([^\[\]]+)((?:\[[^\]]*\])*)$", key)
        if not m:
            continue
        path = [m.group(1)] + re.findall(r"\[([^\]]*)\]", m.group(2))
        node = root
        for i, part in enumerate(path):
            if part == "":
                part = str(len(node))
            if i == len(path) - 1:
                node[part] = value
            else:
                if not isinstance(node.get(part), dict):
                    node[part] = {}
                node = node[part]
    return _lists(root)


def _lists(node):
    if not isinstance(node, dict):
        return node
    node = {k: _lists(v) for k, v in node.items()}
    if node and sorted(node) == sorted(str(i) for i in range(len(node))):
        return [node[str(i)] for i in range(len(node))]
    return node


def parse_query(text):
    """``nested`` of a form-encoded body."""
    return nested(parse_qsl(text or "", keep_blank_values=True))


def redacted(form):
    """The posted form as a plain dict, without the application token (kept out of the database)."""
    return {key: ("***" if key == TOKEN_KEY or key == "auth[access_token]" else value)
            for key, value in form.items()}


# ---------------------------------------------------------------------------- offline events
#: how many entries of Bitrix24's offline queue one read takes (event.offline.get's ``limit``)
OFFLINE_BATCH = 50


def unix_time(text):
    """Unix time (a string of digits) of Bitrix24's ``TIMESTAMP_X`` (ISO 8601 with its offset,
    e.g. ``2024-07-18T12:32:31+02:00``); None when it is not such a time."""
    try:
        moment = datetime.datetime.fromisoformat(str(text or "").strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return str(int(moment.timestamp()))


def offline_event_form(entry, domain=""):
    """The form an online delivery of the offline queue's ``entry`` would have posted.

    ``entry`` is one item of ``event.offline.get``'s ``events``: ``ID``, ``TIMESTAMP_X`` (when
    the object last changed), ``EVENT_NAME``, ``EVENT_DATA`` (the ``data`` block an online event
    carries, e.g. ``{"FIELDS": {"ID": 759}}``), ``MESSAGE_ID``. Its ``ts`` is ``TIMESTAMP_X``.
    Raises :class:`EventFormError` (through :func:`parse_event_form`) when it is no event.
    """
    if not isinstance(entry, dict):
        raise EventFormError("An offline event is not an object (got %r)" % (entry,),
                             "Офлайн-событие не является объектом (получено %r)" % (entry,))
    ts = unix_time(entry.get("TIMESTAMP_X"))
    form = {"event": str(entry.get("EVENT_NAME") or ""), "ts": ts or "",
            "auth[domain]": domain or "",
            "offline[ID]": str(entry.get("ID") or ""),
            "offline[MESSAGE_ID]": str(entry.get("MESSAGE_ID") or "")}
    data = entry.get("EVENT_DATA")
    if isinstance(data, (dict, list)):
        form.update(flatten({"data": data}))
    if ts is None:
        raise EventFormError(
            "Field 'TIMESTAMP_X' of offline event %s is not a time (got %r)"
            % (entry.get("ID"), entry.get("TIMESTAMP_X")),
            "Поле 'TIMESTAMP_X' офлайн-события %s не является временем (получено %r)"
            % (entry.get("ID"), entry.get("TIMESTAMP_X")))
    parse_event_form(form)
    return form


def offline_batch(answer):
    """``(process_id, events)`` of an ``event.offline.get`` result; events not a list -> []."""
    if not isinstance(answer, dict):
        return None, []
    events = answer.get("events")
    return answer.get("process_id") or None, events if isinstance(events, list) else []


def offline_covered(ts, deliveries):
    """Whether the change an offline event of time ``ts`` (Unix seconds) reports is handled
    already, given ``deliveries`` ``[(event time in Unix seconds, state)]`` recorded for the same
    record and handler.

    Bitrix24 sends an online event from its queue at or after the change, and handling reads the
    record as it is then: a delivery of that second or later, handled ("done") or waiting for its
    turn ("new"), has seen or will see the change. A failed or ignored one has not.
    """
    return any(state in ("new", "done") and int(when) >= int(ts) for when, state in deliveries)
