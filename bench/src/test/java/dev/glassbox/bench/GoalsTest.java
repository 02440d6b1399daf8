package dev.glassbox.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The issues' goals as --vs-peers checks them: which figures, which bound, on which CPUs. */
class GoalsTest {
    @Test
    void speedsNeedAtLeastTheirRatioAndMemoryAndLossAtMostTheirs() {
        Map<String, Double> w2 = new LinkedHashMap<>();
        w2.put("samples_per_s", 1.49);
        w2.put("peak_rss_mb", 0.96);
        w2.put("acc_5ep", 0.5);   // no goal: left out
        List<Goals.Check> c = Goals.check("W2", 512, w2);
        assertEquals(List.of("samples_per_s", "peak_rss_mb"), c.stream().map(Goals.Check::key).toList());
        assertFalse(c.get(0).met(), "1.49 is under W2's 1.5");
        assertTrue(c.get(1).met(), "0.96 of the peer's memory is within W2's 1.0");
        assertEquals("≥ 1.50×", c.get(0).goal().bound());
        assertEquals("≤ 1.00×", c.get(1).goal().bound());

        assertTrue(Goals.check("W2", 256, Map.of("samples_per_s", 1.5)).get(0).met(), "exactly the goal is met");
        Goals.Check w8 = Goals.check("W8", 512, Map.of("loss_per_sample_ep1", 1.0007)).get(0);
        assertFalse(w8.met(), "a loss above the peer's is worse");
        assertEquals("1.0007", w8.ratioText(), "four decimals where two would read as the goal itself");
        assertEquals("1.49", c.get(0).ratioText());
        assertTrue(Goals.check("W6", 256, Map.of("tokens_per_s", 1.29)).get(0).met());
        assertFalse(Goals.check("W6", 256, Map.of("tokens_per_s", 1.2)).get(0).met());
    }

    @Test
    void w1sGoalsHoldOnAvx512AndAreNotJudgedOnAvx2() {
        Map<String, Double> w1 = new LinkedHashMap<>();
        w1.put("gflops_n1024_t2", 0.88);
        w1.put("gflops_n512_t2", 0.88);
        w1.put("gflops_n1024_t2_ABt", 0.84);
        List<Goals.Check> c = Goals.check("W1", 512, w1);
        assertEquals(3, c.size());
        assertFalse(c.get(0).met(), "1024³ on two threads needs 0.9");
        assertEquals("gflops_n512_t2", c.get(1).key());
        assertTrue(c.get(1).met(), "the other rows need 0.85");
        assertFalse(c.get(2).met());
        assertTrue(Goals.check("W1", 256, w1).isEmpty());
        assertNotNull(Goals.noneHere("W1", 256));
        assertNull(Goals.noneHere("W1", 512));
        assertNull(Goals.noneHere("W2", 256));
    }

    @Test
    void everyGoalIsForAWorkloadThatHasAPeer() {
        for (Goals.Goal g : Goals.ALL) {
            assertTrue(Workloads.IDS.contains(g.workload()) && PeerRunner.hasPeer(g.workload()), g.workload());
            assertTrue(g.target() > 0 && !g.source().isBlank(), g.toString());
        }
    }
}
