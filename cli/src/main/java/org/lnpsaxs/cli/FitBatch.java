package org.lnpsaxs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lnpsaxs.core.data.CurveEntry;
import org.lnpsaxs.core.data.CurveFile;
import org.lnpsaxs.core.data.CurveFormatException;
import org.lnpsaxs.core.data.CurveReader;
import org.lnpsaxs.core.data.EntrySelector;
import org.lnpsaxs.core.io.AtomicFiles;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code lnpsaxs fit} over many curves: several files, directories (their curve files, by name,
 * not recursive), {@code --entry all}, and {@code --part I/N} for one task of a cluster array.
 *
 * <p>Each curve is fitted by {@link FitCommand#fit} into its own sub-directory of {@code --out}
 * (named from the file's stem, plus {@code _N} for entry N of a file of several curves; made
 * unique with {@code -2}, {@code -3}, ...), and {@code summary.csv} ({@code summary-part-I-of-N.csv}
 * for a part) gets a row per curve, rewritten atomically after each curve fitted or failed (curves
 * skipped as done join with the next write, or the last): file, entry, model, loss,
 * reduced χ² (empty for other losses), best loss, then for every free parameter its best value,
 * the ensemble's 5th and 95th percentiles and the verdict, and a status ({@code ok}, or
 * {@code failed: } and the one-line reason; a failed curve does not stop the batch).
 *
 * <p>Resumable: after its outputs, each curve directory gets {@value #FINGERPRINT}: the input
 * file's SHA-256, the entry, every option that changes results (all of {@code fit}'s options but
 * those in {@link #NOT_RESULTS}, with their defaults, flags only when given; a surrogate file also
 * by its SHA-256), the library's version, the fitter's revision ({@code Fitter.REVISION}), for
 * {@code --model lnp} without {@code --surrogate} the SHA-256 of the shipped surrogate (its network
 * and error model), and the SHA-256 of {@code report.json}. A curve whose
 * fingerprint matches, whose report has that hash and whose other outputs exist is not fitted
 * again; a changed file, option, library, fitter revision or shipped model, or a torn or missing
 * output, fits it again. A flag that a later version adds does not count as a change while it is
 * not given.
 */
final class FitBatch {

    /** The summary of a whole batch. */
    static final String SUMMARY = "summary.csv";
    /** The fingerprint file in every curve directory. */
    static final String FINGERPRINT = "fingerprint.json";
    /** The fingerprint's format tag. */
    static final String FINGERPRINT_FORMAT = "lnpsaxs-fit-fingerprint/1";
    /** Options that do not change the results (or choose the curves and where they go). */
    static final Set<String> NOT_RESULTS = Set.of("--threads", "--out", "--no-figures", "--part", "--entry", "--help",
            "--version");
    /** The file name endings (any case) a directory's curve files have; other files are skipped. */
    static final List<String> CURVE_ENDINGS = List.of(".dat", ".txt", ".csv", ".tsv", ".abs", ".pdh", ".xml", ".h5",
            ".hdf5", ".hdf", ".nxs", ".nx");
    /** The most parts of {@code --part}. */
    static final int MAX_PARTS = 1_000_000;

    private static final Pattern PART = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One curve of the batch: a file, and its entry when {@code --entry all} expanded the file. */
    private record Curve(String file, int entry, String entryName, String problem, String dir) {

        /** The entry as the fingerprint records it: the number, or the {@code --entry} selector. */
        String entryKey(EntrySelector selector) {
            return entry > 0 ? Integer.toString(entry) : selector.toString();
        }

        String label() {
            return file + (entry > 0 && entryName != null ? " entry " + entry + " '" + entryName + "'" : "");
        }
    }

    /** A row of the summary. */
    private record Row(String file, String entry, String model, String loss, String reducedChi2, String bestLoss,
                       Map<String, String[]> parameters, String status, String posteriorConverged,
                       Map<String, String[]> posterior, Map<String, String> verdictsInImage) {
    }

    private final FitCommand cmd;
    private final PrintWriter out;
    private final PrintWriter err;

    FitBatch(FitCommand cmd) {
        this.cmd = cmd;
        this.out = cmd.spec.commandLine().getOut();
        this.err = cmd.spec.commandLine().getErr();
    }

    /** Whether the command line asks for a batch: several inputs, a directory, {@code --entry all} or {@code --part}. */
    static boolean isBatch(FitCommand c) {
        if (c.inputs.size() > 1 || c.entry.all() || c.part != null) {
            return true;
        }
        String in = c.inputs.get(0);
        return !"-".equals(in) && Files.isDirectory(Path.of(in));
    }

    /**
     * The reader's refusal of a file of several curves, with the option that picks one (the
     * library's message names no option).
     */
    static IOException entryHint(CurveFormatException e) {
        if ("entries".equals(e.getLocation())) {
            return new CurveFormatException(e.getFile(), e.getLocation(), e.getProblem()
                    + " (--entry N, --entry NAME or --entry all)", e);
        }
        return e;
    }

    /** Runs the batch; 0 when every curve was fitted or was done already, 2 when some failed. */
    int run() throws IOException {
        int[] part = parsePart(cmd.part);
        for (String in : cmd.inputs) {
            if ("-".equals(in)) {
                throw new IllegalArgumentException("DATA '-' (standard input) is fitted alone: not with other inputs,"
                        + " --entry all or --part");
            }
        }
        Path outDir = outputDirectory();
        String summaryName = part[1] == 1 && cmd.part == null ? SUMMARY
                : "summary-part-" + part[0] + "-of-" + part[1] + ".csv";
        Limits.outputDirectory("--out", outDir, List.of(summaryName));
        ObjectNode options = options();
        List<Curve> curves = curves();
        List<Integer> mine = new ArrayList<>();
        for (int k = 0; k < curves.size(); k++) {
            if (k % part[1] == part[0] - 1) {
                mine.add(k);
            }
        }
        out.printf(Locale.ROOT, "batch: %d curve%s%s -> %s%n", curves.size(), curves.size() == 1 ? "" : "s",
                cmd.part == null ? "" : "; part " + part[0] + " of " + part[1] + ": " + mine.size() + " of them",
                outDir.resolve(summaryName));
        out.flush();
        List<Row> rows = new ArrayList<>();
        int fitted = 0;
        int skipped = 0;
        int failed = 0;
        int shown = 0;
        boolean unwritten = false;
        for (int k : mine) {
            Curve c = curves.get(k);
            String head = String.format(Locale.ROOT, "[%d/%d] %s", ++shown, mine.size(), c.label());
            Path dir = outDir.resolve(c.dir());
            Row row;
            String sha = null;
            Path file = Path.of(c.file());
            if (c.problem() != null) {
                row = failedRow(c, c.problem());
            } else if (!Files.isRegularFile(file)) {
                row = failedRow(c, c.file() + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
            } else {
                try {
                    sha = sha256(file);
                    row = null;
                } catch (IOException e) {
                    row = failedRow(c, c.file() + ": cannot read the file (" + Main.oneLine(e.getMessage()) + ")");
                }
            }
            Done done = sha == null ? null : done(dir, sha, c.entryKey(cmd.entry.selector()), options);
            if (row != null) {
                out.println(head + ": failed: " + row.status().substring("failed: ".length()));
            } else if (done != null) {
                out.println(head + ": done already (" + dir.resolve("report.json") + "), skipped");
                row = row(c.file(), done.fingerprint().path("entry_number").asText(""), done.report());
                skipped++;
            } else {
                out.println(head + " -> " + dir);
                out.flush();
                try {
                    row = fitOne(c, dir, sha, options);
                    fitted++;
                } catch (IOException | RuntimeException e) {
                    if (!Main.isBadInput(e)) {
                        e.printStackTrace(err);
                    }
                    String reason = Main.isBadInput(e) ? Main.oneLine(e.getMessage()) : "internal error: " + e;
                    out.println(head + ": failed: " + reason);
                    row = failedRow(c, reason);
                }
            }
            out.flush();
            if (row.status().startsWith("failed")) {
                failed++;
            }
            rows.add(row);
            if (done == null) {
                // after each curve fitted or failed; a run of skipped ones is written with the next
                // (rewriting a summary of thousands of rows for each skipped curve would cost more than the check)
                writeSummary(outDir.resolve(summaryName), rows);
                unwritten = false;
            } else {
                unwritten = true;
            }
        }
        if (unwritten || rows.isEmpty()) {
            writeSummary(outDir.resolve(summaryName), rows);
        }
        out.printf(Locale.ROOT, "batch: %d curve%s: %d fitted, %d skipped (done already with the same input and"
                        + " options), %d failed; wrote %s%n", mine.size(), mine.size() == 1 ? "" : "s", fitted, skipped,
                failed, outDir.resolve(summaryName));
        out.flush();
        if (failed > 0) {
            err.println("lnpsaxs fit: " + failed + " of " + mine.size() + " curves failed (the reasons are in "
                    + outDir.resolve(summaryName) + ")");
            err.flush();
            return Main.EXIT_BAD_INPUT;
        }
        return 0;
    }

    /** {@code --out}, or {@code fit-<stem>} for a single input; never one of the input directories. */
    private Path outputDirectory() throws IOException {
        Path dir;
        if (cmd.out != null) {
            dir = cmd.out;
        } else if (cmd.inputs.size() == 1) {
            dir = Path.of("fit-" + FitCommand.stem(Path.of(cmd.inputs.get(0)).toAbsolutePath().normalize().toString()));
        } else {
            throw new IllegalArgumentException("several DATA inputs: name the output directory with --out");
        }
        for (String in : cmd.inputs) {
            Path p = Path.of(in);
            if (Files.isDirectory(p) && Files.isDirectory(dir) && Files.isSameFile(p, dir)) {
                throw new IllegalArgumentException("--out " + dir + ": is the input directory " + in
                        + "; write the fits to another directory");
            }
        }
        return dir;
    }

    /** {@code I/N} as {I, N}; {1, 1} without the option. */
    static int[] parsePart(String text) {
        if (text == null) {
            return new int[] {1, 1};
        }
        Matcher m = PART.matcher(text);
        if (m.matches()) {
            long i = Long.parseLong(m.group(1));
            long n = Long.parseLong(m.group(2));
            if (n >= 1 && n <= MAX_PARTS && i >= 1 && i <= n) {
                return new int[] {(int) i, (int) n};
            }
        }
        throw new IllegalArgumentException("--part " + text + ": expected I/N with 1 <= I <= N <= " + MAX_PARTS
                + " (e.g. --part $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT with --array=1-N)");
    }

    /**
     * Every curve of the inputs in order: files as given, directories by file name; with
     * {@code --entry all} each file's entries (a file that cannot be read is one failed curve).
     */
    private List<Curve> curves() throws IOException {
        List<String> files = new ArrayList<>();
        for (String in : cmd.inputs) {
            Path p = Path.of(in);
            if (Files.isDirectory(p)) {
                files.addAll(listDirectory(p));
            } else {
                files.add(in);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no curve files in " + String.join(", ", cmd.inputs) + " (a directory's"
                    + " curve files end in " + String.join(" ", CURVE_ENDINGS) + ")");
        }
        boolean all = cmd.entry.all();
        CurveReader reader = CurveReader.defaults().withQUnit(cmd.qUnit);
        List<Curve> curves = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (String f : files) {
            String stem = safeName(FitCommand.stem(f));
            if (!all) {
                curves.add(new Curve(f, 0, null, null, unique(stem, used)));
                continue;
            }
            CurveFile cf;
            try {
                cf = reader.readAll(Path.of(f));
            } catch (IOException | RuntimeException e) {
                if (!Main.isBadInput(e)) {
                    throw e;
                }
                curves.add(new Curve(f, 0, null, Main.oneLine(e.getMessage()), unique(stem, used)));
                continue;
            }
            for (CurveEntry e : cf.entries()) {
                String name = cf.size() == 1 ? stem : stem + "_" + e.number();
                curves.add(new Curve(f, e.number(), cf.size() == 1 ? null : e.name(), null, unique(name, used)));
            }
        }
        return curves;
    }

    /** The curve files of a directory, sorted by name; says what it skipped. */
    private List<String> listDirectory(Path dir) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = new ArrayList<>(s.toList());
        } catch (IOException e) {
            throw new IOException(dir + ": cannot list the directory (" + e.getMessage() + ")", e);
        }
        entries.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        List<String> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (name.startsWith(".")) {
                skipped.add(name + " (hidden)");
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                skipped.add(name + "/ (a directory: directories are not searched)");
            } else if (!Files.isRegularFile(p)) {
                skipped.add(name + " (not a regular file)");
            } else if (!isCurveName(name)) {
                skipped.add(name + " (not a curve file ending)");
            } else {
                files.add(p.toString());
            }
        }
        out.println(dir + ": " + files.size() + " curve file" + (files.size() == 1 ? "" : "s")
                + (skipped.isEmpty() ? "" : "; skipped " + skipped.size() + ": " + brief(skipped)));
        out.flush();
        return files;
    }

    private static boolean isCurveName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String e : CURVE_ENDINGS) {
            if (n.endsWith(e) && n.length() > e.length()) {
                return true;
            }
        }
        return false;
    }

    private static String brief(List<String> names) {
        int shown = Math.min(10, names.size());
        return String.join(", ", names.subList(0, shown)) + (shown < names.size() ? ", ... "
                + (names.size() - shown) + " more" : "");
    }

    /** A file-name-safe stem: letters, digits, '.', '_' and '-'; never empty or hidden. */
    static String safeName(String stem) {
        String s = stem.replaceAll("[^A-Za-z0-9._-]", "_");
        if (s.isEmpty() || s.startsWith(".")) {
            s = "curve" + s;
        }
        return s;
    }

    /** {@code name}, or {@code name-2}, {@code name-3}, ... (unique ignoring case, never a summary's name). */
    private static String unique(String name, Set<String> used) {
        String candidate = name;
        for (int k = 2; !free(candidate, used); k++) {
            candidate = name + "-" + k;
        }
        used.add(candidate.toLowerCase(Locale.ROOT));
        return candidate;
    }

    private static boolean free(String name, Set<String> used) {
        String n = name.toLowerCase(Locale.ROOT);
        return !used.contains(n) && !n.equals(SUMMARY) && !n.startsWith("summary-part-");
    }

    /** Fits one curve into {@code dir} and writes its fingerprint last. */
    private Row fitOne(Curve c, Path dir, String sha, ObjectNode options) throws IOException {
        Path fingerprint = dir.resolve(FINGERPRINT);
        List<String> names = new ArrayList<>(FitCommand.OUTPUTS);
        names.add(FINGERPRINT);
        Limits.outputDirectory("--out", dir, names);
        Files.deleteIfExists(fingerprint); // a fit that stops half-way leaves no fingerprint behind
        CurveEntry e;
        try {
            CurveReader reader = c.entry() > 0 ? cmd.reader().withEntry(EntrySelector.number(c.entry())) : cmd.reader();
            e = reader.readEntry(Path.of(c.file()));
        } catch (CurveFormatException x) {
            throw entryHint(x);
        }
        cmd.data = c.file();
        cmd.fit(e.curve(), dir, out);
        Path report = dir.resolve("report.json");
        ObjectNode f = JSON.createObjectNode();
        f.put("format", FINGERPRINT_FORMAT);
        f.put("file", c.file());
        f.put("file_sha256", sha);
        f.put("entry", c.entryKey(cmd.entry.selector()));
        f.put("entry_number", e.number());
        f.put("entry_name", e.name());
        f.set("options", options);
        f.put("report_sha256", sha256(report));
        AtomicFiles.writeString(fingerprint, JSON.writeValueAsString(f) + "\n");
        return row(c.file(), Integer.toString(e.number()), readJson(report));
    }

    /** A curve that is done: its fingerprint and its report. */
    private record Done(JsonNode fingerprint, JsonNode report) {
    }

    /**
     * The fingerprint and report of a curve that is done (same input, entry and options; its
     * report is the one fitted and its other outputs exist), or null.
     */
    private Done done(Path dir, String sha, String entryKey, ObjectNode options) {
        Path fingerprint = dir.resolve(FINGERPRINT);
        Path report = dir.resolve("report.json");
        if (!Files.isRegularFile(fingerprint, LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(report, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            JsonNode f = JSON.readTree(fingerprint.toFile());
            if (f == null || !FINGERPRINT_FORMAT.equals(f.path("format").asText()) || !sha.equals(f.path("file_sha256").asText())
                    || !entryKey.equals(f.path("entry").asText()) || !options.equals(withoutFalseFlags(f.path("options")))
                    || !sha256(report).equals(f.path("report_sha256").asText())) {
                return null;
            }
            for (String name : FitCommand.requiredOutputs(!cmd.noFigures, cmd.posterior)) {
                if (!Files.isRegularFile(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                    return null;
                }
            }
            return new Done(f, readJson(report));
        } catch (IOException | RuntimeException e) {
            return null; // torn or foreign: fit again
        }
    }

    /**
     * The options that change results, by their longest name, with their values (defaults
     * included, flags only when given; a file also by its SHA-256).
     */
    private ObjectNode options() throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (OptionSpec o : cmd.spec.options()) {
            String name = o.longestName();
            if (NOT_RESULTS.contains(name) || o.usageHelp() || o.versionHelp()) {
                continue;
            }
            Object v = o.getValue();
            if (v == null || Boolean.FALSE.equals(v)) {
                continue; // a flag not given: a flag added later does not make done curves look changed
            }
            String text = v instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList())
                    : String.valueOf(v);
            if (v instanceof Path p && Files.isRegularFile(p)) {
                text += " sha256:" + sha256(p);
            }
            m.put(name, text);
        }
        // what the options do not name but changes results: the library, and the shipped surrogate
        // (network and error model) when --model lnp uses it, or its error model and grid when lnp-closed does
        m.put("(lnpsaxs)", org.lnpsaxs.core.Lnpsaxs.version());
        m.put("(fitter revision)", String.valueOf(org.lnpsaxs.optimize.Fitter.REVISION));
        if (cmd.posterior && cmd.loss == null) {
            // --posterior without --loss took chi2 where the data have sigma until 2026-12-05; since, the likelihood
            // with the model's own error where the model has one (lnp): curves fitted by the old rule are fitted again
            m.put("(posterior loss)", "loglik for a model with its own error, else chi2");
        }
        if ((org.lnpsaxs.surrogate.fit.LnpFitModel.NAME.equals(cmd.model)
                || org.lnpsaxs.surrogate.fit.LnpFitModel.CLOSED_FORM_NAME.equals(cmd.model)) && cmd.surrogateFile == null) {
            try (var in = org.lnpsaxs.surrogate.Surrogate.class.getResourceAsStream(
                    org.lnpsaxs.surrogate.Surrogate.DEFAULT_RESOURCE)) {
                if (in != null) {
                    m.put("(shipped surrogate)", "sha256:" + sha256(in.readAllBytes()));
                }
            }
        }
        ObjectNode n = JSON.createObjectNode();
        m.forEach(n::put);
        return n;
    }

    /**
     * A recorded option map without the flags recorded as {@code false} (fingerprints written before
     * flags not given were left out recorded them), so that it compares with {@link #options()}.
     */
    private static JsonNode withoutFalseFlags(JsonNode recorded) {
        if (!recorded.isObject()) {
            return recorded;
        }
        ObjectNode n = JSON.createObjectNode();
        recorded.fields().forEachRemaining(e -> {
            if (!"false".equals(e.getValue().asText())) {
                n.set(e.getKey(), e.getValue());
            }
        });
        return n;
    }

    private static JsonNode readJson(Path file) throws IOException {
        JsonNode n = JSON.readTree(file.toFile());
        if (n == null || !n.isObject()) {
            throw new IOException(file + ": not a JSON object");
        }
        return n;
    }

    /** The summary row of a curve from its report. */
    private static Row row(String file, String entry, JsonNode rep) {
        JsonNode best = rep.path("best");
        Map<String, String[]> params = new LinkedHashMap<>();
        for (JsonNode s : rep.path("identifiability").path("spreads")) {
            String name = s.path("name").asText();
            JsonNode b = best.path("parameters").path(name);
            params.put(name, new String[] {number(b.isMissingNode() ? s.path("best") : b), number(s.path("p05")),
                number(s.path("p95")), s.path("verdict").asText("")});
        }
        // the verdicts within one image of the model's exact symmetries, where the ensemble spans several
        Map<String, String> inImage = new LinkedHashMap<>();
        for (JsonNode s : rep.path("identifiability").path("canonical_image").path("spreads")) {
            inImage.put(s.path("name").asText(), s.path("verdict").asText(""));
        }
        // with a posterior: its median, 90 % interval and verdict per free parameter (the uncertainties)
        Map<String, String[]> post = new LinkedHashMap<>();
        JsonNode po = rep.path("posterior");
        po.path("parameters").fields().forEachRemaining(e -> post.put(e.getKey(), new String[] {
            number(e.getValue().path("median")), number(e.getValue().path("p05")), number(e.getValue().path("p95")),
            e.getValue().path("verdict").asText("")}));
        return new Row(file, entry, rep.path("model").asText(""), rep.path("loss").asText(""),
                number(best.path("reduced_chi2")), number(best.path("loss")), params, "ok",
                po.path("converged").isBoolean() ? po.path("converged").asText() : "", post, inImage);
    }

    private Row failedRow(Curve c, String reason) {
        return new Row(c.file(), c.entry() > 0 ? Integer.toString(c.entry()) : "", cmd.model,
                cmd.loss == null ? "" : cmd.loss, "", "", Map.of(), "failed: " + reason, "", Map.of(), Map.of());
    }

    private static String number(JsonNode n) {
        return n.isNumber() ? n.asText() : "";
    }

    /** Writes the summary atomically: the header, then a row per curve in batch order. */
    private static void writeSummary(Path file, List<Row> rows) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        for (Row r : rows) {
            names.addAll(r.parameters().keySet());
        }
        StringBuilder sb = new StringBuilder();
        List<String> head = new ArrayList<>(List.of("file", "entry", "model", "loss", "reduced_chi2", "best_loss"));
        for (String n : names) {
            head.addAll(List.of(n, n + "_p05", n + "_p95", n + "_verdict"));
        }
        // the verdicts within one image only when a curve's ensemble spans several images of a symmetry
        boolean withImages = rows.stream().anyMatch(r -> !r.verdictsInImage().isEmpty());
        if (withImages) {
            for (String n : names) {
                head.add(n + "_verdict_in_image");
            }
        }
        // the posterior's columns only when a curve has one, so that a batch without keeps its columns
        Set<String> posteriorNames = new LinkedHashSet<>();
        for (Row r : rows) {
            posteriorNames.addAll(r.posterior().keySet());
        }
        boolean withPosterior = !posteriorNames.isEmpty();
        if (withPosterior) {
            head.add("posterior_converged");
            for (String n : posteriorNames) {
                head.addAll(List.of(n + "_post_median", n + "_post_p05", n + "_post_p95", n + "_post_verdict"));
            }
        }
        head.add("status");
        line(sb, head);
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(r.file(), r.entry(), r.model(), r.loss(), r.reducedChi2(),
                    r.bestLoss()));
            for (String n : names) {
                String[] v = r.parameters().get(n);
                cells.addAll(v == null ? List.of("", "", "", "") : List.of(v));
            }
            if (withImages) {
                for (String n : names) {
                    String[] v = r.parameters().get(n);
                    // a curve whose ensemble lies in one image: its verdict is already that image's
                    cells.add(r.verdictsInImage().getOrDefault(n, v == null ? "" : v[3]));
                }
            }
            if (withPosterior) {
                cells.add(r.posteriorConverged());
                for (String n : posteriorNames) {
                    String[] v = r.posterior().get(n);
                    cells.addAll(v == null ? List.of("", "", "", "") : List.of(v));
                }
            }
            cells.add(r.status());
            line(sb, cells);
        }
        AtomicFiles.writeString(file, sb);
    }

    private static void line(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(csv(cells.get(i)));
        }
        sb.append('\n');
    }

    /** RFC 4180: a cell with a comma, quote, line break or edge space is quoted, quotes doubled. */
    static String csv(String cell) {
        if (cell.isEmpty()) {
            return cell;
        }
        boolean quote = cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                || cell.indexOf('\r') >= 0 || cell.charAt(0) == ' ' || cell.charAt(cell.length() - 1) == ' ';
        return quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }

    /** The SHA-256 of a file's bytes, in hexadecimal. */
    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the Java runtime has no SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the Java runtime has no SHA-256", e);
        }
    }
}
