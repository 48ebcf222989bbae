package org.lnpsaxs.surrogate.fit;

import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.model.FitModelProvider;

/**
 * Registers {@code lnp-closed} with {@link org.lnpsaxs.optimize.model.FitModels}:
 * {@link LnpFitModel#closedForm()}, the lnp model over the simulator's expected intensity in closed
 * form instead of the surrogate (simulator units; lengths in Å, q in Å⁻¹). Found by
 * {@link java.util.ServiceLoader}; not called directly.
 */
public final class LnpClosedFitModelProvider implements FitModelProvider {

    @Override
    public String name() {
        return LnpFitModel.CLOSED_FORM_NAME;
    }

    @Override
    public String description() {
        return "the lnp model over the simulator's expected intensity in closed form instead of the neural surrogate "
                + "(an experiment, not yet calibrated; docs/surrogate.md)";
    }

    /** {@code lnp-closed}, with the shipped surrogate's q grid and error model. */
    @Override
    public FitModel create() {
        return LnpFitModel.closedForm();
    }
}
