"""The one Problem of the suite: its message, its place, and both in the user's language."""
import importlib

import pytest

from b2b_base.lib.messages import Problem, ProblemError, _, render

RUSSIAN = {
    "the quantity %(qty)s is not a number": "количество %(qty)s — не число",
    "Line %(line)s: %(message)s": "Строка %(line)s: %(message)s",
    "line %(line)s, product %(product)s: %(message)s": "строка %(line)s, товар %(product)s: %(message)s",
    '"%(file)s", row %(row)s, column %(column)s: %(message)s':
        "«%(file)s», строка %(row)s, столбец %(column)s: %(message)s",
}


def russian(text):
    return RUSSIAN.get(text, text)


def test_the_marker_leaves_the_text_as_it_is():
    assert _("the quantity %(qty)s is not a number") == "the quantity %(qty)s is not a number"


def test_a_problem_without_a_place_is_its_message():
    problem = Problem("the quantity %(qty)s is not a number", {"qty": "x"})
    assert problem.render() == "the quantity x is not a number"
    assert problem.render(russian) == "количество x — не число"
    assert Problem("Give the saved cart a name.").render() == "Give the saved cart a name."


def test_a_problem_at_a_line_names_it_in_the_users_language():
    problem = Problem("the quantity %(qty)s is not a number", {"qty": "x"}, 3)
    assert problem.render() == "Line 3: the quantity x is not a number"
    assert problem.render(russian) == "Строка 3: количество x — не число"
    assert problem.message(russian) == "количество x — не число"


def test_a_problem_at_a_product_line_names_the_product():
    problem = Problem("the quantity %(qty)s is not a number", {"qty": "-1"}, line=2, product="MIX-1")
    assert problem.render() == "line 2, product MIX-1: the quantity -1 is not a number"
    assert problem.render(russian) == "строка 2, товар MIX-1: количество -1 — не число"
    unnamed = Problem("the quantity %(qty)s is not a number", {"qty": "-1"}, line=2, product="")
    assert unnamed.render() == "line 2, product ?: the quantity -1 is not a number"


def test_a_problem_at_a_cell_names_the_file_row_and_column():
    problem = Problem("the quantity %(qty)s is not a number", {"qty": "x"}, line=7,
                      file="order.xlsx", column="C")
    assert problem.render() == '"order.xlsx", row 7, column C: the quantity x is not a number'
    assert problem.render(russian) == "«order.xlsx», строка 7, столбец C: количество x — не число"
    assert Problem("bad", line=7, column="C").render() == '"?", row 7, column C: bad'


def test_problems_are_values_and_a_copy_moves_one():
    problem = Problem("the quantity %(qty)s is not a number", {"qty": "x"}, 3)
    assert problem == Problem("the quantity %(qty)s is not a number", {"qty": "x"}, line=3)
    assert problem != Problem("the quantity %(qty)s is not a number", {"qty": "x"}, line=4)
    moved = problem.replace(line=9)
    assert (moved.line, problem.line) == (9, 3)
    assert moved.render() == "Line 9: the quantity x is not a number"
    with pytest.raises(TypeError):
        problem.replace(row=9)
    assert "qty" in repr(problem) and "line=3" in repr(problem)


def test_a_subclass_keeps_its_own_fields_and_renders_as_every_problem():
    class CodedProblem(Problem):
        __slots__ = ("code",)

        def __init__(self, code, template, params=None, line=None):
            super().__init__(template, params, line)
            self.code = code

    problem = CodedProblem("bad_qty", "the quantity %(qty)s is not a number", {"qty": "x"}, 3)
    assert problem.render(russian) == "Строка 3: количество x — не число"
    assert problem.replace(line=4).code == "bad_qty"
    assert problem != CodedProblem("other", "the quantity %(qty)s is not a number", {"qty": "x"}, 3)


def test_render_lists_problems_one_a_line():
    problems = [Problem("the quantity %(qty)s is not a number", {"qty": "x"}, 1),
                Problem("Give the saved cart a name.")]
    assert render(problems) == "Line 1: the quantity x is not a number\nGive the saved cart a name."
    assert render(problems, russian).startswith("Строка 1: количество x — не число\n")
    assert render([]) == ""


def test_an_exception_carries_a_problem():
    error = ProblemError(Problem("the quantity %(qty)s is not a number", {"qty": "x"}))
    assert str(error) == "the quantity x is not a number"
    assert (error.template, error.params) == ("the quantity %(qty)s is not a number", {"qty": "x"})
    assert error.render(russian) == "количество x — не число"
    assert render([error], russian) == "количество x — не число"


def test_every_addons_lib_shares_the_one_problem():
    """Odoo's name of the module (which the addons' lib import) is the same module here."""
    messages = importlib.import_module("b2b_base.lib.messages")
    assert importlib.import_module("odoo.addons.b2b_base.lib.messages") is messages
    for module, name in (("b2b_portal.lib.cart", "Problem"), ("b2b_portal.lib.xlsx_order", "Problem"),
                         ("b2b_bonus.lib.bonus", "Problem"),
                         ("b2b_commission.lib.commission", "Problem"),
                         ("b2b_base.lib.pricing", "LineProblem")):
        assert issubclass(getattr(importlib.import_module(module), name), messages.Problem), module
    for module, name in (("b2b_1c_bridge.lib.protocol", "ExchangeRefused"),
                         ("b2b_1c_bridge.lib.soap", "SoapError"),
                         ("b2b_base.lib.aging", "AgingError")):
        assert issubclass(getattr(importlib.import_module(module), name), messages.ProblemError), module
