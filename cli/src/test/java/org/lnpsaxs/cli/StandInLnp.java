package org.lnpsaxs.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.ErrorModel;
import org.lnpsaxs.surrogate.ModelFile;
import org.lnpsaxs.surrogate.ModelMetadata;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Weights;

/**
 * A stand-in lnp surrogate for the command-line tests: the untrained initial weights (seed 5) of a
 * small network on the paper's q grid (Å⁻¹), intensities in arbitrary units, so that a fit runs in
 * seconds; and the stand-in's own curve at the box centre.
 */
final class StandInLnp {

    /** The box centre the curves are made at (lnp parameter order, model units). */
    static final double[] CENTRE = {0, 300, 0.5, 0.1, 0.1, 0.08, 0.08, 55, 1.0};

    private StandInLnp() {
    }

    /**
     * Writes the stand-in model file.
     *
     * @param file  where
     * @param error the error model it carries, or {@code null} for none
     * @return {@code file}
     */
    static Path write(Path file, ErrorModel error) throws IOException {
        QGrid grid = QGrid.PAPER;
        NetworkSpec spec = NetworkSpec.lnp(grid.size(), 5.0, 1024, List.of(16), 4, List.of(8), 2);
        ModelMetadata meta = ModelMetadata.of("stand-in", LnpParameters.SPACE, grid.values(), "arbitrary units", spec, null);
        if (error == null) {
            ModelFile.write(file, meta, Weights.initial(spec, 5));
        } else {
            ModelFile.write(file, meta, Weights.initial(spec, 5), error);
        }
        return file;
    }

    /**
     * The model's curve at {@link #CENTRE} on every third point of its grid from the eleventh, as a
     * text file's content: columns q (Å⁻¹) and I, and a 1 % σ column when {@code sigma}.
     */
    static String curve(Path model, boolean sigma) throws IOException {
        QGrid grid = QGrid.PAPER;
        double[] mean = Surrogate.load(model).predictLog10(CENTRE);
        StringBuilder sb = new StringBuilder(sigma ? "# q I sigma\n" : "# q I\n");
        for (int k = 10; k < grid.size(); k += 3) {
            double v = Math.pow(10, mean[k]);
            sb.append(sigma ? String.format(Locale.ROOT, "%.10e %.10e %.10e%n", grid.get(k), v, 0.01 * v)
                    : String.format(Locale.ROOT, "%.10e %.10e%n", grid.get(k), v));
        }
        return sb.toString();
    }
}
