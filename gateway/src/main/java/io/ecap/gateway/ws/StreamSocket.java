package io.ecap.gateway.ws;

import io.ecap.gateway.auth.ApiKey;
import io.ecap.gateway.http.Gate;
import io.ecap.gateway.http.Replies;
import io.ecap.hotpath.engine.Commands;
import io.ecap.model.ValidationException;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.json.TransactionJson;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One {@code /v1/stream} connection: every text message is a transaction, every answer a decision (or an error), in
 * the order the messages came. Back-pressure: the socket stops reading while it has too many answers outstanding,
 * while the engine is saturated (the waiting message is retried), or while the client does not read its answers.
 */
final class StreamSocket {

    private final Vertx vertx;
    private final ServerWebSocket ws;
    private final Gate gate;
    private final ApiKey key;
    private final TransactionJson transactions;
    private final ArrayDeque<Buffer[]> answers = new ArrayDeque<>();
    private final ExpandableArrayBuffer waiting = new ExpandableArrayBuffer(1024);
    private Buffer[] waitingSlot;
    private int waitingLength;
    private boolean paused;
    private boolean closed;

    StreamSocket(final Vertx vertx, final ServerWebSocket ws, final Gate gate, final ApiKey key,
        final TransactionJson transactions) {
        this.vertx = vertx;
        this.ws = ws;
        this.gate = gate;
        this.key = key;
        this.transactions = transactions;
        ws.textMessageHandler(this::onMessage);
        ws.binaryMessageHandler(b -> onMessage(b.toString()));
        ws.drainHandler(ignored -> updateReading());
        ws.closeHandler(ignored -> closed = true);
    }

    private void onMessage(final String text) {
        final Buffer[] slot = new Buffer[1];
        answers.add(slot);
        final long waitNs = gate.gateway().limiter().acquire(key.sha256(), System.nanoTime());
        if (waitNs > 0) {
            slot[0] = Replies.error("rate_limited", "too many requests for this key").toBuffer();
            flush();
            return;
        }
        final byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            waitingLength = transactions.parse(new UnsafeBuffer(bytes), 0, bytes.length, waiting, 0);
            gate.checkTime(waiting.getLong(TransactionFlyweight.TS_OFFSET, ByteOrder.LITTLE_ENDIAN));
        } catch (final ValidationException e) {
            slot[0] = Replies.invalidBody(e).toBuffer();
            flush();
            return;
        }
        waitingSlot = slot;
        trySubmit();
    }

    /** Sends the waiting message; while the engine is saturated, stops reading and tries again shortly. */
    private void trySubmit() {
        final Buffer[] slot = waitingSlot;
        if (gate.submit(Commands.SCORE, waiting, 0, waitingLength, (type, journalIndex, buffer, offset, length) -> {
            slot[0] = type == Commands.RESPONSE_DECISION || type == Commands.RESPONSE_DUPLICATE
                ? gate.decisionJson(buffer, offset, length)
                : type == Commands.RESPONSE_CONFLICT ? Replies.conflict(journalIndex).toBuffer()
                : Replies.error(type == Commands.RESPONSE_REJECTED ? "rejected" : "engine_error",
                    buffer.getStringWithoutLengthAscii(offset, length)).toBuffer();
            flush();
        })) {
            waitingSlot = null;
            updateReading();
        } else {
            pause();
            vertx.setTimer(1, ignored -> {
                if (!closed) {
                    trySubmit();
                }
            });
        }
    }

    /** Writes the answers that are ready, in order. */
    private void flush() {
        while (!answers.isEmpty() && answers.peek()[0] != null) {
            final Buffer answer = answers.poll()[0];
            if (!closed) {
                ws.writeTextMessage(answer.toString());
            }
        }
        updateReading();
    }

    private void updateReading() {
        if (closed) {
            return;
        }
        final int window = gate.gateway().config().streamWindow();
        final boolean mustPause = waitingSlot != null || answers.size() >= window || ws.writeQueueFull();
        if (mustPause) {
            pause();
        } else if (paused && answers.size() <= window / 2) {
            paused = false;
            ws.resume();
        }
    }

    private void pause() {
        if (!paused) {
            paused = true;
            ws.pause();
            gate.gateway().metrics().streamPaused();
        }
    }
}
