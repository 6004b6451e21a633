"""Glue between the suite's plain-Python rules (each addon's ``lib``) and the ORM: a rule's
message, an English template marked in ``lib`` (see ``lib/messages.py``), shown in the language of
the user."""
from ..lib import messages


def translate(env, text):
    """``text`` (an English source marked in lib/) in the language of ``env``."""
    lang = env.lang or env.user.lang  # a JSON-RPC call may come without a context
    if not lang or lang == "en_US":
        return text
    return env["ir.translation"]._get_source(None, ("code",), lang, text) or text


def render(env, problems):
    """``problems`` (``lib.messages.Problem``s), each on its line, in the language of ``env``."""
    return messages.render(problems, lambda text: translate(env, text))
