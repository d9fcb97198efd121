"""The direction of imports and the determinism rules of DESIGN.md, checked on the source.

1. `import imagesim` loads none of the heavy or optional libraries (checked in a fresh
   interpreter) and none of the layers built on the core.
2. Only the edge modules import those libraries at module level; every other module imports
   them inside the function that needs them.
3. Nothing in the package reads the wall clock or the operating system's randomness, or uses
   unseeded random numbers.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "imagesim"

# Libraries the core must not load: the optional `lab` stack, and PyYAML (read lazily at the
# oc/manifest edges).
HEAVY = ("pandas", "networkx", "matplotlib", "ipywidgets", "IPython", "yaml")
# Layers built on the core: `import imagesim` must not load them, and modules outside the edge
# must not import them at module level.
LAYERS = ("imagesim.reports", "imagesim.graph", "imagesim.blast", "imagesim.explain", "imagesim.views",
          "imagesim.labs", "imagesim.oc.magic")
# Modules (paths relative to imagesim/) allowed to import HEAVY and LAYERS at module level.
EDGE_FILES = {"reports.py", "graph.py", "blast.py", "explain.py", "oc/magic.py", "cli.py"}
EDGE_DIRS = {"views", "labs"}


def package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def is_edge(path: Path) -> bool:
    r = rel(path)
    return r in EDGE_FILES or r.split("/")[0] in EDGE_DIRS


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def in_layer(name: str, layers) -> bool:
    return any(name == layer or name.startswith(layer + ".") for layer in layers)


# -- 1. a fresh interpreter ---------------------------------------------------------------------

_PROBE = """
import json, sys
import imagesim
print(json.dumps(sorted(sys.modules)))
"""


def test_import_imagesim_loads_no_heavy_dependency():
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=ROOT,  # the checkout's imagesim is the one imported
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"`import imagesim` failed:\n{proc.stderr}"
    loaded = json.loads(proc.stdout.strip().splitlines()[-1])
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY)
    layers = sorted(m for m in loaded if in_layer(m, LAYERS))
    assert heavy == [], f"`import imagesim` loads {heavy}"
    assert layers == [], f"`import imagesim` loads {layers}"


# -- 2. module-level imports --------------------------------------------------------------------


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def module_level_imports(node: ast.AST):
    """Import statements that run when the module is imported (not inside functions, not under
    `if TYPE_CHECKING:`); class bodies run at import, so they are included."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            yield from module_level_imports(ast.Module(body=child.orelse, type_ignores=[]))
        else:
            yield from module_level_imports(child)


def imported_names(stmt: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """Fully qualified modules (or module attributes) an import statement refers to."""
    if isinstance(stmt, ast.Import):
        return [alias.name for alias in stmt.names]
    if stmt.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        base = package[: len(package) - (stmt.level - 1)]
        target = ".".join(base + ([stmt.module] if stmt.module else []))
    else:
        target = stmt.module or ""
    return [target] + [f"{target}.{alias.name}" for alias in stmt.names if alias.name != "*"]


def test_layering_source_rule_holds():
    problems = []
    for path in package_files():
        if is_edge(path):
            continue
        module = module_name(path)
        try:
            tree = parse(path)
        except SyntaxError as exc:
            problems.append(f"imagesim/{rel(path)}: does not parse: {exc}")
            continue
        for stmt in module_level_imports(tree):
            for name in imported_names(stmt, module, path.name == "__init__.py"):
                if name.split(".")[0] in HEAVY or in_layer(name, LAYERS):
                    problems.append(
                        f"imagesim/{rel(path)}:{stmt.lineno}: imports {name} at module level "
                        "(import it inside the function that needs it)"
                    )
                    break
    assert problems == [], "\n".join(problems)


def test_edge_list_names_the_layers():
    # Keep the exemptions honest: every exempt module is one of the layers or the CLI.
    exempt = {f"imagesim.{f[:-3].replace('/', '.')}" for f in EDGE_FILES} | {f"imagesim.{d}" for d in EDGE_DIRS}
    assert exempt - set(LAYERS) == {"imagesim.cli"}


# -- 3. determinism -----------------------------------------------------------------------------

# Fully qualified names whose use makes output depend on when or where the code runs.
WALL_CLOCK_OR_OS = {
    "datetime.datetime.now": "reads the wall clock",
    "datetime.datetime.utcnow": "reads the wall clock",
    "datetime.datetime.today": "reads the wall clock",
    "datetime.date.today": "reads the wall clock",
    "time.time": "reads the wall clock",
    "time.time_ns": "reads the wall clock",
    "uuid.uuid1": "is not reproducible",
    "uuid.uuid4": "is not reproducible",
    "os.urandom": "is not reproducible",
    "os.getrandom": "is not reproducible",
}
# Seedable generators: the only names allowed from `random` and `numpy.random` (and a seed must
# be passed).
SEEDABLE = {
    "random.Random",
    "numpy.random.default_rng",
    "numpy.random.Generator",
    "numpy.random.SeedSequence",
    "numpy.random.PCG64",
    "numpy.random.PCG64DXSM",
    "numpy.random.Philox",
    "numpy.random.SFC64",
    "numpy.random.MT19937",
    "numpy.random.BitGenerator",
}
NEED_SEED = {"random.Random", "numpy.random.default_rng", "numpy.random.SeedSequence"}


def import_aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> fully qualified name, from every absolute import in the module."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    aliases[root] = root
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def qualified(node: ast.expr, aliases: dict[str, str]) -> str | None:
    if isinstance(node, ast.Name):
        return aliases.get(node.id)
    if isinstance(node, ast.Attribute):
        base = qualified(node.value, aliases)
        return f"{base}.{node.attr}" if base else None
    return None


def determinism_problems(tree: ast.Module) -> list[tuple[int, str]]:
    aliases = import_aliases(tree)
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Name, ast.Attribute)):
            name = qualified(node, aliases)
            if name is None:
                continue
            if name in WALL_CLOCK_OR_OS:
                problems.append((node.lineno, f"{name} {WALL_CLOCK_OR_OS[name]}"))
            elif name.startswith("secrets."):
                problems.append((node.lineno, f"{name} is not reproducible"))
            elif name.startswith(("random.", "numpy.random.")) and name not in SEEDABLE:
                problems.append(
                    (node.lineno, f"{name} uses the shared unseeded generator (use random.Random(seed))")
                )
        elif isinstance(node, ast.Call) and not node.args and not node.keywords:
            name = qualified(node.func, aliases)
            if name in NEED_SEED:
                problems.append((node.lineno, f"{name}() without a seed is not reproducible"))
    return problems


