// lnpsaxs-surrogate: the shipped surrogate predicts a curve, and the runtime class path holds
// lnpsaxs-optimize (for the lnp fit model) and ND4J with the native jars of this platform.
// dependencies.txt lists the jars (the README quotes the total).
def consumer = new GroovyShell().parse(new File(reactorRoot, 'consumer-tests/src/it/consumer.groovy'))
def jars = consumer.runtimeJars(basedir)
consumer.summarise(basedir, jars, 'lnpsaxs-surrogate')
def natives = jars.findAll { def g = consumer.groupOf(basedir, it); g.startsWith('org.nd4j') || g.startsWith('org.bytedeco') }
println String.format(Locale.ROOT, '  of which ND4J/JavaCPP: %d jars, %.1f MiB', natives.size(), natives.sum { it.length() } / (1024.0 * 1024.0))

['lnpsaxs-core-', 'lnpsaxs-polydispersity-', 'lnpsaxs-optimize-', 'lnpsaxs-surrogate-', 'nd4j-api-', 'nd4j-native-', 'javacpp-', 'openblas-'].each { a ->
    assert jars.any { it.name.startsWith(a) } : "$a is missing from the class path of lnpsaxs-surrogate"
}
// the native classifier comes from the OS profiles of the parent pom (linux-x86_64, macosx-x86_64, windows-x86_64)
assert jars.any { it.name ==~ /nd4j-native-[0-9].*-(linux|macosx|windows)-x86_64\.jar/ } : 'no platform jar of nd4j-native'

assert consumer.run(basedir, jars).contains('consumer: surrogate curve of')
true
