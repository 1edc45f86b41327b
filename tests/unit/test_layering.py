"""The rules of the house that a grep can check (docs/architecture.md draws the whole picture):

- Arrows point down: models -> services -> phobs_api. ``phobs_api`` imports nothing of ours above
  it and nothing of Odoo, so the protocol client runs and is tested without a database.
- The sandbox (``phobs_sandbox``) is an independent Phobs peer: it shares no code with the
  addons, so a misreading of the protocol cannot hide in code both sides use.
"""
import ast
import importlib
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FRAMEWORK_FREE = ["phobs_channel_manager/phobs_api", "phobs_sandbox"]


def _imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


@pytest.mark.parametrize("package", FRAMEWORK_FREE)
def test_no_odoo_import_in_framework_free_code(package):
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, "no python files under %s" % package
    offenders = [
        "%s: %s" % (path.relative_to(ROOT), name)
        for path in files for name in _imported_modules(path)
        if name == "odoo" or name.startswith("odoo.")
    ]
    assert offenders == []


def test_sandbox_shares_no_code_with_the_addon():
    offenders = [
        "%s: %s" % (path.relative_to(ROOT), name)
        for path in sorted((ROOT / "phobs_sandbox").rglob("*.py"))
        for name in _imported_modules(path)
        if name.split(".")[0] in ("phobs_channel_manager", "hotel_frontdesk_bridge")
    ]
    assert offenders == []


def test_protocol_package_imports_with_plain_python():
    module = importlib.import_module("phobs_channel_manager.phobs_api")
    assert module.__name__ == "phobs_channel_manager.phobs_api"


def test_odoo_import_is_blocked_in_this_layer():
    with pytest.raises(ImportError, match="must not import Odoo"):
        importlib.import_module("odoo")


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _local_imports(path, package_names):
    """The modules of ours that ``path`` imports at any depth (a local import still counts)."""
    name = _module_name(path)
    base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                module = ".".join(base[:len(base) - node.level + 1] + (
                    node.module.split(".") if node.module else []))
            else:
                module = node.module or ""
            candidates = [module] + ["%s.%s" % (module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        for candidate in candidates:
            if candidate in package_names and candidate != name:
                yield candidate


@pytest.mark.parametrize("package", ["phobs_channel_manager", "hotel_frontdesk_bridge"])
def test_no_import_circle(package):
    """Every arrow between our modules points one way; a circle broken by a local import
    counts as a circle too."""
    paths = sorted((ROOT / package).rglob("*.py"))
    modules = {_module_name(path): path for path in paths}
    # A package's __init__ imports its modules to register them: arrows from it are wiring.
    graph = {name: set() if path.name == "__init__.py" else set(_local_imports(path, modules))
             for name, path in modules.items()}
    state, circles = {}, []

    def visit(name, trail):
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                circles.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []
