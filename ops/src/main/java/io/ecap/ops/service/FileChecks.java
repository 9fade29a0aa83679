package io.ecap.ops.service;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Why a file named by a user cannot be read or written, said before anything is created, so that every entry point
 * (options, settings) refuses it with the same words: "no such file", "is a directory", "permission denied".
 */
public final class FileChecks {
    private FileChecks() {
    }

    /** Null if {@code file} is a regular file that can be read; otherwise what is wrong with it. */
    public static String unreadable(final Path file) {
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (Files.isDirectory(file)) {
            return "is a directory, not a file";
        }
        return Files.isReadable(file) ? null : "cannot be read (permission denied)";
    }

    /** Null if {@code file} can be created or replaced; otherwise what is wrong with it. */
    public static String unwritable(final Path file) {
        if (Files.isDirectory(file)) {
            return "is a directory, not a file";
        }
        final Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return "no such folder " + parent;
        }
        if (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(parent)) {
            return "cannot be written (permission denied)";
        }
        return null;
    }
}
