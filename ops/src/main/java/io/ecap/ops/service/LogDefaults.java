package io.ecap.ops.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * The logging every ECAP command starts with, set up in code (found by logback as a service; an XML file would cost
 * every start about 0.1 s of parsing): warnings and errors as text lines on standard error, and a few loggers that
 * say rare, useful things at info; Kafka's clients' repeated warnings at most once a minute ({@link KafkaRepeats}).
 * {@link Logs} changes the format and level for {@code ecap run}. A file named by
 * {@code -Dlogback.configurationFile} replaces all of it.
 */
public final class LogDefaults extends ContextAwareBase implements Configurator {
    /**
     * Loggers set apart from the root: what the state watch sees change (an index doubled, the journal synced again,
     * new work taken again after a full disk), and the ends of outages (the case writer and its database, the lists'
     * Redis), which belong with the warnings that began them. All are rare.
     */
    static final String[] SET_APART = {"io.ecap.gateway.StateWatch", "io.ecap.gateway.cases.CaseWriter",
        "io.ecap.gateway.cases.CaseDatabase", "io.ecap.gateway.lists.ListFollower"};

    @Override
    public ExecutionStatus configure(final LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        context.getStatusManager().add(new NopStatusListener());
        final PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(Logs.TEXT_PATTERN);
        encoder.start();
        final ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(Logs.APPENDER);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(appender);
        // Vert.x registers the same connection gauge once per HTTP server verticle and Micrometer warns about the
        // repeats; the first registration is the one that counts
        context.getLogger("io.micrometer.core.instrument.MeterRegistry").setLevel(Level.ERROR);
        for (final String name : SET_APART) {
            context.getLogger(name).setLevel(Level.INFO);
        }
        final KafkaRepeats kafkaRepeats = new KafkaRepeats();
        kafkaRepeats.setContext(context);
        kafkaRepeats.start();
        context.addTurboFilter(kafkaRepeats);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
