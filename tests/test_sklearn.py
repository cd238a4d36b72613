"""nnkit.sklearn: scikit-learn's estimator checks, pipelines, search, and parity with its MLP.

scikit-learn's own checks run through ``parametrize_with_checks`` with at
most 100 epochs, as scikit-learn tests its own MLP (``max_iter=100``); the
classifier with 10 hidden units (enough for the checks' blobs), the
regressor with the default 100 (its check asks for R^2 > 0.5). No check is expected to fail, so
``expected_failed_checks`` returns an empty dict for both estimators. Two
kinds of check skip themselves when something is missing, and pytest then
reports them as skipped (never as passed):

* the pandas checks (``check_*_data_not_an_array``,
  ``check_dataframe_column_names_consistency``): they need pandas, which is in
  the ``test`` extra;
* ``check_array_api_input``: scikit-learn only runs it when the environment
  variable ``SCIPY_ARRAY_API`` is set, so the test sets it for that check
  (with numpy arrays: nnkit computes with numpy only).
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_diabetes, load_iris, load_wine, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedShuffleSplit, cross_val_score
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.neural_network import MLPRegressor as SkMLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import nnkit as nk
from nnkit.sklearn import MLPClassifier, MLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def expected_failed_checks(estimator) -> dict[str, str]:
    """Checks allowed to fail, with the reason: none (see the module docstring)."""
    return {}


@parametrize_with_checks(
    [
        MLPClassifier(hidden_layer_sizes=(10,), max_iter=100, random_state=0),
        MLPRegressor(max_iter=100, random_state=0),
    ],
    expected_failed_checks=expected_failed_checks,
)
def test_scikit_learn_estimator_checks(estimator, check, monkeypatch):
    monkeypatch.setenv("SCIPY_ARRAY_API", "1")
    check(estimator)


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


def scaled(X):
    return StandardScaler().fit_transform(X)


# -- the scikit-learn workflow ---------------------------------------------------


def test_import_nnkit_does_not_load_sklearn_but_nnkit_sklearn_does():
    code = (
        "import sys, nnkit; before = 'sklearn' in sys.modules; "
        "import nnkit.sklearn; print(before, 'sklearn' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "True"], result.stderr


def test_pipeline_with_standard_scaler(iris):
    X, y = iris
    pipe = make_pipeline(
        StandardScaler(),
        MLPClassifier(hidden_layer_sizes=(16,), learning_rate_init=0.01, random_state=0),
    )
    pipe.fit(X, y)
    assert pipe.score(X, y) > 0.95
    proba = pipe.predict_proba(X)
    assert proba.shape == (150, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert list(pipe.classes_) == [0, 1, 2]


def test_grid_search_picks_from_the_grid_and_refits(iris):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), MLPClassifier(learning_rate_init=0.01, random_state=0))
    grid = {
        "mlpclassifier__hidden_layer_sizes": [(2,), (16,)],
        "mlpclassifier__alpha": [1e-4, 10.0],
    }
    search = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    scores = search.cv_results_["mean_test_score"]
    assert search.best_score_ == scores.max() > 0.9
    # a huge L2 penalty flattens the network: it must do worse than a small one
    by_params = {
        (p["mlpclassifier__hidden_layer_sizes"], p["mlpclassifier__alpha"]): s
        for p, s in zip(search.cv_results_["params"], scores)
    }
    assert by_params[((16,), 10.0)] < by_params[((16,), 1e-4)]
    best = search.best_estimator_[-1]
    assert isinstance(best, MLPClassifier) and isinstance(best.model_, nk.Sequential)
    assert best.get_params()["alpha"] == search.best_params_["mlpclassifier__alpha"]


def test_cross_val_score_next_to_logistic_regression():
    X, y = load_wine(return_X_y=True)
    network = make_pipeline(
        StandardScaler(),
        MLPClassifier(hidden_layer_sizes=(32,), batch_size=32, max_iter=150, random_state=0),
    )
    baseline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    scores = cross_val_score(network, X, y, cv=5)
    assert scores.shape == (5,)
    assert scores.mean() > 0.93
    assert scores.mean() >= cross_val_score(baseline, X, y, cv=5).mean() - 0.03


def test_string_labels(iris):
    X, y = iris
    names = np.array(["versicolor", "setosa", "virginica"])[y]  # not in sorted order
    clf = MLPClassifier(hidden_layer_sizes=(16,), learning_rate_init=0.01, random_state=0)
    clf.fit(scaled(X), names)
    assert list(clf.classes_) == ["setosa", "versicolor", "virginica"]
    predicted = clf.predict(scaled(X))
    assert predicted.dtype.kind == "U" and set(predicted) <= set(clf.classes_)
    assert np.mean(predicted == names) > 0.95
    assert clf.score(scaled(X), names) == np.mean(predicted == names)
    # predict_proba's columns follow classes_
    proba = clf.predict_proba(scaled(X))
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], predicted)
    np.testing.assert_allclose(np.exp(clf.predict_log_proba(scaled(X))), proba)


def test_fitted_attributes_and_model(iris):
    X, y = iris
    X = scaled(X)
    clf = MLPClassifier(hidden_layer_sizes=(8, 6), max_iter=50, random_state=0).fit(X, y)
    assert clf.n_features_in_ == 4
    assert not hasattr(clf, "feature_names_in_")  # a numpy array has no column names
    assert clf.n_iter_ == len(clf.loss_curve_) == 50
    assert clf.t_ == 50 * 150
    assert clf.loss_ == clf.loss_curve_[-1] and clf.best_loss_ == min(clf.loss_curve_)
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]
    assert clf.validation_scores_ is None and clf.best_validation_score_ is None
    assert clf.n_layers_ == 4 and clf.n_outputs_ == 3 and clf.out_activation_ == "softmax"
    assert [w.shape for w in clf.coefs_] == [(4, 8), (8, 6), (6, 3)]
    assert [b.shape for b in clf.intercepts_] == [(8,), (6,), (3,)]
    # model_ is an ordinary nnkit network: its own predict_proba gives the same numbers
    model = clf.model_
    assert isinstance(model, nk.Sequential)
    assert [type(layer).__name__ for layer in model.layers] == [
        "Dense",
        "ReLU",
        "Dense",
        "ReLU",
        "Dense",
    ]
    np.testing.assert_allclose(model.predict_proba(X), clf.predict_proba(X))
    np.testing.assert_array_equal(clf.classes_[model.predict(X)], clf.predict(X))
    assert "total parameters" in model.summary()


def test_feature_names_in_from_a_dataframe(iris):
    pd = pytest.importorskip("pandas", reason="feature names come from a pandas DataFrame")
    X, y = iris
    frame = pd.DataFrame(scaled(X), columns=["sepal_l", "sepal_w", "petal_l", "petal_w"])
    clf = MLPClassifier(hidden_layer_sizes=(8,), max_iter=20, random_state=0).fit(frame, y)
    assert list(clf.feature_names_in_) == ["sepal_l", "sepal_w", "petal_l", "petal_w"]
    with pytest.warns(UserWarning, match="feature names"):
        clf.predict(scaled(X))


def test_early_stopping_keeps_the_best_epoch(iris):
    X, y = iris
    clf = MLPClassifier(
        hidden_layer_sizes=(16,), early_stopping=True, max_iter=300, random_state=0
    ).fit(scaled(X), y)
    assert len(clf.validation_scores_) == clf.n_iter_ == len(clf.loss_curve_)
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.best_loss_ is None
    # stopped by the rule: more than n_iter_no_change epochs without a better score
    best_epoch = int(np.argmax(clf.validation_scores_))
    assert clf.n_iter_ - 1 - best_epoch > clf.n_iter_no_change or clf.n_iter_ == 300


def test_partial_fit_needs_classes_first_and_trains_one_epoch_per_call(iris):
    X, y = iris
    X = scaled(X)
    clf = MLPClassifier(hidden_layer_sizes=(16,), random_state=0)
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        clf.partial_fit(X, y)
    clf.partial_fit(X[:50], y[:50], classes=[0, 1, 2])  # only class 0 in this chunk
    assert list(clf.classes_) == [0, 1, 2] and clf.n_iter_ == 1
    for _ in range(30):
        clf.partial_fit(X, y)
    assert clf.n_iter_ == 31 and len(clf.loss_curve_) == 31
    assert clf.loss_curve_[-1] < clf.loss_curve_[1]
    with pytest.raises(ValueError, match="not in classes_"):
        clf.partial_fit(X[:3], [0, 1, 7])
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping"):
        MLPClassifier(early_stopping=True).partial_fit(X, y, classes=[0, 1, 2])


def test_partial_fit_continues_after_pickling(iris):
    X, y = iris
    X = scaled(X)
    clf = MLPClassifier(hidden_layer_sizes=(16,), random_state=0)
    for _ in range(5):
        clf.partial_fit(X, y, classes=[0, 1, 2])
    copy = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(copy.predict_proba(X), clf.predict_proba(X))
    before = copy.coefs_[0].copy()
    copy.partial_fit(X, y)
    assert copy.n_iter_ == 6 and not np.array_equal(copy.coefs_[0], before)
    # the copy trained its own network, not the original's
    np.testing.assert_array_equal(clf.coefs_[0], clf.model_.layers[0].weights)
    assert not np.array_equal(clf.coefs_[0], copy.coefs_[0])


def test_warm_start_continues_from_the_current_network(iris):
    X, y = iris
    X = scaled(X)
    clf = MLPClassifier(hidden_layer_sizes=(16,), max_iter=10, warm_start=True, random_state=0)
    clf.fit(X, y)
    first = clf.model_
    clf.fit(X, y)
    assert clf.model_ is first and clf.n_iter_ == 20 and len(clf.loss_curve_) == 20
    with pytest.raises(ValueError, match="same classes"):
        clf.fit(X[:100], y[:100])


def test_regressor_fits_one_and_several_targets():
    X, y = load_diabetes(return_X_y=True)
    X, y = scaled(X), (y - y.mean()) / y.std()
    reg = MLPRegressor(hidden_layer_sizes=(16,), max_iter=300, random_state=0).fit(X, y)
    assert reg.predict(X).shape == (442,)
    assert reg.score(X, y) > 0.5
    assert reg.out_activation_ == "identity" and reg.n_outputs_ == 1
    Y = np.column_stack([y, -2 * y])
    reg2 = MLPRegressor(hidden_layer_sizes=(16,), max_iter=300, random_state=0).fit(X, Y)
    assert reg2.predict(X).shape == (442, 2) and reg2.score(X, Y) > 0.5
    np.testing.assert_allclose(reg2.model_.forward(X), reg2.predict(X))


def test_regressor_absolute_error_is_the_course_loss():
    X, y = load_diabetes(return_X_y=True)
    X, y = scaled(X), (y - y.mean()) / y.std()
    # one full batch with a vanishing step: the epoch loss is the loss of the
    # network as it is after fit, measured by nnkit's own AbsoluteError
    reg = MLPRegressor(
        loss="absolute_error",
        alpha=0.0,
        hidden_layer_sizes=(8,),
        batch_size=442,
        learning_rate_init=1e-12,
        max_iter=1,
        random_state=0,
    ).fit(X, y)
    expected = nk.AbsoluteError()(reg.model_.forward(X), y.reshape(-1, 1))
    assert reg.loss_curve_[0] == pytest.approx(expected, rel=1e-8)
    trained = MLPRegressor(
        loss="absolute_error", hidden_layer_sizes=(16,), max_iter=200, random_state=0
    ).fit(X, y)
    assert trained.loss_curve_[-1] < 0.8 * trained.loss_curve_[0]
    assert trained.score(X, y) > 0.4


# -- bad parameters ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"alpha": -1.0}, "alpha"),
        ({"solver": "lbfgs"}, "solver"),
        ({"activation": "softmax"}, "activation"),
        ({"learning_rate_init": 0.0}, "learning_rate_init"),
        ({"batch_size": 0}, "batch_size"),
        ({"max_iter": 0}, "max_iter"),
        ({"validation_fraction": 1.0}, "validation_fraction"),
        ({"hidden_layer_sizes": (0,)}, "hidden_layer_sizes"),
        ({"hidden_layer_sizes": (3.5,)}, "hidden_layer_sizes"),
        ({"hidden_layer_sizes": "ten"}, "hidden_layer_sizes"),
        ({"momentum": 1.0}, "momentum"),
    ],
)
def test_bad_parameters_fail_at_fit_with_a_clear_message(iris, params, match):
    X, y = iris
    clf = MLPClassifier(**params)  # scikit-learn style: nothing is checked here
    assert clf.get_params()[next(iter(params))] == next(iter(params.values()))
    with pytest.raises(ValueError, match=match):
        clf.fit(X, y)


def test_bad_regressor_loss_and_continuous_labels_for_a_classifier():
    X, y = load_diabetes(return_X_y=True)
    with pytest.raises(ValueError, match="loss"):
        MLPRegressor(loss="poisson").fit(X, y)
    with pytest.raises(ValueError, match="Unknown label type"):
        MLPClassifier(max_iter=1).fit(X, y + 0.5)


# -- the same training as scikit-learn's MLP ------------------------------------------


def sklearn_and_nnkit(sk_cls, nk_cls, X, y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return sk_cls(**params).fit(X, y), nk_cls(**params).fit(X, y)


@pytest.mark.parametrize("early_stopping", [False, True])
def test_classifier_trains_like_scikit_learn_step_for_step(iris, early_stopping):
    """Same init, batches, L2 term and stopping rule: the same loss curve and stop."""
    X, y = iris
    sk, ours = sklearn_and_nnkit(
        SkMLPClassifier,
        MLPClassifier,
        scaled(X),
        y,
        hidden_layer_sizes=(32,),
        batch_size=32,
        max_iter=300,
        random_state=0,
        early_stopping=early_stopping,
    )
    assert ours.n_iter_ == sk.n_iter_
    # Adam's epsilon sits in a slightly different place: differences of ~1e-4 at most
    np.testing.assert_allclose(ours.loss_curve_, sk.loss_curve_, atol=1e-3)
    for mine, theirs in zip(ours.coefs_ + ours.intercepts_, sk.coefs_ + sk.intercepts_):
        np.testing.assert_allclose(mine, theirs, atol=1e-2)
    if early_stopping:
        assert ours.validation_scores_ == sk.validation_scores_
    np.testing.assert_array_equal(ours.predict(scaled(X)), sk.predict(scaled(X)))


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_regressor_trains_like_scikit_learn_step_for_step(solver):
    X, y = load_diabetes(return_X_y=True)
    X, y = scaled(X), (y - y.mean()) / y.std()
    sk, ours = sklearn_and_nnkit(
        SkMLPRegressor,
        MLPRegressor,
        X,
        y,
        hidden_layer_sizes=(16,),
        solver=solver,
        learning_rate_init=0.01,
        max_iter=60,
        random_state=0,
    )
    assert ours.n_iter_ == sk.n_iter_
    np.testing.assert_allclose(ours.loss_curve_, sk.loss_curve_, rtol=1e-5)
    np.testing.assert_allclose(ours.predict(X), sk.predict(X), rtol=1e-4, atol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("load", [load_iris, load_wine], ids=["iris", "wine"])
def test_accuracy_within_one_point_of_scikit_learn(load):
    """Issue 12: 10 stratified splits, the same settings: within 1 point or better."""
    X, y = load(return_X_y=True)
    settings = dict(hidden_layer_sizes=(32,), batch_size=32, max_iter=150)
    splits = StratifiedShuffleSplit(n_splits=10, test_size=0.25, random_state=0)
    accuracy = {"nnkit": [], "sklearn": []}
    for seed, (train, test) in enumerate(splits.split(X, y)):
        scaler = StandardScaler().fit(X[train])
        X_train, X_test = scaler.transform(X[train]), scaler.transform(X[test])
        sk, ours = sklearn_and_nnkit(
            SkMLPClassifier, MLPClassifier, X_train, y[train], random_state=seed, **settings
        )
        accuracy["sklearn"].append(sk.score(X_test, y[test]))
        accuracy["nnkit"].append(ours.score(X_test, y[test]))
    assert np.mean(accuracy["nnkit"]) >= np.mean(accuracy["sklearn"]) - 0.01
    assert np.mean(accuracy["nnkit"]) > 0.9


def test_binary_problem_has_two_softmax_outputs():
    X, y = make_classification(n_samples=200, n_features=5, random_state=0)
    clf = MLPClassifier(hidden_layer_sizes=(8,), max_iter=200, random_state=0).fit(X, y)
    assert clf.model_.n_outputs == 2 and clf.predict_proba(X).shape == (200, 2)
    assert clf.score(X, y) > 0.85


@pytest.mark.slow
def test_the_module_docstring_example_runs(capsys):
    """The lesson copies the example from nnkit.sklearn's docstring: it must run as printed."""
    import textwrap

    import nnkit.sklearn

    doc = nnkit.sklearn.__doc__
    start = doc.index("::\n", doc.index("Example")) + 3
    code = textwrap.dedent(doc[start : doc.index("\nWhat is the same")])
    assert "GridSearchCV" in code and "LogisticRegression" in code
    exec(compile(code, "nnkit.sklearn docstring", "exec"), {})
    printed = capsys.readouterr().out
    assert "logistic regression" in printed and "best alpha" in printed
    assert "total parameters" in printed
