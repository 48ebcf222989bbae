// lnpsaxs-optimize alone: the analytic fit runs, and its runtime class path holds no native
// (ND4J/JavaCPP) jar and stays small. dependencies.txt lists the jars (the README quotes the total).
def consumer = new GroovyShell().parse(new File(reactorRoot, 'consumer-tests/src/it/consumer.groovy'))
def jars = consumer.runtimeJars(basedir)
double mib = consumer.summarise(basedir, jars, 'lnpsaxs-optimize')

def natives = jars.findAll { def g = consumer.groupOf(basedir, it); g.startsWith('org.nd4j') || g.startsWith('org.bytedeco') || g.startsWith('org.deeplearning4j') }
assert natives.isEmpty() : "lnpsaxs-optimize pulls ND4J/JavaCPP: ${natives*.name}"
assert !jars.any { it.name.startsWith('lnpsaxs-surrogate') } : 'lnpsaxs-optimize pulls lnpsaxs-surrogate'
['lnpsaxs-core-', 'lnpsaxs-polydispersity-', 'lnpsaxs-optimize-'].each { a ->
    assert jars.any { it.name.startsWith(a) } : "$a is missing from the class path of lnpsaxs-optimize"
}
// ND4J's jars alone weigh about 100 MiB; the analytic stack a few
assert mib < 16 : String.format(Locale.ROOT, 'lnpsaxs-optimize brings %.1f MiB of jars', mib)

assert consumer.run(basedir, jars).contains('consumer: analytic fit without ND4J')
true
