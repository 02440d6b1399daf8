package dev.glassbox.models.word2vec;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How word2vec's threads get their work: chunks of whole sentences as word ids, about
 * {@link Word2Vec#CHUNK_WORDS} words each, from the corpus kept in memory ({@link InMemory}) or
 * read from disk every epoch by a reader thread ({@link Streamed}).
 */
final class Chunks {
    private Chunks() {}

        /**
         * A run of whole sentences: word ids {@code ids[start, ends[firstSentence + sentences − 1])},
         * sentence k ending at {@code ends[firstSentence + k]}.
         */
        record Chunk(int epoch, int[] ids, int start, int[] ends, int firstSentence, int sentences, long vocabWords, long rawWords) {}

        /** Hands chunks to the workers; null when the run is done. Thread-safe. */
        interface ChunkSource {
            Chunk next() throws Exception;

            default void abort() {}

            default void close() {}

            default Throwable failure() { return null; }
        }

        /** The whole corpus as word ids, cut into chunks once and walked {@code epochs} times. */
        static final class InMemory implements ChunkSource {
            private final int[] ids, ends, chunkStarts;
            private final long[] chunkRaw;
            private final int epochs;
            private final AtomicInteger nextJob = new AtomicInteger();
            private volatile boolean aborted;

            private InMemory(int[] ids, int[] ends, int[] chunkStarts, long[] chunkRaw, int epochs) {
                this.ids = ids;
                this.ends = ends;
                this.chunkStarts = chunkStarts;
                this.chunkRaw = chunkRaw;
                this.epochs = epochs;
            }

            static InMemory encode(Corpus corpus, Vocabulary vocab, int epochs) throws IOException {
                IntList ids = new IntList(), ends = new IntList(), chunkStarts = new IntList();
                List<Long> raw = new ArrayList<>();
                long[] rawInChunk = {0};
                int[] wordsInChunk = {0};
                chunkStarts.add(0);
                corpus.forEach((tokens, n) -> {
                    for (int i = 0; i < n; i++) {
                        int id = vocab.indexOf(tokens[i]);
                        if (id >= 0) ids.add(id);
                    }
                    rawInChunk[0] += n;
                    wordsInChunk[0] += n;
                    ends.add(ids.size);
                    if (wordsInChunk[0] >= Word2Vec.CHUNK_WORDS) {
                        chunkStarts.add(ends.size);
                        raw.add(rawInChunk[0]);
                        rawInChunk[0] = 0;
                        wordsInChunk[0] = 0;
                    }
                });
                if (chunkStarts.get(chunkStarts.size - 1) < ends.size) {
                    chunkStarts.add(ends.size);
                    raw.add(rawInChunk[0]);
                }
                long[] r = new long[raw.size()];
                for (int i = 0; i < r.length; i++) r[i] = raw.get(i);
                return new InMemory(ids.toArray(), ends.toArray(), chunkStarts.toArray(), r, epochs);
            }

            /**
             * Chunks {@code ⌊C·part/parts⌋} to {@code ⌊C·(part + 1)/parts⌋ − 1} of the C chunks,
             * walked {@code epochs} times: a worker's part of the corpus, its ids copied out so the
             * whole corpus's can go.
             */
            InMemory part(int part, int parts, int epochs) {
                int c = chunkRaw.length, lo = (int) ((long) c * part / parts), hi = (int) ((long) c * (part + 1) / parts);
                int first = chunkStarts[lo], last = chunkStarts[hi];   // sentences [first, last)
                int from = first == 0 ? 0 : ends[first - 1], to = last == 0 ? 0 : ends[last - 1];
                int[] myEnds = Arrays.copyOfRange(ends, first, last), myStarts = Arrays.copyOfRange(chunkStarts, lo, hi + 1);
                for (int i = 0; i < myEnds.length; i++) myEnds[i] -= from;
                for (int i = 0; i < myStarts.length; i++) myStarts[i] -= first;
                return new InMemory(Arrays.copyOfRange(ids, from, to), myEnds, myStarts, Arrays.copyOfRange(chunkRaw, lo, hi), epochs);
            }

            /** The same chunks from the start, walked {@code epochs} times (this source is used up once walked). */
            InMemory again(int epochs) { return new InMemory(ids, ends, chunkStarts, chunkRaw, epochs); }

            /** The training words (in the vocabulary) and the raw words of this source's chunks, one walk. */
            long[] words() {
                long[] out = new long[2];
                for (int c = 0; c + 1 < chunkStarts.length; c++) {
                    int first = chunkStarts[c], last = chunkStarts[c + 1];
                    out[0] += ends[last - 1] - (first == 0 ? 0 : ends[first - 1]);
                    out[1] += chunkRaw[c];
                }
                return out;
            }

            @Override
            public Chunk next() {
                if (aborted) return null;
                int chunks = chunkRaw.length;
                int job = nextJob.getAndIncrement();
                if (job >= chunks * epochs) return null;
                int epoch = job / chunks, c = job % chunks;
                int first = chunkStarts[c], last = chunkStarts[c + 1];
                int start = first == 0 ? 0 : ends[first - 1];
                long words = ends[last - 1] - start;
                return new Chunk(epoch, ids, start, ends, first, last - first, words, chunkRaw[c]);
            }

            @Override
            public void abort() { aborted = true; }
        }

        /** A reader thread reads and encodes the corpus every epoch; workers take its chunks from a queue. */
        static final class Streamed implements ChunkSource {
            private static final Chunk END = new Chunk(-1, new int[0], 0, new int[0], 0, 0, 0, 0);
            private final BlockingQueue<Chunk> queue;
            private final Thread reader;
            private final AtomicReference<Throwable> failure = new AtomicReference<>();
            private volatile boolean aborted;

            Streamed(Corpus corpus, Vocabulary vocab, int epochs, int workers) {
                queue = new ArrayBlockingQueue<>(2 * workers + 2);
                reader = new Thread(() -> {
                    try {
                        for (int e = 0; e < epochs && !aborted; e++) {
                            int epoch = e;
                            IntList ids = new IntList(), ends = new IntList();
                            long[] raw = {0};
                            corpus.forEach((tokens, n) -> {
                                for (int i = 0; i < n; i++) {
                                    int id = vocab.indexOf(tokens[i]);
                                    if (id >= 0) ids.add(id);
                                }
                                ends.add(ids.size);
                                raw[0] += n;
                                if (raw[0] >= Word2Vec.CHUNK_WORDS) {
                                    put(new Chunk(epoch, ids.toArray(), 0, ends.toArray(), 0, ends.size, ids.size, raw[0]));
                                    ids.size = 0;
                                    ends.size = 0;
                                    raw[0] = 0;
                                }
                            });
                            if (ends.size > 0) put(new Chunk(epoch, ids.toArray(), 0, ends.toArray(), 0, ends.size, ids.size, raw[0]));
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        for (int w = 0; w < workers; w++) {
                            try {
                                queue.put(END);
                            } catch (InterruptedException ie) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                    }
                }, "word2vec-reader");
                reader.setDaemon(true);
                reader.start();
            }

            private void put(Chunk c) throws IOException {
                try {
                    while (!aborted && !queue.offer(c, 100, TimeUnit.MILLISECONDS)) { /* wait for room */ }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                if (aborted) throw new IOException("aborted");
            }

            @Override
            public Chunk next() throws InterruptedException {
                if (aborted) return null;
                Chunk c = queue.take();
                return c == END ? null : c;
            }

            @Override
            public void abort() {
                aborted = true;
                queue.clear();
            }

            @Override
            public void close() {
                try {
                    reader.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public Throwable failure() { return aborted && failure.get() instanceof IOException io && "aborted".equals(io.getMessage()) ? null : failure.get(); }
        }

        /** A growable int array. */
        static final class IntList {
            int[] a = new int[1024];
            int size;

            void add(int v) {
                if (size == a.length) a = Arrays.copyOf(a, a.length * 2);
                a[size++] = v;
            }

            int get(int i) { return a[i]; }

            int[] toArray() { return Arrays.copyOf(a, size); }
        }
}
