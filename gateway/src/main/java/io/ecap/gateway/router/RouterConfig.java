package io.ecap.gateway.router;

import io.ecap.model.shard.Shard;
import java.net.URI;
import java.util.List;

/**
 * Settings of {@code ecap router}: where it listens, and the base URL of each shard's gateway in shard order (the
 * i-th URL serves shard {@code i/N}, started with {@code engine.shard=i/N}).
 *
 * @param host          the address to listen on
 * @param port          the port to listen on (0: any free one)
 * @param shards        each shard's gateway, {@code http://host:port}, in shard order
 * @param maxBatch      most transactions in one {@code /v1/score/batch} (as the shards' {@code gateway.max-batch})
 * @param bodyLimit     largest request body, bytes
 * @param timeoutMs     how long a shard may take to answer before the router answers 504
 */
public record RouterConfig(String host, int port, List<URI> shards, int maxBatch, int bodyLimit, long timeoutMs) {
    public RouterConfig {
        if (shards == null || shards.isEmpty()) {
            throw new IllegalArgumentException("--shard: name each shard's gateway, in shard order "
                + "(--shard http://127.0.0.1:8081 --shard http://127.0.0.1:8082)");
        }
        if (shards.size() > Shard.MAX_COUNT) {
            throw new IllegalArgumentException("--shard: at most " + Shard.MAX_COUNT + " shards, found "
                + shards.size());
        }
        final java.util.Set<String> seen = new java.util.HashSet<>();
        for (final URI shard : shards) {
            if (!"http".equals(shard.getScheme()) || shard.getHost() == null || shard.getPort() < 1
                || shard.getRawUserInfo() != null || shard.getRawQuery() != null || shard.getRawFragment() != null
                || (shard.getPath() != null && !shard.getPath().isEmpty() && !"/".equals(shard.getPath()))) {
                throw new IllegalArgumentException("--shard: expected http://HOST:PORT, found '" + shard + "'");
            }
            if (!seen.add(address(shard))) {
                throw new IllegalArgumentException("--shard: " + shard + " names a gateway already named: " + shards);
            }
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port: expected 0 to 65535, found " + port);
        }
        if (maxBatch < 1 || maxBatch > 100_000) {
            throw new IllegalArgumentException("--max-batch: expected 1 to 100000, found " + maxBatch);
        }
        if (bodyLimit < 1024 || bodyLimit > 16 << 20) {
            throw new IllegalArgumentException("--body-limit: expected 1024 to " + (16 << 20) + " bytes, found "
                + bodyLimit);
        }
        if (timeoutMs < 1 || timeoutMs > 600_000) {
            throw new IllegalArgumentException("--timeout-ms: expected 1 to 600000, found " + timeoutMs);
        }
    }

    /** The address a URL reaches (a name resolved when it can be), so that one gateway is not named twice. */
    private static String address(final URI shard) {
        String host = shard.getHost();
        try {
            host = java.net.InetAddress.getByName(host).getHostAddress();
        } catch (final java.net.UnknownHostException unknown) {
            // left as written: the router says so when it cannot reach it
        }
        return host + ":" + shard.getPort();
    }

    /** Parses {@code http://host:port} texts, naming the one that is not a URL. */
    public static List<URI> urls(final List<String> texts) {
        return texts.stream().map(t -> {
            try {
                return new URI(t.strip());
            } catch (final java.net.URISyntaxException e) {
                throw new IllegalArgumentException("--shard: expected http://HOST:PORT, found '" + t + "'", e);
            }
        }).toList();
    }
}
