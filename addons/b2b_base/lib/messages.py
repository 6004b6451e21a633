"""Messages of the suite's rules: the translation marker, the one ``Problem`` and its rendering.

Every rule in an addon's ``lib`` says what is wrong as an English template with named fields
(``%(qty)s``), marked with ``_`` so that Odoo's translation export picks it up, and the values of
those fields. The ORM layer shows it in the user's language: it translates the template, then fills
in the values (``b2b_base/tools/rule_messages.py`` passes the translation of the user's language as
``translate``). A problem about a place of the input (a line of a list, a product, a cell of a
spreadsheet) is shown as "place: message", the place's own template translated too.

Other addons' ``lib`` import this module as ``odoo.addons.b2b_base.lib.messages``, under Odoo and
under pytest alike (the repository's conftest.py makes that name the same module there).
"""


def _(text):
    """Mark ``text`` for translation; the caller translates it (this package has no Odoo)."""
    return text


def same(text):
    """The identity ``translate``: the English text as it is."""
    return text


# Where a problem is: "place: message" (the first that fits of these, see Problem.render)
AT_CELL = _('"%(file)s", row %(row)s, column %(column)s: %(message)s')
AT_PRODUCT = _("line %(line)s, product %(product)s: %(message)s")
AT_LINE = _("Line %(line)s: %(message)s")


class Problem:
    """One reason why an input or a request cannot be taken: an English ``template`` with named
    fields and the ``params`` that fill them, and where the problem is, when it is about a part:

    - ``line``: the line (of a list, a form, a file) or the spreadsheet row, numbered from 1;
    - ``product``: the product the line names (shown as "?" when it is empty);
    - ``file`` and ``column``: the spreadsheet and the column letter of a cell ("?" when empty).

    Without a ``line`` the problem is shown as its message alone; with one, as "line 3: message",
    "line 3, product X: message" (``product`` given) or '"order.xlsx", row 3, column B: message'
    (``file`` or ``column`` given)."""

    __slots__ = ("template", "params", "line", "product", "file", "column")

    def __init__(self, template, params=None, line=None, product=None, file=None, column=None):
        self.template = template
        self.params = params or {}
        self.line = line
        self.product = product
        self.file = file
        self.column = column

    def _fields(self):
        return tuple(getattr(self, name) for cls in type(self).__mro__
                     for name in getattr(cls, "__slots__", ()))

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None     # params is a dict: a problem is a value, not a key

    def __repr__(self):
        names = [name for cls in reversed(type(self).__mro__)
                 for name in getattr(cls, "__slots__", ())]
        shown = ", ".join("%s=%r" % (name, getattr(self, name)) for name in names
                          if getattr(self, name) not in (None, {}))
        return "%s(%s)" % (type(self).__name__, shown)

    def replace(self, **changes):
        """A copy with ``changes`` (e.g. ``line=``) applied."""
        copy = object.__new__(type(self))
        for cls in type(self).__mro__:
            for name in getattr(cls, "__slots__", ()):
                setattr(copy, name, changes.pop(name) if name in changes else getattr(self, name))
        if changes:
            raise TypeError("%s has no field %s" % (type(self).__name__, ", ".join(changes)))
        return copy

    def message(self, translate=same):
        """The message alone, without its place (a table that shows the place in a column of
        its own uses this)."""
        text = translate(self.template)
        return text % self.params if self.params else text

    def render(self, translate=same):
        """The message preceded by its place, both through ``translate``."""
        text = self.message(translate)
        if self.line is None:
            return text
        if self.file is not None or self.column is not None:
            return translate(AT_CELL) % {"file": self.file or "?", "row": self.line,
                                         "column": self.column or "?", "message": text}
        if self.product is not None:
            return translate(AT_PRODUCT) % {"line": self.line, "product": self.product or "?",
                                            "message": text}
        return translate(AT_LINE) % {"line": self.line, "message": text}


class ProblemError(Exception):
    """An exception that carries a ``Problem``: an input refused whole (an exchange file, a
    setting), raised where the rule finds it. ``str()`` gives the English message."""

    def __init__(self, problem):
        self.problem = problem
        super().__init__(problem.render())

    @property
    def template(self):
        return self.problem.template

    @property
    def params(self):
        return self.problem.params

    def render(self, translate=None):
        return self.problem.render(translate or same)


def render(problems, translate=same, separator="\n"):
    """The problems (``Problem`` or ``ProblemError``), each through ``translate``, one a line."""
    return separator.join(problem.render(translate) for problem in problems)
