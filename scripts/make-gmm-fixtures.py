#!/usr/bin/python3
"""Fixtures for src/core/gmm.ts: scikit-learn GaussianMixture fits from fixed initial parameters.

Run with Debian's Python (python3-sklearn):  /usr/bin/python3 scripts/make-gmm-fixtures.py
Writes tests/unit/core/fixtures/gmm-sklearn.json. Each case holds a fixed data set (row-major,
n x d), the initial weights, means and covariances (passed to sklearn as weights_init, means_init
and precisions_init = inv(covariances)), and sklearn's fitted weights_, means_, covariances_,
lower_bound_, n_iter_ and converged_ (covariance_type='full', n_init=1).
"""
import json
import os

import numpy as np
import sklearn
from sklearn.mixture import GaussianMixture

TOL = 1e-6
MAX_ITER = 500
REG_COVAR = 1e-6
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "unit", "core", "fixtures", "gmm-sklearn.json")


def mvn(rng, n, mean, cov):
    return rng.multivariate_normal(mean, cov, size=n)


def cases():
    rng = np.random.default_rng(20240611)
    out = []

    # 2-D, K = 2: two correlated clusters of unequal size.
    x = np.vstack([
        mvn(rng, 300, [-1.5, 0.5], [[1.0, 0.6], [0.6, 0.8]]),
        mvn(rng, 200, [2.0, -1.0], [[0.5, -0.2], [-0.2, 0.3]]),
    ])
    rng.shuffle(x)
    out.append(("2d-k2", x, [0.5, 0.5], [[-1.0, 0.0], [1.0, 0.0]], [np.eye(2), np.eye(2)]))

    # 2-D, K = 3: three clusters, initial means off their centres.
    x = np.vstack([
        mvn(rng, 200, [0.0, 3.0], [[0.4, 0.1], [0.1, 0.6]]),
        mvn(rng, 150, [-3.0, -1.0], [[1.2, -0.5], [-0.5, 0.7]]),
        mvn(rng, 150, [3.0, -1.5], [[0.3, 0.0], [0.0, 1.5]]),
    ])
    rng.shuffle(x)
    out.append((
        "2d-k3", x, [0.2, 0.3, 0.5], [[0.5, 2.0], [-2.0, 0.0], [2.0, -2.0]],
        [np.eye(2) * 2.0, np.array([[1.0, 0.3], [0.3, 1.0]]), np.eye(2) * 0.5],
    ))

    # 2-D, K = 2 fitted to one standard Gaussian (the Curse of Recursion setting): a flat
    # likelihood, so EM takes many small steps.
    x = rng.standard_normal((500, 2))
    out.append(("2d-k2-single-gaussian", x, [0.5, 0.5], [[0.3, 0.2], [-0.4, -0.1]], [np.eye(2), np.eye(2)]))

    # 1-D, K = 2: the bimodal mixture, unequal weights.
    x = np.concatenate([rng.normal(-2.0, 0.5, 180), rng.normal(2.0, 0.8, 320)])[:, None]
    rng.shuffle(x)
    out.append(("1d-k2", x, [0.5, 0.5], [[-1.0], [0.5]], [np.eye(1), np.eye(1) * 4.0]))
    return out


def main():
    result = {
        "sklearn": sklearn.__version__,
        "tol": TOL,
        "maxIter": MAX_ITER,
        "regCovar": REG_COVAR,
        "cases": [],
    }
    for name, x, w0, m0, c0 in cases():
        n, d = x.shape
        k = len(w0)
        c0 = np.array(c0, dtype=float)
        gm = GaussianMixture(
            n_components=k, covariance_type="full", tol=TOL, max_iter=MAX_ITER, reg_covar=REG_COVAR,
            n_init=1, weights_init=np.array(w0), means_init=np.array(m0, dtype=float),
            precisions_init=np.array([np.linalg.inv(c) for c in c0]), random_state=0,
        )
        gm.fit(x)
        assert gm.converged_, name
        result["cases"].append({
            "name": name, "n": n, "d": d, "k": k,
            "data": x.ravel().tolist(),
            "init": {"weights": list(w0), "means": np.ravel(m0).tolist(), "covariances": c0.ravel().tolist()},
            "expected": {
                "weights": gm.weights_.tolist(), "means": gm.means_.ravel().tolist(),
                "covariances": gm.covariances_.ravel().tolist(),
                "lowerBound": float(gm.lower_bound_), "nIter": int(gm.n_iter_), "converged": bool(gm.converged_),
            },
        })
        print(name, "n_iter", gm.n_iter_, "lower_bound", gm.lower_bound_)
    with open(OUT, "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
