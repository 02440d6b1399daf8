package dev.glassbox.models.data;

import dev.glassbox.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Points of the plane coloured by class, with axes and a legend, drawn with Java2D and written as a PNG. */
public final class Scatter {
    /** Ten colours a reader tells apart (matplotlib's tab10), class 0 first. */
    private static final int[] COLOURS = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

    private Scatter() {}

    /** Draws points (x[i], y[i]) of class labels[i] (0-9) on a 640×640 image, titled {@code title}, axes named {@code xName}, {@code yName}. */
    public static BufferedImage draw(float[] x, float[] y, int[] labels, String title, String xName, String yName) {
        if (x.length != y.length || x.length != labels.length || x.length == 0) {
            throw new IllegalArgumentException("scatter: " + x.length + " x, " + y.length + " y and " + labels.length + " labels");
        }
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i]) || !Float.isFinite(y[i])) throw new IllegalArgumentException("scatter: point " + i + " is (" + x[i] + ", " + y[i] + ")");
            lo = Math.min(lo, Math.min(x[i], y[i]));
            hi = Math.max(hi, Math.max(x[i], y[i]));
        }
        float pad = Math.max(1e-3f, (hi - lo) * 0.05f);
        lo -= pad;
        hi += pad;
        int size = 640, left = 60, top = 40, plot = 520;
        BufferedImage img = new BufferedImage(size + 80, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.DARK_GRAY);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(left, top, plot, plot);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            g.drawString(title, left, top - 14);
            g.drawString(xName, left + plot / 2 - 10, top + plot + 40);
            g.drawString(yName, 8, top + plot / 2 + plot / 8);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int t = 0; t <= 4; t++) {
                float v = lo + (hi - lo) * t / 4;
                String s = String.format(Locale.ROOT, "%.1f", v);
                int px = left + plot * t / 4, py = top + plot - plot * t / 4;
                g.drawLine(px, top + plot, px, top + plot + 5);
                g.drawString(s, px - 10, top + plot + 18);
                g.drawLine(left - 5, py, left, py);
                g.drawString(s, left - 40, py + 4);
            }
            for (int i = 0; i < x.length; i++) {
                int c = labels[i];
                if (c < 0 || c >= COLOURS.length) throw new IllegalArgumentException("scatter: class " + c + " of point " + i + " is not 0-9");
                g.setColor(new Color(COLOURS[c]));
                int px = left + Math.round((x[i] - lo) / (hi - lo) * plot), py = top + plot - Math.round((y[i] - lo) / (hi - lo) * plot);
                g.fillOval(px - 2, py - 2, 4, 4);
            }
            for (int c = 0; c < COLOURS.length; c++) {
                g.setColor(new Color(COLOURS[c]));
                g.fillOval(left + plot + 24, top + 10 + c * 22, 10, 10);
                g.setColor(Color.DARK_GRAY);
                g.drawString("class " + c, left + plot + 40, top + 20 + c * 22);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Writes an image as a PNG, atomically. */
    public static void write(BufferedImage img, Path out) throws IOException {
        AtomicFiles.write(out, o -> {
            if (!ImageIO.write(img, "png", o)) throw new IOException("no PNG writer in this JDK");
        });
    }
}
