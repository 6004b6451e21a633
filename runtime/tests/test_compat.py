"""Tests of the Python 3.11 compatibility layer for Odoo 11 (runtime/b2b_compat).

The patches change global modules, so every case runs in a fresh interpreter, twice:

* with the layer applied, where the old behaviour must be back;
* without the patch under test, where the error that patch documents must appear. For the
  standard-library patches that is plain Python; where Odoo has to be importable it is the whole
  layer minus that one patch.

A snippet reports its result as JSON on the last line of its standard output.
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

RUNTIME = Path(__file__).resolve().parents[1]

# Applies the layer, leaving out the patches named in WITHOUT (functions of b2b_compat).
LAYER = """\
import b2b_compat
for _name in {without!r}:
    _patch = getattr(b2b_compat, _name)
    if _patch in b2b_compat.STDLIB_PATCHES:
        b2b_compat.STDLIB_PATCHES.remove(_patch)
    b2b_compat.POST_IMPORT_PATCHES[:] = [
        _entry for _entry in b2b_compat.POST_IMPORT_PATCHES if _entry[1] is not _patch]
b2b_compat.apply()
"""


def python(code, *args, layer=True, without=()):
    """Run `code` in a fresh interpreter, with the layer applied first unless `layer` is False."""
    source = (LAYER.format(without=tuple(without)) if layer else "") + textwrap.dedent(code)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(RUNTIME), os.environ.get("PYTHONPATH")])))
    return subprocess.run(
        [sys.executable, "-W", "ignore", "-c", source, *map(str, args)],
        capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(), timeout=120)


def output(proc):
    """The JSON the snippet printed last; the snippet must have succeeded."""
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def error(proc):
    """The exception line ("TypeError: ...") of a snippet that must have failed."""
    assert proc.returncode != 0, "expected a failure, got: %s" % proc.stdout
    return proc.stderr.strip().splitlines()[-1]


# --------------------------------------------------------------------------- 1. collections ABCs
def test_collections_abc_aliases():
    """`from collections import Mapping, Iterable, ...` works and names the collections.abc classes."""
    code = """
        import collections.abc, json
        from collections import Callable, Iterable, Mapping, MutableSet, Sized
        print(json.dumps([Mapping is collections.abc.Mapping, isinstance({}, Mapping),
                          isinstance([], Iterable), isinstance(set(), MutableSet), isinstance(len, Callable)]))
    """
    assert "cannot import name 'Callable' from 'collections'" in error(python(code, layer=False))
    assert output(python(code)) == [True, True, True, True, True]


# --------------------------------------------------------------------------- 2. inspect
def test_inspect_getargspec_and_formatargspec():
    """getargspec/formatargspec give the Python 3.6 results Odoo's api and ormcache rely on."""
    code = """
        import json
        from inspect import getargspec, formatargspec, getfullargspec
        def confirm(self, order_id, mode='read', *args, **kwargs): pass
        def kwonly(self, *, lang='en_US'): pass
        def annotated(qty: int, price: float = 1.0) -> float: pass
        spec = getargspec(confirm)
        print(json.dumps([spec.args, spec.varargs, spec.keywords, spec.defaults,
                          formatargspec(*spec),
                          formatargspec(*getfullargspec(kwonly)),
                          formatargspec(*getfullargspec(annotated))]))
    """
    assert "cannot import name 'getargspec' from 'inspect'" in error(python(code, layer=False))
    assert output(python(code)) == [
        ["self", "order_id", "mode"], "args", "kwargs", ["read"],
        "(self, order_id, mode='read', *args, **kwargs)",
        "(self, *, lang='en_US')",
        "(qty: int, price: float=1.0) -> float",
    ]


def test_ormcache_builds_keys_from_the_signature():
    """odoo.tools.ormcache (formatargspec + getargspec) computes cache keys, defaults included."""
    code = """
        import json
        from odoo.tools import ormcache, ormcache_context
        def _compute_domain(self, model_name, mode='read'): pass
        def _get_view(self, model_name, context=None): pass
        by_args = ormcache('model_name', 'mode')
        by_args(_compute_domain)
        by_context = ormcache_context('model_name', keys=('lang',))
        by_context(_get_view)
        print(json.dumps([by_args.key(None, 'res.partner'),
                          by_args.key(None, 'sale.order', mode='write'),
                          by_context.key(None, 'res.partner', context={'lang': 'ru_RU'})]))
    """
    assert output(python(code)) == [["res.partner", "read"], ["sale.order", "write"],
                                    ["res.partner", ["ru_RU"]]]


