package org.lnpsaxs.polydispersity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.polydispersity.Dispersion;
import org.lnpsaxs.polydispersity.distribution.SizeDistribution;
import org.lnpsaxs.polydispersity.quadrature.QuadratureRule;

/**
 * The outer-product quadrature grid shared by the polydisperse layers. Not a user class.
 *
 * <p>For each parameter set of a batch it draws the nodes \( x_{d,k} \) and weights
 * \( w_{d,k} \) of every dispersion d, forms all combinations (rows) with product weights
 * \( W_r = \prod_d w_{d,k_d(r)} \), and writes one monodisperse parameter vector per row (the
 * distributed parameters replaced by the nodes). The reverse pass maps row gradients
 * \( \partial L/\partial\theta_\text{row} \) and \( \partial L/\partial W_r \) back to the
 * layer's parameters:
 * \( \partial L/\partial x_{d,k} = \sum_{r: k_d(r)=k} \partial L/\partial\theta_{\text{row},p_d} \),
 * \( \partial L/\partial w_{d,k} = \sum_{r: k_d(r)=k} \partial L/\partial W_r \prod_{e\ne d} w_{e,k_e(r)} \),
 * and \( \partial L/\partial\vartheta_{d,j} = \sum_k \partial L/\partial x_{d,k}\,\partial x_{d,k}/\partial\vartheta_{d,j}
 * + \partial L/\partial w_{d,k}\,\partial w_{d,k}/\partial\vartheta_{d,j} \).
 *
 * <p>The expanded parameter space is the model's with every distributed parameter replaced, in
 * place, by its distribution's parameters (named by {@link Dispersion#parameterName}).
 * Rows of one set are contiguous; the last dispersion varies fastest.
 */
final class ProductGrid {

    /**
     * The most grid points per parameter set (product of the dispersions' node counts): each holds
     * a form-factor row of the q grid, so 4·10⁶ points already need 6.4 GB at 200 q.
     */
    static final long MAX_ROWS_PER_SET = 4_000_000L;

    /** Double slots used in a workspace: rows, row weights, then four per dispersion, then scratch. */
    private static final int THETA_ROWS = 0;
    private static final int ROW_WEIGHT = 1;
    private static final int ROW_START = 0;
    private static final int COUNTS = 1;

    private final ParameterSpace modelSpace;
    private final Dispersion[] dispersions;
    private final QuadratureRule[] rules;
    private final int[] distributedIndex;
    private final int[] distCount;
    private final int[] maxNodes;
    private final int[][] distLayerIndex;
    private final int[] modelToLayer;
    private final ParameterSpace space;
    private final long maxRowsPerSet;
    private final boolean weightsMove;
    private final int scratchSlot;

