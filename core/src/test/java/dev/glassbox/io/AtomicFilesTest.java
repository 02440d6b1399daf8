package dev.glassbox.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Atomic writes: the whole new file or the old one, no temporary left behind, the usual permissions. */
class AtomicFilesTest {
    @Test
    void writesReplacesAndLeavesNothingBehind(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("sub").resolve("model.safetensors");
        AtomicFiles.write(f, "first".getBytes(StandardCharsets.UTF_8));
        assertEquals("first", Files.readString(f));
        AtomicFiles.write(f, "second".getBytes(StandardCharsets.UTF_8));
        assertEquals("second", Files.readString(f));
        try (var s = Files.list(f.getParent())) {
            assertEquals(List.of(f), s.toList(), "only the target is left in its folder");
        }
    }

    @Test
    void aFailedWriteKeepsTheOldFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("state.bin");
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[] {9, 9});
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), boxed(Files.readAllBytes(f)));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "the temporary file is removed");
        }
    }

    @Test
    void theFileGetsThePermissionsOfAnyOtherNewFile(@TempDir Path dir) throws IOException {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) return;   // nothing to compare on this file system
        Path plain = dir.resolve("plain.txt");
        Files.write(plain, new byte[] {1});
        Path atomic = dir.resolve("atomic.txt");
        AtomicFiles.write(atomic, new byte[] {1});
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(atomic),
                "an atomically written file is made with the process's umask like " + plain.getFileName());
    }

    @Test
    void aFolderOrARootIsRefusedByName(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("checkpoints");
        Files.createDirectories(folder.resolve("inside"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(folder, new byte[] {1}));
        assertEquals(folder + " is a folder; give a path to a file in it", e.getMessage());
        try (var s = Files.list(folder)) {
            assertEquals(List.of(folder.resolve("inside")), s.toList(), "the folder is left as it was");
        }
        Path root = dir.getRoot();
        IOException r = assertThrows(IOException.class, () -> AtomicFiles.write(root, new byte[] {1}));
        assertEquals(root + " is not a file name (a file system root); give a path to a file", r.getMessage());
    }

    /** A device node, a read-only file or a path through a file is refused; a replaced file keeps its mode. */
    @Test
    void oddTargetsAreRefusedAndAReplacedFileKeepsItsMode(@TempDir Path dir) throws IOException {
        Path device = Path.of("/dev/null");
        if (Files.exists(device)) {
            IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(device, new byte[] {1}));
            assertEquals("/dev/null is not a regular file (a device, a pipe or a socket): give a path to a file", e.getMessage());
            assertFalse(Files.isRegularFile(device), "the device is left alone");
        }
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
        Path readOnly = dir.resolve("frozen.safetensors");
        Files.write(readOnly, new byte[] {7});
        Files.setPosixFilePermissions(readOnly, Set.of(PosixFilePermission.OWNER_READ));
        IOException ro = assertThrows(IOException.class, () -> AtomicFiles.write(readOnly, new byte[] {1}));
        assertEquals(readOnly + " is read-only: make it writable (chmod u+w) or give another path", ro.getMessage());
        assertEquals(7, Files.readAllBytes(readOnly)[0]);
        Path shared = dir.resolve("shared.safetensors");
        Files.write(shared, new byte[] {1});
        Set<PosixFilePermission> mode = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ);
        Files.setPosixFilePermissions(shared, mode);
        AtomicFiles.write(shared, new byte[] {2});
        assertEquals(mode, Files.getPosixFilePermissions(shared), "the replacement keeps the replaced file's mode");
        Path notAFolder = dir.resolve("notes.txt");
        Files.writeString(notAFolder, "x");
        IOException through = assertThrows(IOException.class, () -> AtomicFiles.write(notAFolder.resolve("model.safetensors"), new byte[] {1}));
        assertEquals(notAFolder.resolve("model.safetensors") + ": " + notAFolder + " is a file, not a folder", through.getMessage());
        try (var left = Files.list(dir)) {
            assertEquals(Set.of(readOnly, shared, notAFolder), Set.copyOf(left.toList()), "no temporary files left behind");
        }
    }

    private static List<Byte> boxed(byte[] b) {
        java.util.ArrayList<Byte> out = new java.util.ArrayList<>();
        for (byte x : b) out.add(x);
        return out;
    }

    @Test
    void leftoversOfAnInterruptedWriteAreRemovedAndNothingElse(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("model.safetensors");
        Files.writeString(target, "good");
        Path leftover = dir.resolve(".model.safetensors.1x2y3z.tmp");
        Path otherFiles = dir.resolve(".other.safetensors.1x2y3z.tmp");
        Path notOurs = dir.resolve(".model.safetensors.backup.tmp.keep");
        for (Path p : List.of(leftover, otherFiles, notOurs)) Files.writeString(p, "half");
        assertEquals(List.of(leftover), AtomicFiles.removeLeftovers(target));
        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(otherFiles) && Files.exists(notOurs) && Files.exists(target));
        assertEquals(List.of(), AtomicFiles.removeLeftovers(dir.resolve("missing/folder/x.bin")));
    }
}
