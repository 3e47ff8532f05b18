package io.whatap.spring.boot;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.whatap.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The adapter rules of docs/architecture.md ("Layers"), written once in whatap-api's ArchitectureRules. */
class ArchitectureTest {
  private static final JavaClasses CLASSES = ArchitectureRules.mainClasses("io.whatap.spring.boot");

  @Test
  void usesOnlyTheApiAndSpiOfWhatapApi() {
    ArchitectureRules.assertAdapterUsesOnlyApiAndSpi(CLASSES, "io.whatap.spring.boot", "io.whatap.servlet");
  }

  @Test
  void noPackageCycles() {
    ArchitectureRules.assertNoPackageCycles(CLASSES, "io.whatap.spring.boot");
  }
}
