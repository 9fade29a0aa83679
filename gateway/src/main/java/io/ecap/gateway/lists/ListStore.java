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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The lists in Redis as the API reads and changes them ({@link ListKeys} has the layout). A change is the hash's
 * update, the sorted set's and the stream entry that announces it, in one script (a removal announces only what it
 * removed): either all happen or none. Engines learn of a
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

    /**
     * Lua run first by every script that reads or changes a list: a list kept by an ECAP from before the sorted set of
     * values ({@link ListKeys#values}) gets it, from the hash's values, before anything else touches it. Scripts run
     * whole, so the hash and the set never disagree.
     */
    private static final String INDEXED = "if redis.call('EXISTS', KEYS[2]) == 0 then "
        + "local values = redis.call('HKEYS', KEYS[1]) "
        + "for i = 1, #values, 1000 do local args = {} "
        + "for j = i, math.min(i + 999, #values) do args[#args + 1] = 0 args[#args + 1] = values[j] end "
        + "redis.call('ZADD', KEYS[2], unpack(args)) end end ";

    /** HSET and ZADD, then XADD: returns the stream id and whether the value is new on the list. */
    private static final String ADD_SCRIPT = INDEXED
        + "local added = redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) "
        + "redis.call('ZADD', KEYS[2], 0, ARGV[1]) "
        + "return {redis.call('XADD', KEYS[3], '*', unpack(ARGV, 3)), added}";

    /** HDEL and ZREM, and XADD only if it removed something; the stream id, or nil when the value was not there. */
    private static final String REMOVE_SCRIPT = INDEXED
        + "if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return false end "
        + "redis.call('ZREM', KEYS[2], ARGV[1]) "
        + "return redis.call('XADD', KEYS[3], '*', unpack(ARGV, 2))";

    /**
     * One page in value order: the values after ARGV[1] (a ZRANGEBYLEX bound), at most ARGV[2] of them; returns the
     * list's size, then each value followed by its hash entry.
     */
    private static final String PAGE_SCRIPT = INDEXED
        + "local page = redis.call('ZRANGEBYLEX', KEYS[2], ARGV[1], '+', 'LIMIT', 0, tonumber(ARGV[2])) "
        + "local out = {redis.call('ZCARD', KEYS[2])} "
        + "for _, v in ipairs(page) do out[#out + 1] = v out[#out + 1] = redis.call('HGET', KEYS[1], v) or '' end "
        + "return out";

    /** Puts {@code value} on a list (replacing its reason if it is there) and announces it; completes with the id. */
    public Future<Changed> add(final ListType list, final ListKind kind, final String value, final String reason,
        final String actor, final long tsMs) {
        final String entry = new JsonObject().put("reason", reason).put("actor", actor)
            .put("addedAt", Timestamps.formatIso(tsMs)).encode();
        final Request script = script(ADD_SCRIPT, list, kind).arg(value).arg(entry);
        for (final String field : announcementFields(list, kind, "add", value, reason, actor, tsMs)) {
            script.arg(field);
        }
        return redis.send(script)
            .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .map(reply -> new Changed(reply.get(0).toString(), reply.get(1).toLong() > 0));
    }

    /**
     * Takes {@code value} off a list and announces it, in one step on the Redis side (a script): a value that was not
     * there changes nothing and announces nothing (no stream entry, so no journal entry), and the answer says so.
     */
    public Future<Changed> remove(final ListType list, final ListKind kind, final String value, final String actor,
        final long tsMs) {
        final Request script = script(REMOVE_SCRIPT, list, kind).arg(value);
        for (final String field : announcementFields(list, kind, "remove", value, "", actor, tsMs)) {
            script.arg(field);
        }
        return redis.send(script)
            .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .map(reply -> reply == null ? new Changed(null, false) : new Changed(reply.toString(), true));
    }

    private static Request script(final String lua, final ListType list, final ListKind kind) {
        return Request.cmd(Command.EVAL).arg(lua).arg(3).arg(ListKeys.hash(list, kind))
            .arg(ListKeys.values(list, kind)).arg(ListKeys.STREAM);
    }

    /** The fields of a change's stream entry, name and value after each other ({@link ListFollower} reads them). */
    private static List<String> announcementFields(final ListType list, final ListKind kind, final String op,
        final String value, final String reason, final String actor, final long tsMs) {
        return List.of("list", list.label(), "kind", kind.label(), "op", op, "value", value, "reason", reason,
            "actor", actor, "ts", Long.toString(tsMs));
    }

    /** A page of a list: how many values it holds, the entries in value order, and the cursor of the next page. */
    public record Page(long count, JsonArray entries, String next) {
    }

    /**
     * At most {@code limit} entries of one list and kind in value order (byte order), those after {@code after}
     * when it is not null; {@link Page#next} is the last value returned when more follow, else null.
     */
    public Future<Page> page(final ListType list, final ListKind kind, final String after, final int limit) {
        final Request script = Request.cmd(Command.EVAL).arg(PAGE_SCRIPT).arg(2).arg(ListKeys.hash(list, kind))
            .arg(ListKeys.values(list, kind)).arg(after == null ? "-" : "(" + after).arg(limit + 1);
        return redis.send(script)
            .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .map(reply -> {
                final JsonArray entries = new JsonArray();
                String last = null;
                for (int i = 1; i + 1 < reply.size() && entries.size() < limit; i += 2) {
                    last = reply.get(i).toString();
                    entries.add(entry(last, reply.get(i + 1).toString()));
                }
                return new Page(reply.get(0).toLong(), entries, reply.size() > 1 + 2 * limit ? last : null);
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
