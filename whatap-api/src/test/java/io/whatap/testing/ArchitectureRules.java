package io.whatap.testing;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The architecture rules of the project, written once: whatap-api's own test and every adapter
 * module's test call these on their main classes (docs/architecture.md, "Layers"). Each method
 * throws an {@link AssertionError} naming every offending dependency.
 */
public final class ArchitectureRules {
  /**
   * What an adapter module may use of whatap-api: the API (the facade, {@code Transaction}, the
   * annotations), and the SPI (request views, handlers, propagation, the transaction it carries
   * across callbacks, {@code AppWrapper}, the adapter entry point, {@code AgentLogs},
   * {@code AgentConfig}) and the typed configuration snapshot it hands out ({@code io.whatap.config}).
   */
  public static final String[] API_AND_SPI = {"io.whatap", "io.whatap.http", "io.whatap.trace", "io.whatap.spi",
      "io.whatap.config"};

  /** The packages of whatap-api (everything under io.whatap but the wire module and the adapters). */
  public static final String[] CORE = {"io.whatap", "io.whatap.util", "io.whatap.config", "io.whatap.trace",
      "io.whatap.http", "io.whatap.runtime", "io.whatap.profiling", "io.whatap.spi", "io.whatap.jdkhttp"};

  private ArchitectureRules() { }

  /** The production classes (not tests) of the given packages and their subpackages. */
  public static JavaClasses mainClasses(String... packages) {
    return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(packages);
  }

  /** No cycle between the packages under {@code root} (each package is one slice, the root included). */
  public static void assertNoPackageCycles(JavaClasses classes, String root) {
    slices().assignedFrom(new SliceAssignment() {
      @Override public SliceIdentifier getIdentifierOf(JavaClass c) {
        String p = c.getPackageName();
        return p.equals(root) || p.startsWith(root + ".") ? SliceIdentifier.of(p) : SliceIdentifier.ignore();
      }

      @Override public String getDescription() {
        return "the packages under " + root;
      }
    }).should().beFreeOfCycles().check(classes);
  }

  /** An adapter's classes use, of io.whatap, only their own package and the API and SPI packages. */
  public static void assertAdapterUsesOnlyApiAndSpi(JavaClasses classes, String adapterPackage) {
    assertAdapterUsesOnlyApiAndSpi(classes, adapterPackage, new String[0]);
  }

  /**
   * As above, for a module built over other adapter modules' public types as well (the Spring Boot
   * starter registers whatap-servlet's {@code WhatapFilter}): {@code adapterPackages} are those.
   */
  public static void assertAdapterUsesOnlyApiAndSpi(JavaClasses classes, String adapterPackage,
      String... adapterPackages) {
    classes().that().resideInAPackage(adapterPackage + "..")
        .should().onlyDependOnClassesThat(not(resideInAPackage("io.whatap.."))
            .or(resideInAnyPackage(API_AND_SPI)).or(resideInAPackage(adapterPackage + ".."))
            .or(resideInAnyPackage(adapterPackages)))
        .because("adapters reach the core only through the API and the SPI (docs/adding-an-adapter.md)")
        .check(classes);
  }

  /** whatap-api depends on the JDK, the JDK's HTTP server and whatap-wire only. */
  public static void assertCoreDependsOnlyOnJdkAndWire(JavaClasses classes) {
    classes().that().resideInAnyPackage(CORE)
        .should().onlyDependOnClassesThat(resideInAnyPackage("java..", "javax..", "jdk..", "com.sun.net.httpserver..",
            "io.whatap.wire..", "com.sun.management..", "")
            .or(resideInAnyPackage(CORE)))
        .because("whatap-api sits on any application's class path (no third-party runtime dependency)")
        .check(classes);
  }

  /** whatap-wire depends on the JDK only. */
  public static void assertWireDependsOnlyOnJdk(JavaClasses classes) {
    classes().that().resideInAPackage("io.whatap.wire..")
        .should().onlyDependOnClassesThat(resideInAnyPackage("java..", "javax..", "jdk..", "", "io.whatap.wire.."))
        .because("the local agent and the application share whatap-wire; it must not pull anything in")
        .check(classes);
  }
}
