package dev.glassbox.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our side of a --vs-peers round runs in a new JVM started as this one was. */
class FreshRunTest {
    /** Started by the tests: prints a progress line and a JSON object, or fails when asked. */
    public static final class Child {
        public static void main(String[] args) {
            if (args[0].equals("fail")) {
                System.err.println("the data set is missing");
                System.exit(2);
            }
            System.out.println("W0 round: working...");
            // a property and a module given to this JVM reach the new one
            System.out.println("{\"id\":\"W0\",\"arg\":\"" + args[0] + "\",\"heap_mb\":" + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + ",\"vector\":" + ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                    + ",\"extra\":\"" + System.getProperty("glassbox.test.extra", "") + "\"}");
        }
    }

    @Test
    void readsTheLastJsonLineOfANewJvm() throws IOException {
        JsonNode r = FreshRun.run(Child.class.getName(), List.of("hello"));
        assertEquals("W0", r.get("id").asText());
        assertEquals("hello", r.get("arg").asText());
        assertEquals(Runtime.getRuntime().maxMemory() / (1 << 20), r.get("heap_mb").asLong(), "not started with this JVM's options");
        assertEquals(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), r.get("vector").asBoolean());
    }

    @Test
    void extraJvmOptionsComeAfterThisJvmsOwn() throws IOException {
        JsonNode r = FreshRun.run(Child.class.getName(), List.of("-Dglassbox.test.extra=a", "-Dglassbox.test.extra=b"), List.of("x"));
        assertEquals("b", r.get("extra").asText(), "the last option given wins, as on a java command line");
        assertEquals("", FreshRun.run(Child.class.getName(), List.of("y")).get("extra").asText());
    }

    @Test
    void theInstructionSetsAndTheirSettings() {
        assertEquals(Isa.AVX2, Isa.parse("AVX2"));
        assertEquals(Isa.NATIVE, Isa.parse("native"));
        assertTrue(Isa.NATIVE.jvmArgs.isEmpty() && Isa.NATIVE.peerEnv.isEmpty());
        assertEquals(List.of("-XX:UseAVX=2"), Isa.AVX2.jvmArgs);
        assertEquals("Haswell", Isa.AVX2.peerEnv.get("OPENBLAS_CORETYPE"));
        var e = assertThrows(IllegalArgumentException.class, () -> Isa.parse("sse"));
        assertTrue(e.getMessage().contains("native or avx2"), e.getMessage());
    }

    @Test
    void aFailedRunIsAnErrorWithItsLastLine() {
        var e = assertThrows(IOException.class, () -> FreshRun.run(Child.class.getName(), List.of("fail")));
        assertTrue(e.getMessage().contains("exit 2") && e.getMessage().contains("the data set is missing"), e.getMessage());
    }
}
