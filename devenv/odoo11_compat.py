"""Lets Odoo 11.0 run on Python 3.11.

Loaded by a ``.pth`` file of the development virtualenv, so it runs before anything imports Odoo.
Each patch restores one thing that Python 3.8-3.11 or a current library removed and that Odoo 11
code still calls; the comment on each says which Odoo code needs it. Nothing here changes behaviour
for code that does not use the removed names, and our own addons do not rely on any of it.
"""
import ast
import base64
import builtins
import collections
import collections.abc
import importlib.abc
import inspect
import sys


def _restore_collections_aliases():
    # odoo/tools/misc.py, odoo/models.py, werkzeug 0.16 and jinja2 2.11 use collections.Mapping & co.
    for name in collections.abc.__all__:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))


def _restore_inspect_argspec():
    # odoo/api.py (decorators), odoo/tools/cache.py (ormcache signatures), odoo/http.py and
    # website routing call getargspec/formatargspec, removed in 3.11.
    ArgSpec = collections.namedtuple("ArgSpec", "args varargs keywords defaults")

    def getargspec(func):
        spec = inspect.getfullargspec(func)
        return ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)

    def formatargspec(args, varargs=None, varkw=None, defaults=None, *_ignored, **_kw):
        parts = []
        first_default = len(args) - len(defaults or ())
        for index, arg in enumerate(args):
            if defaults and index >= first_default:
                parts.append("%s=%r" % (arg, defaults[index - first_default]))
            else:
                parts.append(arg)
        if varargs:
            parts.append("*" + varargs)
        if varkw:
            parts.append("**" + varkw)
        return "(" + ", ".join(parts) + ")"

    if not hasattr(inspect, "getargspec"):
        inspect.getargspec = getargspec
    if not hasattr(inspect, "formatargspec"):
        inspect.formatargspec = formatargspec


def _restore_base64_legacy_names():
    # ir_ui_menu.read_image, ir_actions_report and the attachment helpers use the pre-3.9 names.
    if not hasattr(base64, "encodestring"):
        base64.encodestring = base64.encodebytes
        base64.decodestring = base64.decodebytes


def _restore_elementtree_getchildren():
    # web/controllers/main.py (concat_xml, used for the web client's QWeb templates) calls
    # Element.getchildren(), removed in 3.9; the C Element type cannot take new methods, so the
    # pure-Python ElementTree is forced before anyone imports it.
    if "xml.etree.ElementTree" not in sys.modules:
        sys.modules["_elementtree"] = None
    from xml.etree import ElementTree

    if not hasattr(ElementTree.Element, "getchildren"):
        try:
            ElementTree.Element.getchildren = lambda self: list(self)
        except TypeError:  # already imported with the C accelerator: nothing we can do
            pass


def _restore_float_rlimits():
    # odoo/service/server.py (prefork workers, process_limit) passes CPU seconds as floats to
    # resource.setrlimit, which Python 3.10+ refuses.
    import resource

    if getattr(resource.setrlimit, "_odoo11_compat", False):
        return
    original = resource.setrlimit

    def setrlimit(which, limits):
        return original(which, tuple(int(limit) for limit in limits))

    setrlimit._odoo11_compat = True
    resource.setrlimit = setrlimit


def _patch_yaml_default_loader(yaml):
    # odoo/tools/yaml_import.py calls yaml.load(text) without a Loader, refused by PyYAML 6.
    original = yaml.load

    def load(stream, Loader=None):
        return original(stream, Loader=Loader or yaml.FullLoader)

    yaml.load = load


# Opcodes that CPython 3.8-3.11 emits for the same expressions Odoo 11's whitelists allowed under
# 3.5/3.6 (calls, comparisons, comprehensions, f-strings, unpacking). Nothing that imports,
# accesses dunder names or manipulates frames is added.
_CONST_OPCODES_311 = [
    "RESUME", "CACHE", "NOP", "LIST_EXTEND", "LIST_TO_TUPLE", "SET_UPDATE", "DICT_UPDATE",
    "BUILD_CONST_KEY_MAP", "COPY", "SWAP", "PUSH_NULL",
]
_EXPR_OPCODES_311 = [
    "BINARY_OP", "CONTAINS_OP", "IS_OP", "FORMAT_VALUE", "BUILD_STRING", "DICT_MERGE",
    "UNARY_POSITIVE", "UNARY_NEGATIVE", "UNARY_NOT", "UNARY_INVERT", "BINARY_SUBSCR",
]
_SAFE_OPCODES_311 = [
    "PRECALL", "CALL", "KW_NAMES", "LOAD_METHOD", "CALL_FUNCTION_EX", "MAKE_FUNCTION",
    "RETURN_GENERATOR", "GEN_START", "MAKE_CELL", "COPY_FREE_VARS", "LOAD_CLOSURE",
    "LOAD_DEREF", "STORE_DEREF", "UNPACK_EX", "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT",
    "JUMP_FORWARD", "JUMP_IF_FALSE_OR_POP", "JUMP_IF_TRUE_OR_POP",
    "POP_JUMP_FORWARD_IF_FALSE", "POP_JUMP_FORWARD_IF_TRUE", "POP_JUMP_BACKWARD_IF_FALSE",
    "POP_JUMP_BACKWARD_IF_TRUE", "POP_JUMP_FORWARD_IF_NONE", "POP_JUMP_FORWARD_IF_NOT_NONE",
    "POP_JUMP_BACKWARD_IF_NONE", "POP_JUMP_BACKWARD_IF_NOT_NONE", "POP_JUMP_IF_FALSE",
    "POP_JUMP_IF_TRUE",
]


