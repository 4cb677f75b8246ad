"""A model directory: files with a manifest of sha256 hashes, checked before unpickling.

``save_model_directory`` writes joblib files, JSON and text documents, the package
versions and ``manifest.json``; ``load_model_directory`` verifies every file against
the manifest **before** anything is unpickled.

The manifest detects files that are missing, added or changed (corruption, a partial
copy, an edit). It is not a signature: whoever can rewrite the directory can rewrite
the manifest too, so only load model directories from places you trust.
"""

import hashlib
import io
import json
import os
import platform
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path

from actionable._atomic import apply_umask, dumps_json, os_error
from actionable.exceptions import ModelIntegrityError, ModelVersionWarning

MANIFEST = "manifest.json"
VERSIONS = "versions.json"
FORMAT_NAME = "actionable-model"
FORMAT_VERSION = 1
# Packages whose version changes what an unpickled model computes.
_TRACKED_PACKAGES = ("actionable", "scikit-learn", "lightgbm", "numpy", "pandas", "joblib", "scipy")


def package_versions():
    """Return the versions of Python and of the packages a saved model depends on.

    Returns
    -------
    dict of str to str
        ``"python"`` and each tracked package (``None`` when not installed).

    Examples
    --------
    >>> sorted(package_versions())[:3]
    ['actionable', 'joblib', 'lightgbm']
    """
    versions = {"python": platform.python_version()}
    for package in _TRACKED_PACKAGES:
        try:
            versions[package] = importlib_metadata.version(package)
        except importlib_metadata.PackageNotFoundError:
            versions[package] = None
    return versions


def save_model_directory(directory, *, objects, documents=None, texts=None):
    """Write a model directory with a manifest of sha256 hashes, atomically.

    The files are written into a temporary sibling directory which then replaces
    ``directory``: a reader never sees a half-written model. An existing model
    directory is replaced; any other non-empty directory is left alone. The files get
    the permissions of any new file under the process's umask.

    Parameters
    ----------
    directory : str or path-like
        Directory to (re)create.
    objects : dict of str to object
        Picklable objects, each written with joblib as ``<name>.joblib``.
    documents : dict of str to dict, default=None
        JSON documents, each written as ``<name>.json``.
    texts : dict of str to str, default=None
        Text files, written under their own file name (e.g. ``"decision.toml"``).

    Returns
    -------
    pathlib.Path
        The model directory.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "model"
    >>> _ = save_model_directory(folder, objects={"model": [1, 2]},
    ...                          documents={"rule": {"threshold": 0.5}})
    >>> sorted(p.name for p in folder.iterdir())
    ['manifest.json', 'model.joblib', 'rule.json', 'versions.json']
    >>> load_model_directory(folder).objects["model"]
    [1, 2]
    """
    import joblib

    directory = Path(directory)
    documents = dict(documents or {})
    texts = dict(texts or {})
    if VERSIONS.removesuffix(".json") in documents:
        raise ValueError(f"{VERSIONS!r} is written by save_model_directory itself.")
    if directory.exists():
        if not directory.is_dir():
            raise ValueError(f"cannot write model directory {str(directory)!r}: it is a file.")
        if any(directory.iterdir()) and not (directory / MANIFEST).is_file():
            raise ValueError(
                f"refusing to overwrite {str(directory)!r}: it is not empty and is not a "
                "model directory (no manifest.json)."
            )
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".part", dir=directory.parent)
        )
    except OSError as exc:
        raise os_error(directory, exc) from exc
    try:
        payloads = {}
        for name, value in objects.items():
            buffer = io.BytesIO()
            joblib.dump(value, buffer)
            payloads[f"{name}.joblib"] = buffer.getvalue()
        for name, document in {**documents, "versions": package_versions()}.items():
            payloads[f"{name}.json"] = dumps_json(document).encode("utf-8")
        for name, text in texts.items():
            payloads[name] = text.encode("utf-8")
        if MANIFEST in payloads:
            raise ValueError(f"{MANIFEST!r} is written by save_model_directory itself.")
        for name, payload in payloads.items():
            (staging / name).write_bytes(payload)
        manifest = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "files": {
                name: hashlib.sha256(payload).hexdigest()
                for name, payload in sorted(payloads.items())
            },
        }
        (staging / MANIFEST).write_text(dumps_json(manifest), encoding="utf-8")
        for child in staging.iterdir():
            apply_umask(child)
        apply_umask(staging, directory=True)
        if directory.exists():
            retired = directory.with_name(f".{directory.name}.old-{os.getpid()}")
            os.replace(directory, retired)
            os.replace(staging, directory)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, directory)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise os_error(directory, exc) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return directory


