package io.ecap.gateway.ws;

import io.ecap.gateway.GatewayConfig;
import io.ecap.gateway.auth.ApiKey;
import io.ecap.gateway.auth.KeyWatch;
import io.ecap.gateway.http.Gate;
import io.ecap.gateway.http.Replies;
import io.ecap.hotpath.engine.Commands;
import io.ecap.model.ValidationException;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.json.TransactionJson;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /v1/stream} connection: every text message is a transaction, every answer a decision (or an error), in
 * the order the messages came. Back-pressure: the socket stops reading while it has too many answers outstanding,
 * while the engine is saturated (the waiting message is retried), or while the client does not read its answers.
 *
 * <p>A message over the body limit is answered in its place with a {@code payload_too_large} error, and the stream
 * goes on. A single frame over {@link GatewayConfig#frameLimitBytes()} is refused by the WebSocket decoder before it
 * is read: the stream is then closed with status 1009 (message too big) and the reason.
 */
final class StreamSocket implements MessageAssembler.Messages {
    private static final Logger LOG = LoggerFactory.getLogger(StreamSocket.class);
    private static final short MESSAGE_TOO_BIG = 1009;

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
        final int limit = gate.gateway().config().bodyLimitBytes();
        final MessageAssembler assembler = new MessageAssembler(limit, this);
        ws.frameHandler(assembler::frame);
        ws.exceptionHandler(this::failed);
        ws.drainHandler(ignored -> updateReading());
        final MessageConsumer<?> revoked = KeyWatch.closeOnRevoke(vertx, ws, key);
        ws.closeHandler(ignored -> {
            closed = true;
            revoked.unregister();
        });
    }

    @Override
    public void tooLarge(final long bytes) {
        answers.add(new Buffer[] {Replies.error("payload_too_large", "the message is " + bytes + " bytes, over the "
            + "limit of " + gate.gateway().config().bodyLimitBytes() + " (gateway.body-limit); it was not read")
            .put("field", "$").toBuffer()});
        flush();
    }

    /** A frame the decoder refused (over the frame limit), or the connection failing under it. */
    private void failed(final Throwable e) {
        if (e instanceof CorruptedWebSocketFrameException && !closed) {
            closed = true;
            ws.close(MESSAGE_TOO_BIG, "a frame over " + gate.gateway().config().frameLimitBytes()
                + " bytes; messages are at most " + gate.gateway().config().bodyLimitBytes() + " bytes");
        } else {
            LOG.debug("WebSocket stream: {}", e.toString());
        }
    }

    @Override
    public void message(final Buffer message) {
        final Buffer[] slot = new Buffer[1];
        answers.add(slot);
        final long waitNs = gate.gateway().limiter().acquire(key.sha256(), System.nanoTime());
        if (waitNs > 0) {
            slot[0] = Replies.error("rate_limited", "too many requests for this key").toBuffer();
            flush();
            return;
        }
        final byte[] bytes = message.getBytes();
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
            vertx.setTimer(gate.diskFull() ? 1_000 : 1, ignored -> {
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