    /**
     * A grid for a model's parameters and a list of dispersions (distinct parameters).
     *
     * @param qMax the model's largest q, Å⁻¹ (rules that resolve oscillations in x adapt to it)
     * @throws IllegalArgumentException if a dispersion names an unknown parameter, two name the
     *                                  same one, or the expanded names clash
     */
    ProductGrid(ParameterSpace modelSpace, List<Dispersion> dispersionList, double qMax) {
        this.modelSpace = modelSpace;
        this.dispersions = dispersionList.toArray(new Dispersion[0]);
        int nd = dispersions.length;
        this.rules = new QuadratureRule[nd];
        this.distributedIndex = new int[nd];
        this.distCount = new int[nd];
        this.maxNodes = new int[nd];
        this.distLayerIndex = new int[nd][];
        this.modelToLayer = new int[modelSpace.size()];
        Set<String> seen = new HashSet<>();
        long rows = 1;
        boolean moving = false;
        for (int d = 0; d < nd; d++) {
            Dispersion disp = dispersions[d];
            if (!modelSpace.contains(disp.parameter())) {
                throw new IllegalArgumentException("dispersion of unknown parameter '" + disp.parameter()
                        + "'; the model's parameters are " + String.join(", ", modelSpace.names()));
            }
            if (!seen.add(disp.parameter())) {
                throw new IllegalArgumentException("parameter " + disp.parameter() + " has two dispersions");
            }
            distributedIndex[d] = modelSpace.indexOf(disp.parameter());
            Parameter p = modelSpace.get(distributedIndex[d]);
            rules[d] = disp.rule().adaptedTo(disp.distribution(), p.lower(), p.upper(), qMax);
            distCount[d] = disp.distribution().parameters().size();
            maxNodes[d] = rules[d].maxNodes();
            rows *= maxNodes[d];
            moving |= rules[d].weightsDependOnParameters();
        }
        if (rows > MAX_ROWS_PER_SET) {
            StringBuilder counts = new StringBuilder();
            for (int d = 0; d < nd; d++) {
                counts.append(d == 0 ? "" : " x ").append(maxNodes[d]).append(' ').append(dispersions[d].parameter());
            }
            throw new IllegalArgumentException("the size-distribution grid has " + counts + " = " + rows
                    + " points per curve, more than the limit of " + MAX_ROWS_PER_SET + ": use fewer points per dispersion");
        }
        this.maxRowsPerSet = rows;
        this.weightsMove = moving;
        List<Parameter> expanded = new ArrayList<>();
        Arrays.fill(modelToLayer, -1);
        for (int i = 0; i < modelSpace.size(); i++) {
            Parameter p = modelSpace.get(i);
            int d = dispersionOf(i);
            if (d < 0) {
                modelToLayer[i] = expanded.size();
                expanded.add(p);
                continue;
            }
            Dispersion disp = dispersions[d];
            ParameterSpace ds = disp.distribution().parameters();
            distLayerIndex[d] = new int[ds.size()];
            for (int j = 0; j < ds.size(); j++) {
                Parameter dp = ds.get(j);
                String name = disp.parameterName(dp.name());
                Parameter lp;
                if ("center".equals(dp.name())) {
                    lp = new Parameter(name, p.unit(), Math.max(p.lower(), dp.lower()), Math.min(p.upper(), dp.upper()),
                            "centre of the " + disp.distribution().name() + " distribution of " + p.name()
                                    + (p.description().isEmpty() ? "" : " (" + p.description() + ")"));
                } else {
                    lp = new Parameter(name, dp.unit(), dp.lower(), dp.upper(),
                            dp.description() + " (" + disp.distribution().name() + " distribution of " + p.name() + ")");
                }
                distLayerIndex[d][j] = expanded.size();
                expanded.add(lp);
            }
        }
        this.space = ParameterSpace.of(expanded);
        this.scratchSlot = 2 + 4 * nd;
    }

    private int dispersionOf(int modelIndex) {
        for (int d = 0; d < distributedIndex.length; d++) {
            if (distributedIndex[d] == modelIndex) {
                return d;
            }
        }
        return -1;
    }

    /** The expanded parameter space (model parameters with the distributed ones replaced). */
    public ParameterSpace space() {
        return space;
    }

    /** The dispersions. */
    public List<Dispersion> dispersions() {
        return List.of(dispersions);
    }

    /** The rules as adapted to the model, one per dispersion. */
    public List<QuadratureRule> rules() {
        return List.of(rules);
    }

    /** The largest number of rows one parameter set can produce. */
    public long maxRowsPerSet() {
        return maxRowsPerSet;
    }

    /** Whether any weight depends on the distribution parameters. */
    public boolean weightsMove() {
        return weightsMove;
    }

    /** The number of double slots this grid uses in a workspace (slots 0 .. n−1). */
    public int doubleSlots() {
        return scratchSlot + 1;
    }

    /** The number of int slots this grid uses in a workspace. */
    public static int intSlots() {
        return 2;
    }

    /** The row parameter vectors of the last {@link #expand} ({@code rows * P_model}). */
    public double[] thetaRows(Workspace ws) {
        return ws.doubles(THETA_ROWS, 0);
    }

    /** The row weights \( W_r \) of the last {@link #expand}. */
    public double[] rowWeights(Workspace ws) {
        return ws.doubles(ROW_WEIGHT, 0);
    }

    /** Row offsets of the sets of the last {@link #expand}: set b owns rows [start[b], start[b+1]). */
    public int[] rowStart(Workspace ws) {
        return ws.ints(ROW_START, 0);
    }

