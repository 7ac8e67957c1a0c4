"""The core imports no I/O module and nothing from the shell."""

import ast
import json
import pathlib
import subprocess
import sys

import pytest

import xpander_pure

FORBIDDEN = {
    "asyncio",
    "httpx",
    "socket",
    "sqlite3",
    "os",
    "time",
    "subprocess",
    "threading",
    "pathlib",
    "requests",
    "aiohttp",
    "uvicorn",
    "starlette",
    "xpander_io",
    "random",
}
PACKAGE_DIR = pathlib.Path(xpander_pure.__file__).parent


def test_no_module_of_the_core_imports_io() -> None:
    offenders = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


@pytest.mark.parametrize("package", ["xpander_pure", "xpander_pure.platform"])
def test_importing_the_core_loads_no_io_module(package: str) -> None:
    code = (
        f"import sys, json; before = set(sys.modules); import {package}; "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in json.loads(out.stdout)}
    assert loaded & (FORBIDDEN - {"os", "time", "threading", "random"}) == set()
    assert "xpander_io" not in loaded
