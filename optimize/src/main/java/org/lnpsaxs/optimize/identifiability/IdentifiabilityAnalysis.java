package org.lnpsaxs.optimize.identifiability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.lnpsaxs.optimize.internal.Lanes;
import org.lnpsaxs.optimize.model.SizeSummary;

/**
 * The identifiability analysis of an ensemble (see {@link Identifiability}): spreads,
 * correlations, principal directions, modes, and the Fisher information at the best fit.
 *
 * <p>Modes: the box-scaled ensemble \( x_j = (\theta_j - l_j)/(h_j - l_j) \) is fitted by Gaussian
 * mixtures with full covariances (floor \(10^{-6}\) box units² on the diagonal, i.e. a resolution
 * of 0.1 % of each box) for K = 1..K_max, \( K_{\max} = \min(6, \max(1, \lfloor m/(2(d+1))\rfloor)) \)
 * (enough members per component to estimate a covariance), 3 seeded k-means++ restarts each; the
 * K with the lowest BIC is taken. BIC measures fit to the ensemble's density, not separation: a
 * long, flat valley of equally good fits is better described by several Gaussians side by side.
 * So components are then merged while the mixture density along the segment between two
 * component means stays above {@link #VALLEY_RATIO} (0.2) of the lower end density (a ridgeline
 * criterion in the spirit of Hennig 2010, Adv. Data Anal. Classif. 4, 3): a mode is a region of
 * the ensemble separated from the others by a density valley at least 80 % deep. (Gaussians fitted
 * side by side to a uniform valley dip to about 0.44; two clusters 5σ apart dip to 0.09.)
 * The Fisher information is computed by {@link FisherInformation#at}. The mixtures for the
 * different K are fitted in parallel on the fitter's worker lanes. Stateless; deterministic for a
 * seed, whatever the number of processors.
 */
public final class IdentifiabilityAnalysis {

    /** The covariance floor of the mixture components, box units². */
    public static final double COVARIANCE_FLOOR = 1e-6;
    /** The largest number of modes considered. */
    public static final int MAX_MODES = 6;

    private IdentifiabilityAnalysis() {
    }

    /**
     * Analyses an ensemble.
     *
     * @param sample the ensemble's free parameters, best member first
     * @param sizeOf the size distribution for a vector of free-parameter values, or {@code null}
     * @param seed   the clustering seed
     * @return the analysis without Fisher information and profiles
     */
    public static Identifiability analyse(EnsembleSample sample, Function<double[], SizeSummary> sizeOf, long seed) {
        return analyse(sample, sizeOf, seed, null);
    }

    /**
     * The images of a model's exact symmetries that the members of an ensemble lie in: members of
     * different images give the same curves as each other's mirrors, so they are different modes by
     * construction, whatever their number; the analysis splits them first and clusters each image
     * on its own.
     *
     * @param symmetry the symmetry (or symmetries) that defines the images, named for the report
     * @param of       for every member (ensemble order) its image, any integers (equal = same image)
     */
    public record Images(String symmetry, int[] of) {

        /** Copies. */
        public Images {
            java.util.Objects.requireNonNull(symmetry, "symmetry");
            of = of.clone();
        }

        /** Each member's image (a copy). */
        @Override
        public int[] of() {
            return of.clone();
        }

        /** The members of each image, the image of the best member (member 0) first, members in order. */
        List<int[]> groups(int m) {
            if (of.length != m) {
                throw new IllegalArgumentException("images: " + of.length + " labels for an ensemble of " + m);
            }
            Map<Integer, List<Integer>> byImage = new LinkedHashMap<>();
            for (int i = 0; i < m; i++) {
                byImage.computeIfAbsent(of[i], k -> new ArrayList<>()).add(i);
            }
            List<int[]> out = new ArrayList<>();
            for (List<Integer> rows : byImage.values()) {
                out.add(rows.stream().mapToInt(Integer::intValue).toArray());
            }
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Images i && symmetry.equals(i.symmetry) && java.util.Arrays.equals(of, i.of);
        }

        @Override
        public int hashCode() {
            return 31 * symmetry.hashCode() + java.util.Arrays.hashCode(of);
        }
    }

