package io.ecap.gateway.admin;

import io.ecap.gateway.auth.ApiKey;
import io.ecap.gateway.auth.Authenticator;
import io.ecap.gateway.http.Bodies;
import io.ecap.gateway.http.Gate;
import io.ecap.gateway.http.Replies;
import io.ecap.gateway.http.StringBodies;
import io.ecap.hotpath.engine.BackupRegister;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.Erasure;
import io.ecap.model.ValidationException;
import io.vertx.core.Context;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code POST /v1/admin/erasures}: erase an entity (a customer, card, device, IP address or merchant) from the
 * engine's state on request, for a data subject's right to erasure. Body: {@code {"kind": "customer", "id": "C1",
 * "reason": "ticket 4711"}}. The engine journals the erasure with the id's hash, never the id, and answers once it is
 * journaled and synced: {@code {"kind", "journalIndex", "records", "backups"}}, {@code records} 0 when the state held
 * no such entity (the request is journaled all the same), {@code backups} the backups taken of the data folder before
 * and still there, which hold the entity as it was ({@link BackupRegister}). What an erasure reaches and what it does
 * not yet: docs/RELIABILITY.md, "Erasure".
 */
public final class ErasureRoutes {
    private final Gate gate;
    private final Context context;

    public ErasureRoutes(final Gate gate, final Context context) {
        this.gate = gate;
        this.context = context;
    }

    public void erase(final RoutingContext ctx) {
        final Erasure erasure;
        try {
            final UnsafeBuffer body = Bodies.of(ctx);
            final Map<String, String> fields = StringBodies.read(body, body.capacity(), List.of("kind", "id",
                "reason"));
            final String kindName = StringBodies.required(fields, "kind");
            final EntityKind kind = Erasure.kindNamed(kindName);
            if (kind == null) {
                throw new ValidationException("kind", "expected card, customer, device, ip or merchant");
            }
            erasure = Erasure.of(kind, StringBodies.required(fields, "id"), "id", actor(ctx),
                fields.getOrDefault("reason", ""), System.currentTimeMillis());
        } catch (final ValidationException e) {
            Replies.invalid(ctx, e);
            return;
        }
        final EngineRunner engine = gate.gateway().engine();
        engine.erase(erasure).whenComplete((erased, error) -> context.runOnContext(ignored -> {
            if (error != null) {
                Replies.fail(ctx, 500, "engine_error", "the engine could not erase it; nothing was erased");
                return;
            }
            final Instant erasedAt = Instant.now();
            context.owner().executeBlocking(() -> BackupRegister.stillThere(engine.config().dataDir(), erasedAt))
                .onComplete(listed -> Replies.json(ctx, 200, new JsonObject().put("kind", erasure.kind().prefix())
                    .put("journalIndex", erased.journalIndex()).put("records", erased.records())
                    .put("backups", backups(listed.succeeded() ? listed.result() : null))));
        }));
    }

    /**
     * The backups of the data folder still there, which hold the entity as it was (their journal and their state):
     * each {@code {"folder", "taken"}}; null when the list could not be read (the erasure is done all the same).
     */
    static JsonArray backups(final List<BackupRegister.Backup> backups) {
        if (backups == null) {
            return null;
        }
        final JsonArray list = new JsonArray();
        for (final BackupRegister.Backup backup : backups) {
            list.add(new JsonObject().put("folder", backup.folder().toString())
                .put("taken", backup.created().toString()));
        }
        return list;
    }

    private static String actor(final RoutingContext ctx) {
        final ApiKey key = ctx.get(Authenticator.KEY);
        return key == null ? "unknown" : key.name();
    }
}