@pytest.mark.parametrize("patch, message", [
    ("patch_collections_abc", "from 'collections'"),
    ("patch_inspect", "from 'inspect'"),
])
def test_odoo_does_not_import_without(patch, message):
    """`import odoo` itself fails with the ImportError the patch documents."""
    failure = error(python("import odoo", without=[patch]))
    assert failure.startswith("ImportError: cannot import name") and message in failure


# --------------------------------------------------------------------------- 3. base64
def test_base64_encodestring_decodestring():
    """encodestring/decodestring are the MIME-style (newline-wrapped) encodebytes/decodebytes."""
    code = """
        import base64, json
        data = 'Счёт № 42 для ООО «Дилер»'.encode() * 3
        encoded = base64.encodestring(data)
        print(json.dumps([base64.encodestring(b'odoo').decode(), encoded.count(b'\\n'),
                          base64.decodestring(encoded) == data]))
    """
    assert error(python(code, layer=False)) == (
        "AttributeError: module 'base64' has no attribute 'encodestring'")
    assert output(python(code)) == ["b2Rvbw==\n", 3, True]


# --------------------------------------------------------------------------- 4. Thread.isAlive
def test_thread_isalive():
    """Thread.isAlive() answers like is_alive(), before and after the thread ends."""
    code = """
        import json, threading
        release = threading.Event()
        worker = threading.Thread(target=release.wait, daemon=True)
        worker.start()
        running = worker.isAlive()
        release.set()
        worker.join()
        print(json.dumps([running, worker.isAlive()]))
    """
    assert error(python(code, layer=False)).startswith(
        "AttributeError: 'Thread' object has no attribute 'isAlive'")
    assert output(python(code)) == [True, False]


# --------------------------------------------------------------------------- 5. AST required fields
HAND_BUILT_AST = {
    # def total(a, b): return a + b -- arguments built as QWeb builds them, without posonlyargs
    "arguments.posonlyargs": ("""
        fn = ast.FunctionDef(
            name='total',
            args=ast.arguments(args=[ast.arg(arg='a', annotation=None), ast.arg(arg='b', annotation=None)],
                               vararg=None, kwarg=None, kwonlyargs=[], kw_defaults=[], defaults=[]),
            body=[ast.Return(ast.BinOp(ast.Name('a', ast.Load()), ast.Add(), ast.Name('b', ast.Load())))],
            decorator_list=[])
        module = ast.Module(body=[fn], type_ignores=[])
        result = lambda ns: ns['total'](2, 3)
    """, 'TypeError: required field "posonlyargs" missing from arguments', 5),
    # total = 5 -- a Module built without type_ignores
    "Module.type_ignores": ("""
        module = ast.Module(body=[ast.Assign(targets=[ast.Name('total', ast.Store())],
                                             value=ast.Constant(5))])
        result = lambda ns: ns['total']
    """, 'TypeError: required field "type_ignores" missing from Module', 5),
}


@pytest.mark.parametrize("field", HAND_BUILT_AST)
def test_hand_built_ast_compiles(field):
    """A hand-built AST without the fields added in Python 3.8 compiles and runs."""
    build, failure, expected = HAND_BUILT_AST[field]
    code = "import ast, json\n" + textwrap.dedent(build) + textwrap.dedent("""
        ast.fix_missing_locations(module)
        ns = {}
        exec(compile(module, '<qweb>', 'exec'), ns)
        parsed = ast.parse('def f(a, /, b): pass').body[0].args
        print(json.dumps([result(ns), [a.arg for a in parsed.posonlyargs]]))
    """)
    assert error(python(code, layer=False)) == failure
    # parsed code keeps its own positional-only arguments
    assert output(python(code)) == [expected, ["a"]]