    /**
     * Analyses an ensemble whose members lie in the images of the model's exact symmetries.
     *
     * @param sample the ensemble's free parameters, best member first
     * @param sizeOf the size distribution for a vector of free-parameter values, or {@code null}
     * @param seed   the clustering seed
     * @param images the image of every member, or {@code null} (no symmetry: one group)
     * @return the analysis without Fisher information and profiles
     */
    public static Identifiability analyse(EnsembleSample sample, Function<double[], SizeSummary> sizeOf, long seed,
                                          Images images) {
        double[][] v = sample.values();
        List<ParameterSpread> spreads = spreads(sample, v, null);
        Correlations corr = new Correlations(sample.names(), Statistics.pearson(v), Statistics.spearman(v));
        double[][] x = sample.boxScaled();
        List<PrincipalDirection> pcs = principalDirections(sample.names(), Statistics.covariance(x));
        Modes modes = modes(sample, v, x, sizeOf, seed, images);
        return new Identifiability(spreads, corr, pcs, modes, null, List.of());
    }

    /**
     * The ensemble's spreads and principal directions with every member mapped onto the canonical
     * image of the model's exact symmetries ({@link FoldedEnsemble}): the spread of each parameter
     * within one image. Same definitions as {@link #analyse}; the best member (member 0) gives the
     * best value and the bound contact, after its own fold.
     *
     * @param sample         the ensemble's free parameters, best member first
     * @param symmetries     the folded symmetries' names, for the report
     * @param canonicalImage the image mapped onto, for the report
     * @param fold           a member's free-parameter values (model units) mapped onto the canonical
     *                       image, as a new array; returns values equal to its argument for a member
     *                       already there
     * @return the folded spreads; {@link FoldedEnsemble#folded()} counts the members whose values the fold changed
     */
    public static FoldedEnsemble folded(EnsembleSample sample, String symmetries, String canonicalImage,
                                        UnaryOperator<double[]> fold) {
        double[] widths = new double[sample.dimension()];
        for (int j = 0; j < widths.length; j++) {
            widths[j] = sample.upper()[j] - sample.lower()[j];
        }
        return folded(sample, symmetries, canonicalImage, fold, widths);
    }

    /**
     * {@link #folded(EnsembleSample, String, String, UnaryOperator)} with each parameter's relative
     * spread taken of {@code widths[j]}, the width of the range it takes in the canonical image (the box's
     * where folding does not narrow it; {@code Symmetry.canonicalWidths}).
     *
     * @param widths per free parameter, in (0, box width], parameter units
     */
    public static FoldedEnsemble folded(EnsembleSample sample, String symmetries, String canonicalImage,
                                        UnaryOperator<double[]> fold, double[] widths) {
        if (widths.length != sample.dimension()) {
            throw new IllegalArgumentException("widths: " + widths.length + " for " + sample.dimension() + " parameters");
        }
        for (int j = 0; j < widths.length; j++) {
            if (!(widths[j] > 0 && widths[j] <= sample.upper()[j] - sample.lower()[j])) {
                throw new IllegalArgumentException("width of " + sample.names().get(j) + " must be in (0, "
                        + (sample.upper()[j] - sample.lower()[j]) + "], got " + widths[j]);
            }
        }
        double[][] v = sample.values();
        int moved = 0;
        for (int i = 0; i < v.length; i++) {
            double[] f = fold.apply(v[i].clone());
            if (f.length != v[i].length) {
                throw new IllegalArgumentException("fold: " + f.length + " values for a member of " + v[i].length);
            }
            moved += Arrays.equals(f, v[i]) ? 0 : 1;
            v[i] = f;
        }
        EnsembleSample f = new EnsembleSample(sample.names(), sample.units(), sample.lower(), sample.upper(), v,
                sample.losses(), sample.starts());
        return new FoldedEnsemble(symmetries, canonicalImage, moved, spreads(f, v, widths),
                principalDirections(f.names(), Statistics.covariance(f.boxScaled())));
    }

