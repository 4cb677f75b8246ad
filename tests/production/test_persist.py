"""Reading data, column roles, feature schema, and the verified model directory."""

import gzip
import json
import warnings

import numpy as np
import pandas as pd
import pytest

from actionable.production import (
    ColumnRoles,
    FeatureSchema,
    ModelIntegrityError,
    ModelVersionWarning,
    load_model_directory,
    read_table,
    save_model_directory,
    write_csv_atomically,
)
from actionable.production import _directory as persist
from actionable.production import _io as production_io


@pytest.fixture
def frame():
    return pd.DataFrame(
        {
            "customer": ["a", "b", "c", "d"],
            "offer": ["yes", "no", "yes", "no"],
            "bought": [1, 0, 0, 1],
            "age": [31, 45, 22, 60],
            "plan": ["basic", "pro", "pro", "basic"],
        }
    )


# ------------------------------------------------------------------ read_table
@pytest.mark.parametrize("name", ["data.csv", "data.csv.gz", "data.parquet", "data.txt"])
def test_read_table_formats(tmp_path, frame, name):
    path = tmp_path / name
    if name.endswith(".parquet"):
        frame.to_parquet(path)
    else:
        frame.to_csv(path, index=False)
    read = read_table(path)
    assert read.shape == frame.shape
    assert read["plan"].tolist() == frame["plan"].tolist()


def test_read_table_sniffs_misnamed_gzip(tmp_path, frame):
    path = tmp_path / "data.csv"
    path.write_bytes(gzip.compress(frame.to_csv(index=False).encode()))
    assert read_table(path).shape == frame.shape


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "file not found"),
        (lambda p: p.mkdir(), "it is a directory"),
        (lambda p: p.write_bytes(b""), "the file is empty"),
        (lambda p: p.write_text("a,b\n"), "no data rows"),
    ],
)
def test_read_table_unreadable(tmp_path, setup, message):
    path = tmp_path / "data.csv"
    setup(path)
    with pytest.raises(ValueError, match=message) as info:
        read_table(path)
    assert "\n" not in str(info.value)
    assert "data.csv" in str(info.value)


def test_read_table_bad_content(tmp_path):
    bad_parquet = tmp_path / "data.parquet"
    bad_parquet.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="named Parquet but is not a Parquet file"):
        read_table(bad_parquet)
    truncated = tmp_path / "data.csv.gz"
    truncated.write_bytes(gzip.compress(b"a,b\n" + b"1,2\n" * 1000)[:40])
    with pytest.raises(ValueError, match="as CSV"):
        read_table(truncated)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1" + b"\x00" * 20)
    with pytest.raises(ValueError, match="as Parquet"):
        read_table(broken)
    excel = tmp_path / "data.xlsx"
    excel.write_bytes(b"PK\x03\x04 not a table")
    with pytest.raises(ValueError, match="unsupported file type '.xlsx'"):
        read_table(excel)


