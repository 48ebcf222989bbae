# The twelve fits of SasView's example curves that docs/benchmarks/analytic-start-count.sh and
# docs/benchmarks/sasview-fit-times.sh run: sourced by both, which define run NAME ARGS... and D (the
# folder of the curves, core/src/test/resources/sasdata).
sasview_fits() {
  run latex1 "$D/latex_smeared.xml" --entry 1 --model sphere
  run latex2 "$D/latex_smeared.xml" --entry 2 --model sphere --bound radius_mean=500:5000
  run slit1um "$D/1umSlitSmearSphere.ABS" --model sphere
  run apof "$D/apoferritin.txt" --model core_shell_sphere
  run isis "$D/ISIS_83404.TXT" --model sphere
  run s33837 "$D/33837rear_1D_1.75_16.5_CanSAS1D.xml" --model sphere
  run anton "$D/Anton-Paar.pdh" --model sphere
  run ausans "$D/AUSANS_run3_2_no_buffer.ABS" --model sphere
  run isisCS "$D/ISIS_83404.TXT" --model core_shell_sphere
  run s33837CS "$D/33837rear_1D_1.75_16.5_CanSAS1D.xml" --model core_shell_sphere
  run antonCS "$D/Anton-Paar.pdh" --model core_shell_sphere
  run ausansCS "$D/AUSANS_run3_2_no_buffer.ABS" --model core_shell_sphere
}