# --------------------------------------------------------------------------- 6. yaml.load
def test_yaml_load_without_loader():
    """yaml.load(text) reads plain data again, and still refuses to build arbitrary objects."""
    code = """
        import json, yaml
        data = yaml.load('''
        -
          model: res.partner
          id: partner_dealer
          values: {name: "ООО Дилер", is_company: true, credit_limit: 150000.0, tags: [b2b, ru]}
        ''')
        try:
            yaml.load("!!python/object/apply:os.system ['echo unsafe']")
            unsafe = 'loaded'
        except yaml.constructor.ConstructorError as e:
            unsafe = str(e.problem)
        print(json.dumps([data, unsafe]))
    """
    assert error(python(code, layer=False)) == (
        "TypeError: load() missing 1 required positional argument: 'Loader'")
    data, unsafe = output(python(code))
    assert data == [{"model": "res.partner", "id": "partner_dealer",
                     "values": {"name": "ООО Дилер", "is_company": True, "credit_limit": 150000.0,
                                "tags": ["b2b", "ru"]}}]
    assert unsafe.startswith("could not determine a constructor for the tag")
    assert "python/object/apply:os.system" in unsafe


def test_yaml_load_reads_odoo_tags():
    """Odoo's own .yml tags (!record, !python), registered on the default loaders, are read."""
    code = """
        import json, yaml
        import odoo
        nodes = yaml.load('''
        -
          !record {model: res.partner, id: partner_dealer}:
            name: Dealer
            is_company: true
        -
          !python {model: res.partner}: |
            self.search([])
        ''')
        print(json.dumps([[type(tag).__name__, tag.model, tag.id, value]
                          for node in nodes for tag, value in node.items()]))
    """
    assert output(python(code)) == [
        ["Record", "res.partner", "partner_dealer", {"name": "Dealer", "is_company": True}],
        ["Python", "res.partner", None, "self.search([])\n"],
    ]


# --------------------------------------------------------------------------- 7. safe_eval opcodes
ENV = {
    "a": "SO", "b": 7, "partner": None, "states": ["sale", "done"], "lines": [10, None, 5],
    "context": {"lang": "ru_RU", "default_type": "out_invoice", "active_test": True},
}
CONTEXT = ENV["context"]

# (id, mode, source, expected value); exec-mode snippets leave their value in `result`
ACCEPTED = [
    ("domain", "eval", "[('state', 'in', ['draft', 'sent'])]", [("state", "in", ["draft", "sent"])]),
    ("domain-vars", "eval", "[('name', '=', a), ('state', 'not in', ('cancel',))]",
     [("name", "=", "SO"), ("state", "not in", ("cancel",))]),
    ("percent-format", "eval", "'%s-%s' % (a, b)", "SO-7"),
    ("dict-unpack", "eval", "dict(**context)", CONTEXT),
    ("dict-kwargs", "eval", "dict(context, active_test=False)", dict(CONTEXT, active_test=False)),
    ("dict-kwargs-unpack", "eval", "dict(context, **{'default_partner_id': b})",
     dict(CONTEXT, default_partner_id=7)),
    ("list-comprehension", "eval", "[x * 2 for x in lines if x]", [20, 10]),
    ("dict-comprehension", "eval",
     "{k[8:]: v for k, v in context.items() if k.startswith('default_')}", {"type": "out_invoice"}),
    ("generator", "eval", "sum(x for x in lines if x is not None)", 15),
    ("lambda", "eval", "(lambda qty, price=2: qty * price)(b)", 14),
    ("conditional", "eval", "'late' if b > 5 else 'on time'", "late"),
    ("is-none", "eval", "partner is None and a is not None", True),
    ("in-not-in", "eval", "'draft' not in states and 'sale' in states", True),
    ("chained-compare", "eval", "0 < b <= 10", True),
    ("method-slice", "eval", "context.get('lang', 'en_US')[:2]", "ru"),
    ("bool-ops", "eval", "not lines or len(lines) > 2", True),
    ("for-continue-else", "exec", """
result = []
for line in lines:
    if line is None:
        continue
    result.append(line)
else:
    result.append('done')
""", [10, 5, "done"]),
    ("try-except-finally", "exec", """
try:
    ratio = 1 / 0
except Exception as e:
    result = ['error: %s' % e]
finally:
    result.append('cleaned')
""", ["error: division by zero", "cleaned"]),
    ("while-break", "exec", """
result = 0
while True:
    result += 3
    if result > 10:
        break
""", 12),
    ("def-keywords", "exec", """
def price(qty, unit=10, discount=0):
    return qty * unit * (100 - discount) / 100
result = price(b, discount=50)
""", 35.0),
    ("generator-function", "exec", """
def evens(n):
    for i in range(n):
        if i % 2 == 0:
            yield i
result = list(evens(6))
""", [0, 2, 4]),
    ("assert", "exec", "assert lines, 'no lines'\nresult = len(lines)", 3),
    ("const_eval", "const", "[1, 2, (3, 4), {'foo': 'bar'}]", [1, 2, (3, 4), {"foo": "bar"}]),
    ("expr_eval", "expr", "[1, 2] * 2 + [-3]", [1, 2, 1, 2, -3]),
]

