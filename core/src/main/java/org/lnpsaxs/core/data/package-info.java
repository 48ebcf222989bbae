/**
 * Scattering data: q grids ({@link org.lnpsaxs.core.data.QGrid}), measured or computed curves
 * ({@link org.lnpsaxs.core.data.ScatteringCurve}: q, I, optional σ, pinhole dq and slit dQl/dQw)
 * and their files.
 *
 * <p>Reading: {@link org.lnpsaxs.core.data.CurveReader} recognises the format by content
 * ({@link org.lnpsaxs.core.data.CurveFormat}: ASCII columns with free header and footer, NIST
 * {@code .ABS}, Anton Paar {@code .pdh}, canSAS 1D XML, NXcanSAS HDF5) and returns one curve, or
 * every curve of a file as a {@link org.lnpsaxs.core.data.CurveFile} of
 * {@link org.lnpsaxs.core.data.CurveEntry} (curve, units, metadata, notes); an
 * {@link org.lnpsaxs.core.data.EntrySelector} picks one by number or name. Broken or unsupported
 * files raise {@link org.lnpsaxs.core.data.CurveFormatException} naming the file, the line (or HDF5
 * object) and the problem; {@link org.lnpsaxs.core.data.ReadLimits} bound the file size and rows.
 * Writing: {@link org.lnpsaxs.core.data.CurveWriter} (ASCII, atomic, never through a link).
 *
 * <p>Units: q, dq, dQl and dQw in Å⁻¹ inside the library; files in nm⁻¹ are converted on reading
 * ({@link org.lnpsaxs.core.data.QUnit}: \( q[\text{Å}^{-1}] = 0.1\,q[\text{nm}^{-1}] \)).
 * Intensities and σ stay in the unit of the file (cm⁻¹ for absolute data; the file's unit is
 * reported, never converted). Rows with \( I \le 0 \) or \( \sigma = 0 \) are kept but flagged,
 * and fits use {@link org.lnpsaxs.core.data.ScatteringCurve#usable()}.
 */
package org.lnpsaxs.core.data;
