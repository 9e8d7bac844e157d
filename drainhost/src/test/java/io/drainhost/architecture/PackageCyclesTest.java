package io.drainhost.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The library's packages depend on each other in one direction only, the root package (the builder
 * and the wiring) included: a package can be read, and changed, with only the packages below it in
 * mind.
 */
class PackageCyclesTest {
  private static final String BASE = "io.drainhost";

  private static final JavaClasses LIBRARY =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(BASE);

  /** One slice per package one level below the base, and one for the base package itself. */
  private static final SliceAssignment PACKAGES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          String p = c.getPackageName();
          if (p.equals(BASE)) {
            return SliceIdentifier.of("(root)");
          }
          if (!p.startsWith(BASE + ".")) {
            return SliceIdentifier.ignore();
          }
          return SliceIdentifier.of(p.substring(BASE.length() + 1).split("\\.")[0]);
        }

        @Override
        public String getDescription() {
          return "the packages of " + BASE + ", its root package included";
        }
      };

  @Test
  void noPackageOfTheLibraryDependsOnItselfThroughAnother() {
    slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(LIBRARY);
  }

  @Test
  void configurationOnlyConfigures() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
        .that()
        .resideInAPackage(BASE + ".config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(BASE + ".schedules..", BASE + ".ecs..")
        .check(LIBRARY);
  }
}
