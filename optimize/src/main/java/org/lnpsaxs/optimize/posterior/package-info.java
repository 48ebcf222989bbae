/**
 * Posterior sampling by MCMC over unconstrained coordinates, with convergence diagnostics and
 * marginal summaries. Self-contained: it sees a model only through a {@link
 * org.lnpsaxs.optimize.posterior.BatchLogDensity}, a batched log density over
 * \( u \in \mathbb{R}^d \) (natural-log units, any additive constant; {@code -Infinity} where a
 * point cannot be scored). For a fit it is the log posterior in the fit's unconstrained
 * coordinates, Jacobian of the reparameterisation included; {@link
 * org.lnpsaxs.optimize.posterior.Chain#map} then maps the draws to parameters in their model units
 * (Å, Å⁻¹, dimensionless) before they are summarised.
 *
 * <h2>How the classes fit together</h2>
 * <pre>
 *   Initialization (ball | weighted modes | points) ─┐
 *   BatchLogDensity ─────────────────────────────────┼─► EnsembleSampler.start ─► EnsembleRun.advance ─► Chain
 *                                                    └─► EnsembleSampler.sampleUntilConverged ─► Posterior
 *   Chain ─► Convergence.of (R-hat, bulk/tail ESS, τ, verdict)    Chain.map ─► Marginal.of (mean, sd, p05…p95)
 *   Chain + label function ─► ModeWeights.of (weights ± MC error, mode switches)
 *   Diagnostics: the numerics (rank-normalised split R-hat, ESS, autocorrelation time) on plain chains
 * </pre>
 *
 * <h2>The sampler</h2>
 * {@link org.lnpsaxs.optimize.posterior.EnsembleSampler}: Goodman &amp; Weare's affine-invariant
 * ensemble sampler in emcee's two-half form (stretch move, a = 2; each half-ensemble's proposals
 * are one batched density call), with differential-evolution moves (ter Braak 2006;
 * γ = 2.38/√(2d), γ = 1 for 10 % of them) and, when a labelling of points into modes is given (for
 * instance the nearest multi-start mode, {@link org.lnpsaxs.optimize.posterior.Initialization#nearestMode()}),
 * mode jumps that translate a walker by the difference of two modes' means in the complementary
 * half. Default mixture: 50 % stretch and 50 % DE, or 30 % stretch, 50 % DE and 20 % jumps with a
 * labelling; walkers max(32, 4d). Single-threaded, seeded ({@link java.util.SplittableRandom} and a
 * polar normal generator on {@link java.lang.StrictMath}): the same seed, walker count and density
 * give bit-identical draws, whether run at once or in pieces. Parallel tempering was not built:
 * its cost is the number of temperatures times a run, and with modes seeded from the multi-start
 * fit the jump move already mixes them at no extra evaluations (below).
 *
 * <p><b>Within-mode moves</b> ({@link org.lnpsaxs.optimize.posterior.EnsembleSampler#withWithinModeMoves},
 * used by the fit's posterior when it starts from several modes): the stretch and
 * differential-evolution moves of a walker draw only on complementary walkers of its own mode and
 * are rejected when the proposal changes the mode, leaving moves between modes to the jumps. On
 * the lnp example (10 parameters, narrow modes of different shapes) the mixed moves were accepted
 * 4.5 % of the time and the chain had not converged after 6000 steps (R-hat 2.1); the fit then
 * gives every mode d + 1 walkers per half-ensemble.
 *
 * <h2>Hamiltonian Monte Carlo</h2>
 * {@link org.lnpsaxs.optimize.posterior.HamiltonianRun}: many chains at once, every leapfrog step
 * of all chains one batched {@link org.lnpsaxs.optimize.posterior.BatchLogDensity#logDensityAndGradient}
 * call; a dense metric and the step size tuned in warm-up windows (dual averaging; the metric
 * pooled within modes), a fixed integration time of 2 posterior standard deviations (at most 64
 * leapfrog steps), optional reflecting linear constraints (a box, orderings) and jumps between
 * given modes (by an exact symmetry's map between mirror images, by the affine map of the modes'
 * own means and covariances where both are known, else by a translation; each with its Jacobian). The fit's posterior uses it by default (see {@code
 * PosteriorSettings.Method}), started from a 200-step ensemble pilot whose walkers give the first
 * metric and the starting points. Chosen by measurement on the lnp calibration curve
 * {@code noisy-000} (loglik, 10 parameters, the contrast-sign mirror as a second mode): the
 * ensemble sampler had acceptance 0.043, τ growing with the run (435 steps at 9112 steps) and
 * R-hat 1.98 after 13668 steps (601 000 evaluations, 5 min wall); an independence
 * Metropolis–Hastings move from a Student-t mixture fitted to the pilot was accepted 0.1–1.5 % of
 * the time and was dropped; HMC in the optimiser's logistic coordinates needed step sizes of
 * 0.012–0.031 (a posterior piled against a box edge becomes a wall plus an exponential tail
 * there) and reached R-hat 1.09 after 150 iterations; in box coordinates with reflecting walls
 * its step size is 0.043 and R-hat fell to 1.05 after 225 kept iterations, with τ ≈ 6
 * iterations (docs/fitting.md has the whole run).
 *
 * <h2>Diagnostics and the verdict</h2>
 * Per coordinate, with each walker's kept states (after burn-in, not thinned) treated as one chain:
 * the rank-normalised split \( \hat R \) (the larger of bulk and folded) and the bulk and tail ESS
 * of Vehtari, Gelman, Simpson, Carpenter &amp; Bürkner (2021), and the integrated autocorrelation time
 * τ as emcee estimates it (walker autocorrelation functions averaged, Sokal window c = 5).
 * {@link org.lnpsaxs.optimize.posterior.ConvergenceCriteria#DEFAULT}: \( \hat R &lt; 1.01 \), bulk and
 * tail ESS ≥ 400 and at least 50 τ kept steps, for every coordinate; a chain that fails any is not
 * called converged and {@link org.lnpsaxs.optimize.posterior.Convergence#failures()} says which
 * coordinate failed what. Walkers are weakly dependent (a move uses the other half), which the
 * 50 τ rule guards against. A consequence worth knowing: for a well-mixed ensemble
 * \( \hat R - 1 \approx \tau/N \) (N kept steps; Vats &amp; Knudson's \( \hat R^2 \approx 1 + M/\mathrm{ESS} \)
 * with M split chains), so \( \hat R &lt; 1.01 \) over walker chains needs about 100–140 τ kept
 * steps — stricter than the ESS and 50 τ rules, which it then implies. Walkers stuck in different
 * modes give \( \hat R \) of 1.4–1.5 on the tests below.
 *
 * <h2>Measurements behind the choices</h2>
 * {@code SamplerMeasurements} in the test sources (a program, not a test) re-runs them; CPU times
 * of one thread on the shared 2-core machine.
 * <table>
 * <caption>Correlated 10-D Gaussian (correlation 0.9^|i−j|, sds 0.1–10), 40 walkers, 1000 burn-in
 * + 5000 kept steps, seed 5</caption>
 * <tr><th>moves</th><th>acceptance</th><th>τ max / mean</th><th>min bulk ESS per 1000 draws</th></tr>
 * <tr><td>stretch only (emcee)</td><td>0.42</td><td>113 / 106</td><td>5.5</td></tr>
 * <tr><td>stretch + 20 % DE</td><td>0.38</td><td>76 / 72</td><td>11.2</td></tr>
 * <tr><td>stretch + 50 % DE (default)</td><td>0.33</td><td>54 / 50</td><td>16.5</td></tr>
 * <tr><td>stretch + 80 % DE</td><td>0.28</td><td>43 / 40</td><td>21.8</td></tr>
 * <tr><td>DE only</td><td>0.24</td><td>38 / 36</td><td>24.2</td></tr>
 * </table>
 * With 24 or 80 walkers the ESS per draw changes by less than 20 %.
 * <table>
 * <caption>Haario's twisted Gaussian (10-D, b = 0.03), 40 walkers, 4000 + 20000 steps, seeds 1–3</caption>
 * <tr><th>moves</th><th>acceptance</th><th>τ max (3 seeds)</th><th>τ mean over coordinates</th></tr>
 * <tr><td>stretch only</td><td>0.33</td><td>558, 537, 639</td><td>259, 264, 270</td></tr>
 * <tr><td>stretch + 20 % DE</td><td>0.29</td><td>528, 403, 451</td><td>219, 187, 201</td></tr>
 * <tr><td>stretch + 50 % DE</td><td>0.23</td><td>396, 331, 312</td><td>159, 144, 139</td></tr>
 * <tr><td>stretch + 80 % DE</td><td>0.17</td><td>319, 428, 356</td><td>127, 149, 134</td></tr>
 * <tr><td>DE only</td><td>0.13</td><td>341, 392, 342</td><td>123, 132, 122</td></tr>
 * </table>
 * <table>
 * <caption>Two unit Gaussians 10 sd apart, weights 0.3/0.7, 8-D, started with 0.5/0.5 of 32
 * walkers, 2000 + 6000 steps</caption>
 * <tr><th>moves</th><th>weight of the 0.3 mode</th><th>mode switches</th><th>\( \hat R \) max</th><th>τ max</th></tr>
 * <tr><td>stretch only</td><td>0.300 ± 0.080</td><td>9</td><td>1.52</td><td>188</td></tr>
 * <tr><td>stretch + 20 % DE (10 % unit steps)</td><td>0.318 ± 0.031</td><td>274</td><td>1.065</td><td>317</td></tr>
 * <tr><td>stretch + 20 % DE (50 % unit steps)</td><td>0.312 ± 0.021</td><td>416</td><td>1.038</td><td>257</td></tr>
 * <tr><td>stretch + 10 % jumps</td><td>0.300 ± 0.006</td><td>7209</td><td>1.028</td><td>130</td></tr>
 * <tr><td>stretch + 50 % DE + 10 % jumps</td><td>0.306 ± 0.005</td><td>7895</td><td>1.013</td><td>67</td></tr>
 * <tr><td>stretch + 50 % DE + 20 % jumps (default with labels)</td><td>0.295 ± 0.004</td><td>14724</td><td>1.012</td><td>56</td></tr>
 * </table>
 * In 2-D the same target gives τ 378 (stretch only) against 17 (default with labels). DE's unit
 * step carries walkers between modes, but it adds two walkers' offsets, so its acceptance falls
 * with the dimension (a jump lands at 3× the mode's variance); the translation jump keeps the
 * offset and is accepted 37 % (8-D) to 54 % (2-D) of the time. DE helps everywhere measured; 80 %
 * DE beats 50 % by 20 % on the Gaussian, ties on the twisted one, and leaves no room for the
 * stretch move once jumps take their 20 %, hence 50 %.
 *
 * <p><b>Cost of the sampler itself</b> (64 walkers, d = 10, a trivial density, warm JIT): 85 ns
 * per evaluation for the stretch move, 180 ns with 50 % DE (the DE noise draws d normal deviates) —
 * about 5–10 million evaluations per second, negligible next to a model evaluation. The
 * diagnostics cost about 0.4 µs per draw and coordinate (2.2–3.6 s for 64 walkers × 10000 steps ×
 * 10 coordinates), mostly FFTs.
 */
package org.lnpsaxs.optimize.posterior;
