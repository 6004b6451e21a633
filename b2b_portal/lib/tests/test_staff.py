from b2b_portal.lib.staff import (check_block, check_role_change, clean_email, clean_invite,
                                  clean_role)


def messages(problems):
    return [problem.render() for problem in problems]


def test_invite_cleaned():
    values, problems = clean_invite("  Ирина   Лебедева ", " Irina@Alfa-Dealer.Example ", "buyer",
                                    "", [3, 4])
    assert problems == []
    assert values == {"name": "Ирина Лебедева", "email": "irina@alfa-dealer.example",
                      "role": "buyer", "contract_id": None}


def test_outlet_invite_needs_one_of_the_dealers_contracts():
    values, problems = clean_invite("Ирина", "i@a.example", "outlet", "4", [3, 4])
    assert problems == [] and values["contract_id"] == 4
    assert messages(clean_invite("Ирина", "i@a.example", "outlet", "", [3, 4])[1]) == [
        "An outlet user works under exactly one contract: choose it."]
    assert messages(clean_invite("Ирина", "i@a.example", "outlet", "9", [3, 4])[1]) == [
        "The contract is not one of your dealer's contracts."]
    assert messages(clean_invite("Ирина", "i@a.example", "outlet", "x", [3, 4])[1]) == [
        "The contract is not one of your dealer's contracts."]


def test_a_contract_sent_for_another_role_is_ignored():
    assert clean_role("buyer", 9, [3]) == (("buyer", None), [])


def test_every_problem_of_an_invite_at_once():
    _values, problems = clean_invite(" ", "not-an-address", "boss", None, [])
    assert messages(problems) == [
        "Enter the new user's name.",
        "not-an-address is not an email address: the new user logs in with it.",
        "Unknown role boss (expected admin, buyer or outlet).",
    ]
    assert messages(clean_invite("x" * 129, "a@b.example", "buyer", None, [])[1]) == [
        "The name is at most 128 characters long."]


def test_email_addresses():
    for good in ("a@b.ru", "ivan.petrov+b2b@alfa-dealer.example", "ПОЧТА@пример.рф"):
        assert clean_email(good)[1] == [], good
    for bad in ("", "a@b", "a b@c.ru", "Ivan <a@b.ru>", "a@b.ru, c@d.ru", "@b.ru", None):
        assert clean_email(bad)[1], bad


def test_admin_keeps_own_role_and_cannot_block_self():
    assert messages(check_role_change(5, 5, "buyer")) == [
        "You cannot take the administrator role from yourself: ask another administrator of "
        "your dealer."]
    assert check_role_change(5, 5, "admin") == []
    assert check_role_change(5, 6, "outlet") == []
    assert messages(check_block(5, 5, True)) == ["You cannot block yourself."]
    assert check_block(5, 5, False) == []
    assert check_block(5, 6, True) == []
