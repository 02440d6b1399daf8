package dev.glassbox.cli;

import dev.glassbox.models.ImageSampler;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.Recipes;
import dev.glassbox.models.course.VaeRecipe;
import dev.glassbox.models.data.ImageGrid;
import dev.glassbox.models.data.Scatter;
import dev.glassbox.models.rnn.LanguageModel;
import dev.glassbox.models.rnn.LanguageModelRecipe;
import dev.glassbox.models.rnn.Sampling;
import dev.glassbox.models.transformer.DateTransformer;
import dev.glassbox.models.transformer.TransformerLM;
import dev.glassbox.models.transformer.TransformerRecipe;
import dev.glassbox.models.transformer.TransformerSampling;
import dev.glassbox.nn.Module;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import static dev.glassbox.cli.Main.OUT;

/** glassbox sample: text from a language model, or a grid of new images from a generative model. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Generate text with a saved language model (lstm, gru, transformer), or images with a saved vae or dcgan.")
final class SampleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "lstm, gru, transformer, vae or dcgan.")
    String model;

    @Option(names = "--load", required = true, paramLabel = "FILE", description = "A model saved by 'glassbox train MODEL --save'.")
    Path load;

    @Option(names = "--prompt", defaultValue = "", description = "Text: the text to start from (default: none).")
    String prompt;

    @Option(names = "--length", defaultValue = "200", description = "Text: tokens to generate (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", defaultValue = "1.0", description = "Text: below 1 is surer, above 1 wilder (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "Text: draw among the K most likely tokens only (default: 0, all of them).")
    int topK;

    @Option(names = "--n", defaultValue = "64", description = "Images: how many, laid out in a square grid (default: ${DEFAULT-VALUE}, at most 1024).")
    int n;

    @Option(names = "--out", paramLabel = "FILE.png", description = "Images: the PNG file to write the grid to.")
    Path out;

    @Option(names = "--latent-grid", paramLabel = "K", description = "vae with a 2-D latent: write the decoded latent plane, KxK images over [-3, 3]², to --out.")
    Integer latentGrid;

    @Option(names = "--scatter", paramLabel = "FILE.png", description = "vae with a 2-D latent: also draw the mu of every held-out image, coloured by class.")
    Path scatter;

    @Option(names = "--data", paramLabel = "NAME|DIR", description = "--scatter: the images (default: the model's own data set).")
    String data;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print one JSON object: text, tokens, seconds, tokens_per_s (images: out, n, seconds).")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Recipe<?> r = Recipes.get(model);
        if ((latentGrid != null || scatter != null || data != null) && !(r instanceof VaeRecipe)) {
            throw new IllegalArgumentException("--latent-grid, --scatter and --data apply to a vae with a 2-D latent, not " + model);
        }
        if (r instanceof ImageSampler images) {
            if (!prompt.isEmpty() || topK != 0) throw new IllegalArgumentException("--prompt and --top-k apply to the text models; " + model + " draws images");
            return images(r, images);
        }
        if (!(r instanceof LanguageModelRecipe) && !(r instanceof TransformerRecipe)) {
            throw new IllegalArgumentException("sample works with the language models lstm, gru and transformer and with vae and dcgan, not " + model);
        }
        if (out != null) throw new IllegalArgumentException("--out applies to the image models (vae, dcgan); " + model + " prints its text");
        Module m = Main.load(r, load);
        if (m instanceof DateTransformer) {
            throw new IllegalArgumentException(load + " holds the dates model, which translates rather than writes text; "
                    + "use 'glassbox predict transformer --load " + load + " <date words>'");
        }
        long start = System.nanoTime();
        String text = m instanceof TransformerLM t ? TransformerSampling.sample(t, prompt, length, temperature, topK, seed)
                : Sampling.sample((LanguageModel) m, prompt, length, temperature, topK, seed);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", model);
            o.put("text", text);
            o.put("tokens", length);
            o.put("seconds", seconds);
            o.put("tokens_per_s", length / Math.max(seconds, 1e-9));
            OUT.println(Json.write(o));
        } else {
            OUT.println(text);
        }
        return 0;
    }

    private int images(Recipe<?> r, ImageSampler sampler) throws IOException {
        boolean grid = out != null || scatter == null;   // --scatter alone draws only the scatter
        if (grid) ImageGrid.check(latentGrid == null ? n : 1, out);
        if (scatter != null) ImageGrid.check(1, scatter);
        Module m = Main.load(r, load);
        long start = System.nanoTime();
        if (scatter != null && r instanceof VaeRecipe vr) {
            Scatter.write(vr.latentScatter(m, data, seed), scatter);
            if (!json) OUT.println("wrote the held-out images' mu to " + scatter);
        }
        if (!grid) return 0;
        ImageSampler.Images im = latentGrid != null && r instanceof VaeRecipe vr ? vr.latentPlane(m, latentGrid) : sampler.sampleImages(m, n, seed);
        ImageGrid.write(im.pixels(), im.n(), im.side(), out);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", model);
            o.put("out", out.toString());
            o.put("n", im.n());
            o.put("side", im.side());
            o.put("seconds", seconds);
            OUT.println(Json.write(o));
        } else {
            OUT.println("wrote " + im.n() + " images of " + im.side() + "x" + im.side() + " to " + out);
        }
        return 0;
    }
}
