package org.lnpsaxs.core.data;

/**
 * The file formats {@link CurveReader} reads, recognised by content (not by file name).
 */
public enum CurveFormat {

    /**
     * Text columns {@code q I [sigma [dq]]} separated by white space, commas, semicolons or tabs,
     * with free text (a header) before and (a footer) after one block of data rows; SasView's
     * ASCII files, ISIS (RKH) text files, ATSAS and BioXTAS RAW {@code .dat} files, CSV exports.
     */
    ASCII("ASCII columns"),

    /**
     * NIST/NCNR reduced data ({@code .ABS}): six columns q, I, σ of I, σ of q, mean q, shadow
     * factor; a negative σ of q means slit-smeared (USANS) data whose slit length is −σ.
     */
    NIST_ABS("NIST .ABS (6 columns)"),

    /** Anton Paar SAXSess/SAXSpace {@code .pdh}: a 5-line header, q I σ rows (q in 1/nm), an XML footer. */
    ANTON_PAAR_PDH("Anton Paar .pdh"),

    /** canSAS 1D XML, versions 1.0 and 1.1 ({@code SASroot}/{@code SASentry}/{@code SASdata}/{@code Idata}). */
    CANSAS_XML("canSAS 1D XML"),

    /** NXcanSAS, the canSAS/NeXus HDF5 format ({@code SASentry} groups holding {@code SASdata} groups). */
    NXCANSAS("NXcanSAS (HDF5)");

    private final String description;

    CurveFormat(String description) {
        this.description = description;
    }

    /** A short name for people, e.g. {@code canSAS 1D XML}. */
    public String description() {
        return description;
    }
}
