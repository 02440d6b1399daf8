package dev.glassbox.models.word2vec;

import dev.glassbox.models.explain.Demo;
import dev.glassbox.models.explain.Event;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.explain.Trace;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.optim.SGD;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One step of the course's word2vec as a {@link Trace}: the frames and pairs of its first
 * sentence (a demo), then one real SGD step of the full-softmax model on one pair — the one-hot
 * centre word times W_embeddings (the lookup) and each word's score e·W_nce[j], seen through
 * forward hooks on the model's own layers, the softmax, the loss −ln p(target), the gradients
 * and the updates — and then the same pair with negative sampling from the same starting weights
 * (a demo), its negative samples never a true context of the centre.
 */
final class CourseExplainer {
    /** Negative samples drawn for the negative-sampling part (fewer if fewer words may be drawn). */
    static final int NEGATIVES = 2;

    private CourseExplainer() {}

    static Trace explain(CourseWord2Vec m, String centre, String context, float lr, long seed) {
        int c = id(m, centre), t = id(m, context);
        int v = m.vocabulary.size(), d = CourseWord2Vec.DIM;
        float[] embBefore = m.embeddings.weight.toArray(), nceBefore = m.nce.weight.toArray();
        Demo.Frames frames = frames(m);
        Demo.NegativeSampling ns = negativeSampling(m, c, t, lr, seed);

        m.train();
        Tensor[] e = new Tensor[1], z = new Tensor[1];
        Tensor scores;
        try (Module.HookHandle a = m.embeddings.registerForwardHook((mod, in, out) -> e[0] = out.retainGrad());
             Module.HookHandle b = m.nce.registerForwardHook((mod, in, out) -> z[0] = out.retainGrad())) {
            scores = m.scores(new int[] {c});                                   // the model's own forward: [1, V]
        }
        Tensor loss = F.crossEntropy(scores, new int[] {t});                  // the recipe's loss
        float[] probs;
        try (var ignored = GradMode.noGrad()) {
            probs = scores.softmax(-1).toArray();
        }
        SGD opt = new SGD(m.parameters(), lr);                                 // the recipe's optimizer
        m.zeroGrad();
        loss.backward();

        float[] oneHot = new float[v];
        oneHot[c] = 1f;
        float[] ev = e[0].toArray(), zv = z[0].toArray(), de = e[0].grad().toArray(), dz = z[0].grad().toArray();
        List<Event> events = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            float[] column = new float[v];
            for (int i = 0; i < v; i++) column[i] = embBefore[i * d + j];
            events.add(new Event.Forward("e", "e." + (j + 1), oneHot, column, 0f, ev[j], "identity", ev[j]));
        }
        for (int j = 0; j < v; j++) {
            events.add(new Event.Forward("y", "y." + (j + 1), ev, Arrays.copyOfRange(nceBefore, j * d, (j + 1) * d), 0f, zv[j], "softmax", probs[j]));
        }
        float[] target = new float[v];
        target[t] = 1f;
        events.add(new Event.Loss("cross_entropy", "y", probs, target, t, loss.item()));
        for (int j = 0; j < v; j++) events.add(new Event.NodeGradient("y", "y." + (j + 1), dz[j]));
        for (int j = 0; j < d; j++) events.add(new Event.NodeGradient("e", "e." + (j + 1), de[j]));
        float[] gEmb = m.embeddings.weight.grad().toArray(), gNce = m.nce.weight.grad().toArray();
        events.add(new Event.WeightGradient("W_embeddings.weight", gEmb));
        events.add(new Event.WeightGradient("W_nce.weight", gNce));
        opt.step();
        events.add(new Event.Update("W_embeddings.weight", embBefore, gEmb, m.embeddings.weight.toArray(), null, null));
        events.add(new Event.Update("W_nce.weight", nceBefore, gNce, m.nce.weight.toArray(), null, null));
        m.eval();

