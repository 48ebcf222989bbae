/**
 * Scattering data: q grids ({@link org.lnpsaxs.core.data.QGrid}), measured or computed curves
 * ({@link org.lnpsaxs.core.data.ScatteringCurve}: q, I, optional σ and dq) and their ASCII files
 * ({@link org.lnpsaxs.core.data.CurveReader}, {@link org.lnpsaxs.core.data.CurveWriter}; broken
 * files raise {@link org.lnpsaxs.core.data.CurveFormatException} naming file and line).
 *
 * <p>Units: q and dq in Å⁻¹ inside the library; files in nm⁻¹ are converted on reading when told
 * or when their header says so ({@link org.lnpsaxs.core.data.QUnit}:
 * \( q[\text{Å}^{-1}] = 0.1\,q[\text{nm}^{-1}] \)). Intensities and σ stay in the unit of the
 * file (cm⁻¹ for absolute data). Rows with \( I \le 0 \) or \( \sigma = 0 \) are kept but
 * flagged, and fits use {@link org.lnpsaxs.core.data.ScatteringCurve#usable()}.
 */
package org.lnpsaxs.core.data;
