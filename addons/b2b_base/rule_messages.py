"""Glue between the suite's plain-Python rules (each addon's ``lib``) and the ORM: a rule's
message, an English template marked in ``lib``, shown in the language of the user."""


def translate(env, text):
    """``text`` (an English source marked in lib/) in the language of ``env``."""
    lang = env.lang or env.user.lang  # a JSON-RPC call may come without a context
    if not lang or lang == "en_US":
        return text
    return env["ir.translation"]._get_source(None, ("code",), lang, text) or text


def render(env, problems):
    return "\n".join(problem.render(lambda text: translate(env, text)) for problem in problems)
