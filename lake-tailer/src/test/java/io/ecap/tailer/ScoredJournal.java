package io.ecap.tailer;

import io.ecap.hotpath.engine.Commands;
import io.ecap.hotpath.engine.EngineClient;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.model.json.TransactionJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** A data folder whose journal holds payments a real engine scored, for the tailer to load; a tailer following it. */
final class ScoredJournal {
    private ScoredJournal() {
    }

    /** Journals {@code count} scored payments with a real engine. */
    static void write(final Path data, final int count) throws Exception {
        write(data, 0, count);
    }

    /** Journals {@code count} scored payments with a real engine, numbered from {@code from}. */
    static void write(final Path data, final int from, final int count) throws Exception {
        final TransactionJson json = new TransactionJson();
        final ExpandableArrayBuffer message = new ExpandableArrayBuffer(1024);
        try (EngineRunner engine = EngineRunner.start(EngineConfig.defaults(data).withEntries(1000, 1000),
            Throwable::printStackTrace)) {
            final EngineClient client = engine.newClient();
            final EngineClient.ResponseHandler ignore = (type, id, index, body, at, length) -> { };
            for (int i = from; i < from + count; i++) {
                final byte[] line = ("{\"txnId\":\"t-" + i + "\",\"ts\":" + (1_795_500_000_000L + i * 1000L)
                    + ",\"customerId\":\"c-" + i % 7 + "\",\"cardId\":\"k-" + i % 7 + "\",\"merchantId\":\"m-1\","
                    + "\"amount\":\"12.50\",\"currency\":\"USD\"}").getBytes(StandardCharsets.UTF_8);
                final int length = json.parse(new UnsafeBuffer(line), 0, line.length, message, 0);
                while (client.offer(Commands.SCORE, message, 0, length) < 0) {
                    client.poll(ignore, 64);
                }
            }
            while (client.inFlight() > 0) {
                client.poll(ignore, 64);
            }
        }
    }

    /** Starts a thread in which {@code tailer} follows its journal, a batch every 20 ms, until {@code stop}. */
    static Thread follow(final LakeTailer tailer, final java.util.concurrent.atomic.AtomicBoolean stop) {
        final Thread follower = new Thread(() -> {
            try {
                tailer.follow(20, stop::get, s -> { });
            } catch (final java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "follower");
        follower.start();
        return follower;
    }
}