# (id, mode, source, exception, part of its message)
REFUSED = [
    ("attribute-assignment", "exec", "partner.name = 'hacked'", "ValueError", "STORE_ATTR"),
    ("attribute-deletion", "exec", "del partner.name", "ValueError", "DELETE_ATTR"),
    ("import", "exec", "import os", "ValueError", "IMPORT_NAME"),
    ("from-import", "exec", "from os import system", "ValueError", "IMPORT_NAME"),
    ("__import__", "eval", "__import__('os').system('id')", "NameError", "'__import__'"),
    ("dunder-attribute", "eval", "().__class__.__bases__[0].__subclasses__()", "NameError", "'__class__'"),
    ("dunder-in-lambda", "eval", "(lambda: ().__class__)()", "NameError", "'__class__'"),
    ("dunder-in-format", "eval", "'%s' % (().__class__,)", "NameError", "'__class__'"),
    ("frame-attribute", "eval", "(x for x in ()).gi_frame", "NameError", "'gi_frame'"),
    ("open-builtin", "eval", "open('/etc/passwd').read()", "ValueError", "name 'open' is not defined"),
    ("getattr-builtin", "eval", "getattr(partner, 'name')", "ValueError", "name 'getattr' is not defined"),
    ("const_eval-operation", "const", "[1] + [2]", "ValueError", "BINARY_OP"),
    ("expr_eval-name", "expr", "a", "ValueError", "LOAD_NAME"),
]

SAFE_EVAL_RUNNER = """
    import json, sys
    from odoo.tools.safe_eval import const_eval, expr_eval, safe_eval
    env = json.loads(sys.argv[1])
    outcomes = {}
    for case_id, mode, source in json.loads(sys.argv[2]):
        try:
            if mode == 'exec':
                values = dict(env)
                safe_eval(source, values, mode='exec', nocopy=True)
                value = values['result']
            elif mode == 'const':
                value = const_eval(source)
            elif mode == 'expr':
                value = expr_eval(source)
            else:
                value = safe_eval(source, dict(env))
            outcomes[case_id] = {'value': repr(value)}
        except Exception as e:
            outcomes[case_id] = {'error': type(e).__name__, 'message': str(e)}
    print(json.dumps(outcomes))
"""


def _safe_eval(cases, **kwargs):
    sources = [[case[0], case[1], case[2]] for case in cases]
    return output(python(SAFE_EVAL_RUNNER, json.dumps(ENV), json.dumps(sources), **kwargs))


@pytest.fixture(scope="module")
def safe_eval_results():
    return _safe_eval(ACCEPTED + REFUSED)


@pytest.fixture(scope="module")
def safe_eval_results_unpatched():
    return _safe_eval(ACCEPTED, without=["patch_safe_eval"])


