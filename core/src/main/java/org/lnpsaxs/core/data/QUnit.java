package org.lnpsaxs.core.data;

import java.util.Locale;

/**
 * The unit of the scattering-vector magnitude q (and of the resolution width dq) in a file.
 *
 * <p>Inside the library q is always in Å⁻¹ ({@link #ANGSTROM_INVERSE}, the default). Files in
 * nm⁻¹ are converted on reading and, when asked, on writing:
 * \( q[\text{Å}^{-1}] = 0.1 \, q[\text{nm}^{-1}] \) (computed as {@code q / 10}, the correctly
 * rounded quotient), and \( q[\text{nm}^{-1}] = 10 \, q[\text{Å}^{-1}] \).
 */
public enum QUnit {

    /** Å⁻¹ (inverse ångström), the library's own unit and the default of files. */
    ANGSTROM_INVERSE("1/A"),

    /** nm⁻¹ (inverse nanometre): {@code 1 nm⁻¹ = 0.1 Å⁻¹}. */
    NANOMETER_INVERSE("1/nm");

    private final String symbol;

    QUnit(String symbol) {
        this.symbol = symbol;
    }

    /** The ASCII symbol written into file headers and printed by the command line: {@code 1/A} or {@code 1/nm}. */
    public String symbol() {
        return symbol;
    }

    /** Converts a q (or dq) value in this unit to Å⁻¹. */
    public double toAngstromInverse(double value) {
        return this == ANGSTROM_INVERSE ? value : value / 10.0;
    }

    /** Converts a q (or dq) value in Å⁻¹ to this unit. */
    public double fromAngstromInverse(double value) {
        return this == ANGSTROM_INVERSE ? value : value * 10.0;
    }

    /**
     * Parses a unit name as given on a command line: {@code A}, {@code Å}, {@code 1/A}, {@code 1/Å},
     * {@code angstrom} for Å⁻¹; {@code nm}, {@code 1/nm}, {@code nanometer} for nm⁻¹ (case-insensitive).
     *
     * @throws IllegalArgumentException listing the accepted names when {@code text} is none of them
     */
    public static QUnit parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "a":
            case "å":
            case "1/a":
            case "1/å":
            case "a^-1":
            case "å^-1":
            case "angstrom":
            case "angstrom^-1":
                return ANGSTROM_INVERSE;
            case "nm":
            case "1/nm":
            case "nm^-1":
            case "nanometer":
            case "nanometre":
            case "nanometer^-1":
            case "nanometre^-1":
                return NANOMETER_INVERSE;
            default:
                throw new IllegalArgumentException("unknown q unit '" + text + "': use A (1/Å) or nm (1/nm)");
        }
    }
}
