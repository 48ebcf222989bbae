/**
 * The fit report: {@code report.json} (model, loss, data, starts, seed, runtime, best fit,
 * ensemble members, identifiability analysis; parameters in their model units, q in Å⁻¹) and the
 * curve table {@code curves.dat} (data, best fit, ensemble band and residuals on the fitting grid).
 */
package org.lnpsaxs.optimize.report;
