"""What is installed is locked and declared: every package the code imports is a declared
dependency, every declared one is pinned in constraints.txt (within its range), and Docker and
CI install from that file."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
OUR_PACKAGES = {"bot", "handlers", "storage", "scheduler", "locales", "bench", "tests"}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _declared(*, with_tests: bool) -> dict[str, Requirement]:
    project = _project()
    lines = list(project["dependencies"])
    if with_tests:
        lines += project["optional-dependencies"]["test"]
    requirements = [Requirement(line) for line in lines]
    return {canonicalize_name(r.name): r for r in requirements}


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def _imported(folders: list[str]) -> set[str]:
    """Top-level modules imported anywhere in these folders (not our own, not the stdlib)."""
    found: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
    return found - OUR_PACKAGES - set(sys.stdlib_module_names) - {"__future__"}


def _distributions(modules: set[str]) -> dict[str, set[str]]:
    names = packages_distributions()
    return {m: {canonicalize_name(d) for d in names.get(m, [])} for m in modules}


def test_every_package_the_bot_imports_is_declared():
    declared = set(_declared(with_tests=False))
    runtime = _imported(["bot", "handlers", "storage", "scheduler", "locales", "bench"])
    missing = {m: d for m, d in _distributions(runtime).items() if not d & declared}
    assert missing == {}, f"imported but not in [project] dependencies: {missing}"


def test_every_package_the_tests_import_is_declared():
    declared = set(_declared(with_tests=True))
    missing = {m: d for m, d in _distributions(_imported(["tests"])).items() if not d & declared}
    assert missing == {}, f"imported by tests but not declared: {missing}"


def test_every_declared_package_is_pinned_within_its_range():
    pins = _pins()
    for name, requirement in _declared(with_tests=True).items():
        assert name in pins, f"{name} is not pinned in constraints.txt"
        assert requirement.specifier.contains(pins[name], prereleases=True), (name, pins[name])


def test_docker_and_ci_install_from_the_constraints():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"pip install -c constraints\.txt \.", dockerfile)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -c constraints.txt -e '.[test]'" in ci
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -c constraints.txt -e ." in readme
    assert "pip install -c constraints.txt -e '.[test]'" in readme
