package io.ecap.gateway.ws;

import io.ecap.gateway.journal.ScoredView;
import io.ecap.gateway.journal.VersionMetrics;
import io.ecap.gateway.live.LiveFigures;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ShadowEntryFlyweight;
import io.ecap.model.binary.DecisionFlyweight;
import io.vertx.core.eventbus.EventBus;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the journal from its end and publishes every REVIEW and DECLINE decision, with its transaction, on the
 * event bus address {@link #ADDRESS}, whatever path the transaction came by; with live figures on, counts every
 * decision into them ({@link LiveFigures}), and every decision and the challenger's into the per-version metrics
 * ({@link VersionMetrics}). Runs on its own thread.
 */
public final class AlertFeed implements AutoCloseable {
    public static final String ADDRESS = "ecap.alerts";
    private static final Logger LOG = LoggerFactory.getLogger(AlertFeed.class);

    private final Journal journal;
    private final EventBus bus;
    private final AtomicInteger listeners;
    private final LiveFigures live;
    private final VersionMetrics versions;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param listeners the WebSockets following the alerts now: none, and no alert is written out (each is a JSON
     *                  document and an event-bus message, a few percent of the service's CPU under load)
     * @param live     the live figures to count decisions into, or null
     * @param versions the per-version metrics to count decisions into, or null
     */
    public AlertFeed(final Journal journal, final EventBus bus, final AtomicInteger listeners, final LiveFigures live,
        final VersionMetrics versions) {
        this.journal = journal;
        this.bus = bus;
        this.listeners = listeners;
        this.live = live;
        this.versions = versions;
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
        final DecisionFlyweight shadowDecision = new DecisionFlyweight();
        try (JournalReader reader = journal.reader().toEnd()) {
            while (running) {
                if (!reader.next()) {
                    idle.idle();
                    continue;
                }
                idle.reset();
                if (reader.type() == EntryType.SHADOW_DECISION) {
                    countShadow(reader, shadowDecision);
                    continue;
                }
                if (reader.type() != EntryType.SCORED) {
                    continue;
                }
                try {
                    publish(view.wrap(reader));
                } catch (final RuntimeException e) {
                    // one entry it cannot handle must not stop the alerts for good: said, and the feed goes on
                    LOG.warn("alert feed: journal entry {} skipped: {}", Long.toHexString(reader.index()),
                        e.toString());
                }
            }
        }
    }

    private void publish(final ScoredView view) {
        if (view.isAlert() && listeners.get() > 0) {
            bus.publish(ADDRESS, view.json());
        }
        if (live != null) {
            live.count(view.outcome(), view.isAlert() ? view.merchantId() : null, System.currentTimeMillis());
        }
        if (versions != null) {
            count("live", view.decision());
            final DecisionFlyweight shadow = view.shadow();
            if (shadow != null) {
                count("shadow", shadow);
            }
        }
    }

    /** The challenger's decision on the transaction before it (journaled after that one's answer). */
    private void countShadow(final JournalReader reader, final DecisionFlyweight into) {
        if (versions == null) {
            return;
        }
        try {
            count("shadow", ShadowEntryFlyweight.decode(reader.buffer(), 0, reader.length(), into));
        } catch (final RuntimeException e) {
            LOG.warn("alert feed: journal entry {} skipped: {}", Long.toHexString(reader.index()), e.toString());
        }
    }

    private void count(final String role, final DecisionFlyweight d) {
        versions.count(role, d.string(DecisionFlyweight.RULE_SET_VERSION), d.string(DecisionFlyweight.MODEL_VERSION),
            d.outcome(), d.score());
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
