package dev.glassbox.models.word2vec;

import dev.glassbox.io.Utf8;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.tensor.Blas;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The two standard checks of word vectors, computed as gensim computes them: Spearman's rank
 * correlation between human similarity scores and cosine similarities on a word-pair file
 * (WordSim-353 format), and accuracy on analogy questions (the Google {@code questions-words}
 * format) with the vocabulary restricted to its most frequent words. Words are matched without
 * regard to case, each to its most frequent form in the vocabulary; questions and pairs with a
 * word outside the (restricted) vocabulary are counted as out of vocabulary and left out.
 */
public final class WordEval {
    private WordEval() {}

    /** Spearman's ρ over the pairs found, how many were found, and how many had a word missing. */
    public record WordSim(double spearman, int pairs, int oov) {}

    /** Correct answers among the questions asked, the questions skipped, and accuracy per section. */
    public record Analogies(double accuracy, int correct, int asked, int oov, Map<String, double[]> sections) {}

    /** Reads pairs "word1 word2 score" (tab- or space-separated; lines starting with # skipped). */
    public static WordSim wordSim(KeyedVectors kv, Path file) throws IOException {
        Map<String, Integer> lower = lowerIndex(kv, kv.size());
        List<Double> human = new ArrayList<>(), model = new ArrayList<>();
        int oov = 0, lineNo = 0, read = 0;
        try (BufferedReader r = reader(file)) {
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) continue;
                String[] f = t.split("[\\t ]+");
                if (f.length < 3) throw new IOException(file + ":" + lineNo + ": expected 'word1 word2 score', got '" + t + "'");
                double score;
                try {
                    score = Double.parseDouble(f[2]);
                } catch (NumberFormatException e) {
                    throw new IOException(file + ":" + lineNo + ": the score '" + f[2] + "' is not a number");
                }
                if (!Double.isFinite(score)) throw new IOException(file + ":" + lineNo + ": the score '" + f[2] + "' is not a finite number");
                read++;
                Integer a = lower.get(f[0].toLowerCase(Locale.ROOT)), b = lower.get(f[1].toLowerCase(Locale.ROOT));
                if (a == null || b == null) {
                    oov++;
                    continue;
                }
                human.add(score);
                model.add((double) kv.similarity(kv.word(a), kv.word(b)));
            }
        }
        if (read == 0) throw new IOException(file + ": no word pairs (expected lines 'word1<TAB>word2<TAB>score')");
        if (human.size() < 2) {
            throw new IOException(file + ": " + human.size() + " of its " + read + " pairs have both words in the vectors; Spearman's rho needs at least 2");
        }
        double rho = spearman(human, model);
        if (!Double.isFinite(rho)) {
            throw new IOException(file + ": Spearman's rho is undefined: the human scores or the vectors' similarities of its "
                    + human.size() + " pairs are all equal");
        }
        return new WordSim(rho, human.size(), oov);
    }

    /** Spearman's ρ: Pearson's correlation of the ranks, ties sharing their mean rank. */
    static double spearman(List<Double> x, List<Double> y) {
        double[] rx = ranks(x), ry = ranks(y);
        int n = rx.length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += rx[i];
            my += ry[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    static double[] ranks(List<Double> v) {
        int n = v.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(v.get(a), v.get(b)));
        double[] r = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && v.get(order[j + 1]).equals(v.get(order[i]))) j++;
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) r[order[k]] = mean;
            i = j + 1;
        }
        return r;
    }

    /**
     * Answers every question "a b c d" (a is to b as c is to d) with the word nearest to
     * b − a + c among the first {@code restrict} words, a, b and c excluded; lines ": name" start
     * a section.
     */
    public static Analogies analogies(KeyedVectors kv, Path file, int restrict) throws IOException {
        InvalidSettingException.check(restrict > 0, "restrict", "must be positive, got " + restrict);
        int limit = Math.min(restrict, kv.size());
        Map<String, Integer> lower = lowerIndex(kv, limit);
        List<int[]> questions = new ArrayList<>();
        List<String> sectionOf = new ArrayList<>();
        Map<String, int[]> tally = new LinkedHashMap<>();
        String section = "(none)";
        int oov = 0, lineNo = 0, read = 0;
        try (BufferedReader r = reader(file)) {
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty()) continue;
                if (t.startsWith(":")) {
                    section = t.substring(1).strip();
                    continue;
                }
                String[] f = t.split("\\s+");
                if (f.length != 4) throw new IOException(file + ":" + lineNo + ": expected four words 'a b c d', got '" + t + "'");
                read++;
                tally.computeIfAbsent(section, k -> new int[3]);
                int[] q = new int[4];
                boolean ok = true;
                for (int i = 0; i < 4; i++) {
                    Integer id = lower.get(f[i].toLowerCase(Locale.ROOT));
                    if (id == null) {
                        ok = false;
                        break;
                    }
                    q[i] = id;
                }
                if (!ok) {
                    oov++;
                    tally.get(section)[2]++;
                    continue;
                }
                questions.add(q);
                sectionOf.add(section);
            }
        }
        if (read == 0) throw new IOException(file + ": no analogy questions (expected lines 'a b c d' under ': section' headers)");
        int[] answers = answer(kv, questions, limit);
        int correct = 0;
        for (int i = 0; i < questions.size(); i++) {
            int[] s = tally.get(sectionOf.get(i));
            s[1]++;
            if (answers[i] == questions.get(i)[3]) {
                correct++;
                s[0]++;
            }
        }
        Map<String, double[]> sections = new LinkedHashMap<>();
        for (var e : tally.entrySet()) {
            int[] s = e.getValue();
            sections.put(e.getKey(), new double[] {s[1] == 0 ? Double.NaN : (double) s[0] / s[1], s[0], s[1], s[2]});
        }
        return new Analogies(questions.isEmpty() ? Double.NaN : (double) correct / questions.size(), correct, questions.size(), oov, sections);
    }

    /** The best answer of each question, a block of questions at a time as one matrix product. */
    private static int[] answer(KeyedVectors kv, List<int[]> questions, int limit) {
        int dim = kv.dim(), block = 256;
        float[] unit = kv.unitMatrix();
        int[] out = new int[questions.size()];
        float[] q = new float[block * dim], scores = new float[block * limit];
        for (int start = 0; start < questions.size(); start += block) {
            int b = Math.min(block, questions.size() - start);
            Arrays.fill(q, 0f);
            for (int i = 0; i < b; i++) {
                int[] x = questions.get(start + i);
                for (int d = 0; d < dim; d++) q[i * dim + d] = unit[x[1] * dim + d] - unit[x[0] * dim + d] + unit[x[2] * dim + d];
            }
            // scores[b × limit] = q[b × dim] · unit[limit × dim]ᵀ
            Blas.sgemm(Blas.Op.N, Blas.Op.T, b, limit, dim, 1f, q, 0, dim, unit, 0, dim, 0f, scores, 0, limit);
            for (int i = 0; i < b; i++) {
                int[] x = questions.get(start + i);
                int best = -1;
                float bestScore = Float.NEGATIVE_INFINITY;
                for (int w = 0; w < limit; w++) {
                    float s = scores[i * limit + w];
                    if (s > bestScore && w != x[0] && w != x[1] && w != x[2]) {
                        bestScore = s;
                        best = w;
                    }
                }
                out[start + i] = best;
            }
        }
        return out;
    }

    /** Lower-cased word → index of its most frequent form, among the first {@code limit} words. */
    private static Map<String, Integer> lowerIndex(KeyedVectors kv, int limit) {
        Map<String, Integer> m = new HashMap<>(limit * 2);
        for (int i = 0; i < limit; i++) m.putIfAbsent(kv.word(i).toLowerCase(Locale.ROOT), i);
        return m;
    }

    private static BufferedReader reader(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
        return Utf8.reader(Files.newInputStream(file), file.toString(),
                "word-pair files ('word1 word2 score') and analogy questions ('a b c d') are text");
    }
}
