"""The architecture (docs/ARCHITECTURE.md) as tests: what lint-imports cannot see.

lint-imports (pyproject.toml, run by .ci/run) checks who imports whom. These tests check
that areas stay free of HTTP and that every module of the ground is under the contracts,
so that a new top-level module cannot slip past them.
"""

import ast
import tomllib
from pathlib import Path

import pytest

KIOSK = Path(__file__).resolve().parents[1] / "kiosk"
COMPOSITION = {"__init__", "cli", "demo"}  # the factory, the command line and the demo wire areas together
REQUEST_STATE = {"request", "session", "g"}


def _contracts():
    config = tomllib.loads((KIOSK.parent / "pyproject.toml").read_text())
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _areas():
    return sorted(
        p.name
        for p in KIOSK.iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name not in {"blueprints", "models", "migrations"}
    )


@pytest.mark.parametrize("area", _areas())
def test_an_area_knows_nothing_of_the_request(area):
    """Rules live in areas that know nothing of HTTP: no flask.request, session or g."""
    offenders = []
    for path in (KIOSK / area).rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "flask":
                used = {alias.name for alias in node.names} & REQUEST_STATE
                if used:
                    offenders.append(f"{path.relative_to(KIOSK)}: from flask import {', '.join(sorted(used))}")
            if (
                isinstance(node, ast.Attribute)
                and node.attr in REQUEST_STATE
                and isinstance(node.value, ast.Name)
                and node.value.id == "flask"
            ):
                offenders.append(f"{path.relative_to(KIOSK)}: flask.{node.attr}")
    assert offenders == []


def test_every_area_and_ground_module_is_under_the_contracts():
    contracts = _contracts()
    ground = {f"kiosk.{p.stem}" for p in KIOSK.glob("*.py") if p.stem not in COMPOSITION}
    areas = {f"kiosk.{name}" for name in _areas()}
    below_blueprints = set(contracts["no-blueprint-below"]["source_modules"])
    assert ground | areas | {"kiosk.models"} == below_blueprints
    assert ground | {"kiosk.models"} == set(contracts["ground-below-areas"]["source_modules"])
    assert areas <= set(contracts["ground-below-areas"]["forbidden_modules"])
