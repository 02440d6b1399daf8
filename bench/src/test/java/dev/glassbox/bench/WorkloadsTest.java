package dev.glassbox.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Smoke runs of the workloads: the keys BENCHMARKS.md names, plausible values, honest skips. */
class WorkloadsTest {
    private static final Workloads.Settings QUICK = new Workloads.Settings(true, 1);

    @Test
    void w1ReportsGflopsUnderTheDefinedKeys() {
        List<String> notes = new ArrayList<>();
        Map<String, Object> r = Workloads.run("W1", QUICK, notes::add);
        assertEquals("W1", r.get("id"));
        for (String k : List.of("gflops_n128_t1", "gflops_n256_t1", "gflops_n128_t2", "gflops_n256_t2")) {
            double g = ((Number) r.get(k)).doubleValue();
            assertTrue(g > 0.1 && g < 10_000, k + " = " + g);
        }
        assertTrue(r.containsKey("jvm") && r.containsKey("date") && r.containsKey("threads"));
        assertTrue(r.get("cpu") instanceof String && (int) r.get("vector_bits") >= 128 && (int) r.get("l1d_kb") > 0 && (int) r.get("l2_kb") > 0,
                "the machine: cpu, vector_bits, l1d_kb, l2_kb in " + r);
        assertTrue(String.valueOf(r.get("sgemm")).matches("\\d+x\\d+ tile, kc \\d+, mc \\d+"), "SGEMM's tile and blocks in " + r);
        assertEquals(4, notes.size());
    }

    @Test
    void w3ReportsStepsPerSecond() {
        Map<String, Object> r = Workloads.run("W3", QUICK, s -> { });
        assertTrue(((Number) r.get("steps_per_s")).doubleValue() > 10, r.toString());
    }

    @Test
    void opsReportsNanosecondsPerTinyOp() {
        Map<String, Object> r = Workloads.run("OPS", QUICK, s -> { });
        for (String k : List.of("ns_add", "ns_sigmoid", "ns_mul_recorded", "ns_mul_sum_backward")) {
            double ns = ((Number) r.get(k)).doubleValue();
            assertTrue(ns > 0 && ns < 1e7, k + " = " + ns);
        }
    }

    @Test
    void w2TrainsTheMlpOnAnMnistFolderOrSaysWhyNot(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String before = System.getProperty("glassbox.fashionMnist");
        try {
            System.setProperty("glassbox.fashionMnist", dir.resolve("absent").toString());
            Map<String, Object> skipped = Workloads.run("W2", QUICK, s -> { });
            assertTrue(String.valueOf(skipped.get("skipped")).contains("dataset-fashion-mnist"), skipped.toString());
            assertTrue(String.valueOf(skipped.get("skipped")).contains("glassbox data fetch fashion-mnist"), skipped.toString());
            // without the property: where --data fashion-mnist reads (Debian's place, else the fetched copy)
            System.clearProperty("glassbox.fashionMnist");
            assertEquals(dev.glassbox.models.data.ImageData.fashionMnistHome(), Workloads.fashionMnist());
            java.nio.file.Path folder = dir.resolve("fm");
            TinyMnist.write(folder, 300, 50);
            System.setProperty("glassbox.fashionMnist", folder.toString());
            Map<String, Object> r = Workloads.run("W2", QUICK, s -> { });
            assertTrue(((Number) r.get("samples_per_s")).doubleValue() > 0, r.toString());
            // timed after a warm-up: the throwaway model's rate is reported as the cold start
            assertTrue(((Number) r.get("warmup_samples_per_s")).doubleValue() > 0 && r.get("warmup_epochs").equals(1), r.toString());
            Map<String, Object> w4 = Workloads.run("W4", QUICK, s -> { });
            assertTrue(((Number) w4.get("samples_per_s")).doubleValue() > 0, w4.toString());
            assertTrue(((Number) w4.get("warmup_samples_per_s")).doubleValue() > 0 && w4.get("warmup_steps").equals(2), w4.toString());
            Map<String, Object> w8 = Workloads.run("W8", QUICK, s -> { });
            assertTrue(((Number) w8.get("samples_per_s")).doubleValue() > 0, w8.toString());
            assertTrue(((Number) w8.get("warmup_samples_per_s")).doubleValue() > 0 && w8.get("warmup_steps").equals(3), w8.toString());
            double vaeLoss = ((Number) w8.get("loss_per_sample_ep1")).doubleValue();
            assertTrue(vaeLoss > 0 && vaeLoss < 784 * Math.log(2) + 100, "the VAE's loss per sample: " + w8);
            Map<String, Object> w9 = Workloads.run("W9", QUICK, s -> { });
            assertTrue(((Number) w9.get("images_per_s")).doubleValue() > 0, w9.toString());
            assertTrue(((Number) w9.get("warmup_images_per_s")).doubleValue() > 0 && w9.get("warmup_steps").equals(2), w9.toString());
            assertTrue(((Number) w9.get("d_loss_last100")).doubleValue() > 0, w9.toString());
            double acc = ((Number) r.get("acc_1ep")).doubleValue();
            assertTrue(acc >= 0 && acc <= 1);
            assertTrue(((Number) r.get("peak_rss_mb")).doubleValue() > 0);
        } finally {
            if (before == null) System.clearProperty("glassbox.fashionMnist");
            else System.setProperty("glassbox.fashionMnist", before);
        }
    }

