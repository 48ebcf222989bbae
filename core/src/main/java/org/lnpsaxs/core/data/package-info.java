/**
 * Scattering data: q grids ({@link org.lnpsaxs.core.data.QGrid}) and measured or computed curves
 * with their ASCII readers and writers. q in Å⁻¹ (files in nm⁻¹ are converted when told),
 * intensities in the unit of the file (cm⁻¹ for absolute data).
 */
package org.lnpsaxs.core.data;
