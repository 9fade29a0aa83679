package io.ecap.gateway.ws;

import io.ecap.gateway.journal.ScoredView;
import io.ecap.gateway.live.LiveFigures;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.vertx.core.eventbus.EventBus;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Follows the journal from its end and publishes every REVIEW and DECLINE decision, with its transaction, on the
 * event bus address {@link #ADDRESS}, whatever path the transaction came by; with live figures on, counts every
 * decision into them ({@link LiveFigures}). Runs on its own thread.
 */
public final class AlertFeed implements AutoCloseable {
    public static final String ADDRESS = "ecap.alerts";

    private final Journal journal;
    private final EventBus bus;
    private final LiveFigures live;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param live the live figures to count decisions into, or null */
    public AlertFeed(final Journal journal, final EventBus bus, final LiveFigures live) {
        this.journal = journal;
        this.bus = bus;
        this.live = live;
        this.thread = new Thread(this::run, "ecap-alerts");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        // alerts go to people watching a console: a millisecond or ten of delay is invisible, while waking for every
        // entry under load took a few percent of a core (the wake-ups, not the reading); so it sleeps at least 1 ms
        // and then reads everything that arrived meanwhile
        final IdleStrategy idle = new BackoffIdleStrategy(1, 1, TimeUnit.MILLISECONDS.toNanos(1),
            TimeUnit.MILLISECONDS.toNanos(10));
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
                if (live != null) {
                    live.count(view.outcome(), view.isAlert() ? view.merchantId() : null, System.currentTimeMillis());
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
