"""Hostile input: no code runs that the user typed, YAML is read safely, the lab stays private.

* The package never calls ``eval``, ``exec``, ``compile`` or ``__import__``, never starts a shell
  (``os.system``, ``os.popen``, ``subprocess`` with ``shell=True`` or with a command string), never
  unpickles, and reads YAML with PyYAML's safe loader only (checked on the source, with ``ast``).
* Shell syntax typed into ``oc`` / ``docker`` / ``imagesim oc`` is text: nothing runs.
* A saved lab can only replay the simulation's own operations and scenarios.
* ``imagesim lab`` listens on 127.0.0.1 with Jupyter's token authentication, whatever flags it is
  given, and the README says so.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

from imagesim import Simulation, cli, scenarios
from imagesim.errors import Invalid, SavedLabError

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "imagesim"
SOURCES = sorted(PACKAGE.rglob("*.py"))

FORBIDDEN_BUILTINS = {"eval", "exec", "compile", "__import__", "breakpoint"}
FORBIDDEN_CALLS = {
    ("os", "system"), ("os", "popen"), ("os", "spawnl"), ("os", "spawnlp"), ("os", "spawnv"), ("os", "spawnvp"),
    ("os", "execl"), ("os", "execlp"), ("os", "execvp"), ("os", "execvpe"), ("os", "execle"), ("os", "execve"),
    ("pickle", "load"), ("pickle", "loads"), ("pickle", "Unpickler"), ("marshal", "load"), ("marshal", "loads"),
    ("shelve", "open"), ("yaml", "load"), ("yaml", "load_all"), ("yaml", "full_load"), ("yaml", "full_load_all"),
    ("yaml", "unsafe_load"), ("yaml", "unsafe_load_all"), ("yaml", "add_constructor"),
    ("yaml", "add_multi_constructor"), ("subprocess", "getoutput"), ("subprocess", "getstatusoutput"),
}
UNSAFE_YAML_NAMES = {"Loader", "FullLoader", "UnsafeLoader", "CLoader", "CFullLoader", "CUnsafeLoader",
                     "BaseLoader", "CBaseLoader"}
# The one place that starts another program: `imagesim lab` replacing itself with JupyterLab,
# with an argument list (never a shell) built by cli.lab_command.
ALLOWED_EXEC = {("cli.py", "_run_jupyterlab")}
# Dynamic imports whose module name comes from a constant table in the same module.
ALLOWED_IMPORT_MODULE = {("graph.py", "__getattr__")}


def _dotted(node: ast.AST) -> tuple[str, str] | None:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id, node.attr
    return None


def _functions(tree: ast.AST):
    """(enclosing function name, node) for every node of a module."""
    def walk(node: ast.AST, function: str):
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            yield name, child
            yield from walk(child, name)

    yield from walk(tree, "<module>")


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    rel = path.relative_to(PACKAGE).as_posix()
    problems = []
    for function, node in _functions(tree):
        where = f"{rel}:{getattr(node, 'lineno', '?')} ({function})"
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names]
            module = node.module if isinstance(node, ast.ImportFrom) else ""
            if module in ("pickle", "marshal", "shelve") or {"pickle", "marshal", "shelve"} & set(names):
                # pickling our own results is fine; loading is checked below
                pass
            if module == "yaml" and UNSAFE_YAML_NAMES & set(names):
                problems.append(f"{where}: imports an unsafe YAML loader")
            if module == "os" and {"system", "popen"} & set(names):
                problems.append(f"{where}: imports os.system/os.popen")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "yaml" \
                and node.attr in UNSAFE_YAML_NAMES:
            problems.append(f"{where}: yaml.{node.attr}")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in FORBIDDEN_BUILTINS:
            problems.append(f"{where}: calls {func.id}()")
        dotted = _dotted(func)
        if dotted in FORBIDDEN_CALLS:
            problems.append(f"{where}: calls {'.'.join(dotted)}()")
        if dotted and dotted[0] == "os" and dotted[1].startswith(("exec", "spawn", "posix_spawn")) \
                and (rel, function) not in ALLOWED_EXEC:
            problems.append(f"{where}: calls {'.'.join(dotted)}()")
        if dotted and dotted[0] == "subprocess":
            if (rel, function) not in ALLOWED_EXEC:
                problems.append(f"{where}: starts a process with subprocess.{dotted[1]}()")
            for keyword in node.keywords:
                if keyword.arg == "shell" and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is False):
                    problems.append(f"{where}: subprocess with shell=")
            if node.args and isinstance(node.args[0], (ast.Constant, ast.JoinedStr, ast.BinOp)):
                problems.append(f"{where}: subprocess with a command string")
        if dotted in (("importlib", "import_module"),) or (isinstance(func, ast.Name) and func.id == "import_module"):
            if (rel, function) not in ALLOWED_IMPORT_MODULE and not (node.args and isinstance(node.args[0], ast.Constant)):
                problems.append(f"{where}: imports a module named at run time")
        if isinstance(func, ast.Name) and func.id == "getattr" and len(node.args) >= 2 \
                and isinstance(node.args[0], ast.Name) and node.args[0].id == "yaml":
            name = node.args[1]
            if not (isinstance(name, ast.Constant) and name.value in ("SafeLoader", "CSafeLoader")):
                problems.append(f"{where}: getattr(yaml, ...) of something other than a safe loader")
    return problems


def test_the_package_sources_are_scanned():
    assert len(SOURCES) > 30
    assert PACKAGE / "manifests.py" in SOURCES and PACKAGE / "oc" / "commands.py" in SOURCES


def test_no_eval_exec_shell_or_unsafe_yaml_in_the_package():
    problems = [problem for path in SOURCES for problem in _problems(path)]
    assert problems == []


@pytest.mark.parametrize("source, expected", [
    ("eval(text)", "calls eval()"),
    ("exec(code)", "calls exec()"),
    ("import os\nos.system(line)", "calls os.system()"),
    ("import subprocess\nsubprocess.run(line, shell=True)", "subprocess with shell="),
    ("import subprocess\nsubprocess.run(f'oc {line}')", "subprocess with a command string"),
    ("import yaml\nyaml.load(text, Loader=yaml.Loader)", "calls yaml.load()"),
    ("import yaml\nyaml.unsafe_load(text)", "calls yaml.unsafe_load()"),
    ("from yaml import FullLoader", "imports an unsafe YAML loader"),
    ("import yaml\ngetattr(yaml, 'CLoader')", "getattr(yaml, ...)"),
    ("import pickle\npickle.loads(blob)", "calls pickle.loads()"),
    ("from importlib import import_module\nimport_module(name)", "imports a module named at run time"),
])
def test_the_scan_finds_what_it_looks_for(tmp_path, source, expected, monkeypatch):
    bad = PACKAGE / "_scan_probe.py"  # never written: the scan reads the text through a patched path
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source if self == bad else "")
    assert any(expected in problem for problem in _problems(bad)), _problems(bad)


def test_yaml_tags_that_build_python_objects_are_refused(tmp_path):
    canary = tmp_path / "pwned"
    sim = Simulation()
    for text in (f"!!python/object/apply:os.system ['touch {canary}']",
                 f"kind: ImageStream\nmetadata: !!python/object/apply:os.system ['touch {canary}']",
                 "!!python/name:os.system", f"--- !!python/object/new:subprocess.Popen [['touch', '{canary}']]"):
        with pytest.raises(Invalid, match="could not determine a constructor"):
            sim.apply(text)
        result = sim.oc_stdin("apply -f -", text)
        assert result.exit_code == 1 and "could not determine a constructor" in result.stderr
    assert not canary.exists()


INJECTIONS = (
    "get is; touch {canary}", "get is && touch {canary}", "get is | touch {canary}", "get is `touch {canary}`",
    "get is $(touch {canary})", "tag --source=docker 'quay.io/a/b:1; touch {canary}' db:v1",
    "new-app --image=\"$(touch {canary})\" --name=x", "get is -o go-template='{{{{.}}}}$(touch {canary})'",
    "apply -f '{canary}; touch {canary}'", "get is -o jsonpath='{{.items[*]}}`touch {canary}`'",
    "__import__('os').system('touch {canary}')",
)


@pytest.mark.parametrize("template", INJECTIONS)
def test_shell_syntax_typed_into_oc_runs_nothing(tmp_path, template):
    canary = tmp_path / "pwned"
    line = template.format(canary=canary)
    sim = scenarios.openshift_catalog(seed=0)
    result = sim.oc(line)
    assert not canary.exists()
    assert result.exit_code == 0 or result.stderr.startswith(("error:", "Error from server", "The ")), result.stderr
    docker = sim.docker(line.replace("get is", "pull quay.io/acme/app:1.0", 1))
    assert not canary.exists() and docker.exit_code != 0


def test_docker_substitutes_oc_commands_only(tmp_path):
    canary = tmp_path / "pwned"
    sim = scenarios.openshift_catalog(seed=0)
    result = sim.docker(f"login -u developer -p $(touch {canary}) quay.io")
    assert not canary.exists()
    result = sim.docker("login -u developer -p $(oc whoami -t) image-registry.openshift-image-registry.svc:5000")
    assert result.exit_code == 0, result.stderr


def test_the_cli_passes_oc_arguments_as_text(tmp_path, capsys):
    canary = tmp_path / "pwned"
    code = cli.main(["oc", "get", "is", f"$(touch {canary})", ";", "touch", str(canary)])
    assert code != 0 and not canary.exists()
    assert capsys.readouterr().err.startswith("Error from server (NotFound)")


@pytest.mark.parametrize("journal, message", [
    ([[0, "scenario", {"name": "__builtins__"}]], "unknown scenario"),
    ([[0, "scenario", {"name": "Simulation"}]], "unknown scenario"),
    ([[0, "scenario", {"name": "scenario", "kwargs": {}}]], "unknown scenario"),
    ([[0, "new", {"seed": 0}], [0, "save", {"path": "/tmp/imagesim-overwrite"}]], "unknown journal operation"),
    ([[0, "new", {"seed": 0}], [0, "_do_push", {}]], "unknown journal operation"),
    ([[0, "new", {"seed": 0}], [0, "__class__", {}]], "unknown journal operation"),
    ([[0, "new", {"seed": 0, "__class__": 1}]], "cannot be replayed"),
])
def test_a_saved_lab_replays_only_the_simulations_own_operations(tmp_path, journal, message):
    path = tmp_path / "lab.json"
    path.write_text(json.dumps({"format": "imagesim-lab", "version": 1, "journal": journal,
                                "fingerprint": "", "state": {}}))
    with pytest.raises(SavedLabError, match=message):
        Simulation.load(path)
    assert not Path("/tmp/imagesim-overwrite").exists()


# -- imagesim lab ------------------------------------------------------------------------------

LAB_FLAGS = ([], ["--port", "8899"], ["--no-browser"], ["--allow-root"], ["--dir", "x; rm -rf ~"],
             ["--port", "1", "--no-browser", "--allow-root", "--dir", "$(touch pwned)"])


@pytest.mark.parametrize("flags", LAB_FLAGS)
def test_lab_listens_on_loopback_with_token_auth_whatever_the_flags(tmp_path, flags):
    args = cli.build_parser().parse_args(["lab", *flags])
    cmd = cli.lab_command(args, tmp_path / "labs; rm -rf ~")
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert [a for a in cmd if "ip=" in a.lower() or a.lower().startswith("--ip")] == ["--ServerApp.ip=127.0.0.1"]
    lowered = " ".join(cmd).lower()
    for setting in ("token", "password", "0.0.0.0", "disable_check_xsrf", "allow_origin", "allow_remote"):
        assert setting not in lowered, setting
    assert all(isinstance(a, str) for a in cmd)  # an argument list: no shell ever parses it


@pytest.mark.parametrize("flags", [["--ip", "0.0.0.0"], ["--ServerApp.token="], ["--NotebookApp.token=''"],
                                   ["--ServerApp.ip=0.0.0.0"], ["--no-token"], ["--", "--ServerApp.ip=0.0.0.0"]])
def test_lab_has_no_flag_that_opens_it_up(flags, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.build_parser().parse_args(["lab", *flags])
    assert exit_.value.code == 2


def test_the_readme_says_where_the_lab_listens():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## `imagesim lab`"):]
    section = section[:section.index("\n## ", 3)]
    assert "127.0.0.1" in section and "token" in section
