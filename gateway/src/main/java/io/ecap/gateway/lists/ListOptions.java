package io.ecap.gateway.lists;

import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.RedisOptions;
import java.util.regex.Pattern;

/**
 * Where the block and allow lists are kept (setting {@code lists.redis-url}, see config/ecap.properties and
 * docs/LISTS.md): a Redis server, {@code redis://[user:password@]host:port[/db]}.
 */
public record ListOptions(String redisUrl) {
    private static final Pattern URL = Pattern.compile("rediss?://([^@/]*@)?[^@/:]+:[0-9]{1,5}(/[0-9]{1,2})?");

    public ListOptions {
        if (redisUrl == null || !URL.matcher(redisUrl).matches()) {
            throw new IllegalArgumentException("lists.redis-url: expected redis://[user:password@]host:port[/db], "
                + "found '" + redact(String.valueOf(redisUrl)) + "'");
        }
    }

    /** The options of {@code lists.redis-url}, or null when it is empty (lists off). */
    public static ListOptions parse(final String redisUrl) {
        return redisUrl.isEmpty() ? null : new ListOptions(redisUrl);
    }

    /** How the client connects (RESP2, so that replies have one shape whatever the server's version). */
    public RedisOptions redisOptions() {
        return new RedisOptions().setConnectionString(redisUrl).setPreferredProtocolVersion(ProtocolVersion.RESP2)
            .setMaxPoolSize(8).setMaxPoolWaiting(64);
    }

    /** The URL without its password, for logs. */
    public String redactedUrl() {
        return redact(redisUrl);
    }

    private static String redact(final String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
