package dev.coati;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;

/**
 * The layering rule of docs/ARCHITECTURE.md, enforced. The protocol packages never import each
 * other; only {@code server} knows the whole chain. Runs in coati-server because that module sees
 * every class of all three modules.
 */
class LayeringTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // the other modules' test helpers arrive as *-tests.jar (test-jar dependencies), which
          // DO_NOT_INCLUDE_TESTS recognises only as test-classes directories
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages("dev.coati");

  @Test
  void layers_dependOnlyDownwards() {
    ArchRule rule =
        Architectures.layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("util")
            .definedBy("dev.coati.util..")
            .layer("crypto")
            .definedBy("dev.coati.crypto..")
            .layer("ikeWire")
            .definedBy("dev.coati.ike.wire..")
            .layer("ike")
            .definedBy("dev.coati.ike")
            .layer("esp")
            .definedBy("dev.coati.esp..")
            .layer("l2tp")
            .definedBy("dev.coati.l2tp..")
            .layer("ppp")
            .definedBy("dev.coati.ppp..")
            .layer("ip")
            .definedBy("dev.coati.ip..")
            .layer("auth")
            .definedBy("dev.coati.auth..")
            .layer("pool")
            .definedBy("dev.coati.pool..")
            .layer("radius")
            .definedBy("dev.coati.radius..")
            .layer("nativeio")
            .definedBy("dev.coati.nativeio..")
            .layer("config")
            .definedBy("dev.coati.config..")
            .layer("server")
            .definedBy("dev.coati.server..", "dev.coati")
            .whereLayer("server")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("config")
            .mayOnlyBeAccessedByLayers("server")
            .whereLayer("nativeio")
            .mayOnlyBeAccessedByLayers("server")
            .whereLayer("ike")
            .mayOnlyBeAccessedByLayers("server", "config")
            .whereLayer("esp")
            .mayOnlyBeAccessedByLayers("server", "config")
            .whereLayer("l2tp")
            .mayOnlyBeAccessedByLayers("server", "config")
            .whereLayer("ppp")
            .mayOnlyBeAccessedByLayers("server", "config")
            .whereLayer("ip")
            .mayOnlyBeAccessedByLayers("server", "config")
            .whereLayer("radius")
            .mayOnlyBeAccessedByLayers("server", "config")
            .whereLayer("ikeWire")
            .mayOnlyBeAccessedByLayers("ike", "server", "config")
            .whereLayer("auth")
            .mayOnlyBeAccessedByLayers("ike", "ppp", "radius", "server", "config")
            .whereLayer("pool")
            .mayOnlyBeAccessedByLayers("ike", "ppp", "server", "config")
            .whereLayer("crypto")
            .mayOnlyBeAccessedByLayers(
                "ike", "esp", "l2tp", "ppp", "auth", "radius", "server", "config")
            .withOptionalLayers(true);
    rule.check(CLASSES);
  }

  /**
   * The server's packages depend one way (auth, dataplane, log at the bottom; events, sessions,
   * radius, policy, l2tp, ops, cli above): no package reaches back into one that uses it.
   */
  @Test
  void serverPackages_areFreeOfCycles() {
    slices().matching("dev.coati.server.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void protocolModule_usesNoSocketsThreadsOrClock() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.coati.util..",
            "dev.coati.crypto..",
            "dev.coati.ike..",
            "dev.coati.esp..",
            "dev.coati.l2tp..",
            "dev.coati.ppp..",
            "dev.coati.ip..",
            "dev.coati.auth..",
            "dev.coati.pool..",
            "dev.coati.radius..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.net..", "java.nio.channels..", "java.lang.foreign..")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Thread.class)
        .because("engines do no I/O and read no clock (DESIGN.md convention 5)")
        .check(CLASSES);
  }

  @Test
  void jceTransformations_onlyInCrypto() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.coati.crypto..", "dev.coati.util..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("javax.crypto..")
        .because("crypto goes through the registry (DESIGN.md convention 6)")
        .check(CLASSES);
  }
}