    @Test
    void unknownWorkloadsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Workloads.run("W10", QUICK, s -> { }));
        assertTrue(e.getMessage().contains("unknown workload 'W10'"));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, Stats.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Stats.median(new double[] {4, 1, 2, 3}));
    }

    /** W5 and W7 on a small stand-in for the Brown corpus: the keys of BENCHMARKS.md, real figures; without data, a reason. */
    @Test
    void textWorkloadsRunOnTheirDataOrSaySoWithoutIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        String before = System.getProperty("glassbox.benchData");
        try {
            System.setProperty("glassbox.benchData", dir.toString());
            Map<String, Object> none = Workloads.run("W7", QUICK, s -> { });
            assertTrue(String.valueOf(none.get("skipped")).contains("brown.txt"), none.toString());
            StringBuilder sb = new StringBuilder();
            java.util.Random r = new java.util.Random(1);
            String[] words = {"the", "cat", "dog", "sat", "ran", "on", "a", "mat", "rug", "big", "small", "and"};
            for (int i = 0; i < 3000; i++) {
                for (int j = 0; j < 8; j++) sb.append(j == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
                sb.append('\n');
            }
            java.nio.file.Files.writeString(dir.resolve("brown.txt"), sb);
            java.nio.file.Files.writeString(dir.resolve("wordsim353.tsv"), "cat\tdog\t7\nmat\trug\t8\nthe\tbig\t1\n");
            java.nio.file.Files.writeString(dir.resolve("questions-words.txt"), ": x\ncat dog mat rug\n");
            Map<String, Object> w7 = Workloads.run("W7", QUICK, s -> { });
            assertTrue(((Number) w7.get("words_per_s")).doubleValue() > 0 && ((Number) w7.get("wall_s")).doubleValue() > 0, w7.toString());
            assertTrue(w7.containsKey("wordsim_spearman") && w7.containsKey("analogy_acc"), w7.toString());
            Map<String, Object> w5 = Workloads.run("W5", QUICK, s -> { });
            assertTrue(((Number) w5.get("tokens_per_s")).doubleValue() > 0, w5.toString());
            assertTrue(((Number) w5.get("warmup_tokens_per_s")).doubleValue() > 0 && w5.get("warmup_steps").equals(3), w5.toString());
            double loss = ((Number) w5.get("loss_300")).doubleValue();
            assertTrue(loss > 0 && loss < Math.log(60), "loss below guessing among the characters: " + loss);
        } finally {
            if (before == null) System.clearProperty("glassbox.benchData");
            else System.setProperty("glassbox.benchData", before);
        }
    }
}
