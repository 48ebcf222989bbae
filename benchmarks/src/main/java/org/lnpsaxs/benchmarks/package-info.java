/**
 * JMH benchmarks of lnpsaxs (not published). Times are per operation as JMH reports them; the
 * speed claims in {@code docs/benchmarks.md} are ratios measured in one run.
 */
package org.lnpsaxs.benchmarks;
