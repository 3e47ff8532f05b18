package io.whatap;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.whatap.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** whatap-api's and whatap-wire's layer rules (docs/architecture.md, "Layers"). */
class ArchitectureTest {
  private static final JavaClasses CORE = ArchitectureRules.mainClasses(ArchitectureRules.CORE);
  private static final JavaClasses WIRE = ArchitectureRules.mainClasses("io.whatap.wire");

  @Test
  void noPackageCyclesInTheCore() {
    ArchitectureRules.assertNoPackageCycles(CORE, "io.whatap");
  }

  @Test
  void coreDependsOnTheJdkAndWhatapWireOnly() {
    ArchitectureRules.assertCoreDependsOnlyOnJdkAndWire(CORE);
  }

  @Test
  void wireDependsOnTheJdkOnly() {
    ArchitectureRules.assertWireDependsOnlyOnJdk(WIRE);
  }

  @Test
  void wireHasNoPackageCycles() {
    ArchitectureRules.assertNoPackageCycles(WIRE, "io.whatap.wire");
  }
}
