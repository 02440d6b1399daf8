package dev.glassbox;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layering of docs/architecture.md, held by a test that sees every module (it lives in
 * cli, whose test class path holds core, models, bench and studio): the Vector API only in core's
 * kernels; nothing above core reaches into the kernels; core knows no model; the command line
 * holds no model logic; no source file over 400 lines without a reason written here.
 */
class ArchitectureTest {
    private static JavaClasses all;

    /** Source files allowed over 400 lines, and why. */
    private static final Map<String, String> LONG_FILES = Map.of(
            "core/src/main/java/dev/glassbox/tensor/Tensor.java",
            "the tensor's public face: one short method per operation, each handing over to its ops class",
            "core/src/main/java/dev/glassbox/kernels/Sgemm.java",
            "one kernel family: blocking, packing, the micro-kernel and the threads' split of one product read together",
            "core/src/main/java/dev/glassbox/tensor/ConvOps.java",
            "the convolution family's forward and backward rules side by side (conv, transposed conv, the fused conv + ReLU + pool)");

    /** Models-side sources that still name command-line flags, and why (everything else names settings). */
    private static final Map<String, String> FLAG_WORDS = Map.ofEntries(
            Map.entry("models/src/main/java/dev/glassbox/models/data/DataFetch.java", "the data fetch command's own --from advice"),
            Map.entry("spark/src/main/java/dev/glassbox/spark/SparkContexts.java", "the executors' JVM options"),
            Map.entry("spark/src/main/java/dev/glassbox/spark/StandaloneCluster.java", "the Spark daemons' arguments and its own usage line"));

    @BeforeAll
    static void load() {
        all = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.glassbox");
    }

    @Test
    void everyModuleIsSeen() {
        for (String pkg : List.of("dev.glassbox.kernels", "dev.glassbox.tensor", "dev.glassbox.models.train", "dev.glassbox.cli",
                "dev.glassbox.bench", "dev.glassbox.studio")) {
            assertTrue(all.stream().anyMatch(c -> c.getPackageName().equals(pkg)), "no classes of " + pkg + " on the class path");
        }
    }

    @Test
    void vectorApiOnlyInKernels() {
        noClasses().that().resideOutsideOfPackage("dev.glassbox.kernels..")
                .should().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..").check(all);
    }

    @Test
    void kernelsKnowNothingAbove() {
        noClasses().that().resideInAPackage("dev.glassbox.kernels..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.glassbox.tensor..", "dev.glassbox.nn..",
                        "dev.glassbox.optim..", "dev.glassbox.io..", "dev.glassbox.data..").check(all);
    }

    @Test
    void tensorLayerKnowsNoModules() {
        noClasses().that().resideInAPackage("dev.glassbox.tensor..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.glassbox.nn..", "dev.glassbox.optim..", "dev.glassbox.io..")
                .check(all);
    }

    @Test
    void nothingAboveCoreReachesIntoTheKernels() {
        noClasses().that().resideInAnyPackage("dev.glassbox.models..", "dev.glassbox.cli..", "dev.glassbox.bench..", "dev.glassbox.studio..")
                .should().dependOnClassesThat().resideInAPackage("dev.glassbox.kernels..").check(all);
    }

    @Test
    void modulesDependOnlyDownward() {
        noClasses().that().resideInAnyPackage("dev.glassbox.kernels..", "dev.glassbox.tensor..", "dev.glassbox.nn..", "dev.glassbox.optim..",
                        "dev.glassbox.io..", "dev.glassbox.data..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.glassbox.models..", "dev.glassbox.cli..", "dev.glassbox.bench..",
                        "dev.glassbox.studio..")
                .check(all);
        noClasses().that().resideInAPackage("dev.glassbox.models..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.glassbox.cli..", "dev.glassbox.bench..", "dev.glassbox.studio..").check(all);
        noClasses().that().resideInAPackage("dev.glassbox.studio..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.glassbox.cli..", "dev.glassbox.bench..").check(all);
        noClasses().that().resideInAPackage("dev.glassbox.bench..").should().dependOnClassesThat().resideInAPackage("dev.glassbox.cli..")
                .check(all);
    }

    /** The command line and the studio turn flags and forms into settings and show results; training, layers and tensors are the models' and core's. */
    @Test
    void theCommandLineHoldsNoModelLogic() {
        DescribedPredicate<JavaClass> layers = resideInAPackage("dev.glassbox.nn..")
                .and(DescribedPredicate.not(simpleName("Module"))).and(DescribedPredicate.not(simpleName("Recurrent")))
                .and(DescribedPredicate.not(simpleName("Mode")));
        noClasses().that().resideInAnyPackage("dev.glassbox.cli..", "dev.glassbox.studio..").should().dependOnClassesThat(layers).check(all);
        noClasses().that().resideInAnyPackage("dev.glassbox.cli..", "dev.glassbox.studio..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.glassbox.tensor..", "dev.glassbox.optim..", "dev.glassbox.data..", "dev.glassbox.kernels..")
                .check(all);
    }

    private static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("core")) ? here : here.getParent();   // tests run in cli/
    }

    private static List<Path> mainSources() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String module : List.of("core", "models", "bench", "studio", "cli", "spark")) {
            try (Stream<Path> files = Files.walk(root().resolve(module).resolve("src/main/java"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(out::add);
            }
        }
        return out;
    }

    @Test
    void noSourceFileIsOver400LinesWithoutAReason() throws IOException {
        List<String> over = new ArrayList<>();
        for (Path f : mainSources()) {
            String rel = root().relativize(f).toString();
            long lines;
            try (Stream<String> s = Files.lines(f)) {
                lines = s.count();
            }
            if (lines > 400 && !LONG_FILES.containsKey(rel)) over.add(rel + " (" + lines + " lines)");
        }
        assertEquals(List.of(), over, "split these by job, or say why not in LONG_FILES");
        for (String allowed : LONG_FILES.keySet()) assertTrue(Files.exists(root().resolve(allowed)), "LONG_FILES names a file that is gone: " + allowed);
    }

    /** Messages in models and core name settings ({@code minCount}); the command line says {@code --min-count}. */
    @Test
    void belowTheCommandLineNoMessageNamesAFlag() throws IOException {
        Pattern flag = Pattern.compile("\"[^\"]*--[a-z][a-z-]*[^\"]*\"");
        List<String> found = new ArrayList<>();
        for (Path f : mainSources()) {
            String rel = root().relativize(f).toString();
            if (rel.startsWith("cli/") || rel.startsWith("bench/") || rel.startsWith("studio/") || FLAG_WORDS.containsKey(rel)) continue;
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).strip();
                if (l.startsWith("*") || l.startsWith("//")) continue;
                if (flag.matcher(l).find()) found.add(rel + ":" + (i + 1) + ": " + l);
            }
        }
        assertEquals(List.of(), found, "name the setting (an InvalidSettingException or DataException), not the flag");
    }
}
