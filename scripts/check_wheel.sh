#!/usr/bin/env bash
# Build the sdist and the wheel, install the wheel into a clean virtual environment outside
# the repository, and run the commands a new user runs first. An editable install hides
# missing package data (the bundled Hillstrom file, the report templates); this does not.
# Usage: scripts/check_wheel.sh [PYTHON]   (PYTHON builds the packages; default .venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" -m pip install --quiet build
"$python" -m build --outdir "$work/dist" . >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
wheel=$(ls "$work"/dist/actionable-*.whl)
echo "built $(basename "$wheel") and $(basename "$(ls "$work"/dist/actionable-*.tar.gz)")"

"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --upgrade pip
"$work/venv/bin/python" -m pip install --quiet "$wheel"

cd "$work"  # nothing of the repository on the path from here on
"$work/venv/bin/python" - <<'PY'
import actionable, importlib.resources as resources
location = actionable.__file__
assert "site-packages" in location, f"imported from {location}, not from the installed wheel"
for package, name in [("actionable.datasets", "data/hillstrom.csv.bz2"),
                      ("actionable.report", "templates/report.css")]:
    assert (resources.files(package) / name).is_file(), f"{package}/{name} is not in the wheel"
print(f"actionable {actionable.__version__} imported from {location}")
PY
"$work/venv/bin/actionable" --version
"$work/venv/bin/actionable" datasets list >"$work/list.txt"
grep -q "^hillstrom" "$work/list.txt" && grep -q "^starbucks" "$work/list.txt"
echo "actionable datasets list: $(grep -c . "$work/list.txt") lines"
"$work/venv/bin/actionable" demo --n-samples 5000 --out "$work/demo" --quiet >"$work/demo.txt"
"$work/venv/bin/actionable" demo --dataset hillstrom --n-samples 5000 --out "$work/hillstrom" \
  --quiet >"$work/hillstrom.txt"
grep -m 1 "earns" "$work/demo.txt" || true
for folder in demo hillstrom; do
  for file in index.html summary.json qini.png; do
    test -s "$work/$folder/$file" || { echo "missing $folder/$file" >&2; exit 1; }
  done
done
echo "wheel check passed: the demo (churn and Hillstrom) and datasets list run from the installed wheel"
