package io.ecap.gateway.ws;

import io.ecap.gateway.auth.ApiKey;
import io.ecap.gateway.auth.Authenticator;
import io.ecap.gateway.auth.KeyWatch;
import io.ecap.gateway.auth.Scope;
import io.ecap.gateway.http.Gate;
import io.ecap.gateway.http.Replies;
import io.ecap.model.json.TransactionJson;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The WebSocket routes of one event loop: {@code /v1/stream} and {@code /v1/alerts}. */
public final class Sockets {
    private static final Logger LOG = LoggerFactory.getLogger(Sockets.class);
    private final Vertx vertx;
    private final Gate gate;
    private final TransactionJson transactions = new TransactionJson();
    private final java.util.concurrent.atomic.AtomicInteger alertListeners;

    /** @param alertListeners the count of open alert feeds, shared with the {@link AlertFeed} */
    public Sockets(final Vertx vertx, final Gate gate, final java.util.concurrent.atomic.AtomicInteger alertListeners) {
        this.vertx = vertx;
        this.gate = gate;
        this.alertListeners = alertListeners;
    }

    /** Upgrades to a scoring stream. */
    public void stream(final RoutingContext ctx) {
        if (!isUpgrade(ctx)) {
            return;
        }
        final ApiKey key = ctx.get(Authenticator.KEY);
        ctx.request().toWebSocket().onSuccess(ws -> new StreamSocket(vertx, ws, gate, key, transactions))
            .onFailure(Sockets::upgradeFailed);
    }

    /**
     * Upgrades to a feed of REVIEW and DECLINE decisions as they are made. A key with the scope {@code label} gets
     * every alert; a key here by the scope {@code analyst} alone gets those of the merchants it is limited to, if it
     * is.
     */
    public void alerts(final RoutingContext ctx) {
        if (!isUpgrade(ctx)) {
            return;
        }
        final ApiKey key = ctx.get(Authenticator.KEY);
        final boolean filtered = !key.allows(Scope.LABEL) && key.limitedToMerchants();
        ctx.request().toWebSocket().onSuccess(ws -> {
            final MessageConsumer<String> consumer = vertx.eventBus().consumer(AlertFeed.ADDRESS,
                message -> {
                    if (!ws.writeQueueFull() && (!filtered || ofMerchants(key, message.body()))) {
                        ws.writeTextMessage(message.body());
                    }
                });
            final MessageConsumer<?> revoked = KeyWatch.closeOnRevoke(vertx, ws, key);
            alertListeners.incrementAndGet();
            ws.closeHandler(ignored -> {
                alertListeners.decrementAndGet();
                consumer.unregister();
                revoked.unregister();
            });
            ws.textMessageHandler(ignored -> { });
        }).onFailure(Sockets::upgradeFailed);
    }

    /** Whether an alert is of one of the merchants the key is limited to. */
    private static boolean ofMerchants(final ApiKey key, final String alert) {
        final JsonObject txn = new JsonObject(alert).getJsonObject("transaction");
        final String merchant = txn == null ? null : txn.getString("merchantId");
        return merchant != null && key.merchants().contains(merchant);
    }

    /**
     * Whether the request asks for a WebSocket; a plain GET (or HEAD) is answered 426 with the header that says
     * what to send instead, and nothing is logged: it is the client's mistake.
     */
    private static boolean isUpgrade(final RoutingContext ctx) {
        if ("websocket".equalsIgnoreCase(ctx.request().getHeader("upgrade"))) {
            return true;
        }
        ctx.response().putHeader("upgrade", "websocket");
        Replies.fail(ctx, 426, "upgrade_required", "this route is a WebSocket: connect with a WebSocket client");
        return false;
    }

    private static void upgradeFailed(final Throwable e) {
        LOG.warn("WebSocket upgrade failed: {}", e.toString());
    }
}
