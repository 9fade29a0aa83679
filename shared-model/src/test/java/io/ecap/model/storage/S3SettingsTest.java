package io.ecap.model.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
    private static Properties properties(final String... pairs) {
        final Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void nothingSetLeavesHadoopsOwnDefaults() {
        assertEquals(Map.of(), S3Settings.from(Map.of(), properties()));
    }

    @Test
    void anEndpointMeansPathStyleRequestsKeptMarkersAndTlsOnlyForHttps() {
        final Map<String, String> settings = S3Settings.from(Map.of("ECAP_S3_ENDPOINT", " http://127.0.0.1:9000/ "),
            properties());
        assertEquals("http://127.0.0.1:9000", settings.get("fs.s3a.endpoint"));
        assertEquals("false", settings.get("fs.s3a.connection.ssl.enabled"));
        assertEquals("true", settings.get("fs.s3a.path.style.access"));
        assertEquals("keep", settings.get("fs.s3a.directory.marker.retention"));
        assertEquals(4, settings.size());
        assertEquals("true", S3Settings.from(Map.of(), properties("ecap.s3.endpoint", "https://minio.local"))
            .get("fs.s3a.connection.ssl.enabled"));
        assertEquals("http://b:1", S3Settings.from(Map.of("ECAP_S3_ENDPOINT", "http://a:1"),
            properties("ecap.s3.endpoint", "http://b:1")).get("fs.s3a.endpoint"), "the property wins");
    }

    @Test
    void withAnEndpointTheAwsVariablesKeysBecomeSettingsForTheExecutors() {
        final Map<String, String> env = Map.of("ECAP_S3_ENDPOINT", "http://minio:9000", "AWS_ACCESS_KEY_ID", "k",
            "AWS_SECRET_ACCESS_KEY", "s");
        assertEquals("k", S3Settings.from(env, properties()).get("fs.s3a.access.key"));
        assertEquals("s", S3Settings.from(env, properties()).get("fs.s3a.secret.key"));
        assertEquals("p", S3Settings.from(env, properties("ecap.s3.access-key", "p", "ecap.s3.secret-key", "q"))
            .get("fs.s3a.access.key"), "the properties win");
        assertEquals(null, S3Settings.from(Map.of("AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s"),
            properties()).get("fs.s3a.access.key"), "on AWS itself the connector finds them, with a session token");
        final Map<String, String> temporary = new java.util.HashMap<>(env);
        temporary.put("AWS_SESSION_TOKEN", "t");
        assertEquals(null, S3Settings.from(temporary, properties()).get("fs.s3a.access.key"));
    }

    @Test
    void anEmptyEndpointAndBucketsS3RefusesAreNamed() {
        assertEquals("ECAP_S3_ENDPOINT: set but empty; give http://HOST:PORT of an S3 server, or unset it to use AWS "
            + "itself", assertThrows(IllegalArgumentException.class,
                () -> S3Settings.from(Map.of("ECAP_S3_ENDPOINT", " "), properties())).getMessage());
        S3Settings.checkLake("s3a://my-bucket.1/lake", "--lake");
        S3Settings.checkLake("/tmp/lake", "--lake");
        assertEquals("--lake: s3a:///lake names no bucket (s3a://BUCKET/PATH)", assertThrows(
            IllegalArgumentException.class, () -> S3Settings.checkLake("s3a:///lake", "--lake")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> S3Settings.checkLake("s3a://", "--lake"));
        for (final String bad : new String[] {"ab", "My_Bucket", "-bucket", "bucket-"}) {
            assertThrows(IllegalArgumentException.class, () -> S3Settings.checkLake("s3a://" + bad + "/x", "--lake"),
                bad);
        }
    }

    @Test
    void aMalformedEndpointOrHalfTheKeysIsNamed() {
        assertEquals("ECAP_S3_ENDPOINT: expected http://HOST:PORT or https://HOST:PORT of an S3 server, found "
            + "'minio:9000'", assertThrows(IllegalArgumentException.class,
                () -> S3Settings.from(Map.of("ECAP_S3_ENDPOINT", "minio:9000"), properties())).getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> S3Settings.from(Map.of(), properties("ecap.s3.endpoint", "ftp://host:21")));
        assertThrows(IllegalArgumentException.class,
            () -> S3Settings.from(Map.of(), properties("ecap.s3.endpoint", "http://host:9000/bucket")));
        assertEquals("-Decap.s3.secret-key: missing; give both ecap.s3.access-key and ecap.s3.secret-key, or neither",
            assertThrows(IllegalArgumentException.class,
                () -> S3Settings.from(Map.of(), properties("ecap.s3.access-key", "k"))).getMessage());
        assertEquals(Map.of("fs.s3a.access.key", "k", "fs.s3a.secret.key", "s"),
            S3Settings.from(Map.of(), properties("ecap.s3.access-key", "k", "ecap.s3.secret-key", "s")));
    }
}
