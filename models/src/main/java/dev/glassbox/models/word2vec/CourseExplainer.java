package dev.glassbox.models.word2vec;

import dev.glassbox.models.explain.Word2VecTrace;
import dev.glassbox.nn.F;
import dev.glassbox.optim.SGD;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** One step of the course's word2vec, full softmax then negative sampling, from the same weights. */
final class CourseExplainer {
    /** Noise words drawn for the negative-sampling part. */
    static final int NEGATIVES = 2;

    private CourseExplainer() {}

    static Word2VecTrace explain(CourseWord2Vec m, String centre, String context, float lr, long seed) {
        int c = id(m, centre), t = id(m, context);
        int v = m.vocabulary.size(), d = CourseWord2Vec.DIM;
        List<List<String>> pairs = new ArrayList<>();
        String first = CourseWord2Vec.SENTENCES.getFirst();
        for (int[] p : Word2Vec.pairs(m.ids(first), CourseWord2Vec.WINDOW, new int[m.ids(first).length])) {
            pairs.add(List.of(m.vocabulary.get(p[0]), m.vocabulary.get(p[1])));
        }
        float[] before = m.embeddings.weight.toArray(), nceBefore = m.nce.weight.toArray();

        // Full softmax: one-hot × W_embeddings = the centre's row; scores = row · W_nceᵀ; softmax; −ln p(context).
        m.train();
        Tensor e = m.embeddings.forward(new int[] {c});                 // [1, d]
        Tensor z = m.nce.forward(e);                                     // [1, V]
        Tensor loss = F.crossEntropy(z, new int[] {t});
        float[] probs;
        try (var ignored = GradMode.noGrad()) {
            probs = z.softmax(-1).toArray();
        }
        m.zeroGrad();
        loss.backward();
        float[] embGrad = Arrays.copyOfRange(m.embeddings.weight.grad().toArray(), c * d, (c + 1) * d);
        float[][] nceGrad = rows(m.nce.weight.grad().toArray(), v, d);
        new SGD(m.parameters(), lr).step();
        m.eval();
        float[] oneHot = new float[v];
        oneHot[c] = 1f;

        // Negative sampling on the same pair from the same starting weights.
        AliasTable noise = AliasTable.unigram(m.counts, 0.75);
        Random r = new Random(seed);
        List<Integer> targets = new ArrayList<>(List.of(t));
        while (targets.size() < 1 + NEGATIVES) {
            int n = noise.sample(r.nextLong(), r.nextLong());
            if (n != t && !targets.contains(n)) targets.add(n);
        }
        int k = targets.size();
        float[] rowVals = new float[k * d];
        for (int i = 0; i < k; i++) System.arraycopy(nceBefore, targets.get(i) * d, rowVals, i * d, d);
        Tensor ev = Tensor.of(Arrays.copyOfRange(before, c * d, (c + 1) * d), d).requiresGrad(true);
        Tensor rowsT = Tensor.of(rowVals, k, d).requiresGrad(true);
        Tensor s = rowsT.matmul(ev);                                     // [k]: e·W_nce[target]
        float[] sign = new float[k];
        Arrays.fill(sign, -1f);
        sign[0] = 1f;
        Tensor nsLoss = s.mul(Tensor.of(sign, k)).sigmoid().log().sum().neg();
        nsLoss.backward();
        float[] scores = s.toArray(), sig = new float[k];
        for (int i = 0; i < k; i++) sig[i] = (float) (1 / (1 + Math.exp(-scores[i])));
        float[] eg = ev.grad().toArray(), e0 = ev.toArray(), e1 = new float[d];
        for (int i = 0; i < d; i++) e1[i] = e0[i] - lr * eg[i];
        float[][] rg = rows(rowsT.grad().toArray(), k, d), r0 = rows(rowVals, k, d), r1 = new float[k][d];
        for (int i = 0; i < k; i++) for (int j = 0; j < d; j++) r1[i][j] = r0[i][j] - lr * rg[i][j];
        var ns = new Word2VecTrace.NegativeSampling(targets.stream().map(m.vocabulary::get).toList(), scores, sig, nsLoss.item(), e0, eg, e1,
                r0, rg, r1);

        return new Word2VecTrace("word2vec", CourseWord2Vec.SENTENCES, m.vocabulary, CourseWord2Vec.WINDOW, pairs, centre, context, oneHot,
                Arrays.copyOfRange(before, c * d, (c + 1) * d), rows(nceBefore, v, d), z.toArray(), probs, loss.item(), lr, embGrad,
                Arrays.copyOfRange(m.embeddings.weight.toArray(), c * d, (c + 1) * d), nceGrad, rows(m.nce.weight.toArray(), v, d), ns);
    }

    private static int id(CourseWord2Vec m, String w) {
        Integer i = m.index.get(w);
        if (i == null) throw new IllegalArgumentException("explain word2vec: '" + w + "' is not in the course's vocabulary ("
                + String.join(", ", m.vocabulary) + ")");
        return i;
    }

    private static float[][] rows(float[] flat, int r, int c) {
        float[][] out = new float[r][c];
        for (int i = 0; i < r; i++) System.arraycopy(flat, i * c, out[i], 0, c);
        return out;
    }
}
