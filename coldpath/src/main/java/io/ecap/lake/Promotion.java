package io.ecap.lake;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code train-fraud --promote URL}: talks to a running ECAP service's admin API (the JDK's HTTP client; the lake's
 * classpath carries no Vert.x) to read the model live now and to put a new one live. The admin key comes from
 * {@code ECAP_ADMIN_KEY} or a file, never from the command line.
 */
final class Promotion {
    private static final Pattern LIVE = Pattern.compile(
        "\\{\"journalIndex\":(\\d+),\"version\":\"([^\"]*)\"[^}]*\"live\":true\\}");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String url;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Promotion(final String url, final String key) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.key = key;
    }

    /**
     * Before any training: the service answers and takes the key (an admin key reads its models). A usage error
     * naming the URL otherwise, so that a wrong URL or key costs no Spark run.
     */
    void check() throws InterruptedException {
        final HttpResponse<String> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/admin/models")).header("X-API-Key", key)
                .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new IllegalArgumentException("--promote: no ECAP service answers at " + url + " ("
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
        if (answer.statusCode() == 401 || answer.statusCode() == 403) {
            throw new IllegalArgumentException("--promote: the service at " + url + " refuses the admin key ("
                + answer.statusCode() + "): a key with the admin scope is needed (ECAP_ADMIN_KEY or "
                + "--admin-key-file)");
        }
        if (answer.statusCode() != 200) {
            throw new IllegalArgumentException("--promote: " + url + " answered " + answer.statusCode()
                + " to GET /v1/admin/models: is it an ECAP service, and ready?");
        }
    }

    /** The text of the model live now, or null when the service scores with the rules only. */
    String liveModel() throws InterruptedException {
        final String versions = send(HttpRequest.newBuilder(URI.create(url + "/v1/admin/models")).GET());
        final Matcher live = LIVE.matcher(versions);
        if (!live.find() || live.group(2).equals("none")) {
            return null;
        }
        return send(HttpRequest.newBuilder(URI.create(url + "/v1/admin/models/" + live.group(1))).GET());
    }

    /** Puts {@code text} live; returns the service's answer (its journal index and version). */
    String promote(final String text) throws InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url + "/v1/admin/models"))
            .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(text)));
    }

    private String send(final HttpRequest.Builder request) throws InterruptedException {
        final HttpResponse<String> answer;
        try {
            answer = http.send(request.header("X-API-Key", key).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new IllegalStateException("train-fraud --promote: no answer from the service at " + url + " ("
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("train-fraud --promote: " + answer.request().method() + " "
                + answer.request().uri() + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }
}
