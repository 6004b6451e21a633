"""The dealer's chat with the manager through Bitrix24's open-lines connector (``imconnector.*``).

A dealer's message goes to Bitrix24 as one item of ``imconnector.send.messages``; the manager's
reply comes back as the event ``ONIMCONNECTORMESSAGEADD`` (form-encoded: every value a string,
the text in BB-code with the operator's signature first) and is acknowledged with
``imconnector.send.status.delivery``. This module builds and reads those payloads; it does not
import Odoo.

Identifiers:

- the chat of a dealer is ``dealer-<dealer partner id>`` in both directions;
- a dealer's user is ``partner-<partner id>`` (stable: Bitrix24 keeps one client per id);
- a message Odoo sends is ``odoo-<mail.message id>``;
- a reply is known by Bitrix24's ``im`` ids (chat id, message id): the same pair delivered twice
  is the same reply (:func:`dedupe_key`).
"""
import html
import re
import unicodedata

CHAT_PREFIX = "dealer-"
USER_PREFIX = "partner-"
MESSAGE_PREFIX = "odoo-"
NAME_LIMIT = 25  # Bitrix24 takes at most 25 characters in user.name and user.last_name

_CHAT_ID_RE = re.compile(r"^%s(\d{1,18})$" % re.escape(CHAT_PREFIX))
_DIGITS_RE = re.compile(r"^\d{1,18}$")


# ------------------------------------------------------------------------------ identifiers
def dealer_chat_id(dealer_id):
    """The Bitrix24 chat id of the dealer ``dealer_id`` (res.partner id)."""
    return "%s%d" % (CHAT_PREFIX, dealer_id)


def dealer_from_chat_id(chat_id):
    """The dealer's partner id named by ``chat_id`` ("dealer-17" -> 17), or None."""
    match = _CHAT_ID_RE.match((chat_id or "").strip())
    return int(match.group(1)) if match else None


def user_key(partner_id):
    """Bitrix24's ``user.id`` of the dealer's user whose contact is ``partner_id``."""
    return "%s%d" % (USER_PREFIX, partner_id)


def external_message_id(message_id):
    """The id under which Bitrix24 knows the Odoo message ``message_id`` (mail.message id)."""
    return "%s%d" % (MESSAGE_PREFIX, message_id)


def dedupe_key(chat_id, im_message_id):
    """One reply of the manager: the chat and Bitrix24's im message id."""
    return "%s:%s" % (chat_id, im_message_id)


# ------------------------------------------------------------------------------ dealer -> Bitrix24
def clean_name(value):
    """``value`` as Bitrix24 takes a name: letters, spaces, hyphens and apostrophes only, spaces
    collapsed, at most 25 characters (cut at a word when possible)."""
    kept = []
    for char in unicodedata.normalize("NFC", value or ""):
        if char.isalpha() or char in "-'":
            kept.append(char)
        elif char == "\u2019":
            kept.append("'")
        else:
            kept.append(" ")
    text = " ".join("".join(kept).split())
    if len(text) > NAME_LIMIT:
        cut = text[:NAME_LIMIT + 1]
        text = cut.rsplit(" ", 1)[0] if " " in cut.strip() else text[:NAME_LIMIT]
        text = text[:NAME_LIMIT].strip(" -'")
    return text


def split_name(full_name):
    """(name, last_name) of a person's full name, each cleaned (:func:`clean_name`): the first
    word is the name, the rest the last name. An empty result of both becomes ("Dealer", "")."""
    words = clean_name_words(full_name)
    if not words:
        return "Dealer", ""
    return clean_name(words[0]), clean_name(" ".join(words[1:]))


def clean_name_words(full_name):
    """The words of ``full_name`` after the cleaning of :func:`clean_name` (no length limit)."""
    kept = []
    for char in unicodedata.normalize("NFC", full_name or ""):
        kept.append(char if (char.isalpha() or char in "-'") else " ")
    return [word for word in "".join(kept).split() if word.strip("-'")]


