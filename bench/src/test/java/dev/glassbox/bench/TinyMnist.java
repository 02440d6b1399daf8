package dev.glassbox.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Writes a small MNIST-format folder whose class is readable from the image (for workload tests). */
final class TinyMnist {
    private TinyMnist() {}

    static void write(Path folder, int train, int test) throws IOException {
        Files.createDirectories(folder);
        Random r = new Random(1);
        for (String part : new String[] {"train", "t10k"}) {
            int n = part.equals("train") ? train : test;
            var img = new ByteArrayOutputStream();
            var lab = new ByteArrayOutputStream();
            var io = new DataOutputStream(img);
            var lo = new DataOutputStream(lab);
            io.writeInt(0x803);
            io.writeInt(n);
            io.writeInt(28);
            io.writeInt(28);
            lo.writeInt(0x801);
            lo.writeInt(n);
            for (int i = 0; i < n; i++) {
                int c = r.nextInt(10);
                for (int p = 0; p < 784; p++) io.writeByte(p / 78 == c ? 200 + r.nextInt(50) : r.nextInt(30));
                lo.writeByte(c);
            }
            Files.write(folder.resolve(part + "-images-idx3-ubyte"), img.toByteArray());
            Files.write(folder.resolve(part + "-labels-idx1-ubyte"), lab.toByteArray());
        }
    }
}
