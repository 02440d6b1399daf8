package dev.glassbox.models;

import dev.glassbox.models.course.AutoencoderRecipe;
import dev.glassbox.models.course.CnnRecipe;
import dev.glassbox.models.course.DcganRecipe;
import dev.glassbox.models.course.DnnRecipe;
import dev.glassbox.models.course.LinearRecipe;
import dev.glassbox.models.course.LogisticRecipe;
import dev.glassbox.models.course.VaeRecipe;
import dev.glassbox.models.rnn.LanguageModelRecipe;
import dev.glassbox.models.rnn.RnnRecipe;
import dev.glassbox.models.seq2seq.Seq2SeqRecipe;
import dev.glassbox.models.transformer.TransformerRecipe;
import dev.glassbox.models.word2vec.Word2VecRecipe;
import dev.glassbox.nn.Recurrent;

import java.util.List;

/** The models that exist, in the course's order. */
public final class Recipes {
    private static final List<Recipe<?>> ALL = List.of(new LinearRecipe(), new LogisticRecipe(), new DnnRecipe(), new CnnRecipe(),
            new AutoencoderRecipe(), new Word2VecRecipe(), new RnnRecipe(),
            new LanguageModelRecipe("lstm", Recurrent.Mode.LSTM), new LanguageModelRecipe("gru", Recurrent.Mode.GRU), new Seq2SeqRecipe(), new TransformerRecipe(),
            new VaeRecipe(), new DcganRecipe());
    /** Names the course has that later work will add. */
    private static final List<String> PLANNED = List.of();

    private Recipes() {}

    public static List<Recipe<?>> all() { return ALL; }

    public static List<String> names() { return ALL.stream().map(Recipe::name).toList(); }

    /** The recipe of that name, or an error listing the ones that exist. */
    public static Recipe<?> get(String name) {
        for (Recipe<?> r : ALL) if (r.name().equals(name)) return r;
        if (PLANNED.contains(name)) {
            throw new IllegalArgumentException("model '" + name + "' is not built yet; available: " + String.join(", ", names()));
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; available: " + String.join(", ", names()));
    }
}