def outgoing_item(message_id, date, text, files, user, chat):
    """One item of ``imconnector.send.messages``'s MESSAGES.

    ``message_id``: the Odoo mail.message id; ``date``: Unix time (int); ``text``: plain text (may
    be empty when there are files); ``files``: [(url, name)] reachable by Bitrix24 without a login;
    ``user``: {partner_id, name, email, phone, url?}; ``chat``: {dealer_id, name, url}.
    """
    first, last = split_name(user.get("name"))
    user_block = {"id": user_key(user["partner_id"]), "name": first, "last_name": last}
    for key in ("email", "phone", "url"):
        if user.get(key):
            user_block[key] = str(user[key]).strip()
    message = {"id": external_message_id(message_id), "date": int(date), "text": text or ""}
    if files:
        message["files"] = [{"url": url, "name": name} for url, name in files]
    chat_block = {"id": dealer_chat_id(chat["dealer_id"]), "name": (chat.get("name") or "").strip()}
    if chat.get("url"):
        chat_block["url"] = chat["url"]
    return {"user": user_block, "message": message, "chat": chat_block}


def send_messages_params(connector, line, items):
    """The parameters of ``imconnector.send.messages`` for ``items`` (:func:`outgoing_item`)."""
    return {"CONNECTOR": connector, "LINE": int(line), "MESSAGES": list(items)}


def sent_results(result):
    """{external message id: (success, error text)} from ``imconnector.send.messages``'s answer.

    Bitrix24 answers ``{"SUCCESS": true, "DATA": {"RESULT": [{"message": {"id": ...},
    "SUCCESS": true|false, "ERRORS": [...]}, ...]}}``; an item it refused carries ``ERRORS``."""
    outcome = {}
    data = (result or {}).get("DATA") if isinstance(result, dict) else None
    rows = data.get("RESULT") if isinstance(data, dict) else None
    for row in _items(rows):
        if not isinstance(row, dict):
            continue
        message = row.get("message") if isinstance(row.get("message"), dict) else {}
        ext_id = str(message.get("id") or "")
        success = row.get("SUCCESS") in (True, "true", "Y", "1", 1)
        errors = row.get("ERRORS") or row.get("errors") or ""
        outcome[ext_id] = (success, "" if success else _error_text(errors))
    return outcome


#: minutes to wait before sending again a message Bitrix24 refused the 1st, 2nd, 3rd time; after
#: as many refusals as there are delays the message stays refused until someone sends it again
RESEND_DELAYS = (1, 5, 30)


def resend_delay(refusals):
    """Minutes until a dealer's message Bitrix24 has refused ``refusals`` times is sent again by
    itself (:data:`RESEND_DELAYS`), or None when it is not sent again by itself any more."""
    if refusals < 1 or refusals > len(RESEND_DELAYS):
        return None
    return RESEND_DELAYS[refusals - 1]


def _error_text(errors):
    if isinstance(errors, dict):
        errors = list(errors.values())
    if isinstance(errors, (list, tuple)):
        return "; ".join(_error_text(error) for error in errors)
    return str(errors)


# ------------------------------------------------------------------------------ Bitrix24 -> dealer
class ChatProblem:
    """An item of the event that cannot be taken: where it is (``location``, e.g.
    ``data[MESSAGES][1][im][message_id]``) and why, in English and Russian."""

    __slots__ = ("location", "message_en", "message_ru")

    def __init__(self, location, message_en, message_ru):
        self.location = location
        self.message_en = message_en
        self.message_ru = message_ru

    def __repr__(self):
        return "ChatProblem(%r, %r)" % (self.location, self.message_en)

    def __str__(self):
        return "%s: %s / %s" % (self.location, self.message_en, self.message_ru)


class IncomingMessage:
    """A manager's message from ``ONIMCONNECTORMESSAGEADD``, in plain values.

    ``chat_id`` (ours, "dealer-17"), ``dealer_id`` (17), ``im_chat_id`` and ``im_message_id``
    (Bitrix24's, strings), ``operator_id`` (Bitrix24 user id as a string, "" when not sent),
    ``signature`` (the operator's name from the text, "" when there is none), ``text`` (BB-code
    without the signature), ``files`` [(link, name)], ``index`` (the item's key in MESSAGES)."""

    __slots__ = ("chat_id", "dealer_id", "im_chat_id", "im_message_id", "operator_id",
                 "signature", "text", "files", "index")

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.get(name))

    @property
    def key(self):
        return dedupe_key(self.chat_id, self.im_message_id)

    @property
    def html(self):
        """The text as safe HTML (:func:`bbcode_to_html`)."""
        return bbcode_to_html(self.text)

    def __repr__(self):
        return "IncomingMessage(%s, %r)" % (self.key, self.text)


def _items(container):
    """The values of a PHP list as it arrives: a JSON list, or a dict keyed "0", "1", ..."""
    if isinstance(container, dict):
        def order(key):
            key = str(key)
            return (0, int(key), key) if key.isdigit() else (1, 0, key)
        return [container[key] for key in sorted(container, key=order)]
    if isinstance(container, (list, tuple)):
        return list(container)
    return []