    /**
     * The number of rows {@link #expand} makes for the set at {@code theta[offset ..]} (the layer's
     * positional parameters from {@code base}), counted by the rules ({@link QuadratureRule#nodeCount})
     * without writing nodes.
     *
     * @throws IllegalArgumentException where {@link #expand} would throw
     */
    int rowCount(double[] theta, int offset, int base) {
        int rows = 1;
        for (int d = 0; d < dispersions.length; d++) {
            double[] values = new double[distCount[d]];
            for (int j = 0; j < values.length; j++) {
                values[j] = theta[offset + base + distLayerIndex[d][j]];
            }
            rows *= rules[d].nodeCount(dispersions[d].distribution().withParameters(values));
        }
        return rows;
    }

    /**
     * Builds the rows of a batch.
     *
     * @param ws          the workspace
     * @param theta       layer parameter sets, {@code batch * stride} values
     * @param batch       number of sets
     * @param stride      values per layer set
     * @param base        offset of the expanded block inside each layer set
     * @param derivatives whether to compute node and weight derivatives (for a reverse pass)
     * @return the total number of rows
     */
    public int expand(Workspace ws, double[] theta, int batch, int stride, int base, boolean derivatives) {
        int nd = dispersions.length;
        int pm = modelSpace.size();
        long maxTotal = Math.max(1, maxRowsPerSet) * (long) batch;
        if (maxTotal > Integer.MAX_VALUE / Math.max(1, pm)) {
            throw new IllegalArgumentException("batch of " + batch + " sets × " + maxRowsPerSet
                    + " quadrature rows is too large; evaluate it in smaller batches");
        }
        double[] rowsTheta = ws.doubles(THETA_ROWS, maxTotal * pm);
        double[] weights = ws.doubles(ROW_WEIGHT, maxTotal);
        int[] start = ws.ints(ROW_START, batch + 1);
        int[] counts = ws.ints(COUNTS, Math.max(1, batch * nd));
        double[][] nx = new double[nd][];
        double[][] nw = new double[nd][];
        double[][] ndx = new double[nd][];
        double[][] ndw = new double[nd][];
        for (int d = 0; d < nd; d++) {
            long m = (long) batch * maxNodes[d];
            nx[d] = ws.doubles(2 + 4 * d, m);
            nw[d] = ws.doubles(3 + 4 * d, m);
            ndx[d] = derivatives ? ws.doubles(4 + 4 * d, m * distCount[d]) : null;
            ndw[d] = derivatives ? ws.doubles(5 + 4 * d, m * distCount[d]) : null;
        }
        int total = 0;
        int[] digit = new int[nd];
        for (int b = 0; b < batch; b++) {
            start[b] = total;
            int setOff = b * stride + base;
            int rows = 1;
            for (int d = 0; d < nd; d++) {
                double[] values = new double[distCount[d]];
                for (int j = 0; j < values.length; j++) {
                    values[j] = theta[setOff + distLayerIndex[d][j]];
                }
                SizeDistribution dist;
                try {
                    dist = dispersions[d].distribution().withParameters(values);
                } catch (IllegalArgumentException e) {
                    StringBuilder names = new StringBuilder();
                    for (int j = 0; j < values.length; j++) {
                        names.append(j == 0 ? "" : ", ").append(space.get(distLayerIndex[d][j]).name())
                                .append(" = ").append(values[j]);
                    }
                    throw new IllegalArgumentException("distribution of " + dispersions[d].parameter() + " (" + names
                            + (batch > 1 ? ", set " + b : "") + "): " + e.getMessage(), e);
                }
                int off = b * maxNodes[d];
                int n;
                try {
                    n = rules[d].nodes(dist, nx[d], nw[d], ndx[d], ndw[d], off);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("distribution of " + dispersions[d].parameter()
                            + (batch > 1 ? " (set " + b + ")" : "") + ": " + e.getMessage(), e);
                }
                Parameter p = modelSpace.get(distributedIndex[d]);
                for (int k = 0; k < n; k++) {
                    double xk = nx[d][off + k];
                    if (!p.contains(xk)) {
                        throw new IllegalArgumentException("quadrature node " + p.name() + " = " + xk + " of the "
                                + dist + (batch > 1 ? " (set " + b + ")" : "") + " is outside the model's range "
                                + p.rangeText() + "; narrow the distribution or its truncation");
                    }
                }
                counts[b * nd + d] = n;
                rows *= n;
            }
            for (int r = 0; r < rows; r++) {
                int idx = r;
                for (int d = nd - 1; d >= 0; d--) {
                    int n = counts[b * nd + d];
                    digit[d] = idx % n;
                    idx /= n;
                }
                int row = total + r;
                int rowOff = row * pm;
                double w = 1;
                for (int i = 0; i < pm; i++) {
                    int li = modelToLayer[i];
                    if (li >= 0) {
                        rowsTheta[rowOff + i] = theta[setOff + li];
                    }
                }
                for (int d = 0; d < nd; d++) {
                    int at = b * maxNodes[d] + digit[d];
                    rowsTheta[rowOff + distributedIndex[d]] = nx[d][at];
                    w *= nw[d][at];
                }
                weights[row] = w;
            }
            total += rows;
        }
        start[batch] = total;
        return total;
    }

