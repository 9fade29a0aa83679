package io.ecap.gateway.lists;

import io.ecap.hotpath.lists.ListKind;
import io.ecap.hotpath.lists.ListType;
import io.ecap.model.field.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The lists in Redis as the API reads and changes them ({@link ListKeys} has the layout). A change is the hash's
 * update and the stream entry that announces it, in one MULTI/EXEC (an addition) or one script (a removal, which
 * announces only what it removed): either both happen or neither. Engines learn of a
 * change from the stream only ({@link ListFollower}). Every call fails within {@link #TIMEOUT_MS} when Redis is away.
 */
public final class ListStore {
    static final long TIMEOUT_MS = 3_000;

    private final Redis redis;
    private final ListOptions options;

    private ListStore(final Redis redis, final ListOptions options) {
        this.redis = redis;
        this.options = options;
    }

    /** A client of the configured Redis; nothing is reached before the first call. */
    public static ListStore open(final Vertx vertx, final ListOptions options) {
        return new ListStore(Redis.createClient(vertx, options.redisOptions()), options);
    }

    public ListOptions options() {
        return options;
    }

    /** A change made: its stream id, and whether the hash changed (false: removing a value that was not there). */
    public record Changed(String streamId, boolean changed) {
    }

    /** Puts {@code value} on a list (replacing its reason if it is there) and announces it; completes with the id. */
    public Future<Changed> add(final ListType list, final ListKind kind, final String value, final String reason,
        final String actor, final long tsMs) {
        final String entry = new JsonObject().put("reason", reason).put("actor", actor)
            .put("addedAt", Timestamps.formatIso(tsMs)).encode();
        return change(Request.cmd(Command.HSET).arg(ListKeys.hash(list, kind)).arg(value).arg(entry),
            announcement(list, kind, "add", value, reason, actor, tsMs));
    }

    /**
     * Takes {@code value} off a list and announces it, in one step on the Redis side (a script): a value that was not
     * there changes nothing and announces nothing (no stream entry, so no journal entry), and the answer says so.
     */
    public Future<Changed> remove(final ListType list, final ListKind kind, final String value, final String actor,
        final long tsMs) {
        final Request script = Request.cmd(Command.EVAL).arg(REMOVE_SCRIPT).arg(2).arg(ListKeys.hash(list, kind))
            .arg(ListKeys.STREAM).arg(value);
        for (final String field : announcementFields(list, kind, "remove", value, "", actor, tsMs)) {
            script.arg(field);
        }
        return redis.send(script)
            .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .map(reply -> reply == null ? new Changed(null, false) : new Changed(reply.toString(), true));
    }

    /** HDEL, and XADD only if it removed something; the stream id, or nil when the value was not there. */
    private static final String REMOVE_SCRIPT = "if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return false end "
        + "return redis.call('XADD', KEYS[2], '*', unpack(ARGV, 2))";

    private static Request announcement(final ListType list, final ListKind kind, final String op,
        final String value, final String reason, final String actor, final long tsMs) {
        final Request xadd = Request.cmd(Command.XADD).arg(ListKeys.STREAM).arg("*");
        for (final String field : announcementFields(list, kind, op, value, reason, actor, tsMs)) {
            xadd.arg(field);
        }
        return xadd;
    }

    /** The fields of a change's stream entry, name and value after each other ({@link ListFollower} reads them). */
    private static List<String> announcementFields(final ListType list, final ListKind kind, final String op,
        final String value, final String reason, final String actor, final long tsMs) {
        return List.of("list", list.label(), "kind", kind.label(), "op", op, "value", value, "reason", reason,
            "actor", actor, "ts", Long.toString(tsMs));
    }

    private Future<Changed> change(final Request update, final Request announce) {
        return redis.connect().compose(connection -> connection.batch(List.of(Request.cmd(Command.MULTI), update,
                announce, Request.cmd(Command.EXEC)))
            .eventually(connection::close))
            .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .map(replies -> {
                final Response exec = replies.get(replies.size() - 1);
                if (exec == null || exec.size() != 2) {
                    throw new IllegalStateException("Redis did not run the list change's transaction");
                }
                return new Changed(exec.get(1).toString(), exec.get(0).toLong() > 0);
            });
    }

    /** Every value of one list and kind, in value order, with reason, actor and time. */
    public Future<JsonArray> entries(final ListType list, final ListKind kind) {
        return redis.send(Request.cmd(Command.HGETALL).arg(ListKeys.hash(list, kind)))
            .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .map(reply -> {
                final TreeMap<String, String> sorted = new TreeMap<>();
                for (int i = 0; i + 1 < reply.size(); i += 2) {
                    sorted.put(reply.get(i).toString(), reply.get(i + 1).toString());
                }
                final JsonArray entries = new JsonArray();
                sorted.forEach((value, json) -> entries.add(entry(value, json)));
                return entries;
            });
    }

    /** One value's entry, or null when it is not on the list. */
    public Future<JsonObject> entry(final ListType list, final ListKind kind, final String value) {
        return redis.send(Request.cmd(Command.HGET).arg(ListKeys.hash(list, kind)).arg(value))
            .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .map(reply -> reply == null ? null : entry(value, reply.toString()));
    }

    private static JsonObject entry(final String value, final String json) {
        JsonObject stored;
        try {
            stored = new JsonObject(json);
        } catch (final RuntimeException e) { // written by something else than ECAP: shown as it is
            stored = new JsonObject().put("reason", json);
        }
        return new JsonObject().put("value", value).put("reason", stored.getValue("reason"))
            .put("actor", stored.getValue("actor")).put("addedAt", stored.getValue("addedAt"));
    }

    public Future<Void> close() {
        return redis.close();
    }
}
