package dev.glassbox.spark;

import dev.glassbox.models.train.Cluster;
import dev.glassbox.models.train.InvalidSettingException;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Starting and stopping the Spark context of a run, with the settings this machine's JVMs need and clear errors. */
final class SparkContexts {
    /** How long a run waits for a standalone master to grant its executors, in seconds ({@code -Dglassbox.spark.timeout}, default 60). */
    static int timeoutSeconds() { return Integer.getInteger("glassbox.spark.timeout", 60); }

    private SparkContexts() {}

    static JavaSparkContext start(Cluster cluster, String appName) {
        String master = cluster.master();
        if (!cluster.local()) reachable(master);
        SparkConf conf = new SparkConf()   // also takes any spark.* system property, e.g. -Dspark.executor.memory=4g
                .setAppName(appName).setMaster(master)
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        if (cluster.local() || master.contains("//127.0.0.1:") || master.contains("//localhost:")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        if (!cluster.local()) {
            // executors are JVMs of their own: the Vector API, our classes (the same paths on every machine), one core each
            conf.setIfMissing("spark.executor.cores", "1");
            conf.setIfMissing("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector -Dglassbox.threads="
                            + conf.get("spark.executor.cores"))   // the kernels use the executor's cores, not the machine's
                    .setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                    .setIfMissing("spark.cores.max", Integer.toString(cluster.workers()))
                    .setIfMissing("spark.task.maxFailures", "4");
        }
        JavaSparkContext sc;
        try {
            sc = new JavaSparkContext(conf);
        } catch (Exception e) {   // Spark's Scala code throws checked exceptions undeclared
            throw explain(e, cluster);
        }
        if (!cluster.local()) awaitExecutors(sc, cluster);
        return sc;
    }

    /** A standalone master's port answers, or a one-line error now rather than Spark's retries for a minute. */
    private static void reachable(String master) {
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon);
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 3000);
                return;
            } catch (IOException e) {
                if (!master.contains(",")) {
                    throw new InvalidSettingException("spark", "no Spark master answers at " + master + " (" + e.getMessage()
                            + "): start one there (bench/spark-cluster.sh starts one here) or correct the address");
                }
            }
        }
        throw new InvalidSettingException("spark", "no Spark master answers at any of " + master);
    }

    private static void awaitExecutors(JavaSparkContext sc, Cluster cluster) {
        int timeout = timeoutSeconds();
        long deadline = System.nanoTime() + timeout * 1_000_000_000L;
        int have = 0;
        while (System.nanoTime() < deadline && !sc.sc().isStopped()) {   // stopped: the master refused the application
            have = Math.max(0, sc.statusTracker().getExecutorInfos().length - 1);   // the driver is listed too
            if (have >= cluster.workers()) return;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stop(sc);
        throw new InvalidSettingException("spark", "the master at " + cluster.master() + " gave " + have + " of the " + cluster.workers()
                + " executors asked for within " + timeout + " s: are that many workers registered with a free core and 1 GB each? "
                + "(ask for fewer executors)");
    }

    /** Spark's failure as one line naming the cluster. */
    static RuntimeException explain(Exception e, Cluster cluster) { return explain(e, cluster.master()); }

    /** Spark's failure (a job aborted after its tasks failed, say) as one line naming the master and the first cause. */
    static RuntimeException explain(Exception e, String master) {
        if (e instanceof InvalidSettingException bad) return bad;
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String what = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
        return new IllegalStateException("Spark at " + master + " failed: " + what, e);
    }

    static void stop(JavaSparkContext sc) {
        try {
            sc.stop();
        } catch (RuntimeException ignored) {
            // stopping is best effort: the run's result (or its error) is what the user needs
        }
    }
}
