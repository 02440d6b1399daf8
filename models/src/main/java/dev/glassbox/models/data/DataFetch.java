package dev.glassbox.models.data;

import dev.glassbox.io.AtomicFiles;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Downloads a named data set's files, checks each against its SHA-256 and writes it
 * atomically, so an interrupted or corrupt download never leaves a file that looks complete.
 * The checksums are of the files' uncompressed contents (each file is gzip): mirrors and
 * distributions recompress the archives (Debian's {@code dataset-fashion-mnist} does), and
 * the uncompressed bytes are what the data is. Files already present with the right contents
 * are not downloaded again.
 */
public final class DataFetch {
    /** One file of a data set: its name, and the SHA-256 and length of its uncompressed contents. */
    public record Item(String file, String sha256, long size) {}

    /** A data set that can be fetched: where from, and its files. */
    public record Source(String name, URI base, List<Item> items) {}

    /**
     * Fashion-MNIST from its GitHub repository (zalandoresearch/fashion-mnist, data/fashion, MIT
     * licence). The checksums were taken from Debian's {@code dataset-fashion-mnist}, which
     * packages that repository's files.
     */
    public static final Source FASHION_MNIST = new Source("fashion-mnist",
            URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"), List.of(
            new Item("train-images-idx3-ubyte.gz", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47_040_016),
            new Item("train-labels-idx1-ubyte.gz", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60_008),
            new Item("t10k-images-idx3-ubyte.gz", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7_840_016),
            new Item("t10k-labels-idx1-ubyte.gz", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10_008)));

    /** The data sets {@code glassbox data fetch} knows, by name. */
    public static final Map<String, Source> SOURCES = Map.of(FASHION_MNIST.name(), FASHION_MNIST);

    /** Told of each file's progress: bytes so far and the whole length (−1 when the server does not say). */
    @FunctionalInterface
    public interface Listener {
        void progress(String file, long bytes, long total);
    }

    /** What became of one file. */
    public enum Outcome { DOWNLOADED, ALREADY_PRESENT }

    private DataFetch() {}

    /** The source of a name, or an error listing the names there are. */
    public static Source source(String name) {
        Source s = SOURCES.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no data set '" + name + "' to fetch; known: " + String.join(", ", SOURCES.keySet().stream().sorted().toList())
                    + " (the digits are built in; mnist is read from " + ImageData.mnistHome() + ")");
        }
        return s;
    }

    /**
     * Fetches every file of {@code source} from {@code base} (the source's own when null) into
     * {@code folder}; returns what became of each file, in the source's order.
     */
    public static List<Outcome> fetch(Source source, URI base, Path folder, Listener listener) throws IOException {
        URI from = base != null ? base : source.base();
        if (!from.toString().endsWith("/")) from = URI.create(from + "/");
        Files.createDirectories(folder);
        // the JVM's proxy settings (-Dhttps.proxyHost=..., or -Djava.net.useSystemProxies=true) apply
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30))
                .proxy(ProxySelector.getDefault()).build();
        try (http) {
            List<Outcome> outcomes = new ArrayList<>();
            for (Item item : source.items()) {
                Path target = folder.resolve(item.file());
                if (Files.isRegularFile(target) && matches(target, item)) {
                    outcomes.add(Outcome.ALREADY_PRESENT);
                    continue;
                }
                download(http, from.resolve(item.file()), target, item, listener);
                outcomes.add(Outcome.DOWNLOADED);
            }
            return outcomes;
        }
    }

    private static boolean matches(Path file, Item item) {
        try (InputStream in = Files.newInputStream(file)) {
            Digest d = contents(in);
            return d.hex.equals(item.sha256()) && d.size == item.size();
        } catch (IOException e) {
            return false;   // unreadable or not gzip: fetched again
        }
    }

    private static void download(HttpClient http, URI uri, Path target, Item item, Listener listener) throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("GET " + uri + ": interrupted", e);
        } catch (IOException e) {
            throw new IOException("GET " + uri + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (no connection? --from URL takes another mirror)", e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("GET " + uri + ": HTTP " + response.statusCode() + "; nothing written");
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            // The bytes go to the file as they arrive and through gunzip into the digest at the same
            // time; a mismatch throws before the temporary file is renamed, so the target is untouched.
            AtomicFiles.write(target, out -> {
                Tee tee = new Tee(body, out, item.file(), total, listener);
                Digest d;
                try {
                    d = contents(tee);
                    byte[] rest = new byte[1 << 16];
                    while (tee.read(rest, 0, rest.length) > 0) { /* anything after the gzip stream is kept too */ }
                } catch (ZipException e) {
                    throw new IOException(uri + " is not a gzip file (" + e.getMessage() + "); nothing written", e);
                } catch (IOException e) {   // cut off, or a broken gzip stream
                    throw new IOException(uri + ": the download broke off after " + tee.bytes + " bytes ("
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "); nothing written", e);
                }
                tee.finish();
                if (d.size != item.size() || !d.hex.equals(item.sha256())) {
                    throw new IOException(uri + ": the contents do not match the expected checksum (SHA-256 " + d.hex + ", "
                            + d.size + " bytes; expected " + item.sha256() + ", " + item.size() + " bytes); nothing written");
                }
            });
        }
    }

    private record Digest(String hex, long size) {}

    /** SHA-256 and length of a gzip stream's uncompressed contents. */
    private static Digest contents(InputStream gz) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);   // every JDK has SHA-256
        }
        // not closed here: closing would close the download's stream before the rest is kept
        GZIPInputStream in = new GZIPInputStream(gz, 1 << 16);
        byte[] buf = new byte[1 << 16];
        long size = 0;
        for (int r; (r = in.read(buf)) > 0; ) {
            md.update(buf, 0, r);
            size += r;
        }
        return new Digest(HexFormat.of().formatHex(md.digest()), size);
    }

    /** Passes what is read on to a file, counting it for the listener. */
    private static final class Tee extends FilterInputStream {
        private final OutputStream copy;
        private final String file;
        private final long total;
        private final Listener listener;
        private long bytes, lastReport = -1;

        Tee(InputStream in, OutputStream copy, String file, long total, Listener listener) {
            super(in);
            this.copy = copy;
            this.file = file;
            this.total = total;
            this.listener = listener;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                copy.write(b);
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, len);
            if (r > 0) {
                copy.write(b, off, r);
                count(r);
            }
            return r;
        }

        /** Skipped bytes are read, so that they reach the file too. */
        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) return 0;
            int r = read(new byte[(int) Math.min(n, 1 << 13)], 0, (int) Math.min(n, 1 << 13));
            return Math.max(r, 0);
        }

        /** The last report, whole, for servers that gave no length (the others had it already). */
        void finish() {
            if (listener != null && lastReport != bytes) listener.progress(file, bytes, bytes);
        }

        private void count(int n) {
            bytes += n;
            if (listener != null && (bytes - lastReport >= 1 << 20 || bytes == total)) {
                lastReport = bytes;
                listener.progress(file, bytes, total);
            }
        }
    }
}
