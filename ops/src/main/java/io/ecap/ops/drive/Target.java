package io.ecap.ops.drive;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The ECAP server traffic is sent to: host, port, whether it speaks TLS, and the API key to send.
 *
 * @param trustAll accept any server certificate (for a self-signed test certificate); off unless asked for
 */
public record Target(String host, int port, boolean tls, boolean trustAll, String key) {

    /** Parses {@code http://host:port} or {@code https://host:port}; the error names what is wrong. */
    public static Target parse(final String url, final String key, final boolean trustAll) {
        final URI uri;
        try {
            uri = new URI(url);
        } catch (final URISyntaxException e) {
            throw new IllegalArgumentException("--url: not a URL: " + url);
        }
        final String scheme = uri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException("--url: expected http://host:port or https://host:port, found " + url);
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw new IllegalArgumentException("--url: give the server only, without a path (found " + uri.getPath()
                + ")");
        }
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("--key: an API key is needed (ecap run prints one on first start; "
                + "ecap keys create makes more)");
        }
        final boolean tls = scheme.equals("https");
        final int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        return new Target(uri.getHost(), port, tls, trustAll, key.trim());
    }

    @Override
    public String toString() {
        return (tls ? "https://" : "http://") + host + ":" + port;
    }
}
