"""The requisites of a Russian legal entity or individual entrepreneur, checked as the tax service
and the Bank of Russia define them: INN, KPP, OGRN, BIK, settlement and correspondent accounts.

Each ``check_*`` takes the value as typed (spaces and dashes around digits are left out by
``clean``) and returns ``None`` when it is right, or a ``Problem`` saying exactly what is wrong
with that one field (a form shows it beside the field). ``check_requisites`` checks a whole form:
``{field: Problem}`` of the fields that are wrong.

- INN (ИНН): 10 digits for an organisation, 12 for an individual entrepreneur; the last digit
  (two last for 12) are control digits of weighted sums modulo 11.
- KPP (КПП): 9 characters, 4 digits (the tax office), 2 digits or capital Latin letters (the
  reason), 3 digits; an organisation (10-digit INN) has one, an entrepreneur has none.
- OGRN (ОГРН, optional): 13 digits for an organisation (control digit: the first 12 modulo 11),
  15 (ОГРНИП) for an entrepreneur (the first 14 modulo 13).
- BIK (БИК): 9 digits starting with 04 (a bank in Russia).
- Settlement account (расчётный счёт): 20 digits; with the last three digits of the BIK before
  it, the sum of the 23 digits weighted 7, 1, 3, 7, 1, 3, ... ends in 0.
- Correspondent account (корр. счёт): 20 digits starting with 301; the same key with "0" and
  digits 5-6 of the BIK before it.
"""
import re

from .messages import Problem, _

FIELDS = ("inn", "kpp", "ogrn", "bik", "account", "corr_account")

MSG_REQUIRED = _("This field is required.")
MSG_DIGITS_ONLY = _("Must consist of digits only.")
MSG_INN_LENGTH = _("Must be 10 digits (an organisation) or 12 digits (an individual "
                   "entrepreneur); %(count)s given.")
MSG_CONTROL_DIGIT = _("The control digit does not match: check the number.")
MSG_KPP_FORMAT = _("Must be 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits.")
MSG_KPP_REQUIRED = _("An organisation (10-digit INN) has a KPP: give it.")
MSG_KPP_NONE = _("An individual entrepreneur (12-digit INN) has no KPP: leave it empty.")
MSG_OGRN_LENGTH = _("Must be 13 digits (OGRN of an organisation) or 15 digits (OGRNIP of an "
                    "individual entrepreneur); %(count)s given.")
MSG_OGRN_ORGANISATION = _("Must be 13 digits: the INN is an organisation's.")
MSG_OGRN_ENTREPRENEUR = _("Must be 15 digits: the INN is an individual entrepreneur's.")
MSG_BIK_LENGTH = _("Must be 9 digits; %(count)s given.")
MSG_BIK_RUSSIAN = _("Must start with 04 (the BIK of a bank in Russia).")
MSG_ACCOUNT_LENGTH = _("Must be 20 digits; %(count)s given.")
MSG_ACCOUNT_NEEDS_BIK = _("Cannot be checked without a valid BIK.")
MSG_ACCOUNT_KEY = _("The control key does not match the BIK %(bik)s: check the account and "
                    "the BIK.")
MSG_CORR_PREFIX = _("Must start with 301 (a correspondent account at the Bank of Russia).")

INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
INN11_WEIGHTS = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN12_WEIGHTS = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
ACCOUNT_WEIGHTS = (7, 1, 3) * 8
KPP_RE = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")
SEPARATORS_RE = re.compile(r"[\s\-]+")


def clean(value):
    """The value as typed, without surrounding blanks, inner spaces and dashes ("" for None)."""
    return SEPARATORS_RE.sub("", value or "")


def _control(digits, weights):
    return sum(int(d) * w for d, w in zip(digits, weights)) % 11 % 10


def _digits(value, required=True):
    """(cleaned value, Problem or None) for a field of digits only."""
    value = clean(value)
    if not value:
        return value, (Problem(MSG_REQUIRED) if required else None)
    if not value.isdigit():
        return value, Problem(MSG_DIGITS_ONLY)
    return value, None


def check_inn(inn):
    """The INN of an organisation (10 digits) or of an individual entrepreneur (12 digits)."""
    inn, problem = _digits(inn)
    if problem:
        return problem
    if len(inn) == 10:
        if _control(inn, INN10_WEIGHTS) != int(inn[9]):
            return Problem(MSG_CONTROL_DIGIT)
        return None
    if len(inn) == 12:
        if (_control(inn, INN11_WEIGHTS) != int(inn[10])
                or _control(inn, INN12_WEIGHTS) != int(inn[11])):
            return Problem(MSG_CONTROL_DIGIT)
        return None
    return Problem(MSG_INN_LENGTH, {"count": len(inn)})


def is_entrepreneur(inn):
    """Whether ``inn`` is an individual entrepreneur's (12 digits)."""
    return len(clean(inn)) == 12


