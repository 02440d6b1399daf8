package dev.glassbox.models.data;

import com.sun.net.httpserver.HttpServer;
import dev.glassbox.data.MnistFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** data fetch against a local HTTP server: checked, atomic, not repeated; clear errors. */
class DataFetchTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private URI base;
    private volatile boolean chunked;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mirror/", ex -> {
            requests.incrementAndGet();
            byte[] body = served.get(ex.getRequestURI().getPath().substring("/mirror/".length()));
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, chunked ? 0 : body.length);   // 0: chunked, no Content-Length
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mirror/");
    }

    @AfterEach
    void stop() { server.stop(0); }

    /** IDX bytes: magic (unsigned bytes, rank), dims, then the values. */
    private static byte[] idx(int[] dims, int seed) {
        int n = 1;
        for (int d : dims) n *= d;
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + n);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) b.putInt(d);
        for (int i = 0; i < n; i++) b.put((byte) (dims.length == 1 ? (i + seed) % 10 : (i * 37 + seed) & 0xff));
        return b.array();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Four small MNIST-format files served, and the source that describes them. */
    private DataFetch.Source serveTinyMnist() throws Exception {
        List<DataFetch.Item> items = new ArrayList<>();
        Object[][] files = {{"train-images-idx3-ubyte.gz", new int[] {6, 3, 3}}, {"train-labels-idx1-ubyte.gz", new int[] {6}},
                {"t10k-images-idx3-ubyte.gz", new int[] {2, 3, 3}}, {"t10k-labels-idx1-ubyte.gz", new int[] {2}}};
        int seed = 1;
        for (Object[] f : files) {
            byte[] raw = idx((int[]) f[1], seed++);
            served.put((String) f[0], gzip(raw));
            items.add(new DataFetch.Item((String) f[0], sha256(raw), raw.length));
        }
        return new DataFetch.Source("tiny", URI.create("http://unused.invalid/"), items);
    }

    @Test
    void fetchesChecksAndLoadsThenDoesNotDownloadAgain() throws Exception {
        DataFetch.Source src = serveTinyMnist();
        Path folder = dir.resolve("tiny");
        List<long[]> progress = new ArrayList<>();
        List<DataFetch.Outcome> first = DataFetch.fetch(src, base, folder, (file, bytes, total) -> progress.add(new long[] {bytes, total}));
        assertEquals(List.of(DataFetch.Outcome.DOWNLOADED, DataFetch.Outcome.DOWNLOADED, DataFetch.Outcome.DOWNLOADED, DataFetch.Outcome.DOWNLOADED), first);
        assertEquals(4, requests.get());
        assertFalse(progress.isEmpty(), "progress reported");
        long[] last = progress.get(progress.size() - 1);
        assertEquals(last[1], last[0], "the last report of a file is its whole length");
        for (DataFetch.Item it : src.items()) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(folder.resolve(it.file())))) {
                assertEquals(sha256(in.readAllBytes()), it.sha256(), it.file());
            }
        }
        MnistFormat.Split split = MnistFormat.load(folder);
        assertEquals(6, split.train().size());
        assertEquals(2, split.test().size());

        List<DataFetch.Outcome> again = DataFetch.fetch(src, base, folder, null);
        assertTrue(again.stream().allMatch(o -> o == DataFetch.Outcome.ALREADY_PRESENT), again.toString());
        assertEquals(4, requests.get(), "files already there with the right contents are not downloaded again");

        // one file damaged on disk is downloaded again, the others are not
        Files.write(folder.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {1, 2, 3});
        List<DataFetch.Outcome> mend = DataFetch.fetch(src, base, folder, null);
        assertEquals(DataFetch.Outcome.DOWNLOADED, mend.get(3));
        assertEquals(5, requests.get());
    }

    @Test
    void aWrongChecksumWritesNothing() throws Exception {
        DataFetch.Source src = serveTinyMnist();
        served.put("train-labels-idx1-ubyte.gz", gzip(idx(new int[] {6}, 9)));   // other contents than the source says
        Path folder = dir.resolve("bad");
        IOException e = assertThrows(IOException.class, () -> DataFetch.fetch(src, base, folder, null));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz") && e.getMessage().contains("checksum"), e.getMessage());
        assertTrue(Files.exists(folder.resolve("train-images-idx3-ubyte.gz")), "the file before it is kept");
        assertFalse(Files.exists(folder.resolve("train-labels-idx1-ubyte.gz")), "nothing written for the bad file");
        try (var files = Files.list(folder)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void missingFilesAndNonGzipAreNamed() throws Exception {
        DataFetch.Source src = serveTinyMnist();
        served.remove("t10k-images-idx3-ubyte.gz");
        IOException e = assertThrows(IOException.class, () -> DataFetch.fetch(src, base, dir.resolve("a"), null));
        assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains("t10k-images-idx3-ubyte.gz"), e.getMessage());

        served.put("t10k-images-idx3-ubyte.gz", "<html>not here</html>".getBytes());
        IOException g = assertThrows(IOException.class, () -> DataFetch.fetch(src, base, dir.resolve("b"), null));
        assertTrue(g.getMessage().contains("not a gzip file"), g.getMessage());
        assertFalse(Files.exists(dir.resolve("b").resolve("t10k-images-idx3-ubyte.gz")));

        // cut off inside the gzip stream: named, nothing written
        byte[] whole = served.get("train-images-idx3-ubyte.gz");
        served.put("t10k-images-idx3-ubyte.gz", java.util.Arrays.copyOf(whole, whole.length / 2));
        IOException t = assertThrows(IOException.class, () -> DataFetch.fetch(src, base, dir.resolve("c"), null));
        assertTrue(t.getMessage().contains("t10k-images-idx3-ubyte.gz") && t.getMessage().contains("broke off"), t.getMessage());
        assertFalse(Files.exists(dir.resolve("c").resolve("t10k-images-idx3-ubyte.gz")));

        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> DataFetch.source("cifar"));
        assertTrue(n.getMessage().contains("fashion-mnist"), n.getMessage());
    }

    /** A server that sends no length: the download still completes, and the last report of each file is whole. */
    @Test
    void withoutContentLengthTheLastReportIsWhole() throws Exception {
        DataFetch.Source src = serveTinyMnist();
        chunked = true;
        Map<String, long[]> last = new ConcurrentHashMap<>();
        DataFetch.fetch(src, base, dir.resolve("chunked"), (file, bytes, total) -> last.put(file, new long[] {bytes, total}));
        for (DataFetch.Item it : src.items()) {
            long[] r = last.get(it.file());
            assertEquals(served.get(it.file()).length, r[0], it.file());
            assertEquals(r[0], r[1], it.file() + ": bytes == total at the end");
        }
    }

    /** The catalogue's checksums against Debian's package, where it is installed (the package recompresses; the contents are the same). */
    @Test
    void fashionMnistChecksumsMatchDebiansFiles() throws Exception {
        assumeTrue(Files.isDirectory(MnistFormat.DEBIAN_FASHION_MNIST), "dataset-fashion-mnist is not installed");
        for (DataFetch.Item it : DataFetch.FASHION_MNIST.items()) {
            byte[] raw;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(MnistFormat.DEBIAN_FASHION_MNIST.resolve(it.file())))) {
                raw = in.readAllBytes();
            }
            assertEquals(it.size(), raw.length, it.file());
            assertEquals(it.sha256(), sha256(raw), it.file());
        }
    }
}
