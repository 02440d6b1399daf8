package dev.glassbox.models.course;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.LoaderBatches;
import dev.glassbox.models.train.SimpleTask;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Linear;
import dev.glassbox.optim.Adam;
import dev.glassbox.optim.LRScheduler;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The w4 preset's cosine schedule, and the training loop stepping a schedule once per batch. */
class CnnScheduleTest {
    @Test
    void w4AnnealsTheRateToZeroOverTheRunAndCourseKeepsItConstant() {
        var recipe = new CnnRecipe();
        Linear layer = new Linear(3, 2, new Generator(1));
        Adam opt = new Adam(layer.parameters(), 2e-3f);
        assertNull(recipe.scheduler("course", opt, 10));
        LRScheduler s = recipe.scheduler("w4", opt, 10);
        assertNotNull(s);
        for (int i = 0; i < 5; i++) s.step();
        assertEquals(1e-3f, opt.lr(), 1e-9f, "halfway along the cosine, half the rate");
        for (int i = 0; i < 5; i++) s.step();
        assertEquals(0f, opt.lr(), 1e-9f);
        assertEquals(2e-3f, recipe.settings("w4").lr(), 0f);
        assertEquals(32, recipe.settings("w4").batch());
    }

    @Test
    void theLoopStepsTheScheduleAfterEveryBatchOrEpoch() throws IOException {
        for (Trainer.Every every : Trainer.Every.values()) {
            Linear layer = new Linear(3, 2, new Generator(1));
            Adam opt = new Adam(layer.parameters(), 1f);
            TensorDataset data = TensorDataset.ofLabels(Tensor.randn(new Generator(2), 10, 3), new int[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1});
            var task = new SimpleTask<>(layer, opt, new LoaderBatches(data, 4, new Generator(3)),   // 3 batches an epoch
                    (TensorDataset.Batch b) -> F.crossEntropy(layer.forward(b.inputs()), b.labels()));
            new Trainer<>(task).epochs(2).schedule(new LRScheduler.StepLR(opt, 1, 0.5f), every).fit(EventListener.NONE);
            assertEquals(Math.pow(0.5, every == Trainer.Every.STEP ? 6 : 2), opt.lr(), 1e-9, "six batches or two epochs: " + every);
        }
    }
}
