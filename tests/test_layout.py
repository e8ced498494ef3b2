"""The README's module table is the package: every module, in an order where
each imports only modules below it (so no import cycle)."""
from __future__ import annotations

import ast
import re

from .conftest import ROOT

PACKAGE = ROOT / "leaflet"


def readme_modules() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    table = text[text.index("### The package"):]
    return re.findall(r"^\| `(\w+)` \|", table, re.M)


def imports(module: str) -> set[str]:
    """The package's modules that `module` imports when it runs (not for types only)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = [ast.Pass()]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module} if node.module else {a.name for a in node.names}
    return found


def test_readme_lists_every_module_each_above_what_it_imports() -> None:
    listed = readme_modules()
    modules = sorted(p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("__"))
    assert sorted(listed) == modules
    for i, module in enumerate(listed):
        above = imports(module) & set(listed[:i + 1])
        assert not above, f"{module} imports {sorted(above)}, listed above it in README.md"
