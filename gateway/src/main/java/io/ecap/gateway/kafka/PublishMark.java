package io.ecap.gateway.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The publisher's local note of the last journal index it committed to Kafka: 8 bytes in a memory-mapped file, so an
 * update costs a store and survives {@code kill -9}. Written only after Kafka confirmed the transaction, so it never
 * runs ahead of Kafka; Kafka's own record ({@link PublishedPosition}) covers a lost or older file.
 */
final class PublishMark implements AutoCloseable {
    private final FileChannel channel;
    private final MappedByteBuffer mapped;

    PublishMark(final Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, Long.BYTES);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot open the publisher's position file " + file, e);
        }
    }

    long get() {
        return mapped.getLong(0);
    }

    void set(final long journalIndex) {
        mapped.putLong(0, journalIndex);
    }

    @Override
    public void close() {
        mapped.force();
        try {
            channel.close();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
