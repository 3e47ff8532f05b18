package io.whatap.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The local agent's architecture as rules (whatap-agent/RATIONALE.md explains the split). */
class ArchitectureTest {
  private static final JavaClasses AGENT = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.whatap.agent");

  /** Every package of the agent is its own slice, the top-level one included. */
  private static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass c) {
      String p = c.getPackageName();
      return p.equals("io.whatap.agent") || p.startsWith("io.whatap.agent.") ? SliceIdentifier.of(p)
          : SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "the packages of io.whatap.agent";
    }
  };

  @Test
  void theRulesSeeEveryJob() {
    Set<String> packages = AGENT.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
    assertThat(packages).contains("io.whatap.agent", "io.whatap.agent.ingest", "io.whatap.agent.assembly",
        "io.whatap.agent.apps", "io.whatap.agent.backchannel", "io.whatap.agent.intervals",
        "io.whatap.agent.history", "io.whatap.agent.query", "io.whatap.agent.http", "io.whatap.agent.settings",
        "io.whatap.agent.export.spans",
        "io.whatap.agent.store");
  }

  @Test
  void noCyclesAmongTheAgentsPackages() {
    slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(AGENT);
  }

  @Test
  void theAgentDependsOnNoAdapter() {
    noClasses().that().resideInAPackage("io.whatap.agent..").should().dependOnClassesThat()
        .resideInAnyPackage("io.whatap.servlet..", "io.whatap.vertx..", "io.whatap.undertow..", "io.whatap.wsgi..",
            "io.whatap.javaagent..", "io.whatap.jdbc..", "io.whatap.httpclient..", "io.whatap.spring..")
        .check(AGENT);
  }
}
