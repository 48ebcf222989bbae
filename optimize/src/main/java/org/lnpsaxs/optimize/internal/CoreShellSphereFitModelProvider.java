package org.lnpsaxs.optimize.internal;

import org.lnpsaxs.optimize.model.AnalyticFitModel;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.model.FitModelProvider;

/** Registers {@code core_shell_sphere} ({@link AnalyticFitModel#coreShellSphere()}). Not a user class. */
public final class CoreShellSphereFitModelProvider implements FitModelProvider {

    @Override
    public String name() {
        return "core_shell_sphere";
    }

    @Override
    public String description() {
        return "sasmodels' core_shell_sphere (1/cm) with a truncated log-normal core radius";
    }

    @Override
    public FitModel create() {
        return AnalyticFitModel.coreShellSphere();
    }
}
