package io.ecap.ops.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docker-compose.yml} and the Dockerfiles against the build (Docker does not run here): the images are built
 * from files that exist, start main classes that exist, pass settings the service knows with values it accepts, and
 * publish, probe and scrape the port the service listens on; every service has a health check and resource limits,
 * every volume is declared, and no password is written down. With Docker installed, {@code docker compose config}
 * must accept the file too.
 */
class ComposeFileTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{(\\w+):\\?[^}]*}");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws Exception {
        final LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        return new Yaml(options).load(Files.readString(ROOT.resolve("docker-compose.yml")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws Exception {
        return (Map<String, Map<String, Object>>) compose().get("services");
    }

    @Test
    void theStackHasEveryPartOfADeployment() throws Exception {
        assertEquals(Set.of("kafka", "postgres", "redis", "minio", "minio-bucket", "ecap", "lake-tailer",
            "spark-master", "spark-worker", "lake-warm", "lake-jobs", "prometheus", "grafana"), services().keySet());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLakeIsOneS3aRootOnTheStacksMinioWhoseBucketIsMadeFirst() throws Exception {
        final Map<String, Map<String, Object>> services = services();
        for (final String name : List.of("lake-tailer", "lake-warm", "lake-jobs")) {
            final List<?> command = (List<?>) services.get(name).get("command");
            assertEquals("s3a://lake/ecap", command.get(command.indexOf("--lake") + 1), name);
            final Map<String, Object> env = (Map<String, Object>) services.get(name).get("environment");
            assertEquals("http://minio:9000", env.get("ECAP_S3_ENDPOINT"), name);
            assertEquals("ecap", env.get("AWS_ACCESS_KEY_ID"), name + ": MinIO's user");
            assertTrue(REQUIRED_VARIABLE.matcher(env.get("AWS_SECRET_ACCESS_KEY").toString()).find(), name);
            assertEquals(Map.of("fs.s3a.endpoint", "http://minio:9000", "fs.s3a.connection.ssl.enabled", "false",
                "fs.s3a.path.style.access", "true", "fs.s3a.directory.marker.retention", "keep",
                "fs.s3a.access.key", "ecap", "fs.s3a.secret.key", "x"), io.ecap.model.storage.S3Settings.from(
                    Map.of("ECAP_S3_ENDPOINT", env.get("ECAP_S3_ENDPOINT").toString(), "AWS_ACCESS_KEY_ID", "ecap",
                        "AWS_SECRET_ACCESS_KEY", "x"), new java.util.Properties()), "what the jobs make of it");
            assertTrue(services.get(name).get("depends_on").toString().contains("minio-bucket"), name);
        }
        assertEquals("ecap", ((Map<String, Object>) services.get("minio").get("environment")).get("MINIO_ROOT_USER"));
        assertTrue(services.get("minio-bucket").get("entrypoint").toString().contains("mc mb --ignore-existing "
            + "stack/lake"), "the bucket the lake is in");
        assertTrue(Files.readString(ROOT.resolve("deploy/docker/Dockerfile.lake"))
            .contains("-DincludeArtifactIds=hadoop-aws,aws-java-sdk-bundle"), "the lake image has the S3 connector");
        assertTrue(Files.readString(ROOT.resolve("deploy/docker/lake-job.sh")).contains("--jars \"$s3_jars\""),
            "and hands it to the executors");
        assertTrue(Files.readString(ROOT.resolve("coldpath/pom.xml")).contains("<artifactId>hadoop-aws</artifactId>")
            && Files.readString(ROOT.resolve("lake-tailer/pom.xml")).contains("<artifactId>hadoop-aws</artifactId>"),
            "the tailer's classpath (copied into the service image) has it too");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceHasAHealthCheckLimitsAndDeclaredVolumes() throws Exception {
        final Set<String> declared = ((Map<String, Object>) compose().get("volumes")).keySet();
        for (final Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
            final Map<String, Object> s = service.getValue();
            assertNotNull(s.get("healthcheck"), service.getKey() + ": no health check");
            assertNotNull(s.get("mem_limit"), service.getKey() + ": no memory limit");
            assertNotNull(s.get("cpus"), service.getKey() + ": no CPU limit");
            for (final Object volume : (List<Object>) s.getOrDefault("volumes", List.of())) {
                final String source = volume.toString().split(":")[0];
                if (source.startsWith(".")) {
                    assertTrue(Files.exists(ROOT.resolve(source)), service.getKey() + ": " + source + " is missing");
                } else {
                    assertTrue(declared.contains(source), service.getKey() + ": volume " + source + " not declared");
                }
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void noPasswordIsWrittenDown() throws Exception {
        final String text = Files.readString(ROOT.resolve("docker-compose.yml"));
        final Matcher password = Pattern.compile("(?im)^\\s*\\w*PASSWORD\\w*:\\s*(.+)$").matcher(text);
        int found = 0;
        while (password.find()) {
            found++;
            assertTrue(REQUIRED_VARIABLE.matcher(password.group(1)).find(), "a password must come from the "
                + "environment, required (${NAME:?why}): " + password.group());
        }
        assertEquals(3, found, "the database's, Grafana's and MinIO's");
        final String url = ((Map<String, Object>) services().get("ecap").get("environment"))
            .get("ECAP_CASES_DATABASE_URL").toString();
        assertTrue(REQUIRED_VARIABLE.matcher(url).find(), url);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theServiceGetsSettingsItKnowsAndIsReachedOnItsPort() throws Exception {
        final Map<String, Map<String, Object>> services = services();
        final Map<String, String> environment = new HashMap<>();
        ((Map<String, Object>) services.get("ecap").get("environment")).forEach((k, v) ->
            environment.put(k, REQUIRED_VARIABLE.matcher(v.toString()).replaceAll("secret")));
        final Settings settings = Settings.load(ROOT.resolve("config/ecap.properties"), environment).validate();
        final int port = settings.gateway().port();
        assertEquals("0.0.0.0", settings.gateway().host(), "reachable from the other containers");
        assertEquals("json", settings.logFormat());
        assertNotNull(settings.kafka(), "Kafka on");
        assertNotNull(settings.cases(), "cases on");
        assertEquals(List.of(port + ":" + port), services.get("ecap").get("ports"));
        assertTrue(services.get("ecap").get("healthcheck").toString().contains("127.0.0.1:" + port
            + "/health/ready"));
        assertTrue(Files.readString(ROOT.resolve("deploy/compose/prometheus.yml")).contains("\"ecap:" + port + "\""),
            "Prometheus scrapes the service's port");
        final String dockerfile = Files.readString(ROOT.resolve("deploy/docker/Dockerfile"));
        assertTrue(dockerfile.contains("EXPOSE " + port) && dockerfile.contains("ECAP_GATEWAY_PORT=" + port)
            && dockerfile.contains("http://127.0.0.1:" + port + "/health/ready"), "the image's port is " + port);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theImagesAreBuiltFromWhatTheRepositoryHasAndStartItsMainClasses() throws Exception {
        final Map<String, Map<String, Object>> services = services();
        final List<String> dockerfiles = new ArrayList<>();
        for (final Map<String, Object> s : services.values()) {
            if (s.get("build") instanceof Map<?, ?> build) {
                assertEquals(".", build.get("context"));
                dockerfiles.add(build.get("dockerfile").toString());
            }
        }
        assertEquals(List.of("deploy/docker/Dockerfile", "deploy/docker/Dockerfile.lake"), dockerfiles);
        final Set<String> modules = modules();
        for (final String name : dockerfiles) {
            final String dockerfile = Files.readString(ROOT.resolve(name));
            final Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(\\S+) (\\S+)$").matcher(dockerfile);
            while (copy.find()) {
                assertTrue(Files.exists(ROOT.resolve(copy.group(1))), name + ": COPY " + copy.group(1)
                    + " is missing");
            }
            for (final String module : modules) {
                assertTrue(dockerfile.contains("COPY " + module + " " + module), name + ": the build stage needs "
                    + "every module of the reactor, " + module + " is not copied");
            }
            assertTrue(dockerfile.contains("USER ecap") || dockerfile.contains("USER spark"), name + ": not root");
        }
        final String service = Files.readString(ROOT.resolve("deploy/docker/Dockerfile"));
        final String version = version();
        assertTrue(service.contains("/src/ops/target/ecap-ops-" + version + ".jar"), "the ops jar of this version");
        assertTrue(service.contains("\"io.ecap.ops.Ecap\""));
        Class.forName("io.ecap.ops.Ecap");
        assertTrue(service.contains("@/app/config/jvm.flags") && service.contains("COPY config/jvm.flags"));
        assertTrue(Files.readString(ROOT.resolve("deploy/docker/lake-job.sh"))
            .contains("--class io.ecap.lake.LakeMain"));
        assertTrue(Files.exists(ROOT.resolve("coldpath/src/main/java/io/ecap/lake/LakeMain.java")));
        assertTrue(Files.readString(ROOT.resolve("coldpath/pom.xml")).contains("/ecap-lake.jar</outputFile>"),
            "the lake image copies coldpath/target/ecap-lake.jar");
        assertTrue(Files.readString(ROOT.resolve("deploy/docker/Dockerfile.lake")).contains(
            "apache/spark:" + sparkVersion() + "-scala2.12-java17"), "the Spark the lake is built for");
        for (final String image : List.of("spark-master", "spark-worker")) {
            assertEquals("apache/spark:" + sparkVersion() + "-scala2.12-java17-ubuntu",
                services.get(image).get("image"));
        }
        assertTrue(services.get("ecap").get("image").equals(services.get("lake-tailer").get("image")));
        assertEquals(List.of("--data", "/data", "--lake", "s3a://lake/ecap", "--metrics-port", "9465",
            "--metrics-host", "0.0.0.0"), services.get("lake-tailer").get("command"));
        assertTrue(Files.readString(ROOT.resolve("deploy/compose/prometheus.yml")).contains("lake-tailer:9465"),
            "Prometheus scrapes the tailer where the stack serves its metrics");
        final List<?> tailer = (List<?>) services.get("lake-tailer").get("entrypoint");
        assertEquals("io.ecap.tailer.LakeTailerMain", tailer.get(tailer.size() - 1));
        assertTrue(tailer.contains("/app/tailer/*")
            && service.contains("COPY --from=build /src/lake-tailer/target/lib/ tailer/")
            && service.contains("ecap-lake-tailer-" + version + ".jar tailer/"),
            "the tailer runs from its own classpath in the image");
        assertTrue(Files.exists(ROOT.resolve("lake-tailer/src/main/java/io/ecap/tailer/LakeTailerMain.java")));
    }

    @Test
    void dockerComposeAcceptsTheFileAndRefusesToStartWithoutThePasswords() throws Exception {
        final List<String> compose = composeCommand();
        final boolean required = "1".equals(System.getenv("ECAP_REQUIRE_COMPOSE"));
        assertFalse(required && compose == null, "neither 'docker compose' nor 'docker-compose' is installed");
        Assumptions.assumeTrue(compose != null, "neither 'docker compose' nor 'docker-compose' is installed: "
            + "the compose file was not checked by Compose itself");
        final String[] accepted = config(compose, Map.of("POSTGRES_PASSWORD", "test", "GRAFANA_PASSWORD", "test",
            "MINIO_PASSWORD", "testtest"));
        assertEquals("0", accepted[0], accepted[1]);
        final String[] refused = config(compose, Map.of("GRAFANA_PASSWORD", "test", "MINIO_PASSWORD", "testtest"));
        assertFalse(refused[0].equals("0"), "started without a database password: " + refused[1]);
        assertTrue(refused[1].contains("set POSTGRES_PASSWORD"), refused[1]);
    }

    /** {@code docker compose} (v2) where it works, else {@code docker-compose} (v1), else null. */
    private static List<String> composeCommand() throws Exception {
        final String docker = onPath("docker");
        if (docker != null && run(List.of(docker, "compose", "version"), Map.of())[0].equals("0")) {
            return List.of(docker, "compose");
        }
        final String v1 = onPath("docker-compose");
        return v1 == null ? null : List.of(v1);
    }

    private static String[] config(final List<String> compose, final Map<String, String> environment)
        throws Exception {
        final List<String> command = new ArrayList<>(compose);
        command.addAll(List.of("-f", "docker-compose.yml", "config", "-q"));
        return run(command, environment);
    }

    /** Exit code and output of a command run in the repository's root, without the caller's passwords. */
    private static String[] run(final List<String> command, final Map<String, String> environment) throws Exception {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().remove("POSTGRES_PASSWORD");
        builder.environment().remove("GRAFANA_PASSWORD");
        builder.environment().putAll(environment);
        final Process process = builder.start();
        final String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        return new String[] {Integer.toString(process.exitValue()), said};
    }

    private static String onPath(final String command) {
        for (final String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(folder, command))) {
                return Path.of(folder, command).toString();
            }
        }
        return null;
    }

    /** The modules of the root pom (the default build's). */
    private static Set<String> modules() throws Exception {
        final String pom = Files.readString(ROOT.resolve("pom.xml"));
        final int profiles = pom.indexOf("<profiles>");
        final String defaults = profiles < 0 ? pom : pom.substring(0, profiles);
        final Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(defaults);
        final Set<String> found = new java.util.TreeSet<>();
        while (module.find()) {
            found.add(module.group(1));
        }
        assertTrue(found.contains("ops") && found.contains("coldpath"), found.toString());
        return found;
    }

    private static String version() throws Exception {
        final Matcher m = Pattern.compile("<artifactId>ecap-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(m.find());
        return m.group(1);
    }

    private static String sparkVersion() throws Exception {
        final Matcher m = Pattern.compile("<spark.version>([^<]+)</spark.version>").matcher(Files.readString(
            ROOT.resolve("coldpath/pom.xml")));
        assertTrue(m.find(), "spark.version in the coldpath pom");
        return m.group(1);
    }
}
