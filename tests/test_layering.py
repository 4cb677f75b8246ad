"""Imports inside src/actionable must follow the layering of docs/architecture.md."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "actionable"

# Each layer may import only layers with a strictly lower rank (docs/architecture.md).
RANK = {
    "_validation": 0,
    "_compat": 0,
    "_format": 0,
    "_atomic": 0,
    "exceptions": 0,
    "_interval": 0,
    # the bootstrap engine returns an _interval.Interval, so it sits one rank above it
    "_resampling": 1,
    "datasets": 1,
    "metrics": 2,
    "models": 3,
    "economics": 4,
    "paired": 5,
    "decision": 6,
    "production": 7,
    # scores saved models over Dask partitions; the reports never need it, nor it them
    "distributed": 8,
    "report": 8,
    "cli": 9,
}


def _layer(module_path):
    relative = module_path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def _imported_layers(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    package_parts = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "actionable" and len(parts) > 1:
                    yield parts[1], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package_parts[: len(package_parts) - node.level + 1])
                parts = base + (node.module.split(".") if node.module else [])
            else:
                parts = node.module.split(".") if node.module else []
            if parts and parts[0] == "actionable":
                if len(parts) > 1:
                    yield parts[1], node.lineno
                else:
                    for alias in node.names:
                        yield alias.name, node.lineno


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_layers(path):
    layer = _layer(path)
    assert layer in RANK, f"{path}: layer {layer!r} is not in docs/architecture.md"
    for imported, lineno in _imported_layers(path):
        if imported == "__version__" or imported == layer:
            continue
        assert imported in RANK, f"{path}:{lineno} imports unknown layer {imported!r}"
        assert RANK[imported] < RANK[layer], (
            f"{path}:{lineno}: {layer} (rank {RANK[layer]}) may not import "
            f"{imported} (rank {RANK[imported]})"
        )


def test_no_scikit_uplift_in_package():
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "sklift" for n in names), path


def test_import_is_light():
    import subprocess
    import sys

    code = (
        "import sys, actionable; "
        "heavy = [m for m in ('matplotlib', 'lightgbm', 'sklift', 'torch') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import actionable pulled in {out.stdout.strip()}"


def test_the_root_names_come_from_public_modules():
    """``from actionable import X`` never reaches into a private module or the CLI."""
    import actionable

    for name, module in actionable._LAZY.items():
        parts = module.split(".")
        assert parts[:1] == ["actionable"], (name, module)
        assert len(parts) == 2, (name, module)
        assert not parts[1].startswith("_"), (name, module)
        assert RANK[parts[1]] < RANK["cli"], (name, module)
        assert getattr(actionable, name) is not None


def test_the_command_line_is_small():
    """The command line only parses, calls the library and prints (issue 15)."""
    lines = sum(len(path.read_text().splitlines()) for path in [PACKAGE / "cli.py"])
    assert lines < 400, lines
    assert not (PACKAGE / "_commands").exists()