def test_no_wall_clock_or_unseeded_randomness():
    problems = []
    for path in package_files():
        try:
            tree = parse(path)
        except SyntaxError as exc:
            problems.append(f"imagesim/{rel(path)}: does not parse: {exc}")
            continue
        for lineno, message in sorted(set(determinism_problems(tree))):
            problems.append(f"imagesim/{rel(path)}:{lineno}: {message}")
    assert problems == [], "\n".join(problems)


# -- the checkers themselves --------------------------------------------------------------------

_BAD = """
import random
import time as t
import datetime as dt
from datetime import datetime
from uuid import uuid4
import os
import numpy as np

def f():
    a = datetime.now()
    b = dt.date.today()
    c = t.time()
    d = uuid4()
    e = os.urandom(8)
    g = random.choice([1, 2])
    h = random.Random()
    i = np.random.rand(3)
    j = np.random.default_rng()
"""

_GOOD = """
import random
from datetime import datetime, timezone
import numpy as np

START = datetime(2024, 1, 1, tzinfo=timezone.utc)

class Sim:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.now = START

    def step(self):
        return self.rng.choice([1, 2]), self.now, datetime.fromtimestamp(0, timezone.utc)
"""


def test_determinism_checker_catches_what_it_should():
    found = [message.split()[0] for _, message in sorted(determinism_problems(ast.parse(_BAD)))]
    assert found == [
        "datetime.datetime.now",
        "datetime.date.today",
        "time.time",
        "uuid.uuid4",
        "os.urandom",
        "random.choice",
        "random.Random()",
        "numpy.random.rand",
        "numpy.random.default_rng()",
    ]
    assert determinism_problems(ast.parse(_GOOD)) == []


def test_module_level_import_checker():
    tree = ast.parse(
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "import json\n"
        "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
        "if TYPE_CHECKING:\n    import pandas\n"
        "from .reports import history_frame\n"
        "class A:\n    import networkx\n    def f(self):\n        import matplotlib\n"
        "def g():\n    import ipywidgets\n"
    )
    names = [
        name
        for stmt in module_level_imports(tree)
        for name in imported_names(stmt, "imagesim.simulation", is_package=False)
    ]
    flagged = [n for n in names if n.split(".")[0] in HEAVY or in_layer(n, LAYERS)]
    assert flagged == ["yaml", "imagesim.reports", "imagesim.reports.history_frame", "networkx"]


@pytest.mark.parametrize(
    ("module", "is_package", "source", "expected"),
    [
        ("imagesim.oc.printers", False, "from . import magic", "imagesim.oc.magic"),
        ("imagesim.oc", True, "from .magic import OcMagics", "imagesim.oc.magic"),
        ("imagesim.oc.printers", False, "from ..graph import build", "imagesim.graph"),
        ("imagesim", True, "from imagesim import views", "imagesim.views"),
    ],
)
def test_relative_imports_resolve(module, is_package, source, expected):
    stmt = ast.parse(source).body[0]
    assert expected in imported_names(stmt, module, is_package)
