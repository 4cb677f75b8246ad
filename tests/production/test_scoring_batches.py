"""Scoring a file in batches reads, conforms and writes exactly as reading it whole does."""

import io
import warnings

import numpy as np
import pandas as pd
import pytest

from actionable.exceptions import BatchReadingUnavailable
from actionable.production import _io as production_io
from actionable.production._files import _in_rank_order
from actionable.production._io import PANDAS_NA_VALUES, iter_batches, write_csv_atomically
from actionable.production._schema import FeatureSchema


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def _batches(path, columns, **kinds):
    return pd.concat(list(iter_batches(path, columns, **kinds)), ignore_index=True)


def test_pandas_missing_value_markers_are_the_ones_read_as_missing():
    from pandas._libs.parsers import STR_NA_VALUES

    assert set(PANDAS_NA_VALUES) == set(STR_NA_VALUES)


def test_numbers_and_missing_values_are_read_as_pandas_reads_them(tmp_path, monkeypatch):
    monkeypatch.setattr(production_io, "BATCH_ROWS", 7)
    rng = np.random.default_rng(0)
    numbers = [repr(float(v)) for v in rng.standard_normal(40) * 10.0 ** rng.integers(-20, 20, 40)]
    tokens = [*numbers, "5", "+5", "5.", ".5", "1e5", "-0", "1e400", "1e-400", "inf", "-Infinity"]
    tokens += [*PANDAS_NA_VALUES]
    plans = ["basic", "pro", "NA", "", "basic", "enterprise"] * 20
    ids = [f"c{i:03d}" for i in range(len(tokens))]
    rows = [f'{i},{t},"{p}"' for i, t, p in zip(ids, tokens, plans, strict=False)]
    path = _write(tmp_path / "data.csv", "id,spend,plan\n" + "\n".join(rows) + "\n")
    read = _batches(path, ["id", "spend", "plan"], numeric={"spend"}, categorical={"plan"})
    whole = pd.read_csv(path, dtype={"id": str, "spend": "float64", "plan": str})
    np.testing.assert_array_equal(
        read["spend"].to_numpy().view(np.int64), whole["spend"].to_numpy().view(np.int64)
    )
    assert read["id"].tolist() == whole["id"].tolist()
    assert isinstance(read["plan"].dtype, pd.CategoricalDtype)
    assert read["plan"].astype(object).tolist() == whole["plan"].astype(object).tolist()


@pytest.mark.parametrize("token", ["NAN", "+nan", "nan(1)", "true", "12 cats"])
def test_a_number_pandas_would_not_read_stops_batch_reading(tmp_path, token):
    path = _write(tmp_path / "data.csv", f"id,spend\n1,3.5\n2,{token}\n3,4\n")
    with pytest.raises(BatchReadingUnavailable):
        _batches(path, ["id", "spend"], numeric={"spend"})


def test_a_gzip_compressed_csv_and_a_parquet_file_read_the_same(tmp_path):
    frame = pd.DataFrame({"id": ["a", "b", "c"], "x": [1.5, np.nan, 3.0], "k": ["u", None, "v"]})
    frame.to_csv(tmp_path / "data.csv.gz", index=False)
    frame.to_parquet(tmp_path / "data.parquet")
    for name in ("data.csv.gz", "data.parquet"):
        read = _batches(tmp_path / name, ["id", "x", "k"], numeric={"x"}, categorical={"k"})
        np.testing.assert_array_equal(read["x"], frame["x"])
        assert read["k"].astype(object).tolist()[::2] == ["u", "v"]
        assert pd.isna(read["k"].iloc[1])


def _schema():
    train = pd.DataFrame({"age": [30.0, 41.0, 25.0], "plan": ["basic", "pro", "basic"]})
    return FeatureSchema.from_frame(train)


def _conform(schema, frame, **options):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = schema.transform(frame, **options)
    return out, [str(w.message) for w in caught]


@pytest.mark.parametrize("unseen_found", [None, {}])
def test_categories_conform_as_the_same_values_as_text(unseen_found):
    schema = _schema()
    rng = np.random.default_rng(1)
    plans = rng.choice(np.array(["basic", "pro", "gold", None], dtype=object), 500)
    plans[:3] = ["pro", None, "gold"]
    text = pd.DataFrame({"age": 30.0, "plan": pd.Series(plans, dtype="str")})
    categories = text.assign(plan=text["plan"].astype("category"))
    found_text = None if unseen_found is None else {}
    found_categories = None if unseen_found is None else {}
    from_text, warned_text = _conform(schema, text, first_row=9, unseen_found=found_text)
    from_categories, warned_categories = _conform(
        schema, categories, first_row=9, unseen_found=found_categories
    )
    assert from_categories["plan"].dtype == from_text["plan"].dtype
    np.testing.assert_array_equal(from_categories["plan"].cat.codes, from_text["plan"].cat.codes)
    assert warned_categories == warned_text
    assert found_categories == found_text
    assert (found_text or {"plan": [0, "gold"]})["plan"][1] == "gold"


