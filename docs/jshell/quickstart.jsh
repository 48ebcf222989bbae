// lnpsaxs quickstart — run with:  ./lnpsaxs jshell docs/jshell/quickstart.jsh
// Units: q in 1/Å, lengths in Å, SLD in 1e-6/Å², intensity in 1/cm.

// 1. A monodisperse core-shell sphere on a log grid, exactly as sasmodels computes it.
var q = QGrid.log(0.001, 0.5, 200);
// (JShell ends a statement at a complete line, so a chained call keeps its dot at the line end.)
var css = SasModel.coreShellSphere(q).
        with("radius", 250).with("thickness", 30).
        with("sld_core", 10).with("sld_shell", 10.5).with("sld_solvent", 9.47).
        with("background", 0);
double[] mono = css.evaluate();
System.out.printf("monodisperse I(%.4f 1/Å) = %.6g 1/cm%n", q.get(0), mono[0]);

// 2. The same particle with a Schulz radius distribution, by sasmodels' names (radius_pd > 0 adds
//    SasView's grid: 35 points over +-3 sigma; radius_pd_n, radius_pd_nsigma change it).
var poly = SasPolydisperseModel.byName("core_shell_sphere", q).
        with("radius", 250).with("thickness", 30).
        with("sld_core", 10).with("sld_shell", 10.5).with("sld_solvent", 9.47).with("background", 0).
        with("radius_pd", 0.1).with("radius_pd_type", "schulz");
System.out.println(poly);
double[] data = poly.evaluate();

// 3. Reverse mode on the batched path, which takes the parameters as a positional vector
//    (poly.parameters().names() gives the order): the gradient of sum(I), in one pass.
double[] theta = poly.values();
double[] ones = new double[q.size()];
java.util.Arrays.fill(ones, 1.0);
double[] grad = new double[theta.length];
poly.vectorJacobianProduct(theta, 1, ones, grad);
System.out.printf("d(sum I)/d(radius) = %.6g 1/(cm·Å)%n", grad[2]);

// 4. Fit a synthetic curve of the fit model itself (core-shell sphere, truncated log-normal core
//    radius with mean 250 Å and CV 0.1, thickness 30 Å, sld_core 10): 128 Sobol starts (log-uniform in the sizes) and L-BFGS.
//    The model is bound to the data's q grid once; the fit problem holds model, data, box and loss.
var fitModel = FitModels.byName("core_shell_sphere");
double[] truth = {1, 0, 250, 0.1, 30, 10, 10.5, 9.47};
var curve = ScatteringCurve.of(q.values(), fitModel.bind(q).model().evaluate(truth)).withSource("synthetic css");
var problem = FitProblem.of(fitModel, curve).
        withFixed(Map.of("sld_shell", 10.5, "sld_solvent", 9.47));
System.out.println(problem);
var result = Fitter.defaults().withStarts(128).fit(problem);
System.out.println(result);
System.out.println("truth:    radius_mean 250 Å, radius_cv 0.1, thickness 30 Å, sld_core 10");
System.out.println(result.identifiability());
/exit
