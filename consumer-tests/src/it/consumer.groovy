// Shared by the verify.groovy scripts of the consumer builds (GroovyShell.parse(this file)):
// the runtime class path that Maven gave a consumer's jar, and a run of its main class.

/** The jars of the runtime class path, from the Class-Path of the consumer's jar (repository layout). */
List<File> runtimeJars(File basedir) {
    File repo = localRepository(basedir)
    File jar = consumerJar(basedir)
    def manifest = new java.util.jar.JarFile(jar).withCloseable { it.manifest }
    def entries = manifest.mainAttributes.getValue('Class-Path').trim().split(/\s+/)
    entries.collect { e ->
        File f = new File(repo, e)
        assert f.isFile() : "the class path of $jar.name names $e, which is not in $repo"
        f
    }
}

/** The groupId of a jar in the local repository (from its path). */
String groupOf(File basedir, File jar) {
    localRepository(basedir).toPath().relativize(jar.parentFile.parentFile.parentFile.toPath()).toString()
            .replace(File.separator, '.')
}

/** Runs the consumer's main class on its jar and runtime class path; returns its output. */
String run(File basedir, List<File> jars) {
    File jar = consumerJar(basedir)
    String main = new java.util.jar.JarFile(jar).withCloseable { it.manifest.mainAttributes.getValue('Main-Class') }
    String java = new File(System.getProperty('java.home'), 'bin/java').path
    String cp = ([jar] + jars).collect { it.path }.join(File.pathSeparator)
    def pb = new ProcessBuilder([java, '-Xmx1g', '-cp', cp, main]).directory(basedir).redirectErrorStream(true)
    pb.environment().put('OMP_NUM_THREADS', '1')
    def process = pb.start()
    String out = process.inputStream.text
    process.waitFor()
    new File(basedir, 'run.log').text = out
    assert process.exitValue() == 0 : "$main failed (exit ${process.exitValue()}):\n$out"
    out
}

/** Writes dependencies.txt: one line per jar (groupId:file bytes), then the summary line; returns the MiB. */
double summarise(File basedir, List<File> jars, String title) {
    double mib = jars.sum { it.length() } / (1024.0 * 1024.0)
    String summary = String.format(Locale.ROOT, '%s: %d jars, %.1f MiB', title, jars.size(), mib)
    new File(basedir, 'dependencies.txt').text =
            (jars.collect { groupOf(basedir, it) + ':' + it.name + ' ' + it.length() } + [summary]).join('\n') + '\n'
    println summary
    mib
}

private File localRepository(File basedir) {
    new File(basedir, '../../local-repo').canonicalFile
}

private File consumerJar(File basedir) {
    def jars = new File(basedir, 'target').listFiles().findAll { it.name.endsWith('.jar') }
    assert jars.size() == 1 : "expected one jar in $basedir/target, found ${jars*.name}"
    jars[0]
}