def test_a_column_of_unseen_categories_is_refused_naming_its_first_value():
    schema = _schema()
    plans = pd.Series([None, "x", "basic", "y"], dtype="str")
    for column in (plans, plans.astype("category")):
        message = r"never seen in training in 2 of 3 rows \(the first, 'x', at row 11\)"
        with pytest.raises(ValueError, match=message):
            schema.transform(pd.DataFrame({"age": 1.0, "plan": column}), first_row=10)


def test_a_list_in_rank_order_is_the_sorted_list():
    rng = np.random.default_rng(2)
    scores = pd.DataFrame(
        {"id": pd.Series([f"c{i}" for i in range(50)], dtype="str"), "uplift": rng.random(50)},
        index=np.arange(50) * 3,
    )
    scores["rank"] = rng.permutation(50) + 1
    pd.testing.assert_frame_equal(_in_rank_order(scores), scores.sort_values("rank"))
    scores.loc[0, "rank"] = 7  # a repeated rank: sorted, not placed
    pd.testing.assert_frame_equal(_in_rank_order(scores), scores.sort_values("rank", kind="stable"))


@pytest.mark.parametrize("needs_quotes", [False, True])
def test_a_csv_written_in_slices_is_the_csv_written_at_once(tmp_path, monkeypatch, needs_quotes):
    rng = np.random.default_rng(3)
    ids = [f"c{i}" for i in range(1001)]
    if needs_quotes:
        ids[500] = 'say "hi", twice'
    frame = pd.DataFrame(
        {"id": pd.Series(ids, dtype="str"), "uplift": np.round(rng.random(1001), 6),
         "target": rng.integers(0, 2, 1001)}
    )  # fmt: skip
    write_csv_atomically(frame, tmp_path / "once.csv")
    monkeypatch.setattr(production_io, "WRITE_SLICE_ROWS", 64)
    write_csv_atomically(frame, tmp_path / "slices.csv")
    assert (tmp_path / "slices.csv").read_bytes() == (tmp_path / "once.csv").read_bytes()
    back = pd.read_csv(io.BytesIO((tmp_path / "slices.csv").read_bytes()), dtype={"id": str})
    assert back["id"].tolist() == ids
    write_csv_atomically(frame.iloc[:0], tmp_path / "empty.csv")
    assert (tmp_path / "empty.csv").read_text().strip().replace('"', "") == "id,uplift,target"


@pytest.mark.parametrize(
    ("texts", "integers"),
    [
        (["10", "0", "-7", "123456789012345678"], True),
        (["10", "007"], False),  # a leading zero would be lost
        (["10", "-0"], False),
        (["10", "1234567890123456789"], False),  # 19 digits may not fit
        (["10", "1e3"], False),
        (["10", None], False),
        ([" 10"], False),
    ],
)
def test_identifiers_become_integers_only_when_written_back_the_same(texts, integers):
    from actionable.production._scoring import _as_integers

    ids = pd.Series(texts, dtype="str", name="customer")
    converted = _as_integers(ids)
    assert pd.api.types.is_integer_dtype(converted.dtype) == integers
    assert converted.name == "customer"
    if integers:
        assert converted.astype(str).tolist() == texts
    else:
        assert converted is ids


def test_text_identifiers_in_some_batches_keep_every_identifier_as_written(tmp_path, monkeypatch):
    from actionable.datasets import make_churn
    from actionable.production import ColumnRoles, fit_model, target_file

    monkeypatch.setattr(production_io, "BATCH_ROWS", 100)
    train = make_churn(2000, random_state=0)
    frame = train.X.assign(offer=train.treatment, retained=train.y, customer=range(2000))
    model = fit_model(frame, ColumnRoles("offer", "1", "retained", id_column="customer"),
                      learner="t")  # fmt: skip
    fresh = make_churn(450, random_state=1).X
    fresh.insert(0, "customer", [str(1000 + i) for i in range(450)])
    fresh.loc[[120, 410], "customer"] = ["00042", "x-9"]  # text in two batches of five
    path = tmp_path / "fresh.csv"
    fresh.to_csv(path, index=False)
    listed = target_file(model, path, tmp_path / "list.csv")
    written = pd.read_csv(tmp_path / "list.csv", dtype={"customer": str})
    assert sorted(written["customer"]) == sorted(fresh["customer"])
    assert written["customer"].tolist() == listed["customer"].astype(str).tolist()
    whole = model.score(pd.read_csv(path, dtype={"customer": str})).sort_values("rank")
    assert written["customer"].tolist() == whole["customer"].tolist()


def test_handing_memory_back_never_fails_without_glibc(monkeypatch):
    import ctypes

    from actionable.production import _scoring

    def no_library(name, *args, **kwargs):
        raise OSError(f"no {name}")

    monkeypatch.setattr(ctypes, "CDLL", no_library)
    _scoring._release_unused_memory()  # no error: only pyarrow's pool is released
