package dev.glassbox.models.word2vec;

import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.nn.NegativeSampling;
import dev.glassbox.tensor.Blas;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Trains word vectors the way the original C tool does: a vocabulary pass, then for each
 * sentence frequent words subsampled, a window shrunk by a random amount at each position, and
 * for each (centre, context) pair the true word and {@code negative} noise words drawn from
 * unigram^0.75 scored by a dot product and a logistic; the learning rate falls linearly over the
 * run. Threads share the two matrices without locks (Hogwild), each taking chunks of about
 * 10,000 words. A corpus whose word ids fit {@link #inMemoryLimit} tokens is read once and kept
 * as ids; a larger one is streamed from disk every epoch by a reader thread.
 */
public final class Word2Vec {
    /** Words per chunk a thread takes. */
    static final int CHUNK_WORDS = 10_000;
    private static final int DEFAULT_IN_MEMORY = Integer.getInteger("glassbox.word2vec.inMemoryTokens", 200_000_000);

    /** A finished run. */
    public record Result(KeyedVectors vectors, float[] outputVectors, Vocabulary vocabulary, Word2VecConfig config,
                         long rawWordsTrained, double seconds, double wordsPerSecond, float loss) {}

    private Word2Vec() {}

    public static Result train(Corpus corpus, Word2VecConfig cfg, EventListener events) throws IOException {
        return train(corpus, cfg, events, DEFAULT_IN_MEMORY);
    }

    static Result train(Corpus corpus, Word2VecConfig cfg, EventListener events, long inMemoryLimit) throws IOException {
        Vocabulary vocab = Vocabulary.build(corpus, cfg.minCount());
        return train(corpus, vocab, cfg, events, inMemoryLimit);
    }

    static Result train(Corpus corpus, Vocabulary vocab, Word2VecConfig cfg, EventListener events, long inMemoryLimit) throws IOException {
        int v = vocab.size(), dim = cfg.dim();
        // Rows are padded to whole vectors: the padding starts at zero and every update keeps it
        // there (it only ever adds multiples of padding), so the kernels run without a tail.
        int stride = stride(dim);
        if ((long) v * stride > Integer.MAX_VALUE - 8) {
            throw new InvalidSettingException("dim", "of " + dim + " for " + v + " words does not fit one array; lower it, or raise minCount");
        }
        float[] syn0 = initialInput(v, dim, stride, cfg.seed()), syn1 = new float[v * stride];
        Shared s = new Shared(vocab, cfg, syn0, syn1, stride, events, vocab.trainWords() * cfg.epochs(), 1, false);
        // The clock starts before the corpus is read as ids: gensim's wall time includes its reading too.
        long t0 = System.nanoTime();
        s.start = t0;
        Chunks.ChunkSource source = vocab.rawTokens() <= inMemoryLimit ? Chunks.InMemory.encode(corpus, vocab, cfg.epochs())
                : new Chunks.Streamed(corpus, vocab, cfg.epochs(), cfg.threads());
        int chunks = (int) Math.min(Integer.MAX_VALUE, (vocab.rawTokens() + CHUNK_WORDS - 1) / CHUNK_WORDS);
        events.on(new TrainingEvent.Started("word2vec", cfg.model() == Word2VecConfig.Model.CBOW ? "cbow" : "skipgram", corpus.name(), cfg.epochs(), chunks,
                (long) chunks * cfg.epochs(), 0));
        List<Thread> workers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < cfg.threads(); t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    new Worker(s, id).run(source);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    source.abort();
                }
            }, "word2vec-" + t);
            th.setDaemon(true);
            workers.add(th);
            th.start();
        }
        try {
            for (Thread th : workers) th.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            source.abort();
            throw new IOException("word2vec training interrupted", e);
        }
        source.close();
        Throwable f = failure.get() != null ? failure.get() : source.failure();
        if (f instanceof IOException io) throw io;
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error er) throw er;
        if (f != null) throw new IOException(f);
        double secs = (System.nanoTime() - t0) / 1e9;
        long raw = s.rawDone.get();
        int lastEpoch = cfg.epochs() - 1;
        float loss = s.epochPairs[lastEpoch].sum() == 0 ? Float.NaN : (float) (s.epochLoss[lastEpoch].sum() / s.epochPairs[lastEpoch].sum());
        events.on(new TrainingEvent.Words(cfg.epochs(), cfg.epochs(), raw, s.totalRaw, s.alphaAt(s.wordsDone.get()), loss, raw / secs));
        KeyedVectors kv = new KeyedVectors(vocab.words().clone(), vocab.counts().clone(), unpad(syn0, v, stride, dim), dim);
        return new Result(kv, unpad(syn1, v, stride, dim), vocab, cfg, raw, secs, raw / secs, loss);
    }

    /** Floats per row of the matrices: {@code dim} rounded up to whole vectors of the machine's lanes. */
    static int stride(int dim) {
        int lanes = Blas.vectorLength();
        return (dim + lanes - 1) / lanes * lanes;
    }

    /** The input vectors as the C tool starts them: uniform in [−0.5, 0.5)/dim from {@code seed}'s stream, rows of {@code stride}. */
    static float[] initialInput(int v, int dim, int stride, long seed) {
        float[] syn0 = new float[v * stride];
        long init = seed;
        for (int w = 0; w < v; w++) {
            for (int d = 0; d < dim; d++) {
                init = init * 25214903917L + 11;
                syn0[w * stride + d] = (((init >>> 16) & 0xFFFF) / 65536f - 0.5f) / dim;
            }
        }
        return syn0;
    }

    /**
     * What one worker's epoch over its part of the corpus did: the rows of the input and output
     * vectors it changed (for averaging, as Spark MLlib averages a row over the partitions that
     * changed it), and its loss summed over its (word, target) pairs.
     */
    record PartEpoch(boolean[] changedInput, boolean[] changedOutput, double lossSum, long pairs, long rawWords) {}

    /**
     * Epoch {@code epoch} of a run over {@code parts} parts, on the part {@code part} of the
     * corpus, on one thread, updating {@code syn0} and {@code syn1} (rows of {@code stride}) in
     * place. The rate falls as in one process, taking the other parts to progress at this one's
     * pace (MLlib's estimate); the random stream is seeded by the run's seed, the part and the
     * epoch, so a lost part's epoch computed again is the same. Part 0 of one, in the first epoch,
     * is the single-process run with one thread.
     */
    static PartEpoch trainPart(Chunks.InMemory source, int part, Vocabulary vocab, Word2VecConfig cfg, float[] syn0, float[] syn1, int stride,
                               int epoch, int parts, long trainWordsPerEpoch) throws Exception {
        Shared s = new Shared(vocab, cfg, syn0, syn1, stride, e -> {}, trainWordsPerEpoch * cfg.epochs(), parts, true);
        s.wordsDone.set(epoch * trainWordsPerEpoch);
        s.start = System.nanoTime();
        Worker w = new Worker(s, 0);
        w.rand = cfg.seed() * 31 + 1 + part + (long) epoch * 7_919L;
        w.run(source);
        return new PartEpoch(s.changed0, s.changed1, s.epochLoss[0].sum(), (long) s.epochPairs[0].sum(), s.rawDone.get());
    }

    private static float[] unpad(float[] m, int rows, int stride, int dim) {
        if (stride == dim) return m;
        float[] out = new float[rows * dim];
        for (int r = 0; r < rows; r++) System.arraycopy(m, r * stride, out, r * dim, dim);
        return out;
    }

    /** What all threads share. */
    private static final class Shared {
        final Vocabulary vocab;
        final Word2VecConfig cfg;
        final float[] syn0, syn1;
        /** Floats per row: dim rounded up to whole vectors. */
        final int stride;
        final EventListener events;
        final float[] keep;
        final AliasTable noise;
        final long totalWords, totalRaw;
        /** How many words of the run a word trained here stands for (the parts training at once, each at this pace). */
        final int scale;
        /** The rows of syn0 and syn1 changed (null: not tracked). */
        final boolean[] changed0, changed1;
        final AtomicLong wordsDone = new AtomicLong(), rawDone = new AtomicLong();
        final DoubleAdder lossSum = new DoubleAdder(), pairs = new DoubleAdder();
        /** Loss and pairs per epoch, for the last epoch's mean. */
        final DoubleAdder[] epochLoss, epochPairs;
        long start;

        Shared(Vocabulary vocab, Word2VecConfig cfg, float[] syn0, float[] syn1, int stride, EventListener events, long totalWords, int scale,
               boolean track) {
            this.stride = stride;
            this.scale = scale;
            this.changed0 = track ? new boolean[vocab.size()] : null;
            this.changed1 = track ? new boolean[vocab.size()] : null;
            this.vocab = vocab;
            this.cfg = cfg;
            this.syn0 = syn0;
            this.syn1 = syn1;
            this.events = events;
            this.keep = keepProbabilities(vocab.counts(), cfg.sample());
            this.noise = AliasTable.unigram(vocab.counts(), 0.75);
            this.totalWords = totalWords;
            this.totalRaw = vocab.rawTokens() * cfg.epochs();
            this.epochLoss = new DoubleAdder[cfg.epochs()];
            this.epochPairs = new DoubleAdder[cfg.epochs()];
            for (int e = 0; e < cfg.epochs(); e++) {
                epochLoss[e] = new DoubleAdder();
                epochPairs[e] = new DoubleAdder();
            }
        }

        /** α₀·(1 − done/(total + 1)), never below α₀·1e-4. */
        float alphaAt(long done) {
            float a = cfg.alpha() * (1f - (float) ((double) done / (totalWords + 1)));
            return Math.max(a, cfg.alpha() * 1e-4f);
        }
    }

    /**
     * The probability of keeping each word: (√(f/(s·T)) + 1)·(s·T)/f for count f among T
     * training words, at most 1; all 1 when {@code sample} is 0.
     */
    static float[] keepProbabilities(long[] counts, double sample) {
        float[] keep = new float[counts.length];
        long total = 0;
        for (long c : counts) total += c;
        for (int i = 0; i < counts.length; i++) {
            if (sample <= 0) {
                keep[i] = 1f;
                continue;
            }
            double t = sample * total, f = counts[i];
            keep[i] = (float) Math.min(1.0, (Math.sqrt(f / t) + 1) * t / f);
        }
        return keep;
    }

    /**
     * The first context position of the centre word at {@code pos} when the window of
     * {@code window} words each side is shrunk by {@code shrink} (drawn uniformly from
     * [0, window) at each position, so nearer words are used more often).
     */
    static int contextStart(int pos, int window, int shrink) { return Math.max(0, pos - window + shrink); }

    /** One past the last context position (the centre itself is skipped). */
    static int contextEnd(int pos, int n, int window, int shrink) { return Math.min(n, pos + window + 1 - shrink); }

    /**
     * The (centre, context) pairs of a sentence as skip-gram trains on them, given each
     * position's shrink: every word in turn is the centre; every other word within the shrunk
     * window is a context. For tests and the course's explanation; training walks the same bounds.
     */
    public static List<int[]> pairs(int[] sentence, int window, int[] shrink) {
        List<int[]> out = new ArrayList<>();
        for (int pos = 0; pos < sentence.length; pos++) {
            for (int c = contextStart(pos, window, shrink[pos]), end = contextEnd(pos, sentence.length, window, shrink[pos]); c < end; c++) {
                if (c != pos) out.add(new int[] {sentence[pos], sentence[c]});
            }
        }
        return out;
    }

    /** One training thread: its random state, a sentence buffer and scratch vectors. */
    private static final class Worker {
        final Shared s;
        final int id;
        final int dim, window, negative;
        final boolean cbow;
        final float[] grad, neu1, scores;
        final int[] targets;
        int[] sen = new int[1024];
        long rand;
        double loss;
        long pairs;
        long lastReport;

        Worker(Shared s, int id) {
            this.s = s;
            this.id = id;
            this.dim = s.stride;
            this.window = s.cfg.window();
            this.negative = s.cfg.negative();
            this.cbow = s.cfg.model() == Word2VecConfig.Model.CBOW;
            this.grad = new float[dim];
            this.neu1 = new float[dim];
            this.targets = new int[negative + 1];
            this.scores = new float[negative + 1];
            this.rand = s.cfg.seed() * 31 + id + 1;
        }

        private long next() {
            rand = rand * 25214903917L + 11;
            return rand;
        }

        void run(Chunks.ChunkSource source) throws Exception {
            for (Chunks.Chunk c; (c = source.next()) != null; ) {
                float alpha = s.alphaAt(s.wordsDone.get());
                int from = c.start();
                for (int k = 0; k < c.sentences(); k++) {
                    int to = c.ends()[c.firstSentence() + k];
                    sentence(c.ids(), from, to, alpha);
                    from = to;
                }
                s.wordsDone.addAndGet(c.vocabWords() * s.scale);
                s.rawDone.addAndGet(c.rawWords());
                s.lossSum.add(loss);
                s.pairs.add(pairs);
                s.epochLoss[c.epoch()].add(loss);
                s.epochPairs[c.epoch()].add(pairs);
                if (id == 0) report(c.epoch(), alpha);
                loss = 0;
                pairs = 0;
            }
        }

        private void report(int epoch, float alpha) {
            long now = System.nanoTime();
            if (now - lastReport < 100_000_000L) return;
            lastReport = now;
            double pairsNow = s.pairs.sumThenReset(), lossNow = s.lossSum.sumThenReset();
            long raw = s.rawDone.get();
            s.events.on(new TrainingEvent.Words(epoch + 1, s.cfg.epochs(), raw, s.totalRaw, alpha,
                    pairsNow == 0 ? Float.NaN : (float) (lossNow / pairsNow), raw / Math.max(1e-9, (now - s.start) / 1e9)));
        }

        /** Subsamples one sentence into {@code sen}, then trains on every position of it. */
        private void sentence(int[] ids, int from, int to, float alpha) {
            if (sen.length < to - from) sen = new int[to - from];
            int n = 0;
            float[] keep = s.keep;
            for (int i = from; i < to; i++) {
                int w = ids[i];
                float p = keep[w];
                if (p < 1f && p < ((next() >>> 16) & 0xFFFF) / 65536f) continue;
                sen[n++] = w;
            }
            for (int pos = 0; pos < n; pos++) {
                int b = (int) Long.remainderUnsigned(next(), window);
                if (cbow) cbowAt(pos, n, b, alpha);
                else skipGramAt(pos, n, b, alpha);
            }
        }

        /** Fills {@code targets} with the true word then up to {@code negative} noise words (never the true one). */
        private int targets(int word) {
            targets[0] = word;
            int count = 1;
            AliasTable noise = s.noise;
            for (int d = 0; d < negative; d++) {
                int t = noise.sample(next(), next());
                if (t == word) continue;
                targets[count++] = t;
            }
            return count;
        }

        private void skipGramAt(int pos, int n, int b, float alpha) {
            int word = sen[pos];
            for (int c = contextStart(pos, window, b), end = contextEnd(pos, n, window, b); c < end; c++) {
                if (c == pos) continue;
                int l1 = sen[c] * dim;
                int count = targets(word);
                loss += NegativeSampling.update(dim, s.syn0, l1, s.syn1, targets, count, alpha, grad, scores);
                pairs += count;
                Blas.saxpy(dim, 1f, grad, 0, s.syn0, l1);
                if (s.changed0 != null) changed(sen[c], count);
            }
        }

        private void cbowAt(int pos, int n, int b, float alpha) {
            Arrays.fill(neu1, 0f);
            int cw = 0, start = contextStart(pos, window, b), end = contextEnd(pos, n, window, b);
            for (int c = start; c < end; c++) {
                if (c == pos) continue;
                Blas.saxpy(dim, 1f, s.syn0, sen[c] * dim, neu1, 0);
                cw++;
            }
            if (cw == 0) return;
            Blas.sscal(dim, 1f / cw, neu1, 0, neu1, 0);
            int count = targets(sen[pos]);
            loss += NegativeSampling.update(dim, neu1, 0, s.syn1, targets, count, alpha, grad, scores);
            pairs += count;
            for (int c = start; c < end; c++) {
                if (c == pos) continue;
                Blas.saxpy(dim, 1f, grad, 0, s.syn0, sen[c] * dim);
                if (s.changed0 != null) changed(sen[c], count);
            }
        }

        /** Marks the input row {@code input} and the output rows of the first {@code count} targets changed. */
        private void changed(int input, int count) {
            s.changed0[input] = true;
            for (int i = 0; i < count; i++) s.changed1[targets[i]] = true;
        }
    }
}
