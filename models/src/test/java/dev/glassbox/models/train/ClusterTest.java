package dev.glassbox.models.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The master URLs a data-parallel run takes, the ones it refuses, and a task that cannot run on one. */
class ClusterTest {
    @Test
    void acceptsLocalAndStandaloneMasters() {
        assertEquals(1, new Cluster("local", 0).workers());
        assertEquals(3, new Cluster("local[3]", 0).workers());
        assertEquals(Runtime.getRuntime().availableProcessors(), new Cluster("local[*]", 0).workers());
        assertTrue(new Cluster("local[2]", 0).local());
        Cluster standalone = new Cluster("spark://10.0.0.7:7077", 0);
        assertFalse(standalone.local());
        assertEquals(2, standalone.workers());
        assertEquals(8, new Cluster("spark://a.example:7077,b.example:7077", 8).workers());
    }

    @Test
    void refusesWhatIsNoMasterUrl() {
        for (String bad : new String[] {"sprak://host:7077", "spark://host", "local[two]", "local[0]", "local[99999]", "yarn", " ", "spark://host:7077/"}) {
            var e = assertThrows(InvalidSettingException.class, () -> new Cluster(bad, 0), bad);
            assertEquals("spark", e.setting());
        }
        var none = assertThrows(InvalidSettingException.class, () -> new Cluster(null, 0));
        assertEquals("spark needs a master URL: local[N] or spark://HOST:PORT", none.getMessage());
        var executors = assertThrows(InvalidSettingException.class, () -> new Cluster("local[2]", 2));
        assertEquals("executors", executors.setting());
        assertThrows(InvalidSettingException.class, () -> new Cluster("spark://h:1", -1));
    }

    /** A task that computes its steps in this process cannot be handed a cluster: the Trainer says so rather than quietly training here. */
    @Test
    void aTaskOfThisProcessSaysItDoesNotRunOnACluster() {
        var model = new dev.glassbox.nn.Linear(2, 1, new dev.glassbox.tensor.Generator(0));
        var task = new SimpleTask<>(model, new dev.glassbox.optim.SGD(model.parameters(), 0.1f),
                FixedBatches.of(dev.glassbox.tensor.Tensor.ones(4, 2)), x -> model.forward(x).sum());
        var trainer = new Trainer<>(task).describe("mine", "", "").keep(RunOptions.NONE.onCluster(new Cluster("local[2]", 0)), null);
        var e = assertThrows(InvalidSettingException.class, () -> trainer.fit(ev -> {}));
        assertEquals("spark is not supported by mine yet: it trains in this process only", e.getMessage());
    }
}
