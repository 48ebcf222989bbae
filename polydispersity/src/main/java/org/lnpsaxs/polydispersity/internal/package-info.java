/**
 * Implementation helpers of the polydispersity module that must be public but are not for
 * users: normal and incomplete-gamma special functions, the outer-product quadrature grid and
 * per-thread scratch buffers. Lengths in Å.
 */
package org.lnpsaxs.polydispersity.internal;
