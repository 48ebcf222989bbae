package org.lnpsaxs.core.data;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spellings of the q units that files use, in headers and in unit attributes. Recognised
 * (surrounded by anything but letters and digits; {@code A} and {@code Å} are case-sensitive, the
 * rest is not):
 * <ul>
 *   <li>nm⁻¹: {@code 1/nm}, {@code nm^-1}, {@code nm^(-1)}, {@code nm^{-1}}, {@code nm**-1},
 *       {@code nm⁻¹}, {@code nm-1}, {@code inverse nm}, and these with {@code nanometer},
 *       {@code nanometre} (or plurals) for {@code nm}; a q column named with a length unit,
 *       {@code q_nm}, {@code q(nm)}, {@code q [nm]}, {@code q/nm};</li>
 *   <li>Å⁻¹: the same forms with {@code A}, {@code Å} (U+00C5 or U+212B), {@code ang},
 *       {@code angstrom} or {@code angstroms}: {@code 1/A}, {@code A^-1}, {@code Å⁻¹}, {@code 1/Ang},
 *       {@code inverse angstrom}, {@code q_A}, {@code q(Å)}, ...</li>
 * </ul>
 * Unit attributes (canSAS XML {@code unit}, NXcanSAS {@code units}) are matched whole, after
 * removing underscores (Anton Paar writes {@code n_m^-1}).
 */
final class QUnitSpelling {

    private static final String NM_WORD = "(?i:nanomet(?:er|re)s?|nm)";
    private static final String A_WORD = "(?:(?i:angstroms?|ang)|A|\u00C5|\u212B)";

    static final Pattern NM = unitPattern(NM_WORD);
    static final Pattern ANGSTROM = unitPattern(A_WORD);

    private static final Pattern NM_WHOLE = Pattern.compile("(?:" + forms(NM_WORD) + ")");
    private static final Pattern A_WHOLE = Pattern.compile("(?:" + forms(A_WORD) + ")");

    private QUnitSpelling() {
    }

    private static String forms(String unit) {
        String minusOne = "(?:\\^|\\*\\*)\\s*[({]?\\s*-\\s*1\\s*[)}]?";
        return "1\\s*/\\s*" + unit
                + "|" + unit + "\\s*" + minusOne
                + "|" + unit + "\\s*\u207B\\s*\u00B9"
                + "|" + unit + "-1"
                + "|(?i:inverse)\\s+" + unit;
    }

    private static Pattern unitPattern(String unit) {
        String qNamed = "(?<![\\p{L}\\p{N}])[qQ]\\s*(?:_|/|\\(|\\[)\\s*" + unit + "\\s*[)\\]]?";
        return Pattern.compile("(?:(?<![\\p{L}\\p{N}.])(?:" + forms(unit) + ")|" + qNamed + ")(?![\\p{L}\\p{N}])");
    }

    /** The unit whose spelling comes first in {@code text}, or null when none is there. */
    static QUnit first(String text) {
        Matcher a = ANGSTROM.matcher(text);
        Matcher b = NM.matcher(text);
        int ia = a.find() ? a.start() : Integer.MAX_VALUE;
        int ib = b.find() ? b.start() : Integer.MAX_VALUE;
        if (ia == Integer.MAX_VALUE && ib == Integer.MAX_VALUE) {
            return null;
        }
        return ia < ib ? QUnit.ANGSTROM_INVERSE : QUnit.NANOMETER_INVERSE;
    }

    /**
     * A unit attribute: {@code 1/A}, {@code A^-1}, {@code 1/angstrom}, {@code Å⁻¹}, {@code 1/nm},
     * {@code nm^-1}, {@code n_m^-1}, ...; null when it is none of them.
     */
    static QUnit attribute(String unit) {
        if (unit == null) {
            return null;
        }
        String u = unit.strip().replace("_", "");
        if (A_WHOLE.matcher(u).matches()) {
            return QUnit.ANGSTROM_INVERSE;
        }
        if (NM_WHOLE.matcher(u).matches()) {
            return QUnit.NANOMETER_INVERSE;
        }
        return null;
    }
}
