package io.ecap.lake;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * A PostgreSQL database named as the service names its case database ({@code cases.database-url}):
 * {@code postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAMETERS]}, user and password percent-encoded; the
 * parameters (such as {@code sslmode=require}) are passed to the driver as they are. Read for JDBC.
 *
 * @param parameters the URL's query, or null
 * @param option the option or variable it came from, for messages
 */
record Database(String host, int port, String database, String user, String password, String parameters,
    String option) {
    static Database parse(final String url, final String option) {
        final URI uri;
        try {
            uri = new URI(url);
        } catch (final URISyntaxException e) {
            throw refused(option, "is not a URL");
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw refused(option, "must start postgresql://");
        }
        if (uri.getHost() == null) {
            throw refused(option, "must name a host, and a port from 1 to 65535 if any");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw refused(option, "port " + uri.getPort() + " is not from 1 to 65535");
        }
        final String path = uri.getRawPath();
        if (path == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
            throw refused(option, "must name a database after the host");
        }
        final String info = uri.getRawUserInfo();
        if (info == null || info.isEmpty()) {
            throw refused(option, "must name a user");
        }
        final int colon = info.indexOf(':');
        final String user = decode(colon < 0 ? info : info.substring(0, colon));
        final String password = colon < 0 ? null : decode(info.substring(colon + 1));
        return new Database(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), decode(path.substring(1)), user,
            password, uri.getRawQuery(), option);
    }

    private static String decode(final String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException refused(final String option, final String problem) {
        return new IllegalArgumentException(option + ": " + problem + " (expected postgresql://USER[:PASSWORD]@HOST"
            + "[:PORT]/DB[?sslmode=require...])");
    }

    String jdbcUrl() {
        final boolean bare = host.indexOf(':') >= 0 && !host.startsWith("[");
        return "jdbc:postgresql://" + (bare ? "[" + host + "]" : host) + ":" + port + "/" + database
            + (parameters == null || parameters.isEmpty() ? "" : "?" + parameters);
    }

    Properties properties() {
        final Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("driver", "org.postgresql.Driver");
        return p;
    }

    /** The URL without its password, for messages. */
    String redacted() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return redacted();
    }
}
