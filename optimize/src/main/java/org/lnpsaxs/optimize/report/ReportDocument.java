package org.lnpsaxs.optimize.report;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The shape of {@code report.json}: plain records that Jackson writes with snake_case names, in
 * the order declared here. A number that is not finite is written as {@code null}; components
 * marked {@link JsonInclude.Include#NON_NULL} are left out when absent. Not a user class:
 * {@link FitReport} builds it.
 */
final class ReportDocument {

    private ReportDocument() {
    }

    record Root(String format, String version, String model, String intensityUnit, String loss, Data data, int starts,
                long seed, Optimizer optimizer, double runtimeS, Space space, Best best, Convergence convergence,
                EnsembleJson ensemble, IdentifiabilityJson identifiability,
                @JsonInclude(JsonInclude.Include.NON_NULL) QuadratureJson quadrature,
                @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SymmetryJson> symmetries,
                @JsonInclude(JsonInclude.Include.NON_NULL) PosteriorJson posterior) {
    }

    record QuadratureJson(String choice, String rule, int nodesAtBest) {
    }

    record SymmetryJson(String name, String mapping, String statement, String canonicalImage, List<String> parameters,
                        boolean applicable, List<int[]> mirrorModes, int membersCanonical, int membersMirrored,
                        String note) {
    }

    record PosteriorJson(String method, int samples, int walkers, int keptSteps, int burnIn, int totalSteps,
                         long evaluations, double runtimeS, Double cpuS, boolean converged,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Integer suggestedSteps, CriteriaJson criteria,
                         Map<String, DiagnosticJson> diagnostics, double acceptance,
                         Map<String, PosteriorParameter> parameters, LikelihoodJson likelihood,
                         List<ModeWeightJson> modeWeights, long modeSwitches, List<SymmetryUseJson> symmetries,
                         @JsonInclude(JsonInclude.Include.NON_NULL) SizePosteriorJson sizeDistribution) {
    }

    record CriteriaJson(double maxRHat, double minEss, double minStepsPerTau) {
    }

    record DiagnosticJson(double rHat, double ess, double essBulk, double essTail, double tau) {
    }

    record PosteriorParameter(double mean, double median, double p05, double p16, double p84, double p95, double sd,
                              double mcseMean, String unit, @JsonProperty("box_share_90") double boxShare90,
                              String verdict, @JsonInclude(JsonInclude.Include.NON_NULL) String atBound) {
    }

    record LikelihoodJson(String loss, @JsonInclude(JsonInclude.Include.NON_NULL) Double reducedChi2,
                          double sigmaInflation, String note,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Double sizeEstimateFactor) {
    }

    record ModeWeightJson(String origin, Map<String, Double> centre, double weight, double standardError) {
    }

    record SymmetryUseJson(String name, boolean applied, double foldedShare, String note) {
    }

    record SizePosteriorJson(int draws, Quantiles mean, Quantiles cv, double[] radius, double[] pdfP05,
                             double[] pdfP16, double[] pdfMedian, double[] pdfP84, double[] pdfP95) {
    }

    record Quantiles(double mean, double median, double p05, double p16, double p84, double p95, double sd) {
    }

    record Data(String file, int pointsRead, int pointsUsed, int pointsFlagged, int pointsOutsideRange, double[] qRange,
                int fittingGridPoints, boolean interpolated, boolean sigma, ResolutionJson resolution) {
    }

    record ResolutionJson(String requested, String kind, String algorithm, String widths, int calculationPoints,
                          int pointsLeftOut) {
    }

    record Optimizer(String name, Object settings) {
    }

    record AdamWSettings(double learningRate, int warmupSteps, double finalLearningRateRatio, double clipNorm, int steps,
                         double weightDecay, double beta1, double beta2, double epsilon,
                         org.lnpsaxs.optimize.multistart.AdamW.Racing racing) {
    }

    record LbfgsSettings(int maxIterations, int history, double c1, int maxBacktracks, double relativeTolerance,
                         int patience, double gradientTolerance, double initialStep, double maxStep, double pinAt,
                         org.lnpsaxs.optimize.multistart.Lbfgs.Racing racing) {
    }

    record Space(Map<String, Box> free, Map<String, Double> fixed, List<String> ordered, List<String> solvedByLoss) {
    }

    record Box(double lower, double upper, String unit) {
    }

    record Best(int start, double loss, Map<String, Double> parameters, Map<String, String> units,
                @JsonInclude(JsonInclude.Include.NON_NULL) Double scale,
                @JsonInclude(JsonInclude.Include.NON_NULL) Double background,
                @JsonInclude(JsonInclude.Include.NON_NULL) Double reducedChi2,
                @JsonInclude(JsonInclude.Include.NON_NULL) Size sizeDistribution,
                @JsonInclude(JsonInclude.Include.NON_NULL) Double modelErrorAmplitude,
                @JsonInclude(JsonInclude.Include.NON_NULL) Double lossAtOwnSize) {
    }

    record Size(double mean, double cv, @JsonInclude(JsonInclude.Include.NON_NULL) double[] radius,
                @JsonInclude(JsonInclude.Include.NON_NULL) double[] pdf) {
    }

    record Convergence(int convergedStarts, int medianSteps, int maxSteps, long evaluations, long gradients,
                       int scoredStarts, int coarseStageStarts, int screening) {
    }

    record EnsembleJson(String rule, double threshold, int candidates, String clamped, int size, List<Member> members) {
    }

    record Member(int start, double loss, int mode, Map<String, Double> parameters) {
    }

    record IdentifiabilityJson(List<Spread> spreads, Correlations correlations, List<Direction> principalDirections,
                               ModesJson modes, @JsonInclude(JsonInclude.Include.NON_NULL) Fisher fisher,
                               List<ProfileJson> profiles,
                               @JsonInclude(JsonInclude.Include.NON_NULL) FoldedJson canonicalImage) {
    }

    record FoldedJson(String symmetries, String canonicalImage, int folded, List<Spread> spreads,
                      List<Direction> principalDirections) {
    }

    record Spread(String name, String unit, double lower, double upper, double best, double mean, double std, double min,
                  double max, double p05, double p95, double relativeSpread, String verdict, String atBound) {
    }

    record Correlations(List<String> names, double[][] pearson, double[][] spearman) {
    }

    record Direction(double variance, double spread, double explained, String kind, Map<String, Double> loadings) {
    }

    record ModesJson(int count, String criterion, double[] bic, double silhouette,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String splitBySymmetry, boolean assumed,
                     boolean atLimit, List<ModeJson> modes) {
    }

    record ModeJson(int index, int size, double share, double bestLoss, int bestStart, Map<String, Double> centre,
                    Map<String, Double> spread, Map<String, Double> best,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Size sizeDistribution) {
    }

    record Fisher(String parameterisation, List<String> names, double[] eigenvalues, List<Map<String, Double>> eigenvectors,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> standardErrors, double conditionNumber) {
    }

    record ProfileJson(String parameter, String unit, String loss, double bestLoss, double[] values, double[] losses,
                       @JsonProperty("lower_68") Double lower68, @JsonProperty("upper_68") Double upper68) {
    }
}
