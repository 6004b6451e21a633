"""The requisites of a Russian legal entity: real numbers of large companies and banks pass, and
each kind of mistake gets its own message."""
import pytest

from b2b_base.lib import requisites as r

# published requisites: ПАО Сбербанк, ООО «Яндекс», АО «Тинькофф Банк», АО «Альфа-Банк», ВТБ
ORGANISATIONS = [("7707083893", "773601001", "1027700132195"),     # Сбербанк
                 ("7736207543", "770401001", "1027700229193"),     # Яндекс
                 ("7710140679", "771301001", "1027739642281"),     # Тинькофф Банк
                 ("7728168971", "770801001", "1027700067328"),     # Альфа-Банк
                 ("7702070139", "784201001", "1027739609391")]     # ВТБ
BANKS = [("044525225", "30101810400000000225"),   # Сбербанк, Москва
         ("044525974", "30101810145250000974"),   # Тинькофф Банк
         ("044525593", "30101810200000000593"),   # Альфа-Банк
         ("044525187", "30101810700000000187"),   # ВТБ
         ("045004641", "30101810500000000641")]   # Сибирский банк Сбербанка, Новосибирск
ENTREPRENEUR = ("500100732259", "304500116000157")   # the tax service's sample ИП
ACCOUNT = ("40702810038000017240", "044525225")      # an organisation's account at Сбербанк


@pytest.mark.parametrize("inn, kpp, ogrn", ORGANISATIONS)
def test_organisations_pass(inn, kpp, ogrn):
    assert r.check_inn(inn) is None
    assert r.check_kpp(kpp, inn) is None
    assert r.check_ogrn(ogrn, inn) is None


@pytest.mark.parametrize("bik, corr", BANKS)
def test_banks_pass(bik, corr):
    assert r.check_bik(bik) is None
    assert r.check_corr_account(corr, bik) is None


def test_an_entrepreneur_passes_without_kpp():
    inn, ogrnip = ENTREPRENEUR
    assert r.check_inn(inn) is None
    assert r.check_kpp("", inn) is None
    assert r.check_ogrn(ogrnip, inn) is None


def test_a_whole_form_passes_with_spaces_and_dashes():
    assert r.check_requisites({
        "inn": " 7707 083893 ", "kpp": "773601001", "ogrn": "", "bik": "04-45-25-225",
        "account": "40702 810 0 3800 0017240", "corr_account": "30101810400000000225"}) == {}
    assert r.cleaned({"inn": " 7707 083893 ", "kpp": "7736ab001"}) == {
        "inn": "7707083893", "kpp": "7736AB001"}


def problem(template, **params):
    return r.Problem(template, params or None)


def test_inn_mistakes():
    assert r.check_inn("") == problem(r.MSG_REQUIRED)
    assert r.check_inn("77070838x3") == problem(r.MSG_DIGITS_ONLY)
    assert r.check_inn("770708389") == problem(r.MSG_INN_LENGTH, count=9)
    assert r.check_inn("77070838931") == problem(r.MSG_INN_LENGTH, count=11)
    assert r.check_inn("7707083894") == problem(r.MSG_CONTROL_DIGIT)
    assert r.check_inn("500100732258") == problem(r.MSG_CONTROL_DIGIT)   # 12th digit
    assert r.check_inn("500100732269") == problem(r.MSG_CONTROL_DIGIT)   # 11th digit
    assert r.check_inn("7707083894").render() == "The control digit does not match: check the number."
    assert r.check_inn("770708389").render() == (
        "Must be 10 digits (an organisation) or 12 digits (an individual entrepreneur); 9 given.")


def test_kpp_mistakes():
    assert r.check_kpp("", "7707083893") == problem(r.MSG_KPP_REQUIRED)
    assert r.check_kpp("773601001", "500100732259") == problem(r.MSG_KPP_NONE)
    assert r.check_kpp("77360100", "7707083893") == problem(r.MSG_KPP_FORMAT)
    assert r.check_kpp("7736010011", "7707083893") == problem(r.MSG_KPP_FORMAT)
    assert r.check_kpp("77A601001", "7707083893") == problem(r.MSG_KPP_FORMAT)
    assert r.check_kpp("7736-01-001", "7707083893") is None
    assert r.check_kpp("7736AZ001", "7707083893") is None       # letters in the reason
    assert r.check_kpp("7736az001", "7707083893") is None
    assert r.check_kpp("", "") == problem(r.MSG_REQUIRED)


