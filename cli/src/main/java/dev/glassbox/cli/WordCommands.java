package dev.glassbox.cli;

import dev.glassbox.models.word2vec.KeyedVectors;
import dev.glassbox.models.word2vec.Word2VecFormat;
import dev.glassbox.models.word2vec.Word2VecRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** Queries on saved word vectors (any word2vec text or binary file, ours or gensim's). */
final class WordCommands {
    private WordCommands() {}

    /** A map keeping the order of its keys, from key, value, key, value, ... */
    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static List<Map<String, Object>> rows(List<KeyedVectors.Neighbour> list) {
        return list.stream().map(n -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("word", n.word());
            m.put("similarity", n.similarity());
            return m;
        }).toList();
    }

    @Command(name = "similar", mixinStandardHelpOptions = true, description = "The words nearest to a word, by cosine similarity.")
    static final class Similar implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "Word vectors (word2vec text or binary format).")
        Path file;

        @Parameters(index = "1", arity = "1..2", paramLabel = "WORD",
                description = "A word (its nearest words), or two words (their similarity).")
        List<String> words;

        @Option(names = "--topn", defaultValue = "10", description = "How many neighbours (default: ${DEFAULT-VALUE}).")
        int topn;

        @Option(names = "--json", description = "Print the result as one JSON object.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            if (topn <= 0) throw new IllegalArgumentException("--topn must be positive, got " + topn);
            KeyedVectors kv = Word2VecFormat.load(file);
            if (words.size() == 2) {
                float s = kv.similarity(words.get(0), words.get(1));
                Main.OUT.println(json ? Json.write(ordered("a", words.get(0), "b", words.get(1), "similarity", s))
                        : String.format(Locale.ROOT, "%.4f", s));
                return 0;
            }
            var list = kv.mostSimilar(words.get(0), topn);
            Main.OUT.println(json ? Json.write(ordered("word", words.get(0), "neighbours", rows(list))) : Word2VecRecipe.neighbours(list));
            return 0;
        }
    }

    @Command(name = "analogy", mixinStandardHelpOptions = true,
            description = "a is to b as c is to ?: the words nearest to b - a + c (a, b and c excluded).")
    static final class Analogy implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "Word vectors (word2vec text or binary format).")
        Path file;

        @Parameters(index = "1", paramLabel = "A")
        String a;

        @Parameters(index = "2", paramLabel = "B")
        String b;

        @Parameters(index = "3", paramLabel = "C")
        String c;

        @Option(names = "--topn", defaultValue = "5", description = "How many answers (default: ${DEFAULT-VALUE}).")
        int topn;

        @Option(names = "--restrict", defaultValue = "0", description = "Answer from the N most frequent words only (default: all).")
        int restrict;

        @Option(names = "--json", description = "Print the result as one JSON object.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            if (topn <= 0) throw new IllegalArgumentException("--topn must be positive, got " + topn);
            if (restrict < 0) throw new IllegalArgumentException("--restrict must be 0 (all) or positive, got " + restrict);
            KeyedVectors kv = Word2VecFormat.load(file);
            var list = kv.analogy(a, b, c, topn, restrict);
            Main.OUT.println(json ? Json.write(ordered("a", a, "b", b, "c", c, "answers", rows(list))) : Word2VecRecipe.neighbours(list));
            return 0;
        }
    }
}