@dataclass
class LoadedModelDirectory:
    """Content of a verified model directory.

    Attributes
    ----------
    path : pathlib.Path
    objects : dict of str to object
        Unpickled ``<name>.joblib`` files.
    documents : dict of str to dict
        Parsed ``<name>.json`` files (including ``versions``).
    texts : dict of str to str
        Other files, as text.
    """

    path: Path
    objects: dict
    documents: dict
    texts: dict


def _read_manifest(directory):
    where = str(directory)
    if directory.is_file():
        raise ModelIntegrityError(
            f"{where!r} is a file, not a model directory: give the directory the model "
            "was saved to."
        )
    if not directory.is_dir():
        raise ModelIntegrityError(f"model directory {where!r} does not exist.")
    path = directory / MANIFEST
    if not path.is_file():
        raise ModelIntegrityError(
            f"{where!r} is not an actionable model directory: manifest.json is missing."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest["files"]
        if manifest.get("format") != FORMAT_NAME or not isinstance(files, dict):
            raise KeyError("format")
    except (ValueError, KeyError, TypeError):
        raise ModelIntegrityError(
            f"{where!r}: manifest.json is damaged or not an actionable manifest."
        ) from None
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise ModelIntegrityError(
            f"{where!r} was saved in model format {manifest['format_version']}; this "
            f"version of actionable reads format {FORMAT_VERSION}: upgrade actionable."
        )
    return files


def load_model_directory(directory, *, check_versions=True):
    """Verify a model directory against its manifest, then load it.

    Every file listed in ``manifest.json`` must exist with the recorded sha256, and
    no other (non-hidden) file may be present; only then is anything unpickled.
    Files are hashed from the same bytes that are then parsed.

    Parameters
    ----------
    directory : str or path-like
        A directory written by :func:`save_model_directory`.
    check_versions : bool, default=True
        Warn (:class:`ModelVersionWarning`) when the model was saved with other
        versions of actionable, scikit-learn, LightGBM, numpy, pandas, joblib or
        scipy than the installed ones.

    Returns
    -------
    LoadedModelDirectory
        Unpickled objects, parsed JSON documents and texts.

    Raises
    ------
    ModelIntegrityError
        A ``ValueError`` naming the missing, unexpected or changed file.
    """
    import joblib

    directory = Path(directory)
    listed = _read_manifest(directory)
    present = {p.name for p in directory.iterdir() if not p.name.startswith(".")}
    present.discard(MANIFEST)
    for name in sorted(listed):
        if name not in present:
            raise ModelIntegrityError(
                f"model directory {str(directory)!r} is incomplete or was tampered with: "
                f"{name!r} is listed in manifest.json but missing."
            )
    unexpected = sorted(present - set(listed))
    if unexpected:
        raise ModelIntegrityError(
            f"model directory {str(directory)!r} was tampered with: {unexpected[0]!r} is "
            "not listed in manifest.json (remove it, or save the model again)."
        )
    payloads = {}
    for name, expected in listed.items():
        payload = (directory / name).read_bytes()
        if hashlib.sha256(payload).hexdigest() != expected:
            raise ModelIntegrityError(
                f"model directory {str(directory)!r} was tampered with: {name!r} changed "
                "after it was saved (sha256 differs from manifest.json)."
            )
        payloads[name] = payload
    documents, texts, objects = {}, {}, {}
    for name, payload in payloads.items():
        if name.endswith(".json"):
            documents[name.removesuffix(".json")] = json.loads(payload.decode("utf-8"))
        elif not name.endswith(".joblib"):
            texts[name] = payload.decode("utf-8")
    if check_versions:
        _warn_on_version_change(documents.get("versions", {}), directory)
    for name, payload in payloads.items():
        if name.endswith(".joblib"):
            objects[name.removesuffix(".joblib")] = joblib.load(io.BytesIO(payload))
    return LoadedModelDirectory(path=directory, objects=objects, documents=documents, texts=texts)


def _warn_on_version_change(saved, directory):
    current = package_versions()
    changed = [
        f"{package} {saved.get(package)} -> {current.get(package)}"
        for package in _TRACKED_PACKAGES
        if package in saved and saved.get(package) != current.get(package)
    ]
    if changed:
        warnings.warn(
            f"model {str(directory)!r} was saved with other package versions "
            f"({'; '.join(changed)}); predictions may differ. Refit it, or install the "
            "versions in versions.json.",
            ModelVersionWarning,
            stacklevel=3,
        )