def test_ogrn_mistakes():
    assert r.check_ogrn("") is None
    assert r.check_ogrn("10277001321") == problem(r.MSG_OGRN_LENGTH, count=11)
    assert r.check_ogrn("1027700132196") == problem(r.MSG_CONTROL_DIGIT)
    assert r.check_ogrn("304500116000158") == problem(r.MSG_CONTROL_DIGIT)
    assert r.check_ogrn("304500116000157", "7707083893") == problem(
        r.MSG_OGRN_ORGANISATION)
    assert r.check_ogrn("1027700132195", "500100732259") == problem(
        r.MSG_OGRN_ENTREPRENEUR)


def test_bik_mistakes():
    assert r.check_bik("") == problem(r.MSG_REQUIRED)
    assert r.check_bik("04452522") == problem(r.MSG_BIK_LENGTH, count=8)
    assert r.check_bik("04452522a") == problem(r.MSG_DIGITS_ONLY)
    assert r.check_bik("144525225") == problem(r.MSG_BIK_RUSSIAN)


def test_settlement_account_mistakes():
    account, bik = ACCOUNT
    assert r.check_account(account, bik) is None
    assert r.check_account("", bik) == problem(r.MSG_REQUIRED)
    assert r.check_account(account[:-1], bik) == problem(r.MSG_ACCOUNT_LENGTH, count=19)
    assert r.check_account(account[:-1] + "1", bik) == problem(r.MSG_ACCOUNT_KEY, bik=bik)
    # the same account at another bank: the key is made with the BIK
    assert r.check_account(account, "044525974") == problem(r.MSG_ACCOUNT_KEY, bik="044525974")
    assert r.check_account(account, "0445") == problem(r.MSG_ACCOUNT_NEEDS_BIK)
    assert r.check_account(account[:-1] + "1", bik).render() == (
        "The control key does not match the BIK 044525225: check the account and the BIK.")


def test_correspondent_account_mistakes():
    bik, corr = BANKS[0]
    assert r.check_corr_account("40702810038000017240", bik) == problem(r.MSG_CORR_PREFIX)
    assert r.check_corr_account("30101810400000000226", bik) == problem(r.MSG_ACCOUNT_KEY, bik=bik)
    # the correspondent account of a bank of another region
    assert r.check_corr_account(BANKS[-1][1], bik) == problem(r.MSG_ACCOUNT_KEY, bik=bik)
    assert r.check_corr_account(corr, "") == problem(r.MSG_ACCOUNT_NEEDS_BIK)


def test_a_whole_form_names_each_wrong_field():
    found = r.check_requisites({"inn": "7707083894", "kpp": "", "bik": "044525225",
                                "account": "40702810038000017241", "corr_account": ""})
    assert found == {"inn": problem(r.MSG_CONTROL_DIGIT), "kpp": problem(r.MSG_KPP_REQUIRED),
                     "account": problem(r.MSG_ACCOUNT_KEY, bik="044525225"),
                     "corr_account": problem(r.MSG_REQUIRED)}


def test_a_new_entity_needs_its_name_addresses_bank_and_contact():
    values = {"inn": "7707083893", "kpp": "773601001", "bik": "044525225",
              "account": "40702810038000017240", "corr_account": "30101810400000000225",
              "name": "ПАО Сбербанк", "legal_address": "Москва, ул. Вавилова, 19",
              "bank_name": "ПАО Сбербанк", "contact_name": "Иванов", "contact_phone": "+7 495 500-55-50"}
    assert r.check_entity(values) == {}
    values.update(name="  ", contact_phone="")
    assert r.check_entity(values) == {"name": problem(r.MSG_REQUIRED),
                                      "contact_phone": problem(r.MSG_REQUIRED)}
