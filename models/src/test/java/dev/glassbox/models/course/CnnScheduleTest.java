package dev.glassbox.models.course;

import dev.glassbox.data.DataLoader;
import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Linear;
import dev.glassbox.optim.Adam;
import dev.glassbox.optim.LRScheduler;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

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
        assertEquals(2e-3f, recipe.defaults("w4").lr(), 0f);
        assertEquals(32, recipe.defaults("w4").batch());
    }

    @Test
    void theLoopStepsTheScheduleAfterEveryBatch() {
        Linear layer = new Linear(3, 2, new Generator(1));
        Adam opt = new Adam(layer.parameters(), 1f);
        TensorDataset data = TensorDataset.ofLabels(Tensor.randn(new Generator(2), 10, 3), new int[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1});
        DataLoader loader = new DataLoader(data, 4, new Generator(3));   // 3 batches an epoch
        var s = new LRScheduler.StepLR(opt, 1, 0.5f);
        Trainer.fit(layer, opt, s, loader, 2, b -> F.crossEntropy(layer.forward(b.inputs()), b.labels()), null, EventListener.NONE);
        assertEquals(Math.pow(0.5, 6), opt.lr(), 1e-9, "six batches, six halvings");
    }
}
