package dev.glassbox.studio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.Recipes;
import dev.glassbox.models.course.DnnRecipe;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.RunOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real page in headless Chromium (Debian's chromium and chromium-driver), against a real
 * studio on a free port. Without Chromium the tests are skipped with the command that installs
 * it. Screenshots of each view go to target/screenshots.
 */
class StudioBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium"), DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "screenshots");
    static Studio studio;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "the studio's browser tests need Chromium: apt-get install -y chromium chromium-driver");
        studio = Studio.start(new Studio.Options("127.0.0.1", 0, null), (trace, lang) -> lang + ": the text of " + trace.model());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (studio != null) studio.close();
    }

    @BeforeEach
    void english() {
        browser.get("http://127.0.0.1:" + studio.port() + "/");
        ((JavascriptExecutor) browser).executeScript("localStorage.setItem('glassbox.lang', 'en')");
    }

    private void open(String hash) {
        browser.get("http://127.0.0.1:" + studio.port() + "/" + hash);
        browser.navigate().refresh();
        waitFor(() -> "true".equals(browser.findElement(By.tagName("body")).getDomAttribute("data-ready")), "the page to load");
    }

    private void waitFor(java.util.function.BooleanSupplier ok, String what) {
        new WebDriverWait(browser, Duration.ofSeconds(60)).withMessage("waiting for " + what).until(d -> ok.getAsBoolean());
    }

    /** An element's text read in one go in the page (no stale references while the page redraws), or null. */
    private static String text(String css) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
    }

    private static void shot(String name) throws IOException {
        File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theGalleryListsEveryModel() throws IOException {
        open("");
        List<String> shown = browser.findElements(By.cssSelector("#cards .card")).stream().map(e -> e.getDomAttribute("data-model")).toList();
        assertEquals(Recipes.all().stream().map(Recipe::name).toList(), shown);
        shot("gallery");
    }

    /** The DNN is drawn 25 + 3 + 3 + 10 (bias nodes drawn apart); Step lights the trace's first node with the trace's value. */
    @Test
    void theDnnIsDrawnAndSteppedWithTheTracesValues() throws Exception {
        open("#/model/dnn");
        waitFor(() -> !browser.findElements(By.cssSelector("#graph .node")).isEmpty(), "the graph");
        Map<String, Long> perLayer = new java.util.LinkedHashMap<>();
        for (WebElement n : browser.findElements(By.cssSelector("#graph .node:not(.bias)"))) perLayer.merge(n.getDomAttribute("data-layer"), 1L, Long::sum);
        assertEquals(Map.of("input", 25L, "hidden1", 3L, "hidden2", 3L, "output", 10L), perLayer);
        assertEquals(3, browser.findElements(By.cssSelector("#graph .node.bias")).size(), "a bias node beside the input and each hidden layer");
        JsonNode trace = StudioApiTest.get(studio, "/api/models/dnn/explain").json();
        JsonNode events = trace.get("events");
        assertEquals("0 / " + events.size(), browser.findElement(By.id("position")).getText());
        browser.findElement(By.tagName("body")).sendKeys(Keys.ARROW_RIGHT);
        JsonNode first = events.get(0);
        WebElement lit = browser.findElement(By.cssSelector("#graph .node.active"));
        assertEquals(first.get("node").asText(), lit.getDomAttribute("data-node"));
        assertEquals(String.format(Locale.ROOT, "%.4f", first.get("value").asDouble()), lit.findElement(By.cssSelector(".value")).getText());
        assertEquals(26, browser.findElements(By.cssSelector("#graph .arrow.in-use")).size(), "the 25 weights and the bias into the node, drawn bold");
        assertTrue(browser.findElement(By.id("caption")).getText().contains(String.format(Locale.ROOT, "%.4f", first.get("sum").asDouble())));
        browser.findElement(By.id("step")).click();
        assertEquals(events.get(1).get("node").asText(), browser.findElement(By.cssSelector("#graph .node.active")).getDomAttribute("data-node"));
        shot("dnn-forward");
        browser.findElement(By.tagName("body")).sendKeys(Keys.ARROW_LEFT);
        assertEquals("1 / " + events.size(), browser.findElement(By.id("position")).getText());
        int loss = 0;
        while (!events.get(loss).get("type").asText().equals("loss")) loss++;
        open("#/model/dnn@" + (loss + 1));
        waitFor(() -> browser.findElement(By.id("phase")).getText().equals("loss"), "the loss step");
        assertTrue(browser.findElement(By.id("caption")).getText().contains(String.format(Locale.ROOT, "%.4f", events.get(loss).get("value").asDouble())));
        shot("dnn-loss");
        open("#/model/dnn@" + events.size());
        waitFor(() -> browser.findElement(By.id("phase")).getText().equals("update"), "the last update");
        shot("dnn-update");
    }

    /** The CNN's worked example as the slides draw it: the filter's window slides over the image and fills the feature map cell by cell. */
    @Test
    void theCnnShowsTheFilterSlidingOverTheImage() throws Exception {
        open("#/model/cnn");
        waitFor(() -> !browser.findElements(By.cssSelector(".demo-convolution .feature-map")).isEmpty(), "the convolution example");
        JsonNode demo = StudioApiTest.get(studio, "/api/models/cnn/explain").json().get("demos").get(0);
        assertEquals("convolution", demo.get("type").asText());
        WebElement box = browser.findElement(By.cssSelector(".demo-convolution"));
        box.findElement(By.cssSelector(".demo-next")).click();
        box.findElement(By.cssSelector(".demo-next")).click();
        JsonNode cell = demo.get("cells").get(2);
        assertEquals("3 / " + demo.get("cells").size(), box.findElement(By.cssSelector(".demo-bar span")).getText());
        WebElement current = box.findElement(By.cssSelector(".feature-map td.mark"));
        assertEquals(cell.get("row").asText(), current.getDomAttribute("data-r"));
        assertEquals(cell.get("col").asText(), current.getDomAttribute("data-c"));
        assertEquals(String.valueOf(Math.round(cell.get("value").asDouble())), current.getText());
        int k = demo.get("filter").size();
        assertEquals(k * k, box.findElements(By.cssSelector(".panel:first-child td.mark")).size(), "the filter's window outlined on the image");
        long filled = box.findElements(By.cssSelector(".feature-map td")).stream().filter(td -> !td.getText().isEmpty()).count();
        assertEquals(3, filled, "the feature map filled up to the current cell");
        browser.findElement(By.tagName("body")).sendKeys(Keys.ARROW_RIGHT);
        waitFor(() -> !browser.findElements(By.cssSelector("#graph .node image")).isEmpty(), "the input image drawn in its node");
        shot("cnn");
    }

    /** The RNN unrolled over time as the course draws it: X(t) at the bottom, S(t) above it, Y(t) on top, S carried right. */
    @Test
    void theRnnIsUnrolledOverTime() throws IOException {
        open("#/model/rnn");
        waitFor(() -> !browser.findElements(By.cssSelector("#graph .node")).isEmpty(), "the graph");
        assertTrue(browser.findElement(By.id("graph")).getDomAttribute("class").contains("unrolled"));
        java.util.function.Function<String, Double> y = layer -> browser.findElements(By.cssSelector("#graph .node[data-layer='" + layer + "']")).stream()
                .mapToDouble(n -> n.getRect().getY()).average().orElseThrow();
        java.util.function.Function<String, Double> x = layer -> browser.findElements(By.cssSelector("#graph .node[data-layer='" + layer + "']")).stream()
                .mapToDouble(n -> n.getRect().getX()).average().orElseThrow();
        assertTrue(y.apply("y1") < y.apply("s1") && y.apply("s1") < y.apply("x1"), "Y(1) above S(1) above X(1)");
        assertEquals(y.apply("s1"), y.apply("s2"), 0.5, "the states in one row");
        assertTrue(x.apply("s0") < x.apply("s1") && x.apply("s1") < x.apply("s2") && x.apply("s2") < x.apply("s3"), "time runs left to right");
        assertEquals(1, browser.findElements(By.cssSelector("#graph .link[data-from='s1'][data-to='s2']")).size(), "S(1) carried into S(2)");
        shot("rnn");
    }

    /** Least squares as the course draws it: blue points, and the red line taking the trace's new weights at the update. */
    @Test
    void theFittedLineMovesWithTheUpdate() throws Exception {
        JsonNode trace = StudioApiTest.get(studio, "/api/models/linear/explain").json();
        int n = trace.get("events").size();
        open("#/model/linear");
        waitFor(() -> !browser.findElements(By.cssSelector("#plot svg .pt")).isEmpty(), "the data points");
        JsonNode points = StudioApiTest.get(studio, "/api/models/linear/points").json();
        assertEquals(points.get("x").size(), browser.findElements(By.cssSelector("#plot svg .pt.data")).size());
        JsonNode before = Json.MAPPER.readTree(browser.findElement(By.cssSelector("#plot .fit")).getDomAttribute("data-params"));
        assertEquals(trace.get("graph").get("weights").get(0).get("values").get(0).asDouble(), before.get("slope").asDouble(), 1e-6);
        open("#/model/linear@" + n);
        waitFor(() -> browser.findElement(By.id("phase")).getText().equals("update"), "the updates");
        JsonNode after = Json.MAPPER.readTree(browser.findElement(By.cssSelector("#plot .fit")).getDomAttribute("data-params"));
        JsonNode slopeUpdate = null, biasUpdate = null;
        for (JsonNode e : trace.get("events")) {
            if (e.get("type").asText().equals("update") && e.get("weight").asText().equals("output.weight")) slopeUpdate = e;
            if (e.get("type").asText().equals("update") && e.get("weight").asText().equals("output.bias")) biasUpdate = e;
        }
        assertEquals(slopeUpdate.get("after").get(0).asDouble(), after.get("slope").asDouble(), 1e-6);
        assertEquals(biasUpdate.get("after").get(0).asDouble(), after.get("intercept").asDouble(), 1e-6);
        shot("linear");
    }

    /** The autoencoder by stages: stage 2 trains encoder_2/decoder_2 on Z1 with encoder_1 frozen, drawn so. */
    @Test
    void theAutoencodersStagesShowWhatIsFrozen() throws IOException {
        open("#/model/autoencoder");
        waitFor(() -> "4".equals(text("#stages .stage-button.on")), "the stages, fine-tuning by default");
        waitFor(() -> !browser.findElements(By.cssSelector("#graph .arrow")).isEmpty(), "the graph");
        assertTrue(browser.findElements(By.cssSelector("#graph .arrow.frozen")).isEmpty(), "fine-tuning trains everything");
        ((JavascriptExecutor) browser).executeScript("document.querySelector(\"#stages .stage-button[data-stage='2']\").click()");
        waitFor(() -> "2".equals(text("#stages .stage-button.on")), "stage 2");
        waitFor(() -> !browser.findElements(By.cssSelector("#graph .arrow.frozen")).isEmpty(), "encoder_1's arrows frozen");
        Object others = ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('#graph .arrow.frozen')].filter(a => !a.dataset.weight.startsWith('encoder_1.')).length;");
        assertEquals(0L, others, "only encoder_1 is frozen in stage 2");
        assertTrue(text("#stages").contains("encoder_2/decoder_2 → Z1"), text("#stages"));
        shot("autoencoder-stage2");
    }

    /** The Transformer's heads as heat maps over the sentence's words, each cell the trace's weight, the future masked. */
    @Test
    void theTransformersAttentionIsAHeatMapOverTheWords() throws Exception {
        JsonNode trace = StudioApiTest.get(studio, "/api/models/transformer/explain").json();
        JsonNode head = null;
        for (JsonNode e : trace.get("events")) if (e.get("type").asText().equals("attention_head")) { head = e; break; }
        open("#/model/transformer");
        waitFor(() -> !browser.findElements(By.cssSelector("#attention table.attention-map")).isEmpty(), "the attention maps");
        String first = "#attention table.attention-map[data-head='" + head.get("head").asText() + "']";
        assertEquals(trace.get("example").get("words").get(0).asText(), text(first + " tr:first-child th:nth-child(2)"));
        double w = head.get("weights").get(1).get(0).asDouble();
        assertEquals(String.format(Locale.ROOT, "%.4f", w).substring(0, 4), text(first + " tr:nth-child(3) td:nth-child(2)"));
        assertEquals("", text(first + " tr:nth-child(2) td:nth-child(3)"), "a later position is masked");
        shot("transformer");
    }

    @Test
    void theLanguageToggleShowsKorean() throws IOException {
        open("#/model/dnn");
        browser.findElement(By.id("lang")).click();
        waitFor(() -> browser.findElement(By.id("tab-step")).getText().equals("한 스텝 따라가기"), "the Korean tab");
        assertEquals("English", browser.findElement(By.id("lang")).getText());
        browser.findElement(By.cssSelector("#as-text summary")).click();
        waitFor(() -> browser.findElement(By.id("trace-text")).getText().equals("ko: the text of dnn"), "the Korean text of the trace");
        browser.findElement(By.tagName("body")).sendKeys(Keys.ARROW_RIGHT);
        assertTrue(browser.findElement(By.id("caption")).getText().contains("가중합"), browser.findElement(By.id("caption")).getText());
        shot("dnn-ko");
        browser.findElement(By.id("lang")).click();
    }

    /** The DCGAN's grid of fixed noise arrives each epoch while it trains. */
    @Test
    void aGeneratorsGridArrivesEachEpoch() throws IOException {
        open("#/model/dcgan/train");
        waitFor(() -> browser.findElement(By.id("train-view")).isDisplayed(), "the training tab");
        WebElement epochs = browser.findElement(By.id("epochs"));
        epochs.clear();
        epochs.sendKeys("6");
        browser.findElement(By.id("start")).click();
        waitFor(() -> browser.findElements(By.cssSelector("#sample-strip img")).size() == 6, "six grids");
        waitFor(() -> !browser.findElements(By.cssSelector("#train-metrics tr")).isEmpty(), "the end of training");
        waitFor(() -> Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript(
                "const i = document.getElementById('sample-img'); return i.complete && i.naturalWidth > 100;")), "the last grid drawn");
        assertEquals("6", browser.findElement(By.id("sample-img")).getDomAttribute("data-epoch"));
        shot("dcgan-train");
    }

    /** A trained autoencoder shows its reconstructions, stage by stage, beside the inputs. */
    @Test
    void aTrainedAutoencoderShowsItsReconstructions() throws IOException {
        open("#/model/autoencoder/train");
        waitFor(() -> browser.findElement(By.id("train-view")).isDisplayed(), "the training tab");
        WebElement epochs = browser.findElement(By.id("epochs"));
        epochs.clear();
        epochs.sendKeys("3");
        browser.findElement(By.id("start")).click();
        waitFor(() -> !browser.findElements(By.cssSelector("#pictures figure[data-picture='reconstructions'] img")).isEmpty(), "the reconstructions");
        waitFor(() -> Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript(
                "const i = document.querySelector('#pictures img'); return i.complete && i.naturalWidth > 200;")), "the picture drawn");
        long height = (Long) ((JavascriptExecutor) browser).executeScript("return document.querySelector('#pictures img').naturalHeight;");
        long width = (Long) ((JavascriptExecutor) browser).executeScript("return document.querySelector('#pictures img').naturalWidth;");
        assertTrue(width > 2 * height, "eight images a row, three rows: " + width + "x" + height);
        shot("autoencoder-train");
    }

    /** word2vec's course model trained from the page: each word's nearest words, listed as the epochs pass. */
    @Test
    void word2vecsNearestWordsMoveAsItTrains() throws IOException {
        open("#/model/word2vec/train");
        waitFor(() -> browser.findElement(By.id("train-view")).isDisplayed(), "the training tab");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("preset"))).selectByValue("course");
        assertEquals("300", browser.findElement(By.id("epochs")).getDomProperty("value"), "the course preset's own defaults");
        assertEquals("0.5", browser.findElement(By.id("lr")).getDomProperty("value"));
        browser.findElement(By.id("start")).click();
        waitFor(() -> !browser.findElements(By.cssSelector("#train-metrics tr")).isEmpty(), "the end of training");
        waitFor(() -> "300".equals(browser.findElement(By.id("neighbours")).getDomAttribute("data-epoch")), "the last epoch's neighbours");
        String table = browser.findElement(By.id("neighbours")).getText();
        assertTrue(table.contains("나는") && table.contains("오늘"), table);
        shot("word2vec-train");
    }

    /** Training from the page: curve points arrive, and the metrics are those of the same training run here. */
    @Test
    void aTrainingStartedFromThePageMatchesTheLibrary() throws Exception {
        open("#/model/dnn/train");
        waitFor(() -> browser.findElement(By.id("train-view")).isDisplayed(), "the training tab");
        browser.findElement(By.id("start")).click();
        waitFor(() -> Integer.parseInt(browser.findElement(By.id("curve")).getDomAttribute("data-points")) > 0, "curve points");
        waitFor(() -> !browser.findElements(By.cssSelector("#train-metrics tr")).isEmpty(), "the final metrics");
        Map<String, String> shown = new java.util.HashMap<>();
        for (WebElement row : browser.findElements(By.cssSelector("#train-metrics tr"))) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            shown.put(cells.get(0).getText(), cells.get(1).getText());
        }
        var dnn = new DnnRecipe();
        var run = dnn.train(dnn.settings("course").withSeed(42), RunOptions.NONE, EventListener.NONE);
        for (String k : List.of("acc", "loss")) {
            double v = ((Number) run.metrics().get(k)).doubleValue();
            String expected = v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4f", v);
            assertEquals(expected, shown.get(k), k + " on the page against the library's run: " + shown);
        }
        assertTrue(Integer.parseInt(browser.findElement(By.id("curve")).getDomAttribute("data-points")) > 1);
        shot("dnn-train");
        browser.findElement(By.id("explain-trained")).click();
        waitFor(() -> browser.findElement(By.id("source")).getText().equals("the model trained here"), "the trained model's trace");
    }
}
