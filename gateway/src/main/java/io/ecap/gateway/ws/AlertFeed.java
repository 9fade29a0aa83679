package io.ecap.gateway.ws;

import io.ecap.gateway.journal.ScoredView;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.vertx.core.eventbus.EventBus;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Follows the journal from its end and publishes every REVIEW and DECLINE decision, with its transaction, on the
 * event bus address {@link #ADDRESS}, whatever path the transaction came by. Runs on its own thread.
 */
public final class AlertFeed implements AutoCloseable {
    public static final String ADDRESS = "ecap.alerts";

    private final Journal journal;
    private final EventBus bus;
    private final Thread thread;
    private volatile boolean running = true;

    public AlertFeed(final Journal journal, final EventBus bus) {
        this.journal = journal;
        this.bus = bus;
        this.thread = new Thread(this::run, "ecap-alerts");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(10),
            TimeUnit.MILLISECONDS.toNanos(2));
        final ScoredView view = new ScoredView();
        try (JournalReader reader = journal.reader().toEnd()) {
            while (running) {
                if (!reader.next()) {
                    idle.idle();
                    continue;
                }
                idle.reset();
                if (reader.type() != EntryType.SCORED) {
                    continue;
                }
                view.wrap(reader);
                if (view.isAlert()) {
                    bus.publish(ADDRESS, view.json());
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
