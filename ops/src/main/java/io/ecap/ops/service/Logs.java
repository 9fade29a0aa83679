package io.ecap.ops.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log.format} and {@code log.level} to the logging the command line starts with
 * ({@link LogDefaults}: text lines on standard error, warnings and up). JSON lines carry the time (epoch ms), level,
 * thread, logger, formatted message, the MDC ({@code request_id} for a line about an HTTP request) and the throwable.
 */
public final class Logs {
    /** The appender of {@link LogDefaults}. */
    static final String APPENDER = "STDERR";
    /** The pattern of the text lines. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSZ} [%thread] %level %logger - %msg%n";
    private Logs() {
    }

    /** Sets the format ({@code text} or {@code json}) and the lowest level logged ({@code error} ... {@code debug}). */
    public static synchronized void apply(final String format, final String level) {
        final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        final Level chosen = Level.toLevel(level, Level.WARN);
        root.setLevel(chosen);
        // the state watch and the ends of outages are said at info, rarely: kept at the default level, quiet when
        // only errors are asked for
        for (final String name : LogDefaults.SET_APART) {
            context.getLogger(name).setLevel(chosen == Level.ERROR || chosen == Level.DEBUG ? chosen : Level.INFO);
        }
        final OutputStreamAppender<ILoggingEvent> appender =
            (OutputStreamAppender<ILoggingEvent>) root.getAppender(APPENDER);
        final boolean json = "json".equals(format);
        if (appender == null || json == appender.getEncoder() instanceof JsonEncoder) {
            return;
        }
        final Encoder<ILoggingEvent> encoder = json ? jsonEncoder() : textEncoder();
        encoder.setContext(context);
        encoder.start();
        appender.stop();
        appender.setEncoder(encoder);
        appender.start();
    }

    /**
     * {@code log.kafka-records}: the bridge's line per input record ({@code io.ecap.gateway.kafka.Records}) at info,
     * or off, whatever the level of the rest.
     */
    public static synchronized void kafkaRecords(final boolean on) {
        final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger("io.ecap.gateway.kafka.Records").setLevel(on ? Level.INFO : Level.OFF);
    }

    /**
     * {@code log.requests}: the gateway's line per journaled HTTP request ({@code io.ecap.gateway.http.Requests}) at
     * info, or off, whatever the level of the rest.
     */
    public static synchronized void requests(final boolean on) {
        final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(io.ecap.gateway.http.RequestIds.JOURNALED_LOGGER).setLevel(on ? Level.INFO : Level.OFF);
    }

    private static Encoder<ILoggingEvent> jsonEncoder() {
        final JsonEncoder json = new JsonEncoder();
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        return json;
    }

    /** The text lines {@link LogDefaults} starts with. */
    private static Encoder<ILoggingEvent> textEncoder() {
        final PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setPattern(TEXT_PATTERN);
        return text;
    }
}