        List<Graph.Layer> layers = List.of(words("x", "X", Graph.Role.INPUT, null, m.vocabulary), units("e", "e", d),
                words("y", "Y", Graph.Role.OUTPUT, "softmax", m.vocabulary));
        List<Graph.Connection> connections = List.of(new Graph.Connection("x", "e", Graph.Pattern.EMBEDDING, "W_embeddings.weight", null),
                new Graph.Connection("e", "y", Graph.Pattern.DENSE, "W_nce.weight", null));
        List<Graph.Weight> weights = List.of(
                new Graph.Weight("W_embeddings.weight", "W_embeddings", new int[] {v, d}, embBefore, Graph.Training.TRAINED),
                new Graph.Weight("W_nce.weight", "W_nce", new int[] {v, d}, nceBefore, Graph.Training.TRAINED));
        return new Trace(Trace.SCHEMA, "word2vec", null, List.of(frames, ns), new Graph(layers, connections, weights),
                new Trace.Example(oneHot, new int[] {v}, target, t, List.of(centre, context)), Trace.Rule.sgd(lr), events);
    }

    /** The frames of the course's first sentence and their pairs (frame size 2·window + 1). */
    private static Demo.Frames frames(CourseWord2Vec m) {
        List<String> words = List.of(CourseWord2Vec.SENTENCES.getFirst().split(" "));
        int[] ids = m.ids(CourseWord2Vec.SENTENCES.getFirst());
        List<int[]> pairs = Word2Vec.pairs(ids, CourseWord2Vec.WINDOW, new int[ids.length]);   // the trainer's own pairs, in order
        List<Demo.Frame> out = new ArrayList<>();
        int k = 0;
        for (int pos = 0; pos < words.size(); pos++) {
            int from = Math.max(0, pos - CourseWord2Vec.WINDOW), to = Math.min(words.size(), pos + CourseWord2Vec.WINDOW + 1);
            List<Demo.Pair> mine = new ArrayList<>();
            for (int q = from; q < to; q++) {
                if (q == pos) continue;
                int[] p = pairs.get(k++);
                mine.add(new Demo.Pair(m.vocabulary.get(p[0]), m.vocabulary.get(p[1])));
            }
            out.add(new Demo.Frame(words.subList(from, to), words.get(pos), mine));
        }
        if (k != pairs.size()) throw new IllegalStateException("the frames give " + k + " pairs, the trainer " + pairs.size());
        return new Demo.Frames(words, 2 * CourseWord2Vec.WINDOW + 1, out);
    }

    /**
     * The pair with negative sampling, from the model's current weights (they are not changed):
     * negative samples drawn from unigram^0.75 over the words that are never a context of the
     * centre in the course's sentences, nor the centre itself.
     */
    private static Demo.NegativeSampling negativeSampling(CourseWord2Vec m, int c, int t, float lr, long seed) {
        int d = CourseWord2Vec.DIM;
        Set<Integer> excluded = new LinkedHashSet<>();
        excluded.add(c);
        for (int[] p : m.allPairs()) if (p[0] == c) excluded.add(p[1]);
        long[] allowed = m.counts.clone();
        for (int x : excluded) allowed[x] = 0;
        List<Integer> targets = new ArrayList<>(List.of(t));
        int candidates = (int) Arrays.stream(allowed).filter(n -> n > 0).count();
        if (candidates > 0) {
            AliasTable noise = AliasTable.unigram(allowed, 0.75);
            Generator g = new Generator(seed);
            while (targets.size() < 1 + Math.min(NEGATIVES, candidates)) {
                int n = noise.sample(g.nextLong(), g.nextLong());
                if (allowed[n] > 0 && !targets.contains(n)) targets.add(n);
            }
        }
        int k = targets.size();
        float[] nce = m.nce.weight.toArray(), rowValues = new float[k * d];
        for (int i = 0; i < k; i++) System.arraycopy(nce, targets.get(i) * d, rowValues, i * d, d);
        Tensor e = Tensor.of(Arrays.copyOfRange(m.embeddings.weight.toArray(), c * d, (c + 1) * d), d).requiresGrad(true);
        Tensor rows = Tensor.of(rowValues, k, d).requiresGrad(true);
        Tensor s = rows.matmul(e);                                                    // [k]: e·W_nce[target]
        float[] sign = new float[k];
        Arrays.fill(sign, -1f);
        sign[0] = 1f;
        Tensor parts = s.mul(Tensor.of(sign, k)).sigmoid().log().neg();              // −ln σ(s) for the target, −ln σ(−s) for the others
        Tensor loss = parts.sum();
        loss.backward();
        float[] scores = s.toArray(), partValues = parts.toArray(), rowGrads = rows.grad().toArray(), eg = e.grad().toArray(), e0 = e.toArray();
        float[] e1 = new float[d];
        for (int i = 0; i < d; i++) e1[i] = e0[i] - lr * eg[i];
        List<Demo.Sample> samples = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            float[] row = Arrays.copyOfRange(rowValues, i * d, (i + 1) * d), grad = Arrays.copyOfRange(rowGrads, i * d, (i + 1) * d), after = new float[d];
            for (int j = 0; j < d; j++) after[j] = row[j] - lr * grad[j];
            samples.add(new Demo.Sample(m.vocabulary.get(targets.get(i)), i == 0, row, scores[i], (float) (1 / (1 + Math.exp(-scores[i]))), partValues[i],
                    grad, after));
        }
        return new Demo.NegativeSampling(m.vocabulary.get(c), m.vocabulary.get(t), excluded.stream().map(m.vocabulary::get).toList(), lr, e0, samples,
                loss.item(), eg, e1);
    }

    private static int id(CourseWord2Vec m, String w) {
        Integer i = m.index.get(w);
        if (i == null) throw new IllegalArgumentException("explain word2vec: '" + w + "' is not in the course's vocabulary ("
                + String.join(", ", m.vocabulary) + ")");
        return i;
    }

    private static Graph.Layer units(String id, String label, int n) {
        List<Graph.Node> nodes = new ArrayList<>();
        for (int j = 1; j <= n; j++) nodes.add(new Graph.Node(id + "." + j, label + j, Graph.NodeKind.UNIT));
        return new Graph.Layer(id, label, Graph.Role.HIDDEN, "identity", nodes);
    }

    /** A layer of one node per vocabulary word, labelled by the word. */
    private static Graph.Layer words(String id, String label, Graph.Role role, String activation, List<String> vocabulary) {
        List<Graph.Node> nodes = new ArrayList<>();
        for (int j = 0; j < vocabulary.size(); j++) nodes.add(new Graph.Node(id + "." + (j + 1), vocabulary.get(j), Graph.NodeKind.UNIT));
        return new Graph.Layer(id, label, role, activation, nodes);
    }
}
