"""H2O's UpliftDRF on make_churn beside the Dask T-learner (benchmarks/distributed_evaluate.py).

Usage::

    .venv/bin/python benchmarks/h2o_uplift_drf.py --rows 1000000 [--ntrees 50]

Trains H2O's UpliftDRF (a local H2O cluster: a Java process with 2 threads and 4 GB)
on make_churn customers (``random_state=0``, the treatment as the treatment column) and
predicts 200,000 other customers (``random_state=99``, the test set of
``distributed_evaluate.py --fit``); prints the fit and predict wall times and the
held-out Qini computed by ``actionable.metrics.qini_auc_score`` (exact, not H2O's
binned AUUC). Needs ``pip install h2o`` and Java.
"""

import argparse
import json
import os
import time

from actionable.datasets import make_churn
from actionable.metrics import qini_auc_score


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--ntrees", type=int, default=50)
    args = parser.parse_args()
    import h2o
    from h2o.estimators import H2OUpliftRandomForestEstimator

    h2o.init(nthreads=2, max_mem_size="4G")
    h2o.no_progress()
    train, test = make_churn(args.rows, random_state=0), make_churn(200_000, random_state=99)
    frame = h2o.H2OFrame(train.X.assign(offer=train.treatment, retained=train.y))
    for column in ("offer", "retained"):  # UpliftDRF wants both as categorical columns
        frame[column] = frame[column].asfactor()
    features = list(train.X.columns)
    model = H2OUpliftRandomForestEstimator(
        ntrees=args.ntrees, max_depth=10, treatment_column="offer", uplift_metric="KL",
        auuc_type="qini", seed=0,
    )  # fmt: skip
    load_before = os.getloadavg()
    start = time.perf_counter()
    model.train(x=features, y="retained", training_frame=frame)
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    predicted = model.predict(h2o.H2OFrame(test.X)).as_data_frame()
    predict_seconds = time.perf_counter() - start
    qini = qini_auc_score(test.y, predicted["uplift_predict"], test.treatment)
    result = {
        "rows": args.rows, "ntrees": args.ntrees, "fit_seconds": fit_seconds,
        "predict_seconds": predict_seconds, "held_out_qini": qini,
        "load_before": load_before, "load_after": os.getloadavg(),
    }  # fmt: skip
    print(json.dumps(result))
    h2o.cluster().shutdown()


if __name__ == "__main__":
    main()
