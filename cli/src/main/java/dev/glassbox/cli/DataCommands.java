package dev.glassbox.cli;

import dev.glassbox.models.data.DataFetch;
import dev.glassbox.models.data.ImageData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code glassbox data}: data sets that are not built in. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Data sets that are not built in.",
        subcommands = {DataCommands.Fetch.class})
final class DataCommands implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(Main.OUT); }

    static String size(long bytes) {
        return bytes >= 1_000_000 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6) : String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Download a data set, check every file's SHA-256 and write it atomically.",
                    "fashion-mnist goes to $GLASSBOX_DATA/fashion-mnist (default ~/.glassbox/data/fashion-mnist), where"
                            + " --data fashion-mnist finds it when Debian's dataset-fashion-mnist is not installed."})
    static final class Fetch implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The data set: fashion-mnist.")
        String name;

        @Option(names = "--to", paramLabel = "FOLDER", description = "Where to put the files (default: the folder above).")
        Path to;

        @Option(names = "--from", paramLabel = "URL", description = "Another place to download the same files from (a mirror).")
        String from;

        @Override
        public Integer call() throws IOException {
            DataFetch.Source source = DataFetch.source(name);
            URI base = null;
            if (from != null) {
                try {
                    base = new URI(from);
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("--from '" + from + "' is not a URL: " + e.getReason());
                }
                if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
                    throw new IllegalArgumentException("--from must be an http or https URL, got '" + from + "'");
                }
            }
            Path folder = to != null ? to : ImageData.dataHome().resolve(source.name());
            Main.ERR.println("fetching " + source.name() + " from " + (base != null ? base : source.base()) + " into " + folder);
            boolean terminal = Progress.isTerminal();
            List<DataFetch.Outcome> outcomes = DataFetch.fetch(source, base, folder, (file, bytes, total) -> {
                String line = "  " + file + ": " + size(bytes) + (total > 0 ? " of " + size(total) : "");
                boolean done = bytes == total;   // the last report of a file always has bytes == total
                if (terminal) Main.ERR.print("\r" + String.format("%-60s", line) + (done ? "\n" : ""));
                else if (done) Main.ERR.println(line);
            });
            for (int i = 0; i < outcomes.size(); i++) {
                Main.OUT.println(source.items().get(i).file() + "  "
                        + (outcomes.get(i) == DataFetch.Outcome.DOWNLOADED ? "downloaded, SHA-256 checked" : "already present, SHA-256 checked"));
            }
            String use = "; use it with --data " + (to != null ? folder : source.name());
            if (to == null && source.name().equals("fashion-mnist")
                    && !ImageData.fashionMnistHome().toAbsolutePath().equals(folder.toAbsolutePath())) {
                use = "; --data fashion-mnist reads Debian's copy in " + ImageData.fashionMnistHome()
                        + " first (the same images) and this one where that is not installed";
            }
            Main.OUT.println(source.name() + " is in " + folder.toAbsolutePath() + use);
            return 0;
        }
    }
}
