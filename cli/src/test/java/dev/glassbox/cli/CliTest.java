package dev.glassbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glassbox.io.SafeTensors;
import dev.glassbox.models.course.DnnClassifier;
import dev.glassbox.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end, in process: exit codes, standard output, and one-line errors. */
class CliTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }

        JsonNode json() throws IOException { return new ObjectMapper().readTree(lastLine()); }
    }

    static Result run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** sample and predict transformer refuse what they cannot use with a line that says what to do. */
    @Test
    void transformerCheckpointsAreCheckedBeforeUse() throws IOException {
        Path course = dir.resolve("tc.safetensors"), dates = dir.resolve("td.safetensors"), edited = dir.resolve("te.safetensors");
        assertEquals(0, run("train", "transformer", "--preset", "course", "--epochs", "20", "--save", course.toString()).code());
        assertEquals(0, run("train", "transformer", "--preset", "dates", "--steps", "2", "--save", dates.toString()).code());
        Result sampleDates = run("sample", "transformer", "--load", dates.toString());
        assertEquals("glassbox: " + dates + " holds the dates model, which translates rather than writes text; use 'glassbox predict transformer --load "
                + dates + " <date words>'", sampleDates.err().strip());
        Result unknownWord = run("sample", "transformer", "--load", course.toString(), "--prompt", "고양이");
        assertTrue(unknownWord.err().startsWith("glassbox: the word '고양이' is not in this model's vocabulary of 9 words"), unknownWord.err());
        var c = SafeTensors.load(course);
        var meta = new java.util.HashMap<>(c.metadata());
        meta.put("glassbox.preset", "char");
        SafeTensors.save(c.tensors(), meta, edited);
        Result misfit = run("sample", "transformer", "--load", edited.toString());
        assertEquals(1, misfit.code());
        assertTrue(misfit.err().contains("missing keys [layers.1.") && misfit.err().contains("more]")
                && misfit.err().strip().endsWith("train it again and save it") && misfit.err().strip().lines().count() == 1, misfit.err());
    }

    /** --spark's mistakes, named before any data is read; without the spark module on the class path, how to get it. */
    @Test
    void sparkRunsAreCheckedFirst() {
        assertEquals("glassbox: --spark 'sprak://h:7077' is not a Spark master URL: give local[N] (N threads here) or spark://HOST:PORT (a standalone master)",
                run("train", "dnn", "--spark", "sprak://h:7077").err().strip());
        assertEquals("glassbox: --executors applies to a run on Spark: add --spark spark://HOST:PORT", run("train", "dnn", "--executors", "2").err().strip());
        assertEquals("glassbox: --sync-every applies to a run on Spark: add --spark MASTER", run("train", "dnn", "--sync-every", "4").err().strip());
        assertEquals("glassbox: --sync-every must be between 1 and 100000 steps, got 0", run("train", "dnn", "--spark", "local[2]", "--sync-every", "0").err().strip());
        assertTrue(run("train", "word2vec", "--spark", "local[2]", "--threads", "4").err().strip().startsWith(
                "glassbox: --threads 4 applies to a run in this process: on Spark each worker trains word2vec on one thread"), "not silently ignored");
        assertEquals("glassbox: --threads applies to word2vec, not dnn", run("train", "dnn", "--spark", "local[2]", "--threads", "4").err().strip());
        for (String model : List.of("dnn", "word2vec", "autoencoder")) {   // every model takes --spark; here the module is missing
            Result noModule = run("train", model, "--spark", "local[2]", "--epochs", "1");
            assertEquals(2, noModule.code(), model);
            assertTrue(noModule.err().strip().startsWith("glassbox: --spark needs the glassbox-spark module on the class path"), noModule.err());
        }
    }

    /** train, sample (a PNG grid) and predict vae; a bad grid is refused before anything is loaded. */
    @Test
    void vaeSamplesAGridOfImages() throws IOException {
        Path vae = dir.resolve("vae.safetensors"), png = dir.resolve("grid.png");
        Path grids = Files.createDirectories(dir.resolve("grids"));
        Result train = run("train", "vae", "--epochs", "3", "--save", vae.toString(), "--every-epoch", grids.toString());
        assertEquals(0, train.code(), train.err());
        for (int e = 1; e <= 3; e++) assertTrue(Files.size(grids.resolve("epoch-00" + e + ".png")) > 100, "the grid of epoch " + e);
        Result noFolder = run("train", "vae", "--epochs", "1", "--every-epoch", dir.resolve("none").toString());
        assertEquals("glassbox: --every-epoch names no folder: " + dir.resolve("none") + " (make it first)", noFolder.err().strip());
        Result notImages = run("train", "dnn", "--every-epoch", grids.toString());
        assertEquals("glassbox: --every-epoch applies to the models that make images (vae, dcgan), not dnn", notImages.err().strip());
        Result sample = run("sample", "vae", "--load", vae.toString(), "--n", "9", "--out", png.toString());
        assertEquals(0, sample.code(), sample.err());
        assertEquals("wrote 9 images of 8x8 to " + png, sample.out().strip());
        var img = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(3 * (32 + 2) + 2, img.getWidth(), "three columns of 8x8 images enlarged four times");
        Result none = run("sample", "vae", "--load", dir.resolve("missing.safetensors").toString(), "--n", "0", "--out", png.toString());
        assertEquals("glassbox: --n must be 1 to 1024 images, got 0", none.err().strip());
        Result noOut = run("sample", "vae", "--load", vae.toString());
        assertEquals("glassbox: --out is needed: the PNG file to write the grid of images to", noOut.err().strip());
        Result plane = run("sample", "vae", "--load", vae.toString(), "--latent-grid", "5", "--out", png.toString());
        assertEquals("glassbox: --latent-grid needs a VAE with a 2-D latent (the latent2 preset); this one has 4", plane.err().strip());
        Result ganPlane = run("sample", "dcgan", "--load", vae.toString(), "--scatter", png.toString());
        assertEquals("glassbox: --latent-grid, --scatter and --data apply to a vae with a 2-D latent, not dcgan", ganPlane.err().strip());
        Result prompt = run("sample", "vae", "--load", vae.toString(), "--prompt", "she ", "--out", png.toString());
        assertEquals("glassbox: --prompt and --top-k apply to the text models; vae draws images", prompt.err().strip());
        Result textOut = run("sample", "lstm", "--load", vae.toString(), "--out", png.toString());
        assertEquals("glassbox: --out applies to the image models (vae, dcgan); lstm prints its text", textOut.err().strip());
        Path gan = dir.resolve("gan.safetensors");
        assertEquals(0, run("train", "dcgan", "--epochs", "2", "--save", gan.toString()).code());
        Result ganSample = run("sample", "dcgan", "--load", gan.toString(), "--n", "4", "--out", png.toString(), "--json");
        assertEquals(0, ganSample.code(), ganSample.err());
        assertEquals(4, ganSample.json().get("n").asInt());
        Result ganExplain = run("explain", "dcgan", "--load", gan.toString(), "--lang", "ko");
        assertEquals(0, ganExplain.code(), ganExplain.err());
        assertTrue(ganExplain.out().contains("1단계, 판별자") && ganExplain.out().contains("2단계, 생성자") && ganExplain.out().contains("D 0.0000"), ganExplain.out());
        Result ganPredict = run("predict", "dcgan", "--load", gan.toString(), "0 ".repeat(64).strip());
        assertTrue(ganPredict.out().startsWith("D(x) = "), ganPredict.out());
        Result explain = run("explain", "vae", "--load", vae.toString(), "--lang", "ko");
        assertEquals(0, explain.code(), explain.err());
        assertTrue(explain.out().contains("재매개변수화") && explain.out().contains("손실 1") && explain.out().contains("dL/dμ = dL/dz + μ"), explain.out());
        Result explainJson = run("explain", "vae", "--json");
        assertTrue(explainJson.out().contains("\"type\":\"reparameterize\"") && explainJson.out().contains("\"type\":\"kl_divergence\""), explainJson.out());
        Result predict = run("predict", "vae", "--load", vae.toString(), "0 ".repeat(64).strip());
        assertEquals(0, predict.code(), predict.err());
        assertTrue(predict.out().startsWith("mu    = [") && predict.out().contains("reconstruction from mu"), predict.out());
    }

    @Test
    void dataFetchNamesBadNamesAndUrls() throws IOException {
        Result unknown = run("data", "fetch", "cifar");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("no data set 'cifar'") && unknown.err().contains("fashion-mnist"), unknown.err());
        Result ftp = run("data", "fetch", "fashion-mnist", "--from", "ftp://example.org/x/", "--to", dir.toString());
        assertEquals(2, ftp.code());
        assertTrue(ftp.err().contains("http or https"), ftp.err());
        // a mirror (a local server) that has nothing: a one-line error naming the URL and the status, nothing written
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        try {
            String mirror = "http://127.0.0.1:" + server.getAddress().getPort() + "/none/";
            Result missing = run("data", "fetch", "fashion-mnist", "--from", mirror, "--to", dir.resolve("f").toString());
            assertEquals(1, missing.code());
            assertTrue(missing.err().contains("GET " + mirror + "train-images-idx3-ubyte.gz: HTTP 404"), missing.err());
            assertFalse(missing.err().contains("\tat "), "no stack trace: " + missing.err());
            assertFalse(Files.exists(dir.resolve("f").resolve("train-images-idx3-ubyte.gz")));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void trainSaveEvalPredictEndToEnd() throws IOException {
        Path model = dir.resolve("dnn.safetensors");
        Path log = dir.resolve("train.jsonl");
        Result train = run("train", "dnn", "--epochs", "400", "--save", model.toString(), "--log", log.toString(), "--json");
        assertEquals(0, train.code(), train.err());
        JsonNode m = train.json();
        assertEquals("dnn", m.get("model").asText());
        double acc = m.get("acc").asDouble();
        assertTrue(acc >= 0 && acc <= 1);
        assertTrue(m.get("loss").isNumber());
        assertTrue(Files.size(model) > 0);
        List<String> events = Files.readAllLines(log);
        assertTrue(events.get(0).startsWith("{\"event\":\"started\""), events.get(0));
        assertTrue(events.stream().anyMatch(l -> l.startsWith("{\"event\":\"epoch_end\"")));
        assertTrue(events.get(events.size() - 1).startsWith("{\"event\":\"finished\""));

        Result eval = run("eval", "dnn", "--load", model.toString(), "--json");
        assertEquals(0, eval.code(), eval.err());
        assertEquals(acc, eval.json().get("acc").asDouble(), 1e-9, "eval on the same held-out set gives the same accuracy");

        Result predict = run("predict", "dnn", "--load", model.toString(), "00110", "01010", "00010", "00100", "01110");
        assertEquals(0, predict.code(), predict.err());
        assertTrue(predict.out().contains("->"), predict.out());
        Result same = run("predict", "dnn", "--load", model.toString(), "0011001010000100010001110");
        assertEquals(predict.out(), same.out(), "25 digits in one word mean the same image");
    }

    @Test
    void regressionReportsSlopeInterceptAndMse() throws IOException {
        Result r = run("train", "linear", "--data", "line-exact", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode m = r.json();
        assertEquals(2.0, m.get("slope").asDouble(), 0.04);
        assertEquals(1.0, m.get("intercept").asDouble(), 0.02);
        assertTrue(m.has("mse") && m.has("loss"));
    }

    @Test
    void explainGivesTheWholeTraceAsJsonAndKoreanText() throws IOException {
        Result j = run("explain", "dnn", "--json");
        assertEquals(0, j.code(), j.err());
        JsonNode t = j.json();
        assertEquals(4, t.get("graph").get("layers").size(), "input, two hidden layers, output");
        assertEquals(26, t.get("graph").get("layers").get(0).get("nodes").size(), "25 inputs and the bias node");
        assertEquals("forward", t.get("events").get(0).get("type").asText());
        assertEquals(25, t.get("events").get(0).get("weights").size(), "a node of hidden layer 1 has 25 arrows in");
        assertEquals(6, java.util.stream.StreamSupport.stream(t.get("events").spliterator(), false)
                .filter(e -> e.get("type").asText().equals("update")).count(), "W1, b1, W2, b2, W3, b3 updated");
        Result ko = run("explain", "logistic", "--lang", "ko");
        assertEquals(0, ko.code(), ko.err());
        assertTrue(ko.out().contains("가중합") && ko.out().contains("손실"), ko.out());
        Result en = run("explain", "linear", "--input", "1.5", "--target", "4");
        assertTrue(en.out().contains("weighted sum") && en.out().contains("mean squared error"), en.out());

        // cnn: the course's convolution and pooling examples, every window's nine products, then the model's maps.
        Result cnn = run("explain", "cnn");
        assertEquals(0, cnn.code(), cnn.err());
        assertTrue(cnn.out().contains("[1][2] = 0·0 + 1·1 + 1·0 + 1·1 + 0·1 + 1·1 + 0·0 + 0·1 + 1·0 = 3"), cnn.out());
        assertTrue(cnn.out().contains("[1][1] = max(3, 7, 3, 2) = 7"), cnn.out());
        assertTrue(cnn.out().contains("pool2: 16 maps of 2x2, max pooling") && cnn.out().contains("the JSON trace has all"), cnn.out());
        JsonNode cj = run("explain", "cnn", "--json").json();
        assertEquals(3, cj.get("demos").get(0).get("featureMap").get(2).get(2).asInt());
        assertEquals(8 * 8, cj.get("events").get(0).get("values").size(), "whole conv1 maps in --json");
        Result cnnKo = run("explain", "cnn", "--lang", "ko");
        assertTrue(cnnKo.out().contains("feature map") && cnnKo.out().contains("합성곱") && !cnnKo.out().contains("maps of"), cnnKo.out());
    }

    @Test
    void badInputGetsOneClearLineAndANonZeroExit() throws IOException {
        Result unknown = run("train", "resnet");
        assertEquals(2, unknown.code());
        assertEquals("glassbox: unknown model 'resnet'; available: linear, logistic, dnn, cnn, autoencoder, word2vec, rnn, lstm, gru, seq2seq, transformer, vae, dcgan", unknown.err().strip());

        Result flag = run("train", "dnn", "--epoch", "3");
        assertEquals(2, flag.code());
        assertTrue(flag.err().startsWith("glassbox: Unknown options: '--epoch'") && flag.err().contains("did you mean --epochs"), flag.err());

        Result negative = run("train", "dnn", "--epochs", "-3");
        assertEquals(2, negative.code());
        assertEquals("glassbox: --epochs must be positive, got -3", negative.err().strip());

        Result missing = run("eval", "dnn", "--load", dir.resolve("none.safetensors").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().strip().endsWith("none.safetensors: no such file"), missing.err());

        Path junk = dir.resolve("junk.safetensors");
        Files.writeString(junk, "not a model");
        Result corrupt = run("eval", "dnn", "--load", junk.toString());
        assertEquals(1, corrupt.code());
        assertTrue(corrupt.err().contains("not a valid safetensors file"), corrupt.err());
        assertFalse(corrupt.err().contains("\tat "), "no stack trace for bad input");

        Result noData = run("train", "linear", "--data", dir.resolve("nope.csv").toString());
        assertEquals(1, noData.code(), "a missing data file is a data problem (exit 1), not a malformed command line (2)");
        assertTrue(noData.err().startsWith("glassbox: --data '" + dir.resolve("nope.csv") + "' is neither an embedded data set"), noData.err());

        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "1,2,1\n3,x,0\n");
        Result badCsv = run("train", "logistic", "--data", csv.toString());
        assertEquals(1, badCsv.code());
        assertEquals("glassbox: " + csv + " line 2, column 2: \"x\" is not a number", badCsv.err().strip());

        Result badImage = run("predict", "dnn", "--load", junk.toString(), "0101");
        assertEquals(1, badImage.code());
        assertEquals(1, badImage.err().strip().lines().count(), badImage.err());
    }

    /** Numbers that cannot mean anything are refused, not turned into results: NaN weights, NaN or absurd pixels, NaN inputs. */
    @Test
    void garbageIsAnErrorNotAResult() throws IOException {
        Path lin = dir.resolve("lin.safetensors"), broken = dir.resolve("broken.safetensors");
        assertEquals(0, run("train", "linear", "--epochs", "2", "--save", lin.toString()).code());
        var c = SafeTensors.load(lin);
        var tensors = new java.util.LinkedHashMap<>(c.tensors());
        tensors.put("output.bias", dev.glassbox.tensor.Tensor.of(new float[] {Float.NaN}, 1));
        SafeTensors.save(tensors, c.metadata(), broken);
        Result nanWeights = run("eval", "linear", "--load", broken.toString());
        assertEquals(1, nanWeights.code());
        assertEquals("glassbox: " + broken + ": tensor 'output.bias' holds NaN at index 0 (of 1): the model diverged before it was saved,"
                + " or the file is damaged; train it again", nanWeights.err().strip());
        var nanMetric = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Main.requireFinite(Map.of("model", "x", "val_loss", Double.NaN)));
        assertEquals("the metric val_loss came out NaN: the model or the data hold numbers that cannot be scored, so there is no result to report",
                nanMetric.getMessage());
        Result nanInput = run("predict", "linear", "--load", lin.toString(), "NaN");
        assertEquals("glassbox: linear takes one number x: 'NaN' is not a finite number", nanInput.err().strip());
        assertEquals(1, nanInput.code(), "an input the model refuses is not a usage error");
        assertEquals("glassbox: linear takes one number x: '1e39' is not a finite number", run("predict", "linear", "--load", lin.toString(), "1e39").err().strip());
        Path random = dir.resolve("random.txt");
        byte[] noise = new byte[4000];
        new java.util.Random(3).nextBytes(noise);
        Files.write(random, noise);
        Result lmOfNoise = run("train", "lstm", "--data", random.toString(), "--steps", "2");
        assertEquals(1, lmOfNoise.code());
        assertEquals("glassbox: " + random + ": not UTF-8 text (bytes that are not UTF-8 near its start); a language model reads a UTF-8 text file",
                lmOfNoise.err().strip());
        Path huge = dir.resolve("huge.csv");
        Files.writeString(huge, "1," + "9".repeat(100_000) + "\n");
        String hugeErr = run("train", "linear", "--data", huge.toString()).err().strip();
        assertTrue(hugeErr.length() < 300 && hugeErr.endsWith("... is not finite"), "a long cell is shortened: " + hugeErr.length() + " characters");
        Path cnn = dir.resolve("cnn.safetensors");
        assertEquals(0, run("train", "cnn", "--epochs", "1", "--save", cnn.toString()).code());
        List<String> image = new java.util.ArrayList<>(java.util.Collections.nCopies(64, "0"));
        image.set(5, "1e30");
        List<String> args = new java.util.ArrayList<>(List.of("predict", "cnn", "--load", cnn.toString()));
        args.addAll(image);
        assertEquals("glassbox: cnn takes an image of 8x8 pixel values in [0, 1]: pixel 6 is 1e30, outside [0, 1]", run(args.toArray(String[]::new)).err().strip());
        args.set(4 + 5, "NaN");
        assertEquals("glassbox: cnn takes an image of 8x8 pixel values in [0, 1]: 'NaN' is not a finite number", run(args.toArray(String[]::new)).err().strip());
    }

    /** score: another program's images (safetensors or IDX) get the training's sample scores; bad files get one line. */
    @Test
    void scoreRatesImagesFromFiles() throws IOException {
        var test = dev.glassbox.models.data.ImageData.load("digits", 42, "test").test();
        Path real = dir.resolve("real.safetensors"), noise = dir.resolve("noise.safetensors");
        SafeTensors.save(Map.of("images", test.inputs()), real);
        float[] v = new float[test.inputs().numel()];
        var r = new java.util.Random(5);
        for (int i = 0; i < v.length; i++) v[i] = r.nextFloat();
        SafeTensors.save(Map.of("x", dev.glassbox.tensor.Tensor.of(v, test.size(), 64)), noise);
        Result good = run("score", real.toString(), "--data", "digits", "--json");
        assertEquals(0, good.code(), good.err());
        Result bad = run("score", noise.toString(), "--data", "digits", "--json");
        assertEquals(test.size(), good.json().get("n").asInt());
        assertTrue(good.json().get("sample_fd").asDouble() < 1e-6, "the held-out images against themselves: " + good.out());
        assertTrue(bad.json().get("sample_fd").asDouble() > 1, bad.out());
        assertTrue(good.json().get("sample_confidence").asDouble() > bad.json().get("sample_confidence").asDouble(), good.out() + bad.out());
        v[70] = Float.NaN;
        SafeTensors.save(Map.of("x", dev.glassbox.tensor.Tensor.of(v, test.size(), 64)), noise);
        assertEquals("glassbox: " + noise + ": image 1 has the value NaN at pixel 6; the values must be finite and in [0, 1] (map a tanh output with (x + 1) / 2)",
                run("score", noise.toString(), "--data", "digits").err().strip());
        SafeTensors.save(Map.of("x", dev.glassbox.tensor.Tensor.of(new float[30], 3, 10)), noise);
        assertEquals("glassbox: " + noise + ": images of shape [3, 10] cannot be scored; give [n, side, side], [n, 1, side, side] or [n, side*side] (one grey channel)",
                run("score", noise.toString(), "--data", "digits").err().strip());
        SafeTensors.save(Map.of("x", dev.glassbox.tensor.Tensor.of(new float[3 * 16], 3, 4, 4)), noise);
        assertEquals("glassbox: the images are 4x4 but those of digits are 8x8", run("score", noise.toString(), "--data", "digits").err().strip());
        assertEquals("glassbox: " + dir.resolve("none.idx") + ": no such file", run("score", dir.resolve("none.idx").toString(), "--data", "digits").err().strip());
    }

    @Test
    void helpIsCompleteForEveryCommand() {
        Result help = run("--help");
        assertEquals(0, help.code());
        for (var r : dev.glassbox.models.Recipes.all()) assertTrue(help.out().contains(r.name()), "the models line names " + r.name());
        for (String c : List.of("train", "eval", "predict", "explain", "tour", "models", "bench", "sample", "score")) {
            assertTrue(help.out().contains(c), c);
            Result sub = run(c, "--help");
            assertEquals(0, sub.code(), c);
            assertTrue(sub.out().contains("Usage: glassbox " + c), sub.out());
        }
        assertTrue(run("train", "--help").out().contains("--log=FILE.jsonl"));
    }

    @Test
    void benchPrintsOneJsonObjectPerWorkload() throws IOException {
        Result r = run("bench", "W3", "--quick", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode w3 = r.json();
        assertEquals("W3", w3.get("id").asText());
        assertTrue(w3.get("steps_per_s").asDouble() > 0, w3.toString());
        Result bad = run("bench", "W42");
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("glassbox: unknown workload 'W42'"), bad.err());
    }

    @Test
    void benchWithABusyCoreSaysWhichCpuItKeptBusy() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two CPUs");
        Result r = run("bench", "W3", "--quick", "--json", "--busy-core");
        assertEquals(0, r.code(), r.err());
        assertEquals(Runtime.getRuntime().availableProcessors() - 1, r.json().get("busy_core").asInt(), r.out());
        assertTrue(r.json().get("steps_per_s").asDouble() > 0, r.out());
        assertFalse(run("bench", "W3", "--quick", "--json").json().has("busy_core"));
    }

    @Test
    void benchSummaryListsEveryGoalWithMetOrMissedForTheCpusTable() {
        var checks = new java.util.ArrayList<dev.glassbox.bench.Goals.Check>();
        checks.addAll(dev.glassbox.bench.Goals.check("W2", 512, java.util.Map.of("samples_per_s", 1.58)));
        checks.addAll(dev.glassbox.bench.Goals.check("W6", 512, java.util.Map.of("tokens_per_s", 1.2)));
        String s = Bench.summary(checks, "machine: AMD EPYC");
        assertTrue(s.contains("(machine: AMD EPYC)"), s);
        assertTrue(s.contains("| W2 | samples_per_s | 1.58 | ≥ 1.50× | met | issue 22 |"), s);
        assertTrue(s.contains("| W6 | tokens_per_s | 1.20 | ≥ 1.25× | **missed** | issue 18 |"), s);
        assertTrue(s.contains("1 of 2 goals met on this CPU"), s);
    }

    @Test
    void benchOnAvx2RunsInANewJvmWithAvx2Vectors() throws IOException {
        Result r = run("bench", "W3", "--quick", "--json", "--isa", "avx2");
        assertEquals(0, r.code(), r.err());
        JsonNode w3 = r.json();
        assertEquals("avx2", w3.get("isa").asText());
        assertTrue(w3.get("vector_bits").asInt() <= 256 && w3.get("steps_per_s").asDouble() > 0, w3.toString());
        assertEquals("native", run("bench", "W3", "--quick", "--json").json().get("isa").asText());
        Result bad = run("bench", "W3", "--isa", "sse");
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("glassbox: unknown --isa 'sse'; choose native or avx2"), bad.err());
    }

    @Test
    void tourTrainsEveryModelAndSummarises() throws IOException {
        Result r = run("tour", "--json");
        assertEquals(0, r.code(), r.err());
        for (String m : List.of("linear", "logistic", "dnn", "cnn", "autoencoder", "word2vec", "rnn", "lstm", "gru", "seq2seq", "transformer", "vae", "dcgan")) {
            assertTrue(r.out().contains(m), m);
        }
        JsonNode tour = r.json().get("tour");
        assertEquals(17, tour.size(), "linear, logistic, dnn course, dnn wide, cnn course, autoencoder course, word2vec skipgram and course, rnn, lstm, gru, "
                + "seq2seq, transformer course, char and dates, vae course, dcgan course");
        double dFake = tour.get(16).get("d_fake").asDouble();
        assertTrue(dFake > 0.05 && dFake < 0.95, "G and D in balance, neither winning outright: " + tour.get(16));
        assertTrue(tour.get(15).get("test_loss").asDouble() < 30, "the VAE reconstructs the digits (a fresh one scores about 44): " + tour.get(15));
        assertEquals(1.0, tour.get(12).get("acc").asDouble(), "the course's transformer learns every next word: " + tour.get(12));
        assertTrue(tour.get(5).get("acc_after_finetune").asDouble() > tour.get(5).get("acc_before_finetune").asDouble(), tour.get(5).toString());
        for (JsonNode run : tour) assertTrue(run.get("seconds").asDouble() >= 0);
        assertTrue(r.err().strip().endsWith(Main.STUDIO_HINT), "the tour ends by naming the studio: " + r.err());
    }

    @Test
    void word2vecTrainsQueriesAndEvaluatesFromTheCommandLine() throws IOException {
        Path vectors = dir.resolve("austen.bin"), log = dir.resolve("w2v.jsonl");
        Result train = run("train", "word2vec", "--epochs", "2", "--dim", "32", "--threads", "2", "--save", vectors.toString(),
                "--log", log.toString(), "--json");
        assertEquals(0, train.code(), train.err());
        JsonNode m = train.json();
        assertEquals("austen", m.get("data").asText());
        assertEquals(121_876, m.get("corpus_words").asLong());
        assertTrue(m.get("words_per_s").asDouble() > 0 && m.get("vocab").asInt() > 1000, m.toString());
        assertTrue(Files.readAllLines(log).stream().anyMatch(l -> l.startsWith("{\"event\":\"words\"")));

        Result similar = run("similar", vectors.toString(), "elizabeth", "--topn", "3", "--json");
        assertEquals(0, similar.code(), similar.err());
        assertEquals(3, similar.json().get("neighbours").size());
        Result pair = run("similar", vectors.toString(), "elizabeth", "jane");
        float s = Float.parseFloat(pair.out().strip());
        assertTrue(s > -1 && s <= 1, pair.out());
        Result analogy = run("analogy", vectors.toString(), "he", "his", "she", "--json");
        assertEquals(0, analogy.code(), analogy.err());
        assertEquals(5, analogy.json().get("answers").size());

        Path ws = dir.resolve("ws.tsv"), q = dir.resolve("q.txt");
        Files.writeString(ws, "# word pairs\nelizabeth\tjane\t8\nsister\tmother\t6\nletter\thouse\t2\nzebra\tlion\t9\n");
        Files.writeString(q, ": pronouns\nhe his she her\nhe him she her\n: missing\nzebra lion he his\n");
        Result eval = run("eval", "word2vec", vectors.toString(), "--wordsim", ws.toString(), "--analogies", q.toString(), "--json");
        assertEquals(0, eval.code(), eval.err());
        JsonNode e = eval.json();
        assertEquals(3, e.get("wordsim_pairs").asInt());
        assertEquals(1, e.get("wordsim_oov").asInt());
        assertEquals(2, e.get("analogy_asked").asInt());
        assertEquals(1, e.get("analogy_oov").asInt());
        double acc = e.get("analogy_acc").asDouble();
        assertTrue(acc >= 0 && acc <= 1 && e.has("wordsim_spearman"), e.toString());

        Result unknown = run("similar", vectors.toString(), "zebra");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("'zebra' is not in the vocabulary"), unknown.err());
        Result noFiles = run("eval", "word2vec", vectors.toString());
        assertTrue(noFiles.err().contains("--wordsim"), noFiles.err());
        Result saveToFolder = run("train", "dnn", "--save", dir.toString());
        assertEquals(2, saveToFolder.code());
        assertEquals("glassbox: --save " + dir + " is a folder; give a file name, for example " + dir.resolve("dnn.safetensors"),
                saveToFolder.err().strip());
        assertTrue(saveToFolder.out().isEmpty(), "nothing is trained: " + saveToFolder.out());
        Result vectorsToFolder = run("train", "word2vec", "--save", dir.toString());
        assertTrue(vectorsToFolder.err().strip().endsWith("for example " + dir.resolve("word2vec.bin")), vectorsToFolder.err());
        Result wrongFlag = run("train", "dnn", "--dim", "8");
        assertEquals("glassbox: --dim applies to word2vec, not dnn", wrongFlag.err().strip());
        Result explain = run("explain", "word2vec", "--input", "오늘", "집에");
        assertEquals(0, explain.code(), explain.err());
        assertTrue(explain.out().contains("-ln p('집에')") && explain.out().contains("Negative sampling")
                && explain.out().contains("negative sample '"), explain.out());
        Path lm = dir.resolve("lm.safetensors");
        assertEquals(0, run("train", "lstm", "--steps", "5", "--save", lm.toString()).code());
        Result sample = run("sample", "lstm", "--load", lm.toString(), "--prompt", "she ", "--length", "30", "--temperature", "0.7");
        assertEquals(0, sample.code(), sample.err());
        assertTrue(sample.out().startsWith("she ") && sample.out().strip().length() >= 30, sample.out());
        Path korean = dir.resolve("ko.txt");
        Files.writeString(korean, "나는 오늘 학교가 끝나고 서점에 들러 책을 산 후 집에 갔다. 너는 오늘 집에 간다.\n".repeat(300));
        Result ko = run("train", "lstm", "--data", korean.toString(), "--steps", "5", "--json");
        assertEquals(0, ko.code(), "a text without the letters of an English prompt trains to the end: " + ko.err());
        assertTrue(ko.json().get("sample").asText().startsWith("나는 오"), "the sample starts from the text's own opening: " + ko.json().get("sample"));
        Result badSample = run("sample", "word2vec", "--load", lm.toString());
        assertTrue(badSample.err().contains("sample works with the language models"), badSample.err());
        Path s2s = dir.resolve("s2s.safetensors");
        assertEquals(0, run("train", "seq2seq", "--steps", "30", "--attention", "bahdanau", "--save", s2s.toString()).code());
        Result s2sExplain = run("explain", "seq2seq", "--load", s2s.toString(), "--input", "7/3/98");
        assertEquals(0, s2sExplain.code(), s2sExplain.err());
        assertTrue(s2sExplain.out().contains("Bahdanau attention") && s2sExplain.out().contains("Beam search (width 3)")
                && s2sExplain.out().contains("L_10 = ") && s2sExplain.out().contains("'7/3/98' -> '1998-03-07'"), s2sExplain.out());
        Result wrongAttention = run("train", "dnn", "--attention", "luong");
        assertEquals("glassbox: --attention applies to seq2seq, not dnn", wrongAttention.err().strip());
        Result rnn = run("explain", "rnn", "--lang", "ko");
        assertTrue(rnn.out().contains("전체 손실: L_1 + L_2 + L_3 = ") && rnn.out().contains("time step마다의 몫"), rnn.out());
        Result lstm = run("explain", "lstm");
        assertEquals(0, lstm.code(), lstm.err());
        assertTrue(lstm.out().contains("1 나는: ") && lstm.out().contains("times as much") && lstm.out().contains("c = f·c(t-1) + i·g"), lstm.out());
        Result tf = run("explain", "transformer", "--lang", "ko");
        assertEquals(0, tf.code(), tf.err());
        assertTrue(tf.out().contains("멀티헤드 어텐션") && tf.out().contains("헤드 2: 쿼리 q") && tf.out().contains("잔차 연결"), tf.out());
        Result lstmLoad = run("explain", "lstm", "--load", lm.toString());
        assertEquals(2, lstmLoad.code());
        assertTrue(lstmLoad.err().startsWith("glassbox: --load does not apply to explain lstm"), lstmLoad.err());
        Result explainKo = run("explain", "word2vec", "--lang", "ko");
        assertTrue(explainKo.out().contains("네거티브 샘플링"), explainKo.out());
        Result noCorpus = run("train", "word2vec", "--data", dir.resolve("none.txt").toString());
        assertEquals(1, noCorpus.code());
        assertTrue(noCorpus.err().contains("neither the embedded corpus"), noCorpus.err());
    }

    /** Results on standard output, progress on standard error: with --json the output is one JSON object and nothing else. */
    @Test
    void jsonIsTheWholeStandardOutputAndProgressGoesToStandardError() throws IOException {
        Path log = dir.resolve("cut.jsonl");
        Result r = run("train", "dnn", "--steps", "5", "--epochs", "7430740", "--json", "--log", log.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode m = new ObjectMapper().readTree(r.out());
        assertEquals("dnn", m.get("model").asText());
        assertEquals(1, m.get("epochs").asInt(), "the epochs the cut run covered, not the 7430740 asked for: " + m);
        assertEquals(5, m.get("steps").asInt(), m.toString());
        JsonNode ae = new ObjectMapper().readTree(run("train", "autoencoder", "--steps", "3", "--json").out());
        assertEquals(1, ae.get("epochs").asInt(), "each stage cut at step 3: " + ae);
        assertEquals(3, ae.get("steps").asInt(), ae.toString());
        assertEquals(r.out().strip(), r.out().strip().lines().findFirst().orElseThrow(), "one line");
        assertTrue(r.err().contains("dnn: training dnn (course) on digits5x5, 1 epoch of 51 steps, stopping after step 5"), r.err());
        assertTrue(r.err().contains("epoch 1/1") && r.err().contains("val_loss"), "a Keras-style epoch line: " + r.err());
        List<String> events = Files.readAllLines(log);
        assertEquals(5, events.stream().filter(l -> l.startsWith("{\"event\":\"step\"")).count(), "5 steps, not a wrapped count");
        assertTrue(events.stream().anyMatch(l -> l.startsWith("{\"event\":\"epoch_end\"") && l.contains("\"val_loss\"") && l.contains("\"acc\"")),
                "epoch_end carries the held-out loss and metric");
        Result table = run("train", "linear", "--epochs", "3");
        assertTrue(table.out().startsWith("metric") && !table.out().contains("epoch 1/3"), "only the table on standard output: " + table.out());
        assertTrue(table.err().contains("epoch 1/3"), table.err());
    }

    @Test
    void aDivergingRunStopsWithOneLineAndExitOne() throws IOException {
        for (String model : List.of("dnn", "linear", "cnn")) {
            Result r = run("train", model, "--lr", "1e30", "--epochs", "3");
            assertEquals(1, r.code(), model + ": " + r.err());
            String last = r.err().strip().lines().reduce((a, b) -> b).orElseThrow();
            assertTrue(last.startsWith("glassbox: training diverged at step 2: ") && last.endsWith("try a smaller learning rate (--lr)"), last);
            assertTrue(r.out().isEmpty(), "no metrics for a diverged run: " + r.out());
        }
    }

    /** --checkpoint-every writes --save during training; --resume continues it to the same result as one run. */
    @Test
    void checkpointsResumeToTheSameResultAsOneRun() throws IOException {
        Path f = dir.resolve("dnn.safetensors"), straight = dir.resolve("straight.safetensors");
        JsonNode whole = run("train", "dnn", "--epochs", "40", "--save", straight.toString(), "--json").json();
        Result half = run("train", "dnn", "--epochs", "20", "--save", f.toString(), "--checkpoint-every", "5e", "--json");
        assertEquals(0, half.code(), half.err());
        assertTrue(half.err().contains("saved " + f + " (step 255)"), "a checkpoint after epoch 5: " + half.err());
        Result resumed = run("train", "dnn", "--resume", f.toString(), "--epochs", "40", "--json");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("resumed after step 1020"), resumed.err());
        assertEquals(whole.get("loss").asDouble(), resumed.json().get("loss").asDouble(), 0.0);
        assertEquals(whole.get("acc").asDouble(), resumed.json().get("acc").asDouble(), 0.0);
        assertArrayEquals(SafeTensors.load(straight).tensors().get("hidden1.weight").data(), SafeTensors.load(f).tensors().get("hidden1.weight").data(),
                0f, "20 epochs, then 20 more, are 40");
        assertEquals(0, run("eval", "dnn", "--load", f.toString()).code(), "a checkpoint is a model file like any other");

        Result changed = run("train", "dnn", "--resume", f.toString(), "--lr", "0.1");
        assertEquals(2, changed.code());
        assertEquals("glassbox: --lr is 0.1 but the checkpoint's run has 0.5; a resumed run keeps the settings it was trained with "
                + "(only epochs and steps may change)", changed.err().strip());
        Result otherModel = run("train", "cnn", "--resume", f.toString());
        assertEquals(1, otherModel.code());
        assertTrue(otherModel.err().strip().endsWith("holds a 'dnn' model, not 'cnn'"), otherModel.err());
        Result nowhere = run("train", "dnn", "--checkpoint-every", "100");
        assertEquals(2, nowhere.code());
        assertEquals("glassbox: --checkpoint-every needs --save FILE: the checkpoints are written there", nowhere.err().strip());
        Result badEvery = run("train", "dnn", "--checkpoint-every", "2x", "--save", f.toString());
        assertEquals(2, badEvery.code());
        assertTrue(badEvery.err().contains("'2x' is not a positive number of steps (500) or epochs (2e)"), badEvery.err());
        Result w2v = run("train", "word2vec", "--checkpoint-every", "1e", "--save", dir.resolve("v.bin").toString());
        assertEquals(2, w2v.code());
        assertTrue(w2v.err().contains("--checkpoint-every does not apply to word2vec"), w2v.err());
    }

    /** A model saved before checkpoints carried their training state still evaluates; resuming from it says why not. */
    @Test
    void modelFilesWithoutTrainingStateStillLoad() throws IOException {
        Path old = dir.resolve("old.safetensors");
        var net = new DnnClassifier(3, 3, new Generator(42));
        SafeTensors.save(net.stateDict(), Map.of("glassbox.model", "dnn", "glassbox.preset", "course"), old);
        Result eval = run("eval", "dnn", "--load", old.toString(), "--json");
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.json().has("acc"));
        Result resume = run("train", "dnn", "--resume", old.toString());
        assertEquals(1, resume.code());
        assertTrue(resume.err().contains("holds a model but no training state to resume from"), resume.err());
    }
}
