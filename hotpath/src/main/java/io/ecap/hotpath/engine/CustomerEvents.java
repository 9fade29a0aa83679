package io.ecap.hotpath.engine;

import io.ecap.hotpath.engine.EngineCounters.Counter;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.model.binary.CustomerProfileFlyweight;
import io.ecap.model.binary.ProductUpdateFlyweight;
import io.ecap.model.binary.UserEventFlyweight;
import io.ecap.model.shard.Shard;
import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;

/**
 * The {@link Engine}'s events that are not payments: clickstream events (counted for the customer), product updates
 * (journaled for the lake) and customer profiles from the lake (the customer's {@code customer.segment},
 * {@code predicted_clv_usd}, {@code churn_risk} and {@code lifetime_orders} features). Each is journaled first and
 * applied after, like a payment; recovery and replay apply the journaled entry the same way.
 */
final class CustomerEvents {
    private final FeatureStore store;
    private final EntrySink sink;
    private final TransactionEntities entities;
    private final EngineCounters counters;
    private final UserEventFlyweight userEvent = new UserEventFlyweight();
    private final ProductUpdateFlyweight productUpdate = new ProductUpdateFlyweight();
    private final CustomerProfileFlyweight profile = new CustomerProfileFlyweight();
    private final AsciiSequenceView idView = new AsciiSequenceView();
    private Shard shard = Shard.SINGLE;

    CustomerEvents(final FeatureStore store, final EntrySink sink, final TransactionEntities entities,
        final EngineCounters counters) {
        this.store = store;
        this.sink = sink;
        this.entities = entities;
        this.counters = counters;
    }

    void shard(final Shard owned) {
        this.shard = owned;
    }

    long userEvent(final DirectBuffer message, final int offset, final int length) {
        userEvent.wrapForDecode(message, offset, length);
        requireOwned(message, userEvent.stringOffset(UserEventFlyweight.CUSTOMER_ID),
            userEvent.stringLength(UserEventFlyweight.CUSTOMER_ID));
        return journalAndApply(message, offset, length, EntryType.USER_EVENT, Counter.USER_EVENTS);
    }

    long productUpdate(final DirectBuffer message, final int offset, final int length) {
        productUpdate.wrapForDecode(message, offset, length);
        return journalAndApply(message, offset, length, EntryType.PRODUCT_UPDATE, Counter.PRODUCT_UPDATES);
    }

    /**
     * A profile replaces the customer's one before it (creating the customer if the engine has not seen them: their
     * first payment then finds the profile); see {@code EntityUpdater.applyProfile}.
     */
    long customerProfile(final DirectBuffer message, final int offset, final int length) {
        profile.wrapForDecode(message, offset, length);
        requireOwned(message, profile.stringOffset(CustomerProfileFlyweight.CUSTOMER_ID),
            profile.stringLength(CustomerProfileFlyweight.CUSTOMER_ID));
        return journalAndApply(message, offset, length, EntryType.CUSTOMER_PROFILE, Counter.CUSTOMER_PROFILES);
    }

    /** Recovery and replay: applies a journaled event of one of these types (the engine completes the change). */
    void applyJournaled(final JournalReader reader, final long journalIndex) {
        switch (reader.type()) {
            case EntryType.USER_EVENT -> userEvent.wrapForDecode(reader.buffer(), 0, reader.length());
            case EntryType.CUSTOMER_PROFILE -> profile.wrapForDecode(reader.buffer(), 0, reader.length());
            default -> {
                // a product update: journaled for the lake only
            }
        }
        apply(reader.type(), journalIndex);
    }

    private void requireOwned(final DirectBuffer message, final int customerOffset, final int customerLength) {
        if (shard.sharded()) {
            shard.requireOwned(message, customerOffset, customerLength);
        }
    }

    private long journalAndApply(final DirectBuffer message, final int offset, final int length, final int type,
        final Counter counter) {
        final long journalIndex = sink.append(message, offset, length);
        try {
            apply(type, journalIndex);
            store.appliedThrough(journalIndex);
        } catch (final RuntimeException e) {
            entities.rollback();
            throw e;
        }
        store.complete();
        counters.increment(counter);
        counters.set(Counter.JOURNAL_INDEX, journalIndex);
        return journalIndex;
    }

    private void apply(final int type, final long journalIndex) {
        if (type == EntryType.USER_EVENT && userEvent.stringLength(UserEventFlyweight.CUSTOMER_ID) > 0) {
            entities.bindOne(EntityKind.CUSTOMER, userEvent.view(UserEventFlyweight.CUSTOMER_ID, idView));
            if (entities.lockUpTo(journalIndex, userEvent.tsMs()) > 0) {
                entities.applyClick(userEvent.tsMs());
                entities.commit(journalIndex, userEvent.tsMs());
            }
        } else if (type == EntryType.CUSTOMER_PROFILE) {
            entities.bindOne(EntityKind.CUSTOMER, profile.view(CustomerProfileFlyweight.CUSTOMER_ID, idView));
            if (entities.lockUpTo(journalIndex, profile.tsMs()) > 0) {
                entities.applyProfile(profile);
                entities.commit(journalIndex, profile.tsMs());
            }
        }
    }
}
