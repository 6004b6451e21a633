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
import hmac
import re

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

    def __init__(self, event, record_id, ts, domain, fields):
        self.event = event
        self.record_id = record_id
        self.ts = ts
        self.domain = domain
        self.fields = fields

    @property
    def delivery_key(self):
        """Same event, same record, same ``ts``: the same delivery sent again."""
        return "%s:%s:%s" % (self.event, self.record_id or "", self.ts)


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
    return BitrixEvent(event, record_id, ts, (form.get("auth[domain]") or "").strip(), fields)


def redacted(form):
    """The posted form as a plain dict, without the application token (kept out of the database)."""
    return {key: ("***" if key == TOKEN_KEY or key == "auth[access_token]" else value)
            for key, value in form.items()}
