#!/usr/bin/python3
"""scikit-learn side of `npm run bench` (src/bench/node.ts, figure gmm.msPerGeneration where
'python'): ms per generation (GaussianMixture fit of K = 2, d = 2 to M points, tol 1e-3, init
k-means++, then M samples), median over a collapsing chain, timed in-process. Prints one JSON
object. Optional: needs Debian's python3-sklearn (the bench skips it with a note otherwise).
Run: /usr/bin/python3 scripts/bench-gmm-sklearn.py"""
import argparse
import json
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--M", type=int, default=1000)
    ap.add_argument("--generations", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=50)
    a = ap.parse_args()
    warnings.simplefilter("ignore", ConvergenceWarning)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((a.M, 2))
    times, iters = [], []
    for g in range(a.warmup + a.generations):
        t0 = time.perf_counter()
        gm = GaussianMixture(2, covariance_type="full", tol=1e-3, max_iter=100, reg_covar=1e-6,
                             init_params="k-means++", random_state=g).fit(x)
        x, _ = gm.sample(a.M)
        t1 = time.perf_counter()
        if g >= a.warmup:
            times.append((t1 - t0) * 1e3)
            iters.append(gm.n_iter_)
    print(json.dumps({
        "sklearn": sklearn.__version__,
        "msPerGeneration": float(np.median(times)),
        "meanMsPerGeneration": float(np.mean(times)),
        "medianIterations": float(np.median(iters)),
        "meanIterations": float(np.mean(iters)),
        "msPerIteration": float(np.sum(times) / np.sum(iters)),
    }))


if __name__ == "__main__":
    main()
