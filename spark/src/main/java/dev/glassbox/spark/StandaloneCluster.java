package dev.glassbox.spark;

import org.apache.spark.launcher.JavaModuleOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on this machine: a Master and Workers, each a JVM of its own bound
 * to 127.0.0.1, run from the Spark jars on this class path (no downloaded distribution). The
 * tests and {@code bench/spark-cluster.sh} use it; {@link #close()} stops every process it
 * started, executors included, by process id.
 */
public final class StandaloneCluster implements AutoCloseable {
    private final Path dir;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final String url;

    private StandaloneCluster(Path dir, Process master, String url) {
        this.dir = dir;
        this.master = master;
        this.url = url;
    }

    /** Starts a master and {@code workers} workers of one core and {@code workerMemoryMb} MB each, logging into {@code dir}. */
    public static StandaloneCluster start(int workers, int workerMemoryMb, Path dir) throws IOException {
        Files.createDirectories(dir.resolve("jars"));   // a SPARK_HOME for the workers' executor command (classes come from the class path)
        Files.writeString(dir.resolve("log4j2.properties"), """
                rootLogger.level = info
                rootLogger.appenderRef.stdout.ref = console
                appender.console.type = Console
                appender.console.name = console
                appender.console.layout.type = PatternLayout
                appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n
                """);   // the daemons log what they do (a glassbox run's driver logs errors only)
        int port = freePort();
        StandaloneCluster c = new StandaloneCluster(dir, launch(dir, "master", "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort())),
                "spark://127.0.0.1:" + port);
        try {
            c.await("master", "I have been elected leader", 60);
            for (int i = 1; i <= workers; i++) c.addWorker(workerMemoryMb);
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Starts one more worker and waits until the master has registered it. */
    public void addWorker(int memoryMb) throws IOException {
        String name = "worker" + (workers.size() + 1);
        workers.add(launch(dir, name, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0", "--webui-port", "0",
                "--cores", "1", "--memory", memoryMb + "m", "--work-dir", dir.resolve(name + "-work").toString(), url));
        await(name, "Successfully registered with master", 60);
    }

    /** The master's URL, for {@code --spark}. */
    public String url() { return url; }

    /** Kills worker {@code i} (from 0) and the executors it runs, at once, as a machine failing would. */
    public void killWorker(int i) {
        Process w = workers.get(i);
        w.descendants().forEach(ProcessHandle::destroyForcibly);
        w.destroyForcibly();
    }

    /** The index of a worker that runs an executor now, or -1. */
    public int workerWithExecutor() {
        for (int i = 0; i < workers.size(); i++) if (workers.get(i).isAlive() && workers.get(i).descendants().findAny().isPresent()) return i;
        return -1;
    }

    private static Process launch(Path dir, String name, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        cmd.addAll(List.of(JavaModuleOptions.defaultModuleOptions().split(" ")));
        cmd.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties").toAbsolutePath());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", dir.toAbsolutePath().toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");   // else the worker looks for a source build to find its jars
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private void await(String name, String line, int seconds) throws IOException {
        Path log = dir.resolve(name + ".log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) return;
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IOException("the Spark " + name + " did not start within " + seconds + " s; its log: " + log);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the workers (and their executors), then the master. */
    @Override
    public void close() {
        List<Process> all = new ArrayList<>(workers);
        all.add(master);
        for (Process p : all) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : all) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code StandaloneCluster [workers] [dir]}: starts a cluster, prints its URL, and stops it on Ctrl-C. */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("glassbox-spark");
        StandaloneCluster c = start(n, 2048, dir);
        Runtime.getRuntime().addShutdownHook(new Thread(c::close));
        System.out.println("Spark master " + c.url() + " with " + n + " workers (logs in " + dir + "); Ctrl-C stops them");
        System.out.println("  ./glassbox train cnn --spark " + c.url() + " --executors " + n);
        Thread.currentThread().join();
    }
}
