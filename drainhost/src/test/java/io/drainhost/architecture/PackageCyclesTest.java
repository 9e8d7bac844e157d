package io.drainhost.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The library's packages depend on each other in one direction only: a package can be read, and
 * changed, with only the packages below it in mind.
 */
class PackageCyclesTest {
  private static final JavaClasses LIBRARY =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.drainhost");

  @Test
  void noPackageOfTheLibraryDependsOnItselfThroughAnother() {
    slices().matching("io.drainhost.(*)..").should().beFreeOfCycles().check(LIBRARY);
  }
}
