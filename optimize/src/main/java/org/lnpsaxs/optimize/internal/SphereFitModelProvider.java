package org.lnpsaxs.optimize.internal;

import org.lnpsaxs.optimize.model.AnalyticFitModel;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.model.FitModelProvider;

/** Registers {@code sphere} ({@link AnalyticFitModel#sphere()}). Not a user class. */
public final class SphereFitModelProvider implements FitModelProvider {

    @Override
    public String name() {
        return "sphere";
    }

    @Override
    public String description() {
        return "sasmodels' sphere (1/cm) with a truncated log-normal radius";
    }

    @Override
    public FitModel create() {
        return AnalyticFitModel.sphere();
    }
}
