package dev.glassbox.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that a crash leaves either the old file or the new one, never half of one:
 * the bytes go to a temporary file in the same folder, are forced to disk, then renamed over
 * the target.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Something that writes a file's content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || abs.getFileName() == null) {
            throw new IOException(target + " is not a file name (a file system root); give a path to a file");
        }
        if (Files.isDirectory(abs)) throw new IOException(target + " is a folder; give a path to a file in it");
        boolean replacing = Files.exists(abs);
        if (replacing && !Files.isRegularFile(abs)) {
            throw new IOException(target + " is not a regular file (a device, a pipe or a socket): give a path to a file");
        }
        if (replacing && !writable(abs)) throw new IOException(target + " is read-only: make it writable (chmod u+w) or give another path");
        for (Path up = dir; up != null; up = up.getParent()) {
            if (Files.exists(up) && !Files.isDirectory(up)) throw new IOException(target + ": " + up + " is a file, not a folder");
        }
        Files.createDirectories(dir);
        // A temporary file of our own (CREATE_NEW), made with the process's umask like any other
        // file it writes: Files.createTempFile would make it, and so the target, readable by its
        // owner only.
        Path tmp;
        FileChannel opened;
        for (int attempt = 0; ; attempt++) {
            Path candidate = dir.resolve("." + abs.getFileName() + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                opened = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                tmp = candidate;
                break;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
        try {
            try (FileChannel ch = opened;
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            if (replacing) keepMode(abs, tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(Path target, byte[] bytes) throws IOException { write(target, out -> out.write(bytes)); }

    /** Whether the user may replace a file: writable for the process, and (on POSIX) not stripped of its owner's write bit, which root would ignore. */
    private static boolean writable(Path file) throws IOException {
        if (!Files.isWritable(file)) return false;
        var posix = Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class);
        return posix == null || posix.readAttributes().permissions().contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    /** The replaced file's permissions on its replacement (a file made group-readable stays so). */
    private static void keepMode(Path old, Path replacement) throws IOException {
        var posix = Files.getFileAttributeView(old, java.nio.file.attribute.PosixFileAttributeView.class);
        if (posix != null) Files.setPosixFilePermissions(replacement, posix.readAttributes().permissions());
    }

    /**
     * Deletes what an interrupted {@link #write} of {@code target} left behind (a process killed
     * mid-write leaves its temporary file, {@code .NAME.xxxx.tmp}, beside the target) and returns
     * the files deleted. Call it before writing to a file again.
     */
    public static List<Path> removeLeftovers(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || abs.getFileName() == null || !Files.isDirectory(dir)) return List.of();
        String prefix = "." + abs.getFileName() + ".";
        List<Path> removed = new ArrayList<>();
        try (var files = Files.newDirectoryStream(dir, f -> {
            String n = f.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp") && n.substring(prefix.length(), n.length() - 4).matches("[0-9a-z]{1,13}");
        })) {
            for (Path f : files) {
                if (Files.isRegularFile(f) && Files.deleteIfExists(f)) removed.add(f);
            }
        }
        return removed;
    }
}
