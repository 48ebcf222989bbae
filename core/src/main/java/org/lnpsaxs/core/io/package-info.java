/**
 * File output that cannot leave a damaged file behind:
 * {@link org.lnpsaxs.core.io.AtomicFiles} writes every output file of the library and the
 * command line to a temporary file in the same directory, forces it to disk and renames it into
 * place, refuses to write through a symbolic link, and checks output directories before any
 * computation starts. No units are involved.
 */
package org.lnpsaxs.core.io;
