package dev.glassbox.cli;

import dev.glassbox.models.ImageSampler;
import dev.glassbox.models.course.SampleQuality;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import static dev.glassbox.cli.Main.ERR;
import static dev.glassbox.cli.Main.OUT;

/** glassbox score: the sample-quality numbers of images another program made, by the same fixed scorer as training's. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score generated images as 'train vae|dcgan' scores its own: sample_confidence, sample_class_entropy, sample_fd.",
        footer = {"", "FILE: a .safetensors file of one float tensor [n, side, side], [n, 1, side, side] or [n, side*side] with values in [0, 1],",
                "or an IDX image file (MNIST's format, .gz or not). The scorer is the cnn of the data set (w4 for 28x28, course for 8x8),",
                "trained once at seed 42 and kept under $GLASSBOX_DATA/scorers (or ~/.glassbox/data/scorers)."})
final class ScoreCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The images to score.")
    Path file;

    @Option(names = "--data", required = true, paramLabel = "NAME|DIR",
            description = "The data set the images imitate: digits, fashion-mnist, mnist or a folder of MNIST-format files.")
    String data;

    @Option(names = "--json", description = "Print the scores as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        ImageSampler.Images im = SampleQuality.readImages(file);
        long start = System.nanoTime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        m.put("data", data);
        m.put("n", im.n());
        m.putAll(SampleQuality.scoreImages(im.pixels(), im.n(), data, im.side(), new Progress(ERR, Progress.isTerminal(), "score")));
        m.put("seconds", Math.round((System.nanoTime() - start) / 1e6) / 1000.0);
        OUT.print(json ? Json.write(Main.requireFinite(m)) + "\n" : Tables.metrics(Main.requireFinite(m)));
        return 0;
    }
}