    /**
     * Per free parameter: the spread over the members {@code v} (of {@code sample}) and its verdict, the
     * relative spread of {@code widths} (null: the box's).
     */
    private static List<ParameterSpread> spreads(EnsembleSample sample, double[][] v, double[] widths) {
        int d = sample.dimension();
        double[] lower = sample.lower();
        double[] upper = sample.upper();
        List<ParameterSpread> spreads = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            double width = widths == null ? upper[j] - lower[j] : widths[j];
            double p05 = Statistics.quantile(v, j, 0.05);
            double p95 = Statistics.quantile(v, j, 0.95);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] row : v) {
                min = Math.min(min, row[j]);
                max = Math.max(max, row[j]);
            }
            double rel = (p95 - p05) / width;
            ParameterSpread.Bound bound = ParameterSpread.atBound(v[0][j], lower[j], upper[j]);
            spreads.add(new ParameterSpread(sample.names().get(j), sample.units().get(j), lower[j], upper[j],
                    v[0][j], Statistics.mean(v, j), Statistics.std(v, j), min, max, p05, p95, rel,
                    ParameterSpread.verdict(rel, bound), bound));
        }
        return spreads;
    }

    static List<PrincipalDirection> principalDirections(List<String> names, double[][] cov) {
        int d = cov.length;
        double total = 0;
        for (int a = 0; a < d; a++) {
            total += cov[a][a];
        }
        SymmetricEigen e = SymmetricEigen.of(cov);
        List<PrincipalDirection> out = new ArrayList<>();
        for (int k = 0; k < d; k++) {
            double var = Math.max(0, e.values()[k]);
            double spread = Math.sqrt(var);
            out.add(new PrincipalDirection(var, spread, total > 0 ? var / total : 0, PrincipalDirection.Kind.of(spread),
                    e.loadings(names, k)));
        }
        return out;
    }

    /** The mixture chosen for one group of members: BIC per K, the K chosen, and each member's merged component. */
    private record Choice(double[] bic, int chosen, int[] raw) {
    }

    /** Mixtures for K = 1..K_max on {@code x}, the lowest BIC taken, components without a valley merged. */
    private static Choice choose(double[][] x, long seed) {
        int m = x.length;
        int d = x[0].length;
        int kMax = Math.min(MAX_MODES, Math.max(1, m / (2 * (d + 1))));
        double[] bic = new double[kMax];
        // the mixtures for different K are independent (each seeded by K): fitted on the worker
        // lanes, largest K first, and compared in K order, so the result does not depend on the lanes
        GaussianMixture.Fit[] fits = new GaussianMixture.Fit[kMax];
        int lanes = Math.max(1, Math.min(kMax, Runtime.getRuntime().availableProcessors()));
        Lanes.run(lanes, lane -> {
            for (int k = kMax - lane; k >= 1; k -= lanes) {
                fits[k - 1] = GaussianMixture.fit(x, k, seed, COVARIANCE_FLOOR, k == 1 ? 1 : 3);
            }
        });
        GaussianMixture.Fit best = null;
        for (int k = 1; k <= kMax; k++) {
            GaussianMixture.Fit f = fits[k - 1];
            bic[k - 1] = f.bic();
            if (best == null || f.bic() < best.bic()) {
                best = f;
            }
        }
        return new Choice(bic, best.k(), mergeUnseparated(best));
    }

    /**
     * The modes, with the members first split by the images of the model's exact symmetries when
     * {@code images} is given and holds more than one image: members of different images are never
     * put into one mode, and each image is clustered on its own.
     */
    static Modes modes(EnsembleSample sample, double[][] values, double[][] x, Function<double[], SizeSummary> sizeOf,
                       long seed, Images images) {
        double[] losses = sample.losses();
        int[] starts = sample.starts();
        int m = x.length;
        int d = x[0].length;
        List<int[]> groups = images == null ? List.of(java.util.stream.IntStream.range(0, m).toArray()) : images.groups(m);
        int[] raw = new int[m];
        double[] bic = null;
        int components = 0;
        StringBuilder perImage = new StringBuilder();
        List<Integer> unsplit = new ArrayList<>();
        List<Integer> atLimit = new ArrayList<>();
        int atLimitK = 0;
        for (int[] rows : groups) {
            double[][] xg = new double[rows.length][];
            for (int r = 0; r < rows.length; r++) {
                xg[r] = x[rows[r]];
            }
            Choice c = choose(xg, seed);
            for (int r = 0; r < rows.length; r++) {
                raw[rows[r]] = components + c.raw()[r];
            }
            components += c.chosen();
            if (bic == null) {
                bic = c.bic();
            }
            if (c.bic().length == 1) {
                unsplit.add(rows.length);
            } else if (c.bic().length < MAX_MODES && c.chosen() == c.bic().length) {
                atLimit.add(rows.length);
                atLimitK = c.chosen();
            }
            perImage.append(perImage.length() == 0 ? "" : "; ").append(groups.size() > 1 ? rows.length + " members, " : "")
                    .append(String.format(Locale.ROOT, "K = 1..%d (BIC chose %d)", c.bic().length, c.chosen()));
        }
        boolean split = groups.size() > 1;
        // number the non-empty components by their best loss (members are sorted best first)
        int[] rename = new int[components];
        Arrays.fill(rename, -1);
        int next = 0;
        for (int i = 0; i < m; i++) {
            if (rename[raw[i]] < 0) {
                rename[raw[i]] = next++;
            }
        }
        int[] labels = new int[m];
        for (int i = 0; i < m; i++) {
            labels[i] = rename[raw[i]] + 1;
        }
        List<Mode> modes = new ArrayList<>();
        for (int c = 1; c <= next; c++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                if (labels[i] == c) {
                    rows.add(i);
                }
            }
            double[][] sub = new double[rows.size()][];
            for (int r = 0; r < rows.size(); r++) {
                sub[r] = values[rows.get(r)];
            }
            Map<String, Double> centre = new LinkedHashMap<>();
            Map<String, Double> spread = new LinkedHashMap<>();
            Map<String, Double> bestPars = new LinkedHashMap<>();
            double[] centreVec = new double[d];
            for (int j = 0; j < d; j++) {
                centreVec[j] = Statistics.mean(sub, j);
                centre.put(sample.names().get(j), centreVec[j]);
                spread.put(sample.names().get(j), Statistics.std(sub, j));
                bestPars.put(sample.names().get(j), sub[0][j]);
            }
            int first = rows.get(0);
            SizeSummary sd = sizeOf == null ? null : sizeOf.apply(centreVec);
            modes.add(new Mode(c, rows.size(), (double) rows.size() / m, losses[first], starts[first],
                    centre, spread, bestPars, sd));
        }
        double sil = next > 1 ? silhouette(x, labels, next) : 0.0;
        String mixture = String.format(Locale.ROOT, "lowest BIC of Gaussian mixtures (full covariances, floor %.0e box "
                + "units^2) on the box-scaled ensemble", COVARIANCE_FLOOR);
        String merge = String.format(Locale.ROOT, "then components merged unless the mixture density between their means "
                + "falls below %.2f of its ends (a density valley)", VALLEY_RATIO);
        String criterion;
        if (split) {
            criterion = "members first split by the exact symmetry " + images.symmetry() + " into its " + groups.size()
                    + " images (members of different images never share a mode), then in each image the " + mixture
                    + " (" + perImage + "; bic lists the best member's image); " + merge;
        } else {
            criterion = mixture + ", " + perImage + "; " + merge;
        }
        if (!unsplit.isEmpty()) {
            // said out loud: one mode here is an assumption, not a finding
            int smallest = unsplit.stream().mapToInt(Integer::intValue).min().orElse(0);
            criterion += String.format(Locale.ROOT, "; NOT SPLIT%s: %s of %d members is too small to fit two "
                    + "components with %d free parameters (needs at least %d members), so one mode is assumed there, "
                    + "not found; more starts let the analysis separate modes", split ? " further" : "",
                    split ? "an image" : "the ensemble", smallest, d, 4 * (d + 1));
        }
        if (!atLimit.isEmpty()) {
            // said out loud too: the members allowed no more components than the BIC chose
            criterion += String.format(Locale.ROOT, "; AT ITS LIMIT%s: the BIC chose the most components that %s of %d"
                    + " members allows with %d free parameters (K = %d; at least %d members per component), so there may"
                    + " be more modes than it shows; more starts let the analysis separate them",
                    split ? " in an image" : "", split ? "an image" : "the ensemble", atLimit.get(0), d, atLimitK,
                    2 * (d + 1));
        }
        return new Modes(next, criterion, bic, sil, labels, modes, split ? images.symmetry() : null, !unsplit.isEmpty(),
                !atLimit.isEmpty());
    }

    /**
     * Merges mixture components that are not separated by a density valley: while some pair of
     * components has a mixture density along the segment between their means that never falls
     * below {@link #VALLEY_RATIO} of the lower of the two end densities, the pair with the
     * shallowest valley is merged (weights added, moments matched). Returns the merged labels.
     */
    static int[] mergeUnseparated(GaussianMixture.Fit fit) {
        int k = fit.k();
        int[] labels = fit.labels().clone();
        double[] w = fit.weights().clone();
        double[][] mu = new double[k][];
        double[][][] cov = new double[k][][];
        for (int c = 0; c < k; c++) {
            mu[c] = fit.means()[c].clone();
            cov[c] = fit.covariances()[c];
        }
        boolean[] alive = new boolean[k];
        Arrays.fill(alive, true);
        while (true) {
            int bestA = -1;
            int bestB = -1;
            double bestRatio = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < k; a++) {
                for (int b = a + 1; b < k; b++) {
                    if (!alive[a] || !alive[b]) {
                        continue;
                    }
                    double r = valleyLogRatio(mu[a], mu[b], w, mu, cov, alive);
                    if (r > bestRatio) {
                        bestRatio = r;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
            if (bestA < 0 || bestRatio < Math.log(VALLEY_RATIO)) {
                break;
            }
            // moment-matched merge of b into a
            int d = mu[bestA].length;
            double wa = w[bestA];
            double wb = w[bestB];
            double ws = wa + wb;
            double[] m = new double[d];
            for (int j = 0; j < d; j++) {
                m[j] = (wa * mu[bestA][j] + wb * mu[bestB][j]) / ws;
            }
            double[][] c = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    c[i][j] = (wa * (cov[bestA][i][j] + (mu[bestA][i] - m[i]) * (mu[bestA][j] - m[j]))
                            + wb * (cov[bestB][i][j] + (mu[bestB][i] - m[i]) * (mu[bestB][j] - m[j]))) / ws;
                }
            }
            w[bestA] = ws;
            mu[bestA] = m;
            cov[bestA] = c;
            alive[bestB] = false;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == bestB) {
                    labels[i] = bestA;
                }
            }
        }
        return labels;
    }

    /** A pair of components is one mode when the density between them stays above this share of its ends. */
    public static final double VALLEY_RATIO = 0.2;

    /** ln(min density on the segment / min of the two end densities), 41 points. */
    private static double valleyLogRatio(double[] a, double[] b, double[] w, double[][] mu, double[][][] cov, boolean[] alive) {
        int k = w.length;
        int n = 0;
        for (boolean al : alive) {
            n += al ? 1 : 0;
        }
        double[] ww = new double[n];
        double[][] mm = new double[n][];
        double[][][] cc = new double[n][][];
        int t = 0;
        for (int c = 0; c < k; c++) {
            if (alive[c]) {
                ww[t] = w[c];
                mm[t] = mu[c];
                cc[t] = cov[c];
                t++;
            }
        }
        int d = a.length;
        double[] x = new double[d];
        double ends = Math.min(GaussianMixture.logDensity(a, ww, mm, cc), GaussianMixture.logDensity(b, ww, mm, cc));
        double low = Double.POSITIVE_INFINITY;
        for (int s = 1; s < 40; s++) {
            double f = s / 40.0;
            for (int j = 0; j < d; j++) {
                x[j] = a[j] + f * (b[j] - a[j]);
            }
            low = Math.min(low, GaussianMixture.logDensity(x, ww, mm, cc));
        }
        return low - ends;
    }

    /** The mean silhouette (Rousseeuw 1987) with Euclidean distances; labels 1..k. */
    static double silhouette(double[][] x, int[] labels, int k) {
        int m = x.length;
        int[] count = new int[k + 1];
        for (int l : labels) {
            count[l]++;
        }
        double total = 0;
        double[] sum = new double[k + 1];
        for (int i = 0; i < m; i++) {
            Arrays.fill(sum, 0);
            for (int t = 0; t < m; t++) {
                if (t != i) {
                    sum[labels[t]] += Math.sqrt(GaussianMixture.sq(x[i], x[t]));
                }
            }
            int own = labels[i];
            if (count[own] <= 1) {
                continue; // s(i) = 0 for a singleton
            }
            double a = sum[own] / (count[own] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 1; c <= k; c++) {
                if (c != own && count[c] > 0) {
                    b = Math.min(b, sum[c] / count[c]);
                }
            }
            double den = Math.max(a, b);
            total += den > 0 ? (b - a) / den : 0;
        }
        return total / m;
    }
}
