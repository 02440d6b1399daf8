package dev.glassbox.models.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageGridTest {
    @TempDir
    Path dir;

    /** Three 2×2 images: a 2×2 grid of cells enlarged 14 times, grey lines between, each pixel's grey from its value. */
    @Test
    void drawsAndWritesAGrid() throws IOException {
        float[] px = {0f, 1f, 0.5f, 2f, /* */ 1f, 1f, 1f, 1f, /* */ 0f, 0f, 0f, -1f};
        Path f = dir.resolve("g.png");
        ImageGrid.write(px, 3, 2, f);
        BufferedImage img = ImageIO.read(f.toFile());
        assertEquals(2 * (28 + 2) + 2, img.getWidth());
        assertEquals(2 * (28 + 2) + 2, img.getHeight());
        var r = img.getRaster();
        assertEquals(96, r.getSample(0, 0, 0), "the lines");
        assertEquals(0, r.getSample(2, 2, 0));
        assertEquals(255, r.getSample(2 + 14, 2, 0));
        assertEquals(128, r.getSample(2, 2 + 14, 0));
        assertEquals(255, r.getSample(2 + 27, 2 + 27, 0), "2 is drawn as 1");
        assertEquals(255, r.getSample(2 + 30, 2, 0), "the second image");
        assertEquals(0, r.getSample(2 + 27, 2 + 30 + 27, 0), "-1 is drawn as 0");
        assertEquals(96, r.getSample(2 + 30 + 5, 2 + 30 + 5, 0), "no fourth image");
        var nan = assertThrows(IllegalArgumentException.class, () -> ImageGrid.draw(new float[] {0f, Float.NaN, 0f, 0f}, 1, 2));
        assertEquals("image grid: image 0 holds NaN at row 0, column 1", nan.getMessage());
    }

    @Test
    void checksSizeAndTargetFirst() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageGrid.check(0, dir.resolve("a.png"))).getMessage().contains("1 to 1024"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageGrid.check(4, dir)).getMessage().endsWith("is a folder; give a file name in it, ending in .png"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageGrid.check(4, dir.resolve("no/a.png"))).getMessage().contains("does not exist"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageGrid.check(4, dir.resolve("a.jpg"))).getMessage().contains("ending in .png"));
    }
}
