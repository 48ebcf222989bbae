/**
 * Not part of the API: the machinery of the fit that other packages of this module (and the
 * benchmarks) need to see, but users do not — the fit objective, the unconstrained
 * reparameterisation, the starting points, the worker lanes and the built-in model providers.
 * Classes here may change or disappear without notice; use {@link org.lnpsaxs.optimize.Fitter},
 * {@link org.lnpsaxs.optimize.FitProblem} and {@link org.lnpsaxs.optimize.model.FitModels} instead.
 */
package org.lnpsaxs.optimize.internal;