def test_write_csv_atomically_leaves_nothing_on_failure(tmp_path, frame, monkeypatch):
    target = tmp_path / "out.csv"
    write_csv_atomically(frame, target)
    before = target.read_bytes()

    class Exploding(pd.DataFrame):
        def to_csv(self, *args, **kwargs):
            args[0].write("partial")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):  # pandas' writer
        write_csv_atomically(Exploding(frame), target, float_format="%g")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]

    def exploding_arrow_writer(table, stream):
        stream.write(b"partial")
        raise RuntimeError("disk full")

    monkeypatch.setattr(production_io, "_write_arrow_csv", exploding_arrow_writer)
    with pytest.raises(RuntimeError, match="disk full"):  # pyarrow's writer
        write_csv_atomically(frame, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_fast_csv_reading_and_writing_match_pandas(tmp_path, monkeypatch):
    """pyarrow reads and writes what pandas would; other content falls back to pandas."""
    written = []
    real_writer = production_io._write_arrow_csv
    monkeypatch.setattr(
        production_io, "_write_arrow_csv", lambda *a: written.append(1) or real_writer(*a)
    )
    plain = pd.DataFrame({"customer": ["a", "b"], "age": [31, 45], "spend": [1.5, np.nan]})
    quoted = plain.assign(customer=["a, with comma", 'b "quoted"'])
    for number, frame in enumerate((plain, quoted)):
        path = tmp_path / f"fast{number}.csv"
        write_csv_atomically(frame, path)
        assert len(written) == number + 1  # pyarrow's writer
        assert path.read_text().splitlines()[0].strip('"').startswith("customer")
        pd.testing.assert_frame_equal(pd.read_csv(path), frame)
        pd.testing.assert_frame_equal(read_table(path), pd.read_csv(path))
    assert (tmp_path / "fast0.csv").read_text() == "customer,age,spend\na,31,1.5\nb,45,\n"
    flags = tmp_path / "flags.csv"
    write_csv_atomically(plain.assign(flag=[True, False]), flags)
    assert len(written) == 2  # booleans: pandas' writer (True/False)
    assert flags.read_text().splitlines()[1].endswith(",True")
    dated = tmp_path / "dated.csv"
    dated.write_text("day,x\n2026-01-02,1\n2026-01-03,2\n")
    assert read_table(dated)["day"].tolist() == ["2026-01-02", "2026-01-03"]  # not a date
    empty_column = tmp_path / "empty.csv"
    empty_column.write_text("x,nothing\n1,\n2,\n")
    pd.testing.assert_frame_equal(read_table(empty_column), pd.read_csv(empty_column))


# ---------------------------------------------------------------- column roles
def test_roles_flags_and_features(frame):
    roles = ColumnRoles(treatment="offer", treated="yes", outcome="bought", id_column="customer")
    np.testing.assert_array_equal(roles.treatment_flags(frame), [1, 0, 1, 0])
    np.testing.assert_array_equal(roles.outcome_flags(frame), [1, 0, 0, 1])
    assert roles.feature_names(frame) == ["age", "plan"]
    favourable = ColumnRoles(treatment="offer", treated="yes", outcome="plan", favorable="pro")
    np.testing.assert_array_equal(favourable.outcome_flags(frame), [0, 1, 1, 0])


def test_roles_numeric_treatment_matches_text_value():
    frame = pd.DataFrame({"t": [1.0, 0.0, 1.0], "y": [True, False, True]})
    roles = ColumnRoles(treatment="t", treated="1", outcome="y", favorable="true")
    np.testing.assert_array_equal(roles.treatment_flags(frame), [1, 0, 1])
    np.testing.assert_array_equal(roles.outcome_flags(frame), [1, 0, 1])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="offer"), "treatment column 'offer' is missing from DATA"),
        (lambda f: f.drop(columns="bought"), "outcome column 'bought' is missing from DATA"),
        (
            lambda f: f.assign(offer=["yes", "no", "maybe", "no"]),
            r"treatment column 'offer' has 3 values \['yes', 'no', 'maybe'\]; exactly two",
        ),
        (lambda f: f.assign(offer="yes"), "treatment column 'offer' has no control rows"),
        (lambda f: f.assign(offer="no"), "treatment column 'offer' has no treated rows"),
        (lambda f: f.assign(offer=["yes", None, "no", "no"]), "missing value at row 1"),
        (
            lambda f: f.assign(bought=[1, 0, np.nan, 1]),
            r"outcome column 'bought' has a missing value \(NaN\) at row 2",
        ),
        (lambda f: f.assign(bought=[1, 0, 2, 3]), "outcome column 'bought' has 4 values"),
        (
            lambda f: f.assign(bought=["y", "n", "y", "n"]),
            r"not 0/1; say which one is favourable \(`favorable`\)",
        ),
    ],
)
def test_roles_bad_input(frame, change, message):
    roles = ColumnRoles(treatment="offer", treated="yes", outcome="bought")
    bad = change(frame)

    def both():
        roles.treatment_flags(bad)
        roles.outcome_flags(bad)

    with pytest.raises(ValueError, match=message):
        both()


def test_roles_must_differ_and_round_trip():
    with pytest.raises(ValueError, match="must be different columns"):
        ColumnRoles(treatment="x", treated="1", outcome="x")
    roles = ColumnRoles(treatment="t", treated="1", outcome="y", id_column="id", drop=("a",))
    assert ColumnRoles.from_dict(json.loads(json.dumps(roles.to_dict()))) == roles


# -------------------------------------------------------------- feature schema
def test_schema_transform_orders_and_types(frame):
    schema = FeatureSchema.from_frame(frame[["age", "plan"]])
    assert schema.names == ["age", "plan"]
    assert schema.categorical == ["plan"]
    new = pd.DataFrame({"plan": ["pro", None], "extra": [1, 2], "age": [1.5, np.nan]})
    out = schema.transform(new)
    assert out.columns.tolist() == ["age", "plan"]
    assert out["age"].dtype == np.float64
    assert out["plan"].cat.categories.tolist() == ["basic", "pro"]
    assert out["plan"].cat.codes.tolist() == [1, -1]
    again = FeatureSchema.from_dict(json.loads(json.dumps(schema.to_dict())))
    assert again == schema


def test_schema_rejects_missing_column_and_wrong_dtype(frame):
    schema = FeatureSchema.from_frame(frame[["age", "plan"]])
    with pytest.raises(ValueError, match="column 'plan' is missing: the model was trained with it"):
        schema.transform(frame[["age"]])
    with pytest.raises(ValueError, match=r"column 'age' must hold numbers, as in training"):
        schema.transform(frame.assign(age=["31", "forty", "22", "60"]))


