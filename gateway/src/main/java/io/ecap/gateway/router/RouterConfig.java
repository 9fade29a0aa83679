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
        for (final URI shard : shards) {
            if (!"http".equals(shard.getScheme()) || shard.getHost() == null || shard.getPort() < 1
                || (shard.getPath() != null && !shard.getPath().isEmpty() && !"/".equals(shard.getPath()))) {
                throw new IllegalArgumentException("--shard: expected http://HOST:PORT, found '" + shard + "'");
            }
        }
        if (shards.stream().distinct().count() != shards.size()) {
            throw new IllegalArgumentException("--shard: a shard is named twice: " + shards);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port: expected 0 to 65535, found " + port);
        }
        if (maxBatch < 1 || bodyLimit < 1024 || timeoutMs < 1) {
            throw new IllegalArgumentException("max batch, body limit and timeout must be positive");
        }
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
