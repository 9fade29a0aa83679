package io.ecap.ops.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.ops.generate.GeneratedEvent;
import io.ecap.ops.generate.GeneratedEvent.Kind;
import io.ecap.ops.generate.Traffic;
import io.ecap.ops.generate.WorkloadGenerator;
import io.ecap.ops.service.Service;
import io.ecap.ops.service.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generated traffic through a real service in this JVM, over HTTP and over the WebSocket stream. */
class DriverTest {
    @TempDir
    Path dir;

    private static Supplier<GeneratedEvent> first(final Traffic traffic, final int count) {
        final int[] sent = {0};
        return () -> sent[0]++ < count ? traffic.next() : null;
    }

    private static Traffic traffic(final long seed) {
        return new Traffic(Traffic.Settings.defaults(WorkloadGenerator.Settings.defaults(seed))
            .withKinds(EnumSet.allOf(Kind.class)));
    }

    @Test
    void shouldDeliverEveryKindOverHttpAndTransactionsOverTheStream() throws Exception {
        final Settings settings = Settings.load(null, Map.of()).set("data.dir", dir.toString())
            .set("engine.entities", "20000");
        try (Service service = Service.start(settings, settings.gateway().withPort(0))) {
            final Target target = new Target("127.0.0.1", service.port(), false, false, service.createdKey());
            for (final boolean webSocket : new boolean[] {false, true}) {
                final Tally tally = new Tally(true);
                try (Driver driver = new Driver(target, new Driver.Plan(0, 4, webSocket, 64, 2), tally)) {
                    final Driver.End end = driver.run(first(traffic(webSocket ? 2 : 1), 6_000), 0, () -> { });
                    assertEquals(Driver.End.SOURCE_ENDED, end);
                    assertEquals(0, driver.inFlight());
                }
                final ByteArrayOutputStream text = new ByteArrayOutputStream();
                tally.print(new PrintStream(text, true, StandardCharsets.UTF_8), 1);
                assertEquals(0, tally.failed(), text.toString(StandardCharsets.UTF_8));
                assertEquals(6_000, tally.sentTotal());
                for (final Kind kind : EnumSet.of(Kind.TRANSACTION, Kind.USER_EVENT, Kind.PRODUCT_UPDATE)) {
                    assertTrue(tally.sent(kind, false) > 0, kind + " sent");
                    assertEquals(tally.sent(kind, false), tally.sent(kind, true), kind + " all accepted");
                }
                assertEquals(tally.sent(Kind.TRANSACTION, true), tally.stats().scored());
                assertEquals(tally.sent(Kind.TRANSACTION, true), tally.scoreLatency().getTotalCount());
                assertTrue(text.toString(StandardCharsets.UTF_8).contains("precision"));
            }
        }
    }

    @Test
    void shouldReportRefusalsByStatusAndError() throws Exception {
        final Settings settings = Settings.load(null, Map.of()).set("data.dir", dir.toString())
            .set("engine.entities", "20000");
        try (Service service = Service.start(settings, settings.gateway().withPort(0))) {
            final Target wrongKey = new Target("127.0.0.1", service.port(), false, false, "ecap_" + "0".repeat(64));
            final Tally tally = new Tally(true);
            try (Driver driver = new Driver(wrongKey, new Driver.Plan(500, 2, false, 1_000, 1), tally)) {
                assertEquals(Driver.End.SOURCE_ENDED, driver.run(first(traffic(3), 200), 0, () -> { }));
            }
            assertEquals(200, tally.failed());
            final ByteArrayOutputStream text = new ByteArrayOutputStream();
            tally.print(new PrintStream(text, true, StandardCharsets.UTF_8), 1);
            assertTrue(text.toString(StandardCharsets.UTF_8).contains("200  401 unauthorized"), text.toString());
        }
    }

    @Test
    void shouldRampFromZeroToTheRateAndThenHoldIt() {
        final double perNs = 1_000 / 1e9;
        final double rampNs = 2e9;
        assertEquals(0, Driver.dueAfterNs(0, perNs, rampNs));
        assertEquals(1e9, Driver.dueAfterNs(250, perNs, rampNs), 1e3);
        assertEquals(2e9, Driver.dueAfterNs(1_000, perNs, rampNs), 1e3);
        assertEquals(3e9, Driver.dueAfterNs(2_000, perNs, rampNs), 1e3);
        assertEquals(5e6, Driver.dueAfterNs(5, perNs, 0), 1);
    }
}