def _keys(container):
    if isinstance(container, dict):
        return [str(key) for key in sorted(container, key=lambda k: (
            (0, int(k)) if str(k).isdigit() else (1, 0)))]
    if isinstance(container, (list, tuple)):
        return [str(i) for i in range(len(container))]
    return []


def _text(value):
    if value is None or isinstance(value, (dict, list, tuple)):
        return ""
    return str(value).strip()


_SIGNATURE_RE = re.compile(r"^\s*\[b\]\s*([^\[\]]{1,200}?)\s*:\s*\[/b\]\s*(?:\[br\]|\r?\n)?\s*",
                           re.IGNORECASE)


def split_signature(text):
    """(operator's name, the rest) of a BB-code text that starts with Bitrix24's signature
    ``[b]Name Surname:[/b] [br]``; ("", text) when there is none."""
    text = text or ""
    match = _SIGNATURE_RE.match(text)
    if not match:
        return "", text
    return match.group(1).strip(), text[match.end():]


def _safe_link(url):
    url = (url or "").strip()
    return url if re.match(r"^https?://[^\s]+$", url, re.IGNORECASE) else ""


def parse_message_event(data):
    """([IncomingMessage], [ChatProblem]) of the ``data`` block of ``ONIMCONNECTORMESSAGEADD``.

    ``data`` is the block as posted (nested dicts/lists, every value a string): ``CONNECTOR``,
    ``LINE`` and ``MESSAGES``; each message has ``im[chat_id]``, ``im[message_id]``,
    ``message[user_id]``, ``message[text]``, ``message[files][N][link|name]`` and ``chat[id]``. An
    item without its chat id or its im message id, or whose chat is not a dealer's, is reported
    and skipped; the others are kept. A message with neither text nor files is skipped as well."""
    messages, problems = [], []
    data = data if isinstance(data, dict) else {}
    container = data.get("MESSAGES")
    if not _items(container):
        problems.append(ChatProblem(
            "data[MESSAGES]", "The event carries no message",
            "В событии нет ни одного сообщения"))
        return messages, problems
    for index, item in zip(_keys(container), _items(container)):
        where = "data[MESSAGES][%s]" % index
        if not isinstance(item, dict):
            problems.append(ChatProblem(where, "The message is not a set of fields",
                                        "Сообщение не является набором полей"))
            continue
        im = item.get("im") if isinstance(item.get("im"), dict) else {}
        message = item.get("message") if isinstance(item.get("message"), dict) else {}
        chat = item.get("chat") if isinstance(item.get("chat"), dict) else {}
        chat_id = _text(chat.get("id"))
        im_chat_id = _text(im.get("chat_id"))
        im_message_id = _text(im.get("message_id"))
        if not chat_id:
            problems.append(ChatProblem(
                where + "[chat][id]", "The message names no chat: it is skipped",
                "В сообщении не указан чат: сообщение пропущено"))
            continue
        dealer_id = dealer_from_chat_id(chat_id)
        if dealer_id is None:
            problems.append(ChatProblem(
                where + "[chat][id]",
                "Chat %r is not a dealer's chat of the portal: the message is skipped" % chat_id,
                "Чат %r не является чатом дилера портала: сообщение пропущено" % chat_id))
            continue
        if not _DIGITS_RE.match(im_message_id):
            problems.append(ChatProblem(
                where + "[im][message_id]",
                "The message has no Bitrix24 message id (got %r): it is skipped" % im_message_id,
                "У сообщения нет id сообщения Bitrix24 (получено %r): сообщение пропущено"
                % im_message_id))
            continue
        if im_chat_id and not _DIGITS_RE.match(im_chat_id):
            problems.append(ChatProblem(
                where + "[im][chat_id]",
                "The Bitrix24 chat id is not a number (got %r): the message is skipped" % im_chat_id,
                "Id чата Bitrix24 не число (получено %r): сообщение пропущено" % im_chat_id))
            continue
        signature, text = split_signature(message.get("text") if isinstance(
            message.get("text"), str) else "")
        files = []
        file_items = message.get("files")
        for file_index, file_item in zip(_keys(file_items), _items(file_items)):
            if not isinstance(file_item, dict):
                continue
            link = _safe_link(_text(file_item.get("link")) or _text(file_item.get("url")))
            if not link:
                problems.append(ChatProblem(
                    "%s[message][files][%s][link]" % (where, file_index),
                    "The file has no http(s) link: it is left out",
                    "У файла нет ссылки http(s): файл пропущен"))
                continue
            name = _text(file_item.get("name")) or link.rstrip("/").rsplit("/", 1)[-1][:100]
            files.append((link, name or "file"))
        if not text.strip() and not files:
            problems.append(ChatProblem(
                where + "[message][text]", "The message has neither text nor files: it is skipped",
                "В сообщении нет ни текста, ни файлов: сообщение пропущено"))
            continue
        messages.append(IncomingMessage(
            chat_id=chat_id, dealer_id=dealer_id, im_chat_id=im_chat_id,
            im_message_id=im_message_id, operator_id=_text(message.get("user_id")),
            signature=signature, text=text.strip(), files=files, index=index))
    return messages, problems


