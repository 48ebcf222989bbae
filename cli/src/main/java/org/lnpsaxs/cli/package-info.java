/**
 * The {@code lnpsaxs} command line (picocli): {@code inspect}, {@code convert}, {@code analytic}, {@code simulate},
 * {@code predict}, {@code dataset}, {@code train}, {@code fit}, {@code jshell}. Numbers are printed
 * with 17 significant digits; q in Å⁻¹.
 */
package org.lnpsaxs.cli;
