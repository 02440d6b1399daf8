package dev.glassbox.models.train;

import dev.glassbox.models.Recipe;
import dev.glassbox.models.Runs;
import dev.glassbox.models.course.SampleQuality;
import dev.glassbox.models.text.TextData;
import dev.glassbox.tensor.Tensor;
import dev.glassbox.tensor.Threads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With one thread, training 4 epochs straight, and training with checkpoints, being killed
 * ({@code kill -9} of a separate JVM right after its checkpoint in the third epoch) and resuming
 * for the rest, give bit-identical weights and the same loss curve — for the DNN, the CNN, the
 * VAE, the DCGAN and the LSTM.
 */
class ResumeAfterKillTest {
    @TempDir
    Path dir;
    private int threads;

    @BeforeEach
    void oneThread() {
        threads = Threads.count();
        Threads.set(1);
    }

    @AfterEach
    void restoreThreads() { Threads.set(threads); }

    @Test
    void dnnResumesExactly() throws Exception { killAndResume("dnn", "course", "-", 10, 120); }

    @Test
    void cnnResumesExactly() throws Exception { killAndResume("cnn", "course", "-", 20, 100); }

    /** The VAE draws ε each step: its generator travels in the checkpoint. */
    @Test
    void vaeResumesExactly() throws Exception { killAndResume("vae", "course", "-", 20, 100); }

    /** The DCGAN: two optimizers, batch norm's running statistics and the noise of z, all in the checkpoint. */
    @Test
    void dcganResumesExactly() throws Exception { killAndResume("dcgan", "course", "-", 20, 100); }

    @Test
    void lstmResumesExactly() throws Exception {
        Path text = dir.resolve("austen-part.txt");
        Files.writeString(text, TextData.read(TextData.EMBEDDED).substring(0, 40_000));   // 17 steps an epoch
        killAndResume("lstm", "char", text.toString(), 5, 35);
    }

    /**
     * Each step's loss of the run itself. The VAE and the DCGAN score their samples at the end,
     * and on a machine that has no sample scorer kept yet (a fresh CI machine) the scorer is
     * trained then, its steps reaching the same listener after a stage event: not this run's.
     */
    private static EventListener stepsOfThisRun(List<Float> losses) {
        boolean[] scorer = {false};
        return e -> {
            if (e instanceof TrainingEvent.Stage st && st.name().equals(SampleQuality.SCORER_STAGE)) scorer[0] = true;
            if (e instanceof TrainingEvent.Step s && !scorer[0]) losses.add(s.loss());
        };
    }

    private void killAndResume(String model, String preset, String data, long every, long haltAt) throws Exception {
        List<Float> straight = new ArrayList<>();
        Recipe.Run whole = Runs.train(model, preset, t -> (data.equals("-") ? t : t.withData(data)).withEpochs(4).withSeed(7),
                RunOptions.NONE, stepsOfThisRun(straight));

        Path checkpoint = dir.resolve(model + ".safetensors");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                KilledRun.class.getName(), model, preset, "4", "7", data, checkpoint.toString(), Long.toString(every), Long.toString(haltAt))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Float> curve = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.append(line).append('\n');
                if (line.startsWith("step ")) curve.add(Float.intBitsToFloat(Integer.parseInt(line.split(" ")[2])));
                if (line.equals("checkpoint " + haltAt)) {
                    p.destroyForcibly();   // SIGKILL, as kill -9
                    break;
                }
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ended");
        assertEquals(137, p.exitValue(), "killed by SIGKILL right after the checkpoint of step " + haltAt + "; it printed:\n" + out);
        assertEquals(haltAt, curve.size(), "the killed run's steps");

        Recipe.Run resumed = Runs.train(model, preset, t -> (data.equals("-") ? t : t.withData(data)).withEpochs(4).withSeed(7),
                RunOptions.resumeFrom(checkpoint), stepsOfThisRun(curve));
        assertEquals(straight, curve, model + ": the loss curve, step by step");
        Map<String, Tensor> want = whole.model().stateDict(), got = resumed.model().stateDict();
        assertEquals(want.keySet(), got.keySet());
        for (String k : want.keySet()) assertArrayEquals(want.get(k).data(), got.get(k).data(), 0f, model + " " + k);
        assertEquals(whole.metrics().get("loss"), resumed.metrics().get("loss"));
    }
}
