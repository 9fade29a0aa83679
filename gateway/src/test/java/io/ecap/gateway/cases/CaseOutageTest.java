package io.ecap.gateway.cases;

import static io.ecap.gateway.cases.CaseWriterTest.await;
import static io.ecap.gateway.cases.CaseWriterTest.awaitCaughtUp;
import static io.ecap.gateway.cases.CaseWriterTest.reviews;
import static io.ecap.gateway.cases.CaseWriterTest.scoreMixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.gateway.cases.ScoringClient.Answer;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.model.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away while the engine keeps journaling: the PostgreSQL process is stopped, decisions keep coming,
 * and the same database is started again on its data folder and port. Every case must arrive, once.
 */
class CaseOutageTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteEveryCaseOnceAfterTheDatabaseComesBack() throws Exception {
        final Vertx vertx = Vertx.vertx();
        try (Postgres postgres = Postgres.start(dir.resolve("pg"));
            EngineRunner engine = EngineRunner.start(EngineConfig.defaults(dir.resolve("data"))
                .withEntries(10_000, 50_000), Throwable::printStackTrace)) {
            ScoringClient.loadRules(engine);
            postgres.createDatabase("outage");
            final SimpleMeterRegistry registry = new SimpleMeterRegistry();
            final List<Answer> answers = new ArrayList<>();
            try (CaseWriter writer = CaseWriter.start(dir.resolve("data").resolve("journal").toFile(),
                new CaseOptions(postgres.url("outage"), Set.of(Outcome.REVIEW), 7), vertx, registry)) {
                answers.addAll(scoreMixed(engine, 0, 60));
                awaitCaughtUp(writer, engine);
                final long beforeOutage = writer.position();

                postgres.stop();
                answers.addAll(scoreMixed(engine, 60, 150));
                await(() -> !writer.connected(), "the writer noticed the outage");
                answers.addAll(scoreMixed(engine, 150, 240));
                assertTrue(writer.position() < engine.journal().lastIndex(), "cases wait during the outage");
                assertTrue(registry.get("ecap.cases.failures").counter().count() >= 1);

                postgres.start();
                awaitCaughtUp(writer, engine);
                assertTrue(writer.connected());
                assertTrue(writer.position() > beforeOutage);
            }
            assertEquals(80, reviews(answers).size());
            assertEquals(reviews(answers), postgres.rows("outage", "SELECT journal_index, txn_id FROM ecap_cases "
                + "ORDER BY journal_index"), "every case once, none missing");
            assertEquals(List.of(List.of(Long.toString(engine.journal().lastIndex()))), postgres.rows("outage",
                "SELECT journal_index FROM ecap_tailer_position WHERE name = 'cases'"));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void shouldStartWithoutTheDatabaseAndWriteTheCasesWhenItArrives() throws Exception {
        final Vertx vertx = Vertx.vertx();
        try (Postgres postgres = Postgres.start(dir.resolve("pg"));
            EngineRunner engine = EngineRunner.start(EngineConfig.defaults(dir.resolve("data"))
                .withEntries(10_000, 50_000), Throwable::printStackTrace)) {
            ScoringClient.loadRules(engine);
            postgres.createDatabase("late");
            postgres.stop();
            final SimpleMeterRegistry registry = new SimpleMeterRegistry();
            final List<Answer> answers = new ArrayList<>();
            try (CaseWriter writer = CaseWriter.start(dir.resolve("data").resolve("journal").toFile(),
                new CaseOptions(postgres.url("late"), Set.of(Outcome.REVIEW), 500), vertx, registry)) {
                answers.addAll(scoreMixed(engine, 0, 45));
                await(() -> registry.get("ecap.cases.failures").counter().count() >= 1, "a failed connection");
                assertEquals(0, writer.position());
                postgres.start();
                awaitCaughtUp(writer, engine);
            }
            assertEquals(15, reviews(answers).size());
            assertEquals(reviews(answers), postgres.rows("late", "SELECT journal_index, txn_id FROM ecap_cases "
                + "ORDER BY journal_index"));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