def _patch_safe_eval(module):
    # odoo/tools/safe_eval.py validates bytecode against whitelists written for Python 3.5/3.6;
    # domains, contexts and QWeb expressions compiled by 3.11 use the newer opcodes above.
    from opcode import opmap

    def codes(names):
        return {opmap[name] for name in names if name in opmap}

    const = codes(_CONST_OPCODES_311)
    expr = const | codes(_EXPR_OPCODES_311)
    safe = expr | codes(_SAFE_OPCODES_311)
    module._CONST_OPCODES.update(const)
    module._EXPR_OPCODES.update(expr)
    module._SAFE_OPCODES.update(safe)


class _QwebAstFixer(ast.NodeTransformer):
    """Makes the AST that Odoo 11's QWeb builds by hand acceptable to the 3.11 compiler."""

    _CONSTANT_NAMES = {"None": None, "True": True, "False": False}

    def visit_Name(self, node):
        if node.id in self._CONSTANT_NAMES:
            return ast.copy_location(ast.Constant(value=self._CONSTANT_NAMES[node.id]), node)
        return node

    def generic_visit(self, node):
        node = super().generic_visit(node)
        if isinstance(node, ast.arguments) and not hasattr(node, "posonlyargs"):
            node.posonlyargs = []
        if isinstance(node, ast.Module) and not hasattr(node, "type_ignores"):
            node.type_ignores = []
        return node


def _valid_line_ranges(tree):
    # QWeb sets `lineno` on generated functions from the template's source lines, so
    # fix_missing_locations leaves children whose end precedes their start, which 3.11 rejects.
    for node in ast.walk(tree):
        if not hasattr(node, "lineno"):
            continue
        if getattr(node, "end_lineno", None) is None or node.end_lineno < node.lineno:
            node.end_lineno = node.lineno
        if getattr(node, "end_col_offset", None) is None or (
                node.end_lineno == node.lineno and node.end_col_offset < node.col_offset):
            node.end_col_offset = node.col_offset


def _patch_qweb(module):
    # odoo/addons/base/ir/ir_qweb/qweb.py compiles templates from an AST it builds itself with
    # the 3.5 node signatures (no posonlyargs/type_ignores, Name('None')); the compile() it calls is
    # the module-level builtin, so a module global of that name sees every template AST first.
    def compile_fixed(source, filename, mode, *args, **kwargs):
        if isinstance(source, ast.AST):
            source = _QwebAstFixer().visit(source)
            ast.fix_missing_locations(source)
            _valid_line_ranges(source)
        return builtins.compile(source, filename, mode, *args, **kwargs)

    module.compile = compile_fixed


_POST_IMPORT_PATCHES = {
    "odoo.tools.safe_eval": _patch_safe_eval,
    "odoo.addons.base.ir.ir_qweb.qweb": _patch_qweb,
    "yaml": _patch_yaml_default_loader,
}


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader, patch):
        self._loader = loader
        self._patch = patch

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._patch(module)


class _PostImportPatcher(importlib.abc.MetaPathFinder):
    """Applies a patch right after a named module is first executed."""

    def find_spec(self, fullname, path, target=None):
        patch = _POST_IMPORT_PATCHES.get(fullname)
        if patch is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _PatchingLoader(spec.loader, patch)
                return spec
        return None


def install():
    _restore_collections_aliases()
    _restore_inspect_argspec()
    _restore_base64_legacy_names()
    _restore_elementtree_getchildren()
    _restore_float_rlimits()
    for name, patch in _POST_IMPORT_PATCHES.items():
        if name in sys.modules:
            patch(sys.modules[name])
    if not any(isinstance(f, _PostImportPatcher) for f in sys.meta_path):
        sys.meta_path.insert(0, _PostImportPatcher())


install()
