package dev.glassbox.models.explain;

import dev.glassbox.nn.Parameter;
import dev.glassbox.optim.Optimizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** The update events of an Adam step over named parameters, a large weight's cut to its largest gradients. */
public final class Updates {
    private Updates() {}

    /**
     * The end of a recorded step: each parameter's gradient as a {@link Event.WeightGradient},
     * then {@code optimizer}'s step (Adam, over exactly these parameters in this order), then
     * the updates as {@link #adam} makes them.
     */
    public static void record(Map<String, Parameter> params, Map<String, float[]> before, Optimizer optimizer, List<Event> events, int whole,
                              int shown) {
        Map<String, float[]> grads = new java.util.LinkedHashMap<>();
        params.forEach((id, p) -> {
            grads.put(id, p.grad().toArray());
            events.add(new Event.WeightGradient(id, grads.get(id)));
        });
        optimizer.step();
        events.addAll(adam(params, before, grads, optimizer.state(), whole, shown));
    }

    /**
     * One {@link Event.Update} per parameter, in order, after {@code state}'s step: every value
     * of a weight with at most {@code whole} values, else the {@code shown} with the largest
     * gradients (their flat positions in {@code indices}, ascending).
     */
    public static List<Event.Update> adam(Map<String, Parameter> params, Map<String, float[]> before, Map<String, float[]> grads,
                                          Optimizer.State state, int whole, int shown) {
        List<Event.Update> out = new ArrayList<>();
        int k = 0;
        for (Map.Entry<String, Parameter> en : params.entrySet()) {
            String id = en.getKey();
            float[] g = grads.get(id), after = en.getValue().toArray(), b0 = before.get(id);
            float[] mm = state.buffers().get(k + ".exp_avg"), vv = state.buffers().get(k + ".exp_avg_sq");
            k++;
            if (g.length <= whole) {
                out.add(new Event.Update(id, b0, g, after, mm, vv));
                continue;
            }
            int[] idx = IntStream.range(0, g.length).boxed().sorted(Comparator.comparingDouble(i -> -Math.abs(g[i]))).limit(shown)
                    .mapToInt(Integer::intValue).sorted().toArray();
            out.add(new Event.Update(id, pick(b0, idx), pick(g, idx), pick(after, idx), pick(mm, idx), pick(vv, idx), idx));
        }
        return out;
    }

    private static float[] pick(float[] a, int[] idx) {
        float[] out = new float[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = a[idx[i]];
        return out;
    }
}
