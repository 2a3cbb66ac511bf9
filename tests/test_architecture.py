"""Imports run one way: app → surveys → analysis."""
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("package, forbidden", [
    ("analysis", ["flask", "sqlalchemy", "surveys", "app"]),
    ("surveys", ["flask", "app"]),
])
def test_package_import_does_not_pull_in_outer_layers(package, forbidden):
    modules = [p.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")
               for p in (ROOT / package).rglob("*.py") if "__main__" not in p.name]
    imports = "; ".join(f"import {m}" for m in modules)
    check = f"import sys; {imports}; print(sorted(m for m in {forbidden!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
