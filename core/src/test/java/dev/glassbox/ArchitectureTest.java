package dev.glassbox;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The layering of ARCHITECTURE.md, held by a test: SIMD only in kernels, kernels know no tensor. */
class ArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void load() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.glassbox");
    }

    @Test
    void vectorApiOnlyInKernels() {
        noClasses().that().resideOutsideOfPackage("dev.glassbox.kernels..")
                .should().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..").check(core);
    }

    @Test
    void kernelsKnowNothingAbove() {
        noClasses().that().resideInAPackage("dev.glassbox.kernels..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.glassbox.tensor..", "dev.glassbox.nn..",
                        "dev.glassbox.optim..", "dev.glassbox.io..").check(core);
    }

    @Test
    void tensorLayerKnowsNoModules() {
        noClasses().that().resideInAPackage("dev.glassbox.tensor..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.glassbox.nn..", "dev.glassbox.optim..", "dev.glassbox.io..")
                .check(core);
    }
}
