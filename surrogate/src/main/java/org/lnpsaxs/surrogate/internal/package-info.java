/**
 * Helpers of the surrogate module that must be public for its sub-packages but are not for
 * users: JSON mapping of parameter spaces and settings. Not a user package; it may change without
 * notice.
 */
package org.lnpsaxs.surrogate.internal;
