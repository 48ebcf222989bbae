/**
 * Test support shared through core's test-jar: {@link org.lnpsaxs.core.testing.SasmodelsReference}
 * reads the sasmodels reference curves (q in Å⁻¹, I in cm⁻¹) kept under
 * {@code src/test/resources/sasmodels/}.
 */
package org.lnpsaxs.core.testing;
