package io.ecap.model.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Hadoop's settings for a lake on an S3-compatible server ({@code s3a://} URIs), for the Spark jobs and the lake
 * tailer alike. Without an endpoint Hadoop's S3 connector talks to AWS itself and takes its credentials from AWS's
 * usual places ({@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, or the machine's role).
 *
 * <ul>
 *   <li>{@code ECAP_S3_ENDPOINT} (or {@code -Decap.s3.endpoint}): {@code http(s)://HOST:PORT} of a server such as
 *       MinIO; requests then name the bucket in the path, and directory markers are kept (a server that stores
 *       objects as files, such as S3Proxy's, cannot delete a directory that still holds files).</li>
 *   <li>{@code -Decap.s3.access-key} and {@code -Decap.s3.secret-key}: credentials; with an endpoint, the AWS
 *       variables' keys are passed on as settings too (so that a Spark cluster's executors have them).</li>
 * </ul>
 */
public final class S3Settings {
    public static final String ENDPOINT_VARIABLE = "ECAP_S3_ENDPOINT";
    public static final String ENDPOINT_PROPERTY = "ecap.s3.endpoint";
    public static final String ACCESS_KEY_PROPERTY = "ecap.s3.access-key";
    public static final String SECRET_KEY_PROPERTY = "ecap.s3.secret-key";

    private S3Settings() {
    }

    /** The Hadoop settings ({@code fs.s3a.*}) this process's environment and system properties ask for. */
    public static Map<String, String> fromEnvironment() {
        return from(System.getenv(), System.getProperties());
    }

    /**
     * The Hadoop settings {@code env} and {@code properties} ask for (a property wins over the variable); empty
     * when they name no endpoint and no keys. A malformed endpoint is an {@link IllegalArgumentException} naming it.
     */
    public static Map<String, String> from(final Map<String, String> env, final Properties properties) {
        final Map<String, String> hadoop = new LinkedHashMap<>();
        final String endpoint = properties.getProperty(ENDPOINT_PROPERTY, env.get(ENDPOINT_VARIABLE));
        if (endpoint != null) {
            final String source = properties.getProperty(ENDPOINT_PROPERTY) != null ? "-D" + ENDPOINT_PROPERTY
                : ENDPOINT_VARIABLE;
            if (endpoint.isBlank()) {
                throw new IllegalArgumentException(source + ": set but empty; give http://HOST:PORT of an S3 server, "
                    + "or unset it to use AWS itself");
            }
            final URI uri = endpoint(endpoint.strip(), source);
            hadoop.put("fs.s3a.endpoint", uri.toString());
            hadoop.put("fs.s3a.connection.ssl.enabled", String.valueOf("https".equals(uri.getScheme())));
            hadoop.put("fs.s3a.path.style.access", "true");
            hadoop.put("fs.s3a.directory.marker.retention", "keep");
        }
        String access = properties.getProperty(ACCESS_KEY_PROPERTY);
        String secret = properties.getProperty(SECRET_KEY_PROPERTY);
        if (access == null && secret == null && hadoop.containsKey("fs.s3a.endpoint")
            && env.get("AWS_SESSION_TOKEN") == null && env.get("AWS_ACCESS_KEY_ID") != null
            && env.get("AWS_SECRET_ACCESS_KEY") != null) {
            // a server of one's own: its keys as settings, which Spark hands to its executors on other machines
            // (the AWS variables live in this process only); Spark's redaction hides a setting named *secret*
            access = env.get("AWS_ACCESS_KEY_ID");
            secret = env.get("AWS_SECRET_ACCESS_KEY");
        }
        if ((access == null) != (secret == null)) {
            throw new IllegalArgumentException("-D" + (access == null ? ACCESS_KEY_PROPERTY : SECRET_KEY_PROPERTY)
                + ": missing; give both " + ACCESS_KEY_PROPERTY + " and " + SECRET_KEY_PROPERTY + ", or neither");
        }
        if (access != null) {
            hadoop.put("fs.s3a.access.key", access);
            hadoop.put("fs.s3a.secret.key", secret);
        }
        return hadoop;
    }

    /** S3's rule for bucket names: 3 to 63 lower-case letters, digits, dots, hyphens; a letter or digit at each end. */
    private static final java.util.regex.Pattern BUCKET =
        java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /**
     * Checks an {@code s3a://BUCKET/PATH} lake root given as {@code option}: a bucket name S3 accepts. Any other URI
     * passes. An {@link IllegalArgumentException} names the problem.
     */
    public static void checkLake(final String root, final String option) {
        if (!root.startsWith("s3a://")) {
            return;
        }
        final String rest = root.substring("s3a://".length());
        final String bucket = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException(option + ": " + root + " names no bucket (s3a://BUCKET/PATH)");
        }
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException(option + ": '" + bucket + "' is not a bucket name S3 accepts (3 to 63 "
                + "lower-case letters, digits, dots and hyphens)");
        }
    }

    /**
     * The cause that is S3 refusing the credentials (403) or knowing no such bucket (the connector's
     * {@code AccessDeniedException} and {@code UnknownStoreException}): the user's to change; null for anything else.
     */
    public static Throwable refusal(final Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.file.AccessDeniedException
                || t.getClass().getSimpleName().equals("UnknownStoreException")) {
                return t;
            }
        }
        return null;
    }

    private static URI endpoint(final String value, final String source) {
        try {
            final URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                && (uri.getPath() == null || uri.getPath().isEmpty() || "/".equals(uri.getPath()))
                && uri.getQuery() == null) {
                return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null);
            }
        } catch (final URISyntaxException e) {
            // named below
        }
        throw new IllegalArgumentException(source + ": expected http://HOST:PORT or https://HOST:PORT of an S3 server, "
            + "found '" + value + "'");
    }
}
