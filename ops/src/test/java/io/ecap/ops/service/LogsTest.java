package io.ecap.ops.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** {@code log.format} and {@code log.level}: JSON lines with the request id, text lines back, levels applied. */
class LogsTest {
    private static final Logger LOG = LoggerFactory.getLogger("io.ecap.gateway.Errors");

    @AfterEach
    void back() {
        Logs.apply("text", "warn");
    }

    /** What the logging wrote to standard error while {@code step} ran. */
    private static String stderr(final Runnable step) {
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            step.run();
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonLinesCarryLevelLoggerMessageAndTheRequestId() {
        Logs.apply("json", "info");
        final String written = stderr(() -> {
            MDC.put("request_id", "abc-123");
            try {
                LOG.warn("request {} to {} failed: {}", "abc-123", "/v1/score", "IllegalStateException");
            } finally {
                MDC.remove("request_id");
            }
            LOG.info("a line at info \"quoted\"");
            LOG.debug("not at info");
        });
        final String[] lines = written.strip().split("\n");
        assertEquals(2, lines.length, written);
        final JsonObject first = new JsonObject(lines[0]);
        assertEquals("WARN", first.getString("level"));
        assertEquals("io.ecap.gateway.Errors", first.getString("loggerName"));
        assertEquals("request abc-123 to /v1/score failed: IllegalStateException", first.getString("formattedMessage"));
        assertEquals("abc-123", first.getJsonObject("mdc").getString("request_id"));
        assertTrue(first.getLong("timestamp") > 0);
        assertEquals("a line at info \"quoted\"", new JsonObject(lines[1]).getString("formattedMessage"));
    }

    @Test
    void kafkaRecordLinesOnlyWhenAskedForWhateverTheLevel() {
        final Logger records = LoggerFactory.getLogger("io.ecap.gateway.kafka.Records");
        Logs.apply("json", "warn");
        Logs.kafkaRecords(true);
        final String on = stderr(() -> {
            MDC.put("kafka_record", "transactions-3@17");
            MDC.put("journal_index", "42");
            try {
                records.info("Kafka record transactions-3@17 journaled at index 42");
            } finally {
                MDC.clear();
            }
        });
        final JsonObject line = new JsonObject(on.strip());
        assertEquals("transactions-3@17", line.getJsonObject("mdc").getString("kafka_record"));
        assertEquals("42", line.getJsonObject("mdc").getString("journal_index"));
        Logs.apply("json", "debug");
        Logs.kafkaRecords(false);
        assertEquals("", stderr(() -> records.info("not asked for")), "off even at debug");
    }

    @Test
    void requestLinesOnlyWhenAskedForWhateverTheLevel() {
        final Logger requests = LoggerFactory.getLogger(io.ecap.gateway.http.RequestIds.JOURNALED_LOGGER);
        Logs.apply("text", "warn");
        Logs.requests(true);
        assertTrue(stderr(() -> requests.info("request r-1 POST /v1/score: APPROVE, journal index 42"))
            .contains("INFO io.ecap.gateway.http.Requests - request r-1"));
        Logs.apply("text", "debug");
        Logs.requests(false);
        assertEquals("", stderr(() -> requests.info("not asked for")), "off even at debug");
    }

    @Test
    void textLinesAndLevelsAsConfigured() {
        Logs.apply("json", "warn");
        Logs.apply("text", "error");
        final String written = stderr(() -> {
            LOG.warn("not at error");
            LOG.error("at error");
        });
        assertFalse(written.contains("not at error"), written);
        assertTrue(written.strip().matches("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+[+-]\\d{4} \\[[^]]+] ERROR "
            + "io\\.ecap\\.gateway\\.Errors - at error"), written);
    }

    @Test
    void startsWithWarningsAsTextAndTheRareInfoLoggersSetApart() {
        final ch.qos.logback.classic.LoggerContext context = new ch.qos.logback.classic.LoggerContext();
        assertEquals(ch.qos.logback.classic.spi.Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY,
            new LogDefaults().configure(context));
        final ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(ch.qos.logback.classic.Level.WARN, root.getLevel());
        assertTrue(root.getAppender(Logs.APPENDER) instanceof ch.qos.logback.core.ConsoleAppender);
        assertEquals(ch.qos.logback.classic.Level.INFO, context.getLogger("io.ecap.gateway.StateWatch").getLevel());
        assertEquals(ch.qos.logback.classic.Level.ERROR,
            context.getLogger("io.micrometer.core.instrument.MeterRegistry").getLevel());
    }

    @Test
    void kafkasRepeatedWarningsAtMostOnceAMinuteOfEachKind() {
        final ch.qos.logback.classic.LoggerContext context = new ch.qos.logback.classic.LoggerContext();
        new LogDefaults().configure(context);
        assertTrue(context.getTurboFilterList().stream().anyMatch(f -> f instanceof KafkaRepeats));
        final long[] now = {1_000};
        final KafkaRepeats filter = new KafkaRepeats(() -> now[0]);
        final ch.qos.logback.classic.Logger network = context.getLogger("org.apache.kafka.clients.NetworkClient");
        final String away = "[Producer clientId=p] Connection to node {} ({}) could not be established.";
        final ch.qos.logback.classic.Level warn = ch.qos.logback.classic.Level.WARN;
        assertEquals(ch.qos.logback.core.spi.FilterReply.NEUTRAL, filter.decide(null, network, warn, away, null, null));
        now[0] += 1_000;
        assertEquals(ch.qos.logback.core.spi.FilterReply.DENY, filter.decide(null, network, warn, away, null, null));
        assertEquals(ch.qos.logback.core.spi.FilterReply.NEUTRAL, filter.decide(null, network, warn,
            "[Consumer clientId=c] Connection to node {} ({}) could not be established.", null, null),
            "another client");
        assertEquals(ch.qos.logback.core.spi.FilterReply.NEUTRAL, filter.decide(null, context.getLogger(
            "io.ecap.gateway.Errors"), warn, away, null, null), "not Kafka's");
        now[0] += KafkaRepeats.PERIOD_MS;
        assertEquals(ch.qos.logback.core.spi.FilterReply.NEUTRAL, filter.decide(null, network, warn, away, null, null),
            "again after a minute");
    }
}
