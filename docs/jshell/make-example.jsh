// Regenerates examples/lnp_synthetic.dat: a synthetic LNP curve from the direct simulator,
// number-weighted over a truncated log-normal outer radius (the paper's 32 Gauss-Legendre nodes
// in CDF space, truncation [101, 499] Å). Run with
//   ./lnpsaxs jshell docs/jshell/make-example.jsh
// (about a minute on 2 cores). Intensity in the simulator's arbitrary units; q in 1/Å.
var sim = LnpSimulator.paperDefaults().withRealizations(20).withSeed(20260526L);
var layer = PolydisperseModel.paper(sim, "R");
var names = layer.parameters().names();
double[] truth = {-0.1, 245.0, 0.2, 0.7, 0.1, 0.11, 0.015, 0.1, 60.0, 0.96};
double[] intensity = layer.evaluate(truth);
double[] q = layer.q();
var out = new StringBuilder();
out.append("# Synthetic LNP SAXS curve, the example of lnpsaxs fit (docs/fitting.md)\n");
out.append("# made by docs/jshell/make-example.jsh with lnpsaxs' direct GRF core-shell simulator\n");
out.append("# (LnpSimulator.paperDefaults(): voxel 5 A, plane 1024), 20 realisations per radius node, seed 20260526,\n");
out.append("# averaged number-weighted over a truncated log-normal outer radius (32 Gauss-Legendre nodes\n");
out.append("# in CDF space, truncation [101, 499] A) by PolydisperseModel.paper(sim, \"R\").\n");
out.append("# Intensity in the simulator's arbitrary units; no sigma column (fit it with the scale-free loss).\n");
for (int j = 0; j < names.size(); j++) out.append("# truth." + names.get(j) + "=" + truth[j] + "\n");
out.append("# q(1/A) I(a.u.)\n");
for (int i = 0; i < q.length; i++) out.append(String.format(java.util.Locale.ROOT, "%.10e %.10e%n", q[i], intensity[i]));
java.nio.file.Files.writeString(java.nio.file.Path.of("examples/lnp_synthetic.dat"), out.toString());
System.out.println("wrote examples/lnp_synthetic.dat (" + q.length + " points)");
/exit
