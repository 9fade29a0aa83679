package io.ecap.hotpath.engine;

import io.ecap.hotpath.engine.EngineCounters.Counter;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.model.ValidationException;
import io.ecap.model.binary.MessageFormatException;
import io.ecap.model.scoring.ModelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The single writer: drains the command ring into the {@link Engine} and answers each client on its own ring. The
 * only thread that touches the feature state and appends to the journal.
 */
final class WriterAgent implements Agent, MessageHandler {
    private static final int BATCH_LIMIT = 64;

    private final Engine engine;
    private final ManyToOneRingBuffer commands;
    private final AtomicReferenceArray<EngineClient> clients;
    private final ManyToOneConcurrentArrayQueue<AdminCommand> adminQueue;
    private final EngineCounters counters;
    private final ErrorHandler errorHandler;
    private final Runnable journalHandOver;
    /** With the journal sync that covers every entry: forces the journal; null otherwise. */
    private final Runnable forceJournal;
    // answers of the current batch held back until the journal is forced (group commit): their claims in the
    // clients' rings are written but not committed, so no client sees an answer before its entry is on the disk
    private final RingBuffer[] heldRings = new RingBuffer[BATCH_LIMIT + 1];
    private final int[] heldClaims = new int[BATCH_LIMIT + 1];
    private final EngineClient[] heldClients = new EngineClient[BATCH_LIMIT + 1];
    private int held;
    private Thread owner;

    WriterAgent(final Engine engine, final ManyToOneRingBuffer commands,
        final AtomicReferenceArray<EngineClient> clients, final ManyToOneConcurrentArrayQueue<AdminCommand> adminQueue,
        final EngineCounters counters, final ErrorHandler errorHandler, final Runnable journalHandOver,
        final Runnable forceJournal) {
        this.engine = engine;
        this.forceJournal = forceJournal;
        this.journalHandOver = journalHandOver;
        this.commands = commands;
        this.clients = clients;
        this.adminQueue = adminQueue;
        this.counters = counters;
        this.errorHandler = errorHandler;
    }

    @Override
    public void onStart() {
        owner = Thread.currentThread();
        engine.handOverToCurrentThread(journalHandOver);
    }

    @Override
    public int doWork() {
        int work = commands.read(this, BATCH_LIMIT);
        releaseHeld();
        final AdminCommand admin = adminQueue.poll();
        if (admin != null) {
            runAdmin(admin);
            work++;
        }
        return work;
    }

    /** Forces the journal once for the whole batch, then lets its answers be seen. */
    private void releaseHeld() {
        if (held == 0) {
            return;
        }
        try {
            forceJournal.run();
        } catch (final RuntimeException e) {
            // the answers wait for the next batch's sync: none is seen before its entry is on the disk
            counters.increment(Counter.ERRORS);
            errorHandler.onError(e);
            return;
        }
        for (int i = 0; i < held; i++) {
            heldRings[i].commit(heldClaims[i]);
            heldClients[i].answered();
            heldRings[i] = null;
            heldClients[i] = null;
        }
        held = 0;
    }

    /** Answers everything already accepted into the ring before the engine closes. */
    @Override
    public void onClose() {
        while (commands.read(this, BATCH_LIMIT) > 0) {
            releaseHeld();
        }
        releaseHeld();
        AdminCommand admin;
        while ((admin = adminQueue.poll()) != null) {
            runAdmin(admin);
        }
    }

    @Override
    public String roleName() {
        return "ecap-writer";
    }