def check_kpp(kpp, inn):
    """The KPP for the INN ``inn``: required for an organisation, absent for an entrepreneur
    (not checked against an INN that is itself wrong, beyond its format)."""
    kpp = clean(kpp).upper()
    inn = clean(inn)
    if is_entrepreneur(inn) and inn.isdigit():
        return Problem(MSG_KPP_NONE) if kpp else None
    if not kpp:
        return Problem(MSG_KPP_REQUIRED) if len(inn) == 10 and inn.isdigit() else \
            Problem(MSG_REQUIRED)
    if not KPP_RE.match(kpp):
        return Problem(MSG_KPP_FORMAT)
    return None


def check_ogrn(ogrn, inn=""):
    """The OGRN (optional): 13 digits for an organisation, 15 for an entrepreneur, with its
    control digit; when the INN says which of the two, the length must agree with it."""
    ogrn, problem = _digits(ogrn, required=False)
    if problem or not ogrn:
        return problem
    if len(ogrn) not in (13, 15):
        return Problem(MSG_OGRN_LENGTH, {"count": len(ogrn)})
    inn = clean(inn)
    if inn.isdigit() and len(inn) in (10, 12):
        expected = 15 if len(inn) == 12 else 13
        if len(ogrn) != expected:
            return Problem(MSG_OGRN_ENTREPRENEUR if expected == 15 else MSG_OGRN_ORGANISATION)
    modulo = 11 if len(ogrn) == 13 else 13
    if int(ogrn[:-1]) % modulo % 10 != int(ogrn[-1]):
        return Problem(MSG_CONTROL_DIGIT)
    return None


def check_bik(bik):
    """The BIK of a Russian bank: 9 digits starting with 04."""
    bik, problem = _digits(bik)
    if problem:
        return problem
    if len(bik) != 9:
        return Problem(MSG_BIK_LENGTH, {"count": len(bik)})
    if not bik.startswith("04"):
        return Problem(MSG_BIK_RUSSIAN)
    return None


def _account_key_ok(prefix, account):
    digits = prefix + account
    return sum(int(d) * w for d, w in zip(digits, ACCOUNT_WEIGHTS)) % 10 == 0


def _account(account, bik):
    """(cleaned account, cleaned BIK, Problem or None) for the checks both accounts share."""
    account, problem = _digits(account)
    if problem:
        return account, bik, problem
    if len(account) != 20:
        return account, bik, Problem(MSG_ACCOUNT_LENGTH, {"count": len(account)})
    bik = clean(bik)
    if check_bik(bik):
        return account, bik, Problem(MSG_ACCOUNT_NEEDS_BIK)
    return account, bik, None


def check_account(account, bik):
    """The settlement account at the bank ``bik``: 20 digits, its key with the BIK's last three
    digits."""
    account, bik, problem = _account(account, bik)
    if problem:
        return problem
    if not _account_key_ok(bik[-3:], account):
        return Problem(MSG_ACCOUNT_KEY, {"bik": bik})
    return None


def check_corr_account(account, bik):
    """The bank's correspondent account: 20 digits starting with 301, its key with "0" and
    digits 5-6 of the BIK."""
    account, bik, problem = _account(account, bik)
    if problem:
        return problem
    if not account.startswith("301"):
        return Problem(MSG_CORR_PREFIX)
    if not _account_key_ok("0" + bik[4:6], account):
        return Problem(MSG_ACCOUNT_KEY, {"bik": bik})
    return None


def check_requisites(values):
    """``{field: Problem}`` of the wrong fields among ``values`` (a dict with the keys of
    ``FIELDS``; missing ones count as empty)."""
    inn = values.get("inn") or ""
    bik = values.get("bik") or ""
    found = {
        "inn": check_inn(inn),
        "kpp": check_kpp(values.get("kpp"), inn),
        "ogrn": check_ogrn(values.get("ogrn"), inn),
        "bik": check_bik(bik),
        "account": check_account(values.get("account"), bik),
        "corr_account": check_corr_account(values.get("corr_account"), bik),
    }
    return {name: problem for name, problem in found.items() if problem}


def cleaned(values):
    """``values`` with the requisites of ``FIELDS`` cleaned (KPP in capitals)."""
    result = dict(values)
    for name in FIELDS:
        if name in result:
            result[name] = clean(result[name])
    if result.get("kpp"):
        result["kpp"] = result["kpp"].upper()
    return result


# the fields of a new legal entity's form, beyond the requisites, that must be filled in
ENTITY_TEXT_FIELDS = ("name", "legal_address", "bank_name", "contact_name", "contact_phone")


def check_entity(values):
    """``{field: Problem}`` of a new legal entity's form: the requisites (``check_requisites``)
    and the texts of ``ENTITY_TEXT_FIELDS``, which must not be blank."""
    found = check_requisites(values)
    for name in ENTITY_TEXT_FIELDS:
        if not (values.get(name) or "").strip():
            found[name] = Problem(MSG_REQUIRED)
    return found
