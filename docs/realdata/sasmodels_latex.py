#!/usr/bin/python3
"""Reference fits of SasView's latex-sphere SANS curve with sasmodels.

The comparison side of the real-data walkthrough in docs/fitting.md. Runs with Debian's packages
(python3-sasmodels 1.0.6, python3-sasdata 0.8.1, python3-scipy 1.10):

    apt-get install python3-sasmodels python3-sasdata python3-scipy
    /usr/bin/python3 docs/realdata/sasmodels_latex.py core/src/test/resources/sasdata/latex_smeared.xml

Fits entry 0 (pinhole SANS, Qdev) of the file with sasmodels' `sphere` model and a log-normal
radius distribution (sasmodels' defaults: 35 points over 3 sigma), once with sasmodels' pinhole
resolution from the data's dq and once without. sasmodels computes the curve (DirectModel); the
least-squares fit is scipy's trust-region reflective method from a grid of radius starts (the
best chi2 is kept), with standard errors from the Jacobian at the optimum, (J^T J)^-1. Prints one
line per fit: the median radius and radius_pd (sigma of ln R, sasmodels' convention), the mean
radius and CV of that distribution, scale, background (1/cm), standard errors and reduced chi2.
"""
import math
import sys

import numpy as np
from scipy.optimize import least_squares
from sasdata.dataloader.loader import Loader
from sasmodels.core import load_model
from sasmodels.data import Data1D
from sasmodels.direct_model import DirectModel

NAMES = ("radius", "radius_pd", "scale", "background")


def load(path, entry, smeared):
    raw = Loader().load(path)[entry]
    data = Data1D(x=np.asarray(raw.x), y=np.asarray(raw.y), dy=np.asarray(raw.dy))
    if smeared and raw.dx is not None:
        data.dx = np.asarray(raw.dx)
    if smeared and raw.dxl is not None:
        data.dxl = np.asarray(raw.dxl)
        data.dxw = np.zeros_like(data.dxl) if raw.dxw is None else np.asarray(raw.dxw)
    return data


def fit(data, start):
    calc = DirectModel(data, load_model("sphere"))
    fixed = dict(sld=1.0, sld_solvent=6.4, radius_pd_type="lognormal", radius_pd_n=35, radius_pd_nsigma=3)

    def residuals(p):
        i = calc(radius=p[0], radius_pd=p[1], scale=p[2], background=p[3], **fixed)
        return (i - data.y) / data.dy

    r = least_squares(residuals, [start, 0.1, 0.01, 0.0], bounds=([50, 0, 0, -10], [10000, 0.7, 10, 10]),
                      x_scale=[start, 0.1, 0.01, 0.01], method="trf", max_nfev=2000)
    dof = len(data.y) - len(NAMES)
    chi2_red = float(np.sum(r.fun ** 2)) / dof
    cov = np.linalg.pinv(r.jac.T @ r.jac)
    return chi2_red, r.x, np.sqrt(np.diag(cov))


def line(x, se, chi2_red):
    s = x[1]
    return ("chi2_red %.2f; radius %.1f +- %.1f A, radius_pd %.4f +- %.4f (mean %.1f A, CV %.3f); "
            "scale %.5g +- %.2g, background %.5g +- %.2g 1/cm" % (
                chi2_red, x[0], se[0], s, se[1], x[0] * math.exp(s * s / 2), math.sqrt(math.expm1(s * s)),
                x[2], se[2], x[3], se[3]))


def main(path):
    for entry, kind in ((0, "pinhole"), (1, "slit")):
        for smeared in (True, False):
            label = "entry %d, %s" % (entry, kind if smeared else "no resolution")
            best = None
            for start in np.arange(500.0, 4001.0, 250.0):
                chi2_red, x, se = fit(load(path, entry, smeared), start)
                print("  %s, start %.0f A: %s" % (label, start, line(x, se, chi2_red)))
                if best is None or chi2_red < best[0]:
                    best = (chi2_red, x, se)
            print("%s, best: %s" % (label, line(best[1], best[2], best[0])))


if __name__ == "__main__":
    main(sys.argv[1])