def test_schema_unseen_category_warns_and_becomes_missing(frame):
    schema = FeatureSchema.from_frame(frame[["age", "plan"]])
    with pytest.warns(UserWarning, match="column 'plan' has 1 value.*never seen.*'gold'"):
        out = schema.transform(frame.assign(plan=["basic", "gold", "pro", "pro"]))
    assert out["plan"].isna().tolist() == [False, True, False, False]


def test_schema_categories_read_back_as_numbers_match(frame, tmp_path):
    schema = FeatureSchema.from_frame(pd.DataFrame({"zone": ["1", "2", "10"]}))
    out = schema.transform(pd.DataFrame({"zone": [10, 2]}))
    assert out["zone"].astype(str).tolist() == ["10", "2"]


# ------------------------------------------------------------- model directory
def _save(path, **extra):
    return save_model_directory(
        path,
        objects={"model": {"weights": [1, 2, 3]}},
        documents={"rule": {"threshold": 0.5}},
        texts={"decision.toml": 'owner = "me"\n'},
        **extra,
    )


def test_model_directory_round_trip(tmp_path):
    directory = _save(tmp_path / "model")
    loaded = load_model_directory(directory)
    assert loaded.objects["model"] == {"weights": [1, 2, 3]}
    assert loaded.documents["rule"] == {"threshold": 0.5}
    assert loaded.texts["decision.toml"] == 'owner = "me"\n'
    assert loaded.documents["versions"]["numpy"] == np.__version__
    manifest = json.loads((directory / "manifest.json").read_text())
    assert sorted(manifest["files"]) == [
        "decision.toml",
        "model.joblib",
        "rule.json",
        "versions.json",
    ]


def test_changed_file_fails_before_unpickling(tmp_path, monkeypatch):
    directory = _save(tmp_path / "model")
    path = directory / "model.joblib"
    path.write_bytes(path.read_bytes() + b"\x00")
    import joblib

    monkeypatch.setattr(joblib, "load", lambda *a, **k: pytest.fail("unpickled a tampered file"))
    with pytest.raises(ModelIntegrityError, match="'model.joblib' changed after it was saved"):
        load_model_directory(directory)


def test_changed_document_fails(tmp_path):
    directory = _save(tmp_path / "model")
    (directory / "rule.json").write_text('{"threshold": -100}')
    with pytest.raises(ValueError, match="tampered with: 'rule.json' changed"):
        load_model_directory(directory)


def test_missing_and_unexpected_files_fail(tmp_path):
    directory = _save(tmp_path / "model")
    (directory / "decision.toml").unlink()
    with pytest.raises(ModelIntegrityError, match="'decision.toml' is listed in manifest.json but"):
        load_model_directory(directory)
    directory = _save(tmp_path / "other")
    (directory / "evil.joblib").write_bytes(b"x")
    with pytest.raises(ModelIntegrityError, match="'evil.joblib' is not listed in manifest.json"):
        load_model_directory(directory)
    (directory / "evil.joblib").unlink()
    (directory / "manifest.json").unlink()
    with pytest.raises(ModelIntegrityError, match="manifest.json is missing"):
        load_model_directory(directory)
    with pytest.raises(ModelIntegrityError, match="does not exist"):
        load_model_directory(tmp_path / "nowhere")


def test_damaged_manifest_fails(tmp_path):
    directory = _save(tmp_path / "model")
    (directory / "manifest.json").write_text("{not json")
    with pytest.raises(ModelIntegrityError, match="manifest.json is damaged"):
        load_model_directory(directory)


def test_version_mismatch_warns(tmp_path, monkeypatch):
    directory = _save(tmp_path / "model")
    current = persist.package_versions()
    monkeypatch.setattr(persist, "package_versions", lambda: {**current, "scikit-learn": "0.0.1"})
    with pytest.warns(ModelVersionWarning, match=r"scikit-learn .* -> 0.0.1"):
        loaded = load_model_directory(directory)
    assert loaded.objects["model"]["weights"] == [1, 2, 3]
    monkeypatch.undo()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_model_directory(directory)


def test_save_replaces_model_but_refuses_other_directory(tmp_path):
    directory = _save(tmp_path / "model")
    save_model_directory(directory, objects={"model": 7})
    assert load_model_directory(directory).objects["model"] == 7
    assert not (directory / "rule.json").exists()
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"meow")
    with pytest.raises(ValueError, match="refusing to overwrite"):
        save_model_directory(other, objects={"model": 1})
    assert (other / "cat.jpg").read_bytes() == b"meow"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model", "photos"]


def test_failed_save_leaves_previous_model(tmp_path):
    directory = _save(tmp_path / "model")

    class Unpicklable:
        def __reduce__(self):
            raise RuntimeError("cannot pickle")

    with pytest.raises(RuntimeError, match="cannot pickle"):
        save_model_directory(directory, objects={"model": Unpicklable()})
    assert load_model_directory(directory).objects["model"] == {"weights": [1, 2, 3]}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