@pytest.mark.parametrize("case_id, mode, source, expected", ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_safe_eval_accepts(safe_eval_results, safe_eval_results_unpatched, case_id, mode, source,
                           expected):
    """Typical Odoo expressions and server-action code run again, with the 3.6 results."""
    unpatched = safe_eval_results_unpatched[case_id]
    assert unpatched.get("error") == "ValueError"
    assert "forbidden opcode(s)" in unpatched["message"]
    assert safe_eval_results[case_id] == {"value": repr(expected)}


@pytest.mark.parametrize("case_id, mode, source, exception, message", REFUSED,
                         ids=[c[0] for c in REFUSED])
def test_safe_eval_still_refuses(safe_eval_results, case_id, mode, source, exception, message):
    """What safe_eval refused on Python 3.6 it still refuses."""
    outcome = safe_eval_results[case_id]
    assert outcome.get("error") == exception, outcome
    assert message in outcome["message"]


# --------------------------------------------------------------------------- 8. QWeb
QWEB_TEMPLATES = """\
<templates>
<t t-name="dealer.orders"><h1 t-esc="title"/><t t-set="count" t-value="len(orders)"/><ul t-if="orders"><li t-foreach="orders" t-as="order" t-att-class="'late' if order['late'] else None"><t t-esc="order['name']"/>: <t t-esc="'%.2f' % order['amount']"/></li></ul><p t-if="not orders">No orders</p><t t-call="dealer.footer"/></t>
<t t-name="dealer.footer"><footer><t t-esc="count"/> order(s)</footer></t>
<t t-name="dealer.greeting"><t t-set="greeting">Hello, <t t-esc="name"/>!</t><p t-esc="greeting"/></t>
<t t-name="dealer.phone"><p><t t-esc="phone">no phone</t></p></t>
<t t-name="dealer.banner"><t t-set="promo">Spring sale</t><p t-if="promo">Promo running</p></t>
</templates>
"""

ORDERS = [{"name": "SO001", "amount": 120.5, "late": True},
          {"name": "SO002", "amount": 80, "late": False}]

# (template, values, expected rendering)
QWEB_RENDERINGS = [
    ("dealer.orders", {"title": "<Dealer & Co>", "orders": ORDERS},
     '<h1>&lt;Dealer &amp; Co&gt;</h1><ul><li class="late">SO001: 120.50</li><li>SO002: 80.00</li></ul>'
     "<footer>2 order(s)</footer>"),
    ("dealer.orders", {"title": "Dealer", "orders": []},
     "<h1>Dealer</h1><p>No orders</p><footer>0 order(s)</footer>"),
    ("dealer.greeting", {"name": "Ann"}, "<p>Hello, Ann!</p>"),
    ("dealer.phone", {}, "<p>no phone</p>"),
    ("dealer.phone", {"phone": "+7 495 123-45-67"}, "<p>+7 495 123-45-67</p>"),
    ("dealer.banner", {}, "<p>Promo running</p>"),
]

QWEB_RUNNER = """
    import json, sys
    from lxml import etree
    from odoo.addons.base.ir.ir_qweb.qweb import QWeb

    class Templates(QWeb):
        \"\"\"QWeb without a database: templates come from one XML document.\"\"\"
        def __init__(self, source):
            self.source = source

        def get_template(self, template, options):
            # parsed anew each time, as QWeb's compiler consumes the directives of the element
            for node in etree.fromstring(self.source):
                if node.get('t-name') == template:
                    return node, etree.tostring(node)
            raise KeyError(template)

    outcomes = []
    for template, values in json.loads(sys.argv[2]):
        try:
            outcomes.append({'html': Templates(sys.argv[1]).render(template, values).decode()})
        except Exception as e:
            outcomes.append({'error': type(e).__name__, 'message': str(getattr(e, 'error', e))})
    print(json.dumps(outcomes))
"""


def _render(**kwargs):
    cases = [[template, values] for template, values, _ in QWEB_RENDERINGS]
    return output(python(QWEB_RUNNER, QWEB_TEMPLATES, json.dumps(cases), **kwargs))


def test_qweb_renders():
    """QWeb compiles and renders t-esc, t-set, t-if, t-foreach, t-att and t-call templates."""
    assert _render() == [{"html": html} for _, _, html in QWEB_RENDERINGS]


def test_qweb_fails_without_its_patch():
    """Without the QWeb patch, compile() rejects QWeb's Name('None') and its line ranges."""
    outcomes = dict(zip((c[0] for c in QWEB_RENDERINGS), _render(without=["patch_qweb"])))
    for outcome in outcomes.values():
        assert outcome["error"] == "QWebException"
    assert outcomes["dealer.phone"]["message"] == "identifier field can't represent 'None' constant"
    assert outcomes["dealer.banner"]["message"].startswith("AST node line range")
    assert outcomes["dealer.banner"]["message"].endswith("is not valid")


ESCAPE_RUNNER = """
    import json, warnings
    from odoo.addons.base.ir.ir_qweb import qweb
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = qweb.escape('<Dealer & "Co">')
    print(json.dumps({"text": text, "warnings": [str(w.message) for w in caught]}))
"""


def test_qweb_escapes_without_warnings():
    """QWeb escapes printed values with werkzeug's escape, without a warning per value."""
    assert output(python(ESCAPE_RUNNER)) == {"text": "&lt;Dealer &amp; &quot;Co&quot;&gt;",
                                             "warnings": []}


def test_qweb_warns_per_value_without_its_escape_patch():
    result = output(python(ESCAPE_RUNNER, without=["patch_qweb_escape"]))
    assert result["text"] == "&lt;Dealer &amp; &quot;Co&quot;&gt;"
    assert result["warnings"] == ["The 'quote' parameter is no longer used as of version 0.9 and "
                                  "will be removed in version 1.0."]


def test_qweb_fails_without_ast_fields():
    """Without the AST field defaults, QWeb's hand-built functions do not compile at all."""
    for outcome in _render(without=["patch_ast_fields"]):
        assert outcome == {"error": "QWebException",
                           "message": 'required field "posonlyargs" missing from arguments'}


def test_qweb_expressions_checked_by_safe_eval():
    """ir.qweb checks template expressions with safe_eval's (extended) whitelist."""
    code = """
        import json
        from odoo.tools.safe_eval import _SAFE_OPCODES
        from odoo.addons.base.ir.ir_qweb import ir_qweb
        ir_qweb.IrQWeb._compile_expr(None, "'%s-%s' % (doc.name, doc.state) if doc else None")
        try:
            ir_qweb.IrQWeb._compile_expr(None, "doc.__class__")
            refused = None
        except NameError as e:
            refused = str(e)
        print(json.dumps([ir_qweb._SAFE_OPCODES is _SAFE_OPCODES, refused]))
    """
    shared, refused = output(python(code))
    assert shared
    assert refused.startswith("Access to forbidden name '__class__'")


# --------------------------------------------------------------------------- 9. ElementTree
WEBCLIENT_TEMPLATES = {
    "base.xml": '<templates><t t-name="dealer.A"><div>A</div></t></templates>',
    "portal.xml": '<templates><t t-name="dealer.B">B</t><t t-name="dealer.C">C</t></templates>',
}

CONCAT_XML = """
    import json, sys
    import _elementtree
    import xml.etree.ElementTree as stdlib_etree
    from odoo.addons.web.controllers import main
    xml, checksum = main.concat_xml(sys.argv[1:])
    print(json.dumps({
        'xml': xml.decode(),
        'checksum': checksum,
        'stdlib_is_c': stdlib_etree.Element is _elementtree.Element,
        'stdlib_has_getchildren': hasattr(stdlib_etree.Element('t'), 'getchildren'),
        'web_getiterator': [e.tag for e in main.ElementTree.fromstring('<a><b/><c/></a>').getiterator()],
    }))
"""


def test_webclient_concat_xml(tmp_path):
    """The web client's template concatenation merges files; the stdlib ElementTree stays C."""
    paths = []
    for name, content in WEBCLIENT_TEMPLATES.items():
        paths.append(tmp_path / name)
        paths[-1].write_text(content)
    assert error(python(CONCAT_XML, *paths, without=["patch_web_controllers"])) == (
        "AttributeError: 'xml.etree.ElementTree.Element' object has no attribute 'getchildren'")
    result = output(python(CONCAT_XML, *paths))
    assert result == {
        "xml": '<templates><t t-name="dealer.A"><div>A</div></t><t t-name="dealer.B">B</t>'
               '<t t-name="dealer.C">C</t></templates>',
        "checksum": hashlib.sha1("".join(WEBCLIENT_TEMPLATES.values()).encode()).hexdigest(),
        "stdlib_is_c": True,
        "stdlib_has_getchildren": False,
        "web_getiterator": ["a", "b", "c"],
    }


# --------------------------------------------------------------------------- 10. setrlimit
def test_setrlimit_accepts_floats():
    """resource.setrlimit takes float limits, as the multi-worker server passes them."""
    code = """
        import json, resource
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (float(soft), float(hard)))
        print(json.dumps(resource.getrlimit(resource.RLIMIT_AS) == (soft, hard)))
    """
    assert error(python(code, layer=False)) == (
        "TypeError: 'float' object cannot be interpreted as an integer")
    assert output(python(code)) is True


# --------------------------------------------------------------------------- 11. child_of / parent_of
# Runs the child_of_domain / parent_of_domain nested in odoo.osv.expression's parse on a hierarchy
# held in a dict (id -> parent id): a plain stand-in for a model without a parent store, which
# answers the two calls they make (search on the parent field, browse and read the parent).
HIERARCHY = """
    import json, sys, types
    from odoo.osv import expression

    class Loops(Exception):
        "A hierarchy search that went round more times than the hierarchy has records."

    class Hierarchy:
        _parent_store = False
        _parent_name = 'parent_id'

        def __init__(self, parents):
            self.parents, self.calls = parents, 0

        def _call(self):
            self.calls += 1
            if self.calls > 1000:
                raise Loops()

        def search(self, domain):
            [(name, op, ids)] = domain
            self._call()
            return types.SimpleNamespace(ids=sorted(i for i, p in self.parents.items() if p in ids))

        def browse(self, ids):
            return [Record(self, i) for i in ids]

    class Record:
        def __init__(self, model, id_):
            self.model, self.id = model, id_

        def __bool__(self):
            return bool(self.id)

        def __getitem__(self, name):
            self.model._call()
            return Record(self.model, self.model.parents.get(self.id, 0))

    nested = {c.co_name: c for c in expression.expression.parse.__code__.co_consts
              if isinstance(c, types.CodeType)}

    def run(name, parents, ids):
        code = nested[name]
        function = types.FunctionType(code, vars(expression), name, (None, ''),
                                      (types.CellType({}),))
        try:
            [(left, op, found)] = function('id', ids, Hierarchy(parents))
            return sorted(found)
        except Loops:
            return 'loops'

    TREE = {1: 0, 2: 1, 3: 1, 4: 2, 5: 4, 6: 0, 7: 6}        # two trees, no cycle
    SELF = {**TREE, 8: 8, 9: 8, 10: 9}                        # 8 is its own parent
    CYCLE = {1: 3, 2: 1, 3: 2, 4: 3}                          # 1 -> 3 -> 2 -> 1
    print(json.dumps({
        'child_of': [run('child_of_domain', TREE, [1]), run('child_of_domain', TREE, [2, 4, 6]),
                     run('child_of_domain', TREE, [5])],
        'parent_of': [run('parent_of_domain', TREE, [5]), run('parent_of_domain', TREE, [5, 4, 7])],
        'child_of_self': run('child_of_domain', SELF, [8]),
        'child_of_cycle': run('child_of_domain', CYCLE, [2]),
        'parent_of_self': run('parent_of_domain', SELF, [10]),
        'parent_of_cycle': run('parent_of_domain', CYCLE, [4]),
        'from': sorted({nested[n].co_filename.rsplit('/', 2)[-2] for n in ('child_of_domain', 'parent_of_domain')}),
    }))
"""


def test_hierarchy_operators_stop_at_ids_seen():
    """child_of / parent_of give Odoo 11's ids on a hierarchy without a cycle, and end on a record
    that is its own parent or on a cycle, where Odoo 11's own functions search without end."""
    as_before = {
        "child_of": [[1, 2, 3, 4, 5], [2, 4, 5, 6, 7], [5]],
        "parent_of": [[1, 2, 4, 5], [1, 2, 4, 5, 6, 7]],
    }
    odoo = output(python(HIERARCHY, without=["patch_expression_hierarchy"]))
    assert odoo == dict(as_before, child_of_self="loops", child_of_cycle="loops",
                        parent_of_self="loops", parent_of_cycle="loops", **{"from": ["osv"]})
    assert output(python(HIERARCHY)) == dict(
        as_before, child_of_self=[8, 9, 10], child_of_cycle=[1, 2, 3, 4],
        parent_of_self=[8, 9, 10], parent_of_cycle=[1, 2, 3, 4], **{"from": ["b2b_compat"]})
