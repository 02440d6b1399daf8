package dev.glassbox.cli;

import dev.glassbox.studio.Studio;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import static dev.glassbox.cli.Main.ERR;
import static dev.glassbox.cli.Main.OUT;

/** glassbox studio: the local web page (docs/studio.md). */
@Command(name = "studio", mixinStandardHelpOptions = true,
        description = "Open the studio: every model drawn the course's way, stepped node by node, trained live, in a browser.",
        footer = {"", "Listens on 127.0.0.1 (a free port unless --port) and prints the address; Ctrl-C stops it."})
final class StudioCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "0", description = "The port (default: a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "The address to listen on (default: ${DEFAULT-VALUE}); any other needs --token.")
    String host;

    @Option(names = "--token", paramLabel = "T", description = "A secret every request must carry (open the page with ?token=T).")
    String token;

    @Option(names = "--open", description = "Also open the page in the desktop's browser (xdg-open).")
    boolean open;

    @Override
    public Integer call() throws InterruptedException {
        Studio studio = Studio.start(new Studio.Options(host, port, token), (trace, lang) -> new ExplainText(lang).render(trace));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            studio.close();
            stopped.countDown();
        }));
        OUT.println("glassbox studio: " + studio.url() + "  (Ctrl-C stops it)");
        if (open) {
            try {
                new ProcessBuilder("xdg-open", studio.url()).inheritIO().start();
            } catch (IOException e) {
                ERR.println("glassbox: could not open a browser (" + e.getMessage() + "); open " + studio.url() + " yourself");
            }
        }
        stopped.await();
        return 0;
    }
}