    /**
     * The reverse pass of {@link #expand} (which must have run with derivatives on this workspace).
     *
     * @param ws         the workspace
     * @param batch      number of sets
     * @param dThetaRows \( \partial L/\partial\theta_\text{row} \), {@code rows * P_model} values
     * @param dLdW       \( \partial L/\partial W_r \) per row (may be {@code null}: zero)
     * @param dLdTheta   receives the gradient of each layer set's expanded block (overwritten)
     * @param stride     values per layer set
     * @param base       offset of the expanded block inside each layer set
     */
    public void backward(Workspace ws, int batch, double[] dThetaRows, double[] dLdW, double[] dLdTheta,
                         int stride, int base) {
        int nd = dispersions.length;
        int pm = modelSpace.size();
        int[] start = ws.ints(ROW_START, 0);
        int[] counts = ws.ints(COUNTS, 0);
        int scratchSize = 0;
        int[] scratchOff = new int[nd];
        for (int d = 0; d < nd; d++) {
            scratchOff[d] = scratchSize;
            scratchSize += 2 * maxNodes[d];
        }
        double[] scratch = ws.doubles(scratchSlot, Math.max(1, scratchSize));
        double[][] nw = new double[nd][];
        for (int d = 0; d < nd; d++) {
            nw[d] = ws.doubles(3 + 4 * d, 0);
        }
        int[] digit = new int[nd];
        for (int b = 0; b < batch; b++) {
            int setOff = b * stride + base;
            int r0 = start[b];
            int r1 = start[b + 1];
            for (int i = 0; i < pm; i++) {
                int li = modelToLayer[i];
                if (li < 0) {
                    continue;
                }
                double s = 0;
                for (int r = r0; r < r1; r++) {
                    s += dThetaRows[r * pm + i];
                }
                dLdTheta[setOff + li] = s;
            }
            if (nd == 0) {
                continue;
            }
            Arrays.fill(scratch, 0, scratchSize, 0.0);
            for (int r = r0; r < r1; r++) {
                int idx = r - r0;
                for (int d = nd - 1; d >= 0; d--) {
                    int n = counts[b * nd + d];
                    digit[d] = idx % n;
                    idx /= n;
                }
                for (int d = 0; d < nd; d++) {
                    scratch[scratchOff[d] + digit[d]] += dThetaRows[r * pm + distributedIndex[d]];
                    if (dLdW != null) {
                        double others = 1;
                        for (int e = 0; e < nd; e++) {
                            if (e != d) {
                                others *= nw[e][b * maxNodes[e] + digit[e]];
                            }
                        }
                        scratch[scratchOff[d] + maxNodes[d] + digit[d]] += dLdW[r] * others;
                    }
                }
            }
            for (int d = 0; d < nd; d++) {
                double[] ndx = ws.doubles(4 + 4 * d, 0);
                double[] ndw = ws.doubles(5 + 4 * d, 0);
                int pd = distCount[d];
                int n = counts[b * nd + d];
                for (int j = 0; j < pd; j++) {
                    double s = 0;
                    for (int k = 0; k < n; k++) {
                        int at = (b * maxNodes[d] + k) * pd + j;
                        s += scratch[scratchOff[d] + k] * ndx[at];
                        if (dLdW != null) {
                            s += scratch[scratchOff[d] + maxNodes[d] + k] * ndw[at];
                        }
                    }
                    dLdTheta[setOff + distLayerIndex[d][j]] = s;
                }
            }
        }
    }
}
