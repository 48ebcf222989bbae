// Scan of the error model on the shipped example (docs/calibration.md, "The shipped example"): -2 ln L at the
// truth and at the loglik posterior median for the shipped sigma(q) scaled by k and other Matern lengths.
// Run: ./lnpsaxs jshell docs/calibration/error-scan.jsh
var curve = CurveReader.defaults().read(java.nio.file.Path.of("examples/lnp_synthetic.dat"));
var problem = FitProblem.of(FitModels.byName("lnp"), curve).withLoss("loglik");
var model = problem.model(); var base = (org.lnpsaxs.optimize.loss.LogIntensityLikelihood) problem.loss(); int n = base.size();
double[] q = problem.data().q(); double[] d = problem.data().intensity();
var me = base.modelError();
System.out.println(me);
double[] truth = {-0.1, 245, 0.2, 0.7, 0.1, 0.11, 0.015, 0.1, 60, 0.96};
double[] best = {0.113, 242.9, 0.202, 0.8279, 0.09965, 0.1444, 0.01568, 0.08518, 50.04, 1.047};
double[] It = model.evaluate(truth); double[] Ib = model.evaluate(best);
for (double k : new double[] {1, 2, 3}) for (double ell : new double[] {me.correlationLength(), 0.01, 0.02, 0.05}) {
  var m2 = new org.lnpsaxs.optimize.loss.ModelError(me.q(), java.util.Arrays.stream(me.sigma()).map(x -> x * k).toArray(), ell, "scan");
  var L = new org.lnpsaxs.optimize.loss.LogIntensityLikelihood(q, d, null, 1.0, m2);
  double[] v = new double[1]; double[] g = new double[n];
  L.evaluate(It, 1, v, g); double ft = v[0]; L.evaluate(Ib, 1, v, g); double fb = v[0];
  System.out.printf("k %.0f ell %.4f: -2lnL truth %.2f median %.2f gap %.2f%n", k, ell, ft, fb, ft - fb);
}
/exit