def delivery_status_params(connector, line, delivered, date):
    """The parameters of ``imconnector.send.status.delivery`` for the replies ``delivered``:
    [(IncomingMessage, Odoo mail.message id)], all stored at Unix time ``date``."""
    return {"CONNECTOR": connector, "LINE": int(line), "MESSAGES": [{
        "im": {"chat_id": incoming.im_chat_id, "message_id": incoming.im_message_id},
        "message": {"id": [external_message_id(message_id)], "date": int(date)},
        "chat": {"id": incoming.chat_id},
    } for incoming, message_id in delivered]}


# ------------------------------------------------------------------------------ BB-code
_SIMPLE_TAGS = {"b": "strong", "i": "em", "u": "u", "s": "s", "quote": "blockquote"}
_TAG_RE = re.compile(r"\[(/?)([a-zA-Z*]{1,10})(?:=([^\[\]]{0,2000}))?\]")
_BARE_URL_RE = re.compile(r"\[url\]([^\[\]]{1,2000})\[/url\]", re.IGNORECASE)


def bbcode_to_html(text):
    """Safe HTML of Bitrix24's BB-code ``text``.

    Everything is escaped first; then ``[b] [i] [u] [s] [quote]`` become ``strong em u s
    blockquote``, ``[br]`` and line breaks ``<br/>``, ``[url=...]...[/url]`` and ``[url]...[/url]``
    links that open in a new tab (http and https only: another scheme leaves the text alone).
    Other tags ([USER=..], [color=..], [size=..], ...) are dropped, their text kept. Tags left open
    are closed at the end; a closing tag without its opening one is dropped."""
    text = _BARE_URL_RE.sub(lambda m: "[url=%s]%s[/url]" % (m.group(1), m.group(1)), text or "")
    text = html.escape(text.replace("\r\n", "\n"), quote=True)
    out, stack, pos = [], [], 0
    for match in _TAG_RE.finditer(text):
        out.append(text[pos:match.start()].replace("\n", "<br/>"))
        pos = match.end()
        closing, name, value = match.group(1), match.group(2).lower(), match.group(3)
        if name == "br" and not closing:
            out.append("<br/>")
            continue
        if name in _SIMPLE_TAGS:
            html_tag = _SIMPLE_TAGS[name]
        elif name == "url":
            html_tag = "a"
        else:
            continue  # an unknown tag: dropped, its text kept
        if not closing:
            if name == "url":
                if "url" in stack:
                    continue
                link = _safe_link(html.unescape(value or ""))
                if not link:
                    stack.append("url-dropped")
                    continue
                out.append('<a href="%s" target="_blank" rel="noopener noreferrer nofollow">'
                           % html.escape(link, quote=True))
            else:
                out.append("<%s>" % html_tag)
            stack.append(name)
            continue
        if name == "url" and "url-dropped" in stack and "url" not in stack:
            stack.remove("url-dropped")
            continue
        if name not in stack:
            continue
        while stack:
            top = stack.pop()
            if top == "url-dropped":
                continue
            out.append("</%s>" % ("a" if top == "url" else _SIMPLE_TAGS[top]))
            if top == name:
                break
    out.append(text[pos:].replace("\n", "<br/>"))
    for top in reversed(stack):
        if top != "url-dropped":
            out.append("</%s>" % ("a" if top == "url" else _SIMPLE_TAGS[top]))
    return "".join(out)


def plain_to_html(text):
    """A dealer's plain text as HTML: escaped, line breaks kept."""
    return html.escape((text or "").replace("\r\n", "\n").strip(), quote=True).replace("\n", "<br/>")
