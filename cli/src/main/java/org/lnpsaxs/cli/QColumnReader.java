package org.lnpsaxs.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.lnpsaxs.core.data.QGrid;

/**
 * Reads the q values (Å⁻¹) of a data file: the first column of its data rows. Kept minimal and in
 * one place so that it can give way to the library's curve reader: blank lines and {@code #}
 * comments are skipped, as are free-text lines before the first data row (a header); columns are
 * separated by whitespace, commas or semicolons; q must be ascending.
 */
final class QColumnReader {

    private QColumnReader() {
    }

    /** The first column of {@code file} as a q grid; errors name the file and the line. */
    static QGrid read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not a UTF-8 text file", e);
        }
        double[] q = new double[lines.size()];
        int n = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String first = line.split("[\\s,;]+", 2)[0];
            double v;
            try {
                v = Double.parseDouble(first);
            } catch (NumberFormatException e) {
                if (n == 0) {
                    continue; // header text before the data
                }
                throw new IOException(file + " line " + (i + 1) + ": '" + first + "' is not a number");
            }
            q[n++] = v;
        }
        if (n == 0) {
            throw new IOException(file + ": no data rows (expected lines whose first column is q in 1/Å)");
        }
        try {
            return QGrid.of(Arrays.copyOf(q, n));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
