package dev.glassbox.studio;

import dev.glassbox.models.ImageSampler;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.RecipeSettings;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.data.ImageData;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.SettingError;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.nn.Module;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The studio's training: at most one job at a time, run on its own thread through the recipe
 * (the same training as {@code glassbox train}), its events kept and streamed to every page that
 * listens (server-sent events, each named as {@code --log} names it: started, step, epoch_end,
 * finished, and the studio's own sample, stopped and failed). Steps are sent at most about twenty
 * times a second; the rest of the events all. A model that makes images (vae, dcgan) draws a grid
 * of fixed noise at each epoch's end: a {@code sample} event names its address.
 */
final class TrainingJobs {
    /** What the page's form sends; everything but {@code model} falls back to the preset's defaults. */
    record Request(String model, String preset, Integer epochs, Long steps, Float lr, Integer batch, Long seed, String data) {}

    /** Thrown from inside the training when the page asks it to stop. */
    private static final class Stopped extends RuntimeException {
        Stopped() { super("stopped", null, false, false); }
    }

    private static final long STEP_EVERY_NANOS = 50_000_000L;
    private static final int MAX_HISTORY = 20_000;

    private final List<String> history = new CopyOnWriteArrayList<>();
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final Map<String, Module> trained = new ConcurrentHashMap<>();
    private final Map<Integer, byte[]> samples = new ConcurrentHashMap<>();
    private volatile Job job;

    private static final class Job {
        final String model, preset;
        final Thread thread;
        volatile boolean stop;
        volatile String state = "running";
        volatile Map<String, Object> metrics;
        Map<String, byte[]> pictures;
        long lastStep;

        Job(String model, String preset, Thread thread) {
            this.model = model;
            this.preset = preset;
            this.thread = thread;
        }
    }

    /** Starts a job, or refuses when one runs or the request is not a training the CLI would run. */
    synchronized Map<String, Object> start(Request req) {
        if (req == null || req.model() == null) throw new Studio.ApiError(HttpStatus.BAD_REQUEST, "the request needs \"model\" (one of the gallery's names)");
        Job running = job;
        if (running != null && running.state.equals("running")) {
            throw new Studio.ApiError(HttpStatus.CONFLICT, "a training job is running (" + running.model + ", " + running.preset
                    + "); one at a time: stop it first (POST /api/train/stop)");
        }
        Recipe<?> r = Studio.recipe(req.model());
        Runnable run = prepare(r, req);
        history.clear();
        String preset = req.preset() == null ? r.presets().get(0) : req.preset();
        Thread t = Thread.ofPlatform().daemon().name("glassbox-studio-training").unstarted(run);
        job = new Job(r.name(), preset, t);
        t.start();
        return status();
    }

    /** Asks the running job to stop at its next step; the status either way. */
    Map<String, Object> stop() {
        Job j = job;
        if (j != null && j.state.equals("running")) {
            j.stop = true;
            try {
                j.thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return status();
    }

    Map<String, Object> status() {
        Job j = job;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", j == null ? "idle" : j.state);
        if (j != null) {
            m.put("model", j.model);
            m.put("preset", j.preset);
            if (j.metrics != null) m.put("metrics", j.metrics);
        }
        return m;
    }

    /** The model the last finished job of this recipe trained, or null. */
    Module trainedModel(String recipe) { return trained.get(recipe); }

    /**
     * The pictures of what the last finished job's model learned (Recipe.pictures: an
     * autoencoder's reconstructions, a 2-D VAE's latent plane), as PNGs by name; drawn once.
     */
    synchronized Map<String, byte[]> pictures() throws java.io.IOException {
        Job j = job;
        if (j == null || !j.state.equals("finished")) {
            throw new Studio.ApiError(HttpStatus.CONFLICT, "no finished training job: its pictures come once it ends");
        }
        if (j.pictures == null) {
            Map<String, byte[]> out = new LinkedHashMap<>();
            for (var e : Studio.recipe(j.model).pictures(trained.get(j.model)).entrySet()) {
                var bytes = new java.io.ByteArrayOutputStream();
                javax.imageio.ImageIO.write(e.getValue(), "png", bytes);
                out.put(e.getKey(), bytes.toByteArray());
            }
            j.pictures = out;
        }
        return j.pictures;
    }

    /** A page listening: the job's events so far, then each as it comes. */
    void stream(SseClient client) {
        client.keepAlive();
        for (String e : history) send(client, e);
        clients.add(client);
        client.onClose(() -> clients.remove(client));
    }

    private <S extends RecipeSettings<S>> Runnable prepare(Recipe<S> r, Request req) {
        S s = r.settings(req.preset());
        TrainSettings t = s.train();
        if (req.epochs() != null) t = t.withEpochs(req.epochs());
        if (req.steps() != null) t = t.withSteps(req.steps());
        if (req.lr() != null) t = t.withLr(req.lr());
        if (req.batch() != null) t = t.withBatch(req.batch());
        if (req.seed() != null) t = t.withSeed(req.seed());
        if (req.data() != null) t = t.withData(data(r, req.data()));
        S settings = s.withTrain(t);
        return () -> {
            Job j = job;
            samples.clear();
            Path grids = null;
            try {
                if (r instanceof ImageSampler) grids = Files.createTempDirectory("glassbox-studio-grids");
                Path folder = grids;
                RunOptions options = grids == null ? RunOptions.NONE : new RunOptions(null, null, null, grids);
                Recipe.Run result = r.train(settings, options, e -> {
                    on(j, e);
                    if (folder != null && e instanceof TrainingEvent.EpochEnd end) sample(folder, end.epoch());
                });
                j.metrics = result.metrics();
                trained.put(r.name(), result.model());
                j.state = "finished";
                // told only now, so that a page told "finished" finds the trained model
                publish("finished", Json.event(new TrainingEvent.Finished(result.metrics(), result.seconds())));
            } catch (Stopped e) {
                j.state = "stopped";
                publish("stopped", Json.write(Map.of("event", "stopped")));
            } catch (RuntimeException | java.io.IOException | Error e) {
                j.state = "failed";
                String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (e instanceof SettingError bad) msg = bad.setting() + " " + bad.problem();
                publish("failed", Json.write(Map.of("event", "failed", "error", msg)));
            } finally {
                deleteQuietly(grids);
            }
        };
    }

    /** The grid of fixed noise an image model drew at an epoch's end, kept and announced. */
    private void sample(Path folder, int epoch) {
        Path png = folder.resolve(String.format(java.util.Locale.ROOT, "epoch-%03d.png", epoch));
        try {
            if (!Files.isRegularFile(png)) return;
            samples.put(epoch, Files.readAllBytes(png));
            Files.delete(png);
        } catch (java.io.IOException e) {
            return;   // a picture missed is not worth stopping the training for
        }
        publish("sample", Json.write(Map.of("event", "sample", "epoch", epoch, "url", "/api/train/samples/" + epoch)));
    }

    /** The PNG grid of an epoch of the current job, or null. */
    byte[] samplePng(int epoch) { return samples.get(epoch); }

    private static void deleteQuietly(Path dir) {
        if (dir == null) return;
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (java.io.IOException e) {
            // a temporary folder left behind; the OS cleans /tmp
        }
    }

    /** Only the data the command line knows by name, or a file under $GLASSBOX_DATA. */
    private static String data(Recipe<?> r, String data) {
        if (r.dataNames().contains(data)) return data;
        Path home = ImageData.dataHome().toAbsolutePath().normalize();
        Path p = home.resolve(data).normalize();
        if (!p.startsWith(home) || data.contains("..")) {
            throw new Studio.ApiError(HttpStatus.BAD_REQUEST, "data must be one of " + r.dataNames() + " or a file under " + home + ", not " + data);
        }
        if (!Files.exists(p)) throw new Studio.ApiError(HttpStatus.BAD_REQUEST, "no file " + data + " under " + home);
        return p.toString();
    }

    private void on(Job j, TrainingEvent e) {
        if (j.stop) throw new Stopped();
        if (e instanceof TrainingEvent.Step st) {
            long now = System.nanoTime();
            if (now - j.lastStep < STEP_EVERY_NANOS && st.step() != st.totalSteps()) return;
            j.lastStep = now;
        }
        if (e instanceof TrainingEvent.Finished) return;   // published once the model is kept
        publish(e.event(), Json.event(e));
    }

    private void publish(String name, String json) {
        if (history.size() < MAX_HISTORY) history.add(name + "\n" + json);
        for (SseClient c : clients) send(c, name + "\n" + json);
    }

    private void send(SseClient c, String namedJson) {
        int nl = namedJson.indexOf('\n');
        try {
            c.sendEvent(namedJson.substring(0, nl), namedJson.substring(nl + 1));
        } catch (RuntimeException e) {
            clients.remove(c);   // the page went away
        }
    }

    /** The ids of the events as a list (for tests). */
    List<String> eventNames() {
        List<String> out = new ArrayList<>();
        for (String h : history) out.add(h.substring(0, h.indexOf('\n')));
        return out;
    }
}
