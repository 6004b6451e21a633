"""Rules of a dealer's staff management, without the ORM.

A dealer administrator invites the dealer's users, sets their role (administrator, buyer, outlet)
and, for an outlet user, the one contract it works under, and blocks or unblocks them. These
functions check what the administrator's page sends; the ORM layer checks who is asking and whose
users and contracts they are, then writes.

Messages are English templates marked with ``_``; the ORM layer translates them.
"""
import re

from odoo.addons.b2b_base.lib.messages import Problem, _


ROLES = ("admin", "buyer", "outlet")
NAME_MAX = 128
# one address, no display name: what a login of the portal is
_EMAIL = re.compile(r"^[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"'.]{2,}$")

NO_NAME = _("Enter the new user's name.")
LONG_NAME = _("The name is at most %(max)s characters long.")
BAD_EMAIL = _("%(email)s is not an email address: the new user logs in with it.")
BAD_ROLE = _("Unknown role %(role)s (expected admin, buyer or outlet).")
NO_CONTRACT = _("An outlet user works under exactly one contract: choose it.")
BAD_CONTRACT = _("The contract is not one of your dealer's contracts.")
TAKEN_LOGIN = _("A user with the login %(email)s already exists.")
SELF_DEMOTE = _("You cannot take the administrator role from yourself: ask another "
                "administrator of your dealer.")
SELF_BLOCK = _("You cannot block yourself.")


def clean_email(value):
    """The address in lower case without blanks around it; (email, problems)."""
    email = str(value or "").strip().lower()
    if not _EMAIL.match(email):
        return email, [Problem(BAD_EMAIL, {"email": str(value or "").strip() or "—"})]
    return email, []


def clean_role(role, contract_id, dealer_contract_ids):
    """The role and outlet contract to store: ((role, contract_id or None), problems).

    ``dealer_contract_ids``: the contracts of the administrator's dealer. Only an outlet user has
    a contract; for the other roles a contract sent along is ignored."""
    role = str(role or "").strip()
    if role not in ROLES:
        return (None, None), [Problem(BAD_ROLE, {"role": role or "—"})]
    if role != "outlet":
        return (role, None), []
    try:
        contract = int(contract_id) if contract_id not in (None, False, "") else None
    except (TypeError, ValueError):
        contract = -1
    if contract is None:
        return (role, None), [Problem(NO_CONTRACT)]
    if contract not in set(dealer_contract_ids):
        return (role, None), [Problem(BAD_CONTRACT)]
    return (role, contract), []


def clean_invite(name, email, role, contract_id, dealer_contract_ids):
    """Check an invitation; returns (values, problems) with values
    {"name", "email", "role", "contract_id"} (every problem at once)."""
    problems = []
    clean_name = " ".join(str(name or "").split())
    if not clean_name:
        problems.append(Problem(NO_NAME))
    elif len(clean_name) > NAME_MAX:
        problems.append(Problem(LONG_NAME, {"max": NAME_MAX}))
    email, email_problems = clean_email(email)
    problems += email_problems
    (role, contract), role_problems = clean_role(role, contract_id, dealer_contract_ids)
    problems += role_problems
    return {"name": clean_name, "email": email, "role": role, "contract_id": contract}, problems


def check_role_change(caller_id, target_id, new_role):
    """Problems of giving ``target_id`` the role ``new_role`` (an administrator keeps their own)."""
    if caller_id == target_id and new_role != "admin":
        return [Problem(SELF_DEMOTE)]
    return []


def check_block(caller_id, target_id, blocked):
    """Problems of blocking (``blocked``) or unblocking ``target_id``."""
    if blocked and caller_id == target_id:
        return [Problem(SELF_BLOCK)]
    return []
