// lnpsaxs-bom manages exactly the published modules of the reactor: every module except the BOM
// itself and those that skip deployment (benchmarks, consumer-tests).
def root = new File(reactorRoot).canonicalFile
def xml = new groovy.xml.XmlSlurper()
def published = xml.parse(new File(root, 'pom.xml')).modules.module*.text().collectMany { m ->
    def pom = xml.parse(new File(root, "$m/pom.xml"))
    def skipped = pom.properties.'maven.deploy.skip'.text() == 'true'
    def artifactId = pom.artifactId.text()
    (skipped || artifactId == 'lnpsaxs-bom') ? [] : [artifactId]
} as Set
def managed = xml.parse(new File(root, 'bom/pom.xml')).dependencyManagement.dependencies.dependency.collect {
    assert it.groupId.text() == 'org.lnpsaxs'
    assert it.version.text() == '${project.version}'
    it.artifactId.text()
} as Set
assert managed == published : "lnpsaxs-bom manages $managed, the reactor publishes $published"
def declared = xml.parse(new File(basedir, 'pom.xml')).dependencies.dependency.artifactId*.text() as Set
assert declared == published : "bom-consumer names $declared, the reactor publishes $published"
true