    @Override
    public void onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length) {
        assert Thread.currentThread() == owner : "engine state accessed by two threads";
        final long correlationId = buffer.getLong(index + Commands.CORRELATION_OFFSET);
        final EngineClient client = clients.get(buffer.getInt(index + Commands.CLIENT_OFFSET));
        final int message = index + Commands.HEADER_LENGTH;
        final int messageLength = length - Commands.HEADER_LENGTH;
        try {
            switch (type) {
                case Commands.SCORE -> {
                    final int status = engine.score(buffer, message, messageLength);
                    if (status == Engine.CONFLICT) {
                        conflict(client, correlationId, engine.conflictIndex());
                    } else {
                        respond(client, status == Engine.SCORED ? Commands.RESPONSE_DECISION
                            : Commands.RESPONSE_DUPLICATE, correlationId, -1, engine.decisionBuffer(),
                            engine.decisionOffset(), engine.decisionLength());
                    }
                }
                case Commands.LABEL -> accepted(client, correlationId,
                    engine.label(buffer, message, messageLength), engine.lastLabelMatched());
                case Commands.USER_EVENT -> accepted(client, correlationId,
                    engine.userEvent(buffer, message, messageLength), true);
                case Commands.PRODUCT_UPDATE -> accepted(client, correlationId,
                    engine.productUpdate(buffer, message, messageLength), true);
                case Commands.CUSTOMER_PROFILE -> accepted(client, correlationId,
                    engine.customerProfile(buffer, message, messageLength), true);
                default -> throw new MessageFormatException("unknown command type " + type);
            }
        } catch (final MessageFormatException | ValidationException e) {
            counters.increment(Counter.COMMANDS_REJECTED);
            text(client, Commands.RESPONSE_REJECTED, correlationId, e.getMessage());
        } catch (final RuntimeException e) {
            counters.increment(Counter.ERRORS);
            errorHandler.onError(e);
            text(client, Commands.RESPONSE_FAILED, correlationId, "engine error: " + e.getClass().getSimpleName());
        }
        try {
            engine.scorePendingShadow(); // after the answer is on its way (or held for the journal's sync)
        } catch (final RuntimeException e) {
            // tried again before the next change; the answer given stands
            counters.increment(Counter.ERRORS);
            errorHandler.onError(e);
        }
    }

    private void runAdmin(final AdminCommand admin) {
        try {
            final long index;
            if (admin.erasure() != null) {
                index = engine.erase(admin.erasure());
                admin.erased().complete(engine.lastErased());
            } else if (admin.listChange() != null) {
                index = engine.listChange(admin.listChange());
            } else {
                index = engine.loadConfig(admin.entryType(), admin.text(), admin.actor(), admin.tsMs());
            }
            if (forceJournal != null) {
                forceJournal.run();
            }
            admin.result().complete(index);
        } catch (final RuleSetException | ModelException e) {
            counters.increment(Counter.COMMANDS_REJECTED);
            admin.result().completeExceptionally(e);
        } catch (final RuntimeException e) {
            counters.increment(Counter.ERRORS);
            errorHandler.onError(e);
            admin.result().completeExceptionally(e);
        }
    }

    private void accepted(final EngineClient client, final long correlationId, final long journalIndex,
        final boolean matched) {
        final RingBuffer ring = client.responses();
        final int claim = ring.tryClaim(Commands.RESPONSE_ACCEPTED, Commands.RESPONSE_BODY_OFFSET + 4);
        if (claim > 0) {
            final MutableDirectBuffer b = ring.buffer();
            b.putLong(claim + Commands.CORRELATION_OFFSET, correlationId);
            b.putLong(claim + Commands.RESPONSE_INDEX_OFFSET, journalIndex);
            b.putInt(claim + Commands.RESPONSE_BODY_OFFSET, matched ? 1 : 0);
            commit(ring, claim, client);
        } else {
            client.answered();
        }
    }

    /** Makes an answer visible now, or after the batch's journal sync when every entry is synced. */
    private void commit(final RingBuffer ring, final int claim, final EngineClient client) {
        if (forceJournal == null) {
            ring.commit(claim);
            client.answered();
        } else {
            heldRings[held] = ring;
            heldClaims[held] = claim;
            heldClients[held] = client;
            held++;
        }
    }

    private void respond(final EngineClient client, final int type, final long correlationId, final long journalIndex,
        final DirectBuffer body, final int offset, final int length) {
        final RingBuffer ring = client.responses();
        final int claim = ring.tryClaim(type, Commands.RESPONSE_BODY_OFFSET + length);
        if (claim > 0) {
            final MutableDirectBuffer b = ring.buffer();
            b.putLong(claim + Commands.CORRELATION_OFFSET, correlationId);
            b.putLong(claim + Commands.RESPONSE_INDEX_OFFSET, journalIndex);
            b.putBytes(claim + Commands.RESPONSE_BODY_OFFSET, body, offset, length);
            commit(ring, claim, client);
        } else {
            client.answered();
        }
    }

    /** A fixed text (no allocation): the journal index in the response names the first entry. */
    private void conflict(final EngineClient client, final long correlationId, final long firstIndex) {
        respond(client, Commands.RESPONSE_CONFLICT, correlationId, firstIndex, CONFLICT_TEXT, 0,
            CONFLICT_TEXT.capacity());
    }

    private static final org.agrona.concurrent.UnsafeBuffer CONFLICT_TEXT = new org.agrona.concurrent.UnsafeBuffer(
        "this txnId was scored before with other content".getBytes(StandardCharsets.US_ASCII));

    private void text(final EngineClient client, final int type, final long correlationId, final String message) {
        final byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        final int length = Math.min(bytes.length, Commands.MAX_RESPONSE_BODY);
        respond(client, type, correlationId, -1, new org.agrona.concurrent.UnsafeBuffer(bytes), 0, length);
    }
}
