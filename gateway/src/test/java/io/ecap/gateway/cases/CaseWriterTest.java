package io.ecap.gateway.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.gateway.cases.ScoringClient.Answer;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.model.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The case writer against a real PostgreSQL and a real engine: what is written, and exactly once across restarts. */
public class CaseWriterTest {
    private static final long DEADLINE_MS = 60_000;

    @TempDir
    static Path pgDir;
    static Postgres postgres;
    static Vertx vertx;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = Postgres.start(pgDir.resolve("pg"));
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
        postgres.close();
    }

    @Test
    void shouldOpenOneCasePerReviewWithItsSearchableColumnsFilled() throws Exception {
        postgres.createDatabase("reviews");
        try (EngineRunner engine = engine()) {
            final List<Answer> answers = scoreMixed(engine, 0, 30);
            final SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (CaseWriter writer = writer("reviews", EnumSet.of(Outcome.REVIEW), 4, registry)) {
                awaitCaughtUp(writer, engine);
                final List<List<String>> rows = postgres.rows("reviews", "SELECT journal_index, txn_id, decision, "
                    + "score, customer_id, card_id, merchant_id, device_id, ip, amount::text, currency, "
                    + "(extract(epoch FROM event_time) * 1000)::bigint, status, entry #>> '{decision,journalIndex}', "
                    + "entry #>> '{transaction,country}', opened_at IS NOT NULL "
                    + "FROM ecap_cases ORDER BY journal_index");
                final List<List<String>> expected = new ArrayList<>();
                for (int i = 0; i < answers.size(); i++) {
                    final Answer a = answers.get(i);
                    if (a.outcome() == Outcome.REVIEW) {
                        final String index = Long.toString(a.journalIndex());
                        final String customer = "c-" + i % 5;
                        expected.add(List.of(index, a.txnId(), "REVIEW", "15", customer, "card-" + customer, "m-7",
                            "dev-" + customer, "10.0.0.7", "150.25", "USD", Long.toString(ScoringClient.T0
                                + i * 60_000L), "OPEN", index, "DE", "t"));
                    }
                }
                assertEquals(10, expected.size(), "a third of the stream is reviewed: " + answers);
                assertEquals(expected, rows);
                assertEquals(10.0, registry.get("ecap.cases.opened").counter().count());
                assertEquals(List.of(List.of(Long.toString(engine.journal().lastIndex()))), storedPosition("reviews"),
                    "the position is the journal's last entry, though it opened no case");
            }
        }
    }

    @Test
    void shouldOpenCasesForDeclinesOnlyWhenConfigured() throws Exception {
        postgres.createDatabase("declines");
        try (EngineRunner engine = engine()) {
            final List<Answer> answers = scoreMixed(engine, 0, 30);
            try (CaseWriter writer = writer("declines", EnumSet.of(Outcome.REVIEW, Outcome.DECLINE), 500,
                new SimpleMeterRegistry())) {
                awaitCaughtUp(writer, engine);
            }
            final List<List<String>> expected = new ArrayList<>();
            for (final Answer a : answers) {
                if (a.outcome() != Outcome.APPROVE) {
                    expected.add(List.of(a.txnId(), a.outcome().name(), Integer.toString(a.score())));
                }
            }
            assertEquals(20, expected.size());
            assertEquals(expected, postgres.rows("declines",
                "SELECT txn_id, decision, score FROM ecap_cases ORDER BY journal_index"));
        }
    }

    @Test
    void shouldWriteEveryCaseOnceWhenTheWriterRestartsMidStream() throws Exception {
        postgres.createDatabase("restarts");
        try (EngineRunner engine = engine()) {
            final List<Answer> answers = new CopyOnWriteArrayList<>();
            final AtomicBoolean stop = new AtomicBoolean();
            final Thread producer = new Thread(() -> scoreUntil(engine, stop, answers), "test-producer");
            final SimpleMeterRegistry first = new SimpleMeterRegistry();
            final SimpleMeterRegistry second = new SimpleMeterRegistry();
            final CaseWriter firstWriter = writer("restarts", EnumSet.of(Outcome.REVIEW), 20, first);
            try {
                producer.start();
                await(() -> first.get("ecap.cases.opened").counter().count() >= 20, "the first writer wrote cases");
            } finally {
                firstWriter.close();
            }
            final long stoppedAt = firstWriter.position();
            final long casesAtStop = count("restarts");
            assertEquals(List.of(List.of(Long.toString(stoppedAt))), storedPosition("restarts"));
            final int scoredAtStop = answers.size();
            await(() -> answers.size() >= scoredAtStop + 90, "the stream went on without a writer");
            try (CaseWriter writer = writer("restarts", EnumSet.of(Outcome.REVIEW), 20, second)) {
                await(() -> second.get("ecap.cases.opened").counter().count() >= 20, "the second writer wrote cases");
                stop.set(true);
                producer.join();
                awaitCaughtUp(writer, engine);
            }
            final List<List<String>> expected = reviews(answers);
            assertEquals(expected, postgres.rows("restarts", "SELECT journal_index, txn_id FROM ecap_cases "
                + "ORDER BY journal_index"), "every case once, none missing");
            assertEquals(answers.stream().filter(a -> a.outcome() == Outcome.REVIEW
                && a.journalIndex() <= stoppedAt).count(), casesAtStop, "what the first writer committed");
            assertTrue(casesAtStop < expected.size(), "the restart happened mid-stream");
            assertEquals(expected.size(), first.get("ecap.cases.opened").counter().count()
                + second.get("ecap.cases.opened").counter().count(), 0.0, "no case was inserted twice");
            assertEquals(0.0, second.get("ecap.cases.duplicates").counter().count(),
                "the second writer resumed after the stored position, not before it");
            assertEquals(List.of(List.of(Long.toString(engine.journal().lastIndex()))), storedPosition("restarts"));
        }
    }

    @Test
    void shouldApplyEachMigrationOnceWhenTwoInstancesStartTogether() throws Exception {
        postgres.createDatabase("migrations");
        final int[] applied = new int[2];
        final Pool[] pools = {pool("migrations"), pool("migrations")};
        final List<Thread> starts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            final int n = i;
            starts.add(new Thread(() -> applied[n] = Migrations.apply(pools[n], CaseStore.TIMEOUT)));
        }
        starts.forEach(Thread::start);
        for (final Thread t : starts) {
            t.join();
        }
        assertEquals(Migrations.FILES.size(), applied[0] + applied[1], "each file applied by one of them");
        assertEquals(List.of(List.of("1", "cases"), List.of("2", "case_audit"), List.of("3", "erasure"),
            List.of("4", "erasure_by_kind"), List.of("5", "erasure_free_text")),
            postgres.rows("migrations",
            "SELECT version, name FROM ecap_schema_version ORDER BY version"));
        assertEquals(0, Migrations.apply(pools[0], CaseStore.TIMEOUT), "nothing left to apply");
        for (final Pool p : pools) {
            p.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void shouldDeleteAnErasedCustomersCasesAndAuditTrailAfterWritingThoseBeforeTheErasure() throws Exception {
        postgres.createDatabase("erasures");
        try (EngineRunner engine = engine()) {
            scoreMixed(engine, 0, 30);
            try (CaseWriter writer = writer("erasures", EnumSet.of(Outcome.REVIEW), 500, new SimpleMeterRegistry())) {
                awaitCaughtUp(writer, engine);
            }
            // a case written before cases kept their customer's hash (an older version): found all the same
            postgres.update("erasures", "UPDATE ecap_cases SET customer_hash = NULL WHERE customer_id = 'c-1'");
            // and before they kept the other ids' hashes (V3)
            postgres.update("erasures", "UPDATE ecap_cases SET card_hash = NULL, device_hash = NULL, ip_hash = NULL, "
                + "merchant_hash = NULL");
            postgres.update("erasures", "INSERT INTO ecap_case_audit (journal_index, actor, action, details) "
                + "SELECT min(journal_index), 'analyst', 'comment', '{\"text\":\"looks odd\"}' FROM ecap_cases "
                + "WHERE customer_id = 'c-1'");
            // another customer's case whose comment and note name c-1: the id is marked, the rest of the text stays
            final String c2 = " FROM ecap_cases WHERE customer_id = 'c-2'";
            postgres.update("erasures", "INSERT INTO ecap_case_audit (journal_index, actor, action, details) "
                + "SELECT min(journal_index), 'analyst', 'comment', "
                + "'{\"text\":\"same card as c-1, and c-10 too\"}'::jsonb" + c2
                + " UNION ALL SELECT min(journal_index), 'analyst', 'resolve', "
                + "'{\"note\":\"c-1 (the owner) called\",\"resolution\":\"fraud\"}'::jsonb" + c2
                + " UNION ALL SELECT min(journal_index), 'analyst', 'comment', "
                + "'{\"text\":\"nothing to see\"}'::jsonb" + c2);
            final long before = count("erasures");
            final long erased = Long.parseLong(postgres.rows("erasures",
                "SELECT count(*) FROM ecap_cases WHERE customer_id = 'c-1'").get(0).get(0));
            assertTrue(erased > 0 && erased < before, "c-1 has some of the cases: " + erased + " of " + before);
            // more of c-1's cases after the last write, then the erasure: the batch that holds both writes them
            // first, then deletes them with the others
            scoreMixed(engine, 30, 45);
            final long index = engine.erase(io.ecap.hotpath.state.Erasure.of(io.ecap.hotpath.state.EntityKind
                .CUSTOMER, "c-1", "id", "alice", "ticket 7", ScoringClient.T0)).get().journalIndex();
            scoreMixed(engine, 45, 50);
            try (CaseWriter writer = writer("erasures", EnumSet.of(Outcome.REVIEW), 500, new SimpleMeterRegistry())) {
                awaitCaughtUp(writer, engine);
            }
            assertEquals(List.of(List.of("0")), postgres.rows("erasures",
                "SELECT count(*) FROM ecap_cases WHERE customer_id = 'c-1' AND journal_index < " + index));
            assertEquals(List.of(List.of("1")), postgres.rows("erasures",
                "SELECT count(*) FROM ecap_cases WHERE customer_id = 'c-1'"), "a REVIEW after the erasure: a new case");
            assertEquals(List.of(List.of("comment", "same card as [erased], and c-10 too"), List.of("resolve",
                "[erased] (the owner) called"), List.of("comment", "nothing to see")), postgres.rows("erasures",
                "SELECT action, coalesce(details->>'text', details->>'note') FROM ecap_case_audit ORDER BY id"),
                "c-1's own cases' trail is gone; the other cases' text has the id marked");
            assertEquals(List.of(List.of("0")), postgres.rows("erasures",
                "SELECT count(*) FROM ecap_cases WHERE customer_hash IS NULL"));
            final List<List<String>> audit = postgres.rows("erasures", "SELECT journal_index, kind, actor, reason, "
                + "cases_deleted, texts_redacted FROM ecap_erasures");
            assertEquals(1, audit.size(), audit.toString());
            assertEquals(List.of(Long.toString(index), "customer", "alice", "ticket 7"), audit.get(0).subList(0, 4));
            assertEquals(erased + 1, Long.parseLong(audit.get(0).get(4)), "the cases before and the one of 30-44");
            assertEquals("2", audit.get(0).get(5), "a comment and a note");
            assertTrue(count("erasures") > before - erased, "the others' cases stay, and new ones come");

            // a card: the cases naming it go, the others stay
            final long all = count("erasures");
            final long onCard = Long.parseLong(postgres.rows("erasures",
                "SELECT count(*) FROM ecap_cases WHERE card_id = 'card-c-2'").get(0).get(0));
            assertTrue(onCard > 0 && onCard < all, "card-c-2 has some of the cases: " + onCard + " of " + all);
            final long cardIndex = engine.erase(io.ecap.hotpath.state.Erasure.of(io.ecap.hotpath.state.EntityKind
                .CARD, "card-c-2", "id", "alice", "card closed", ScoringClient.T0)).get().journalIndex();
            try (CaseWriter writer = writer("erasures", EnumSet.of(Outcome.REVIEW), 500, new SimpleMeterRegistry())) {
                awaitCaughtUp(writer, engine);
            }
            assertEquals(List.of(List.of("0")), postgres.rows("erasures",
                "SELECT count(*) FROM ecap_cases WHERE card_id = 'card-c-2'"));
            assertEquals(all - onCard, count("erasures"));
            assertEquals(List.of(List.of("card", Long.toString(onCard))), postgres.rows("erasures",
                "SELECT kind, cases_deleted FROM ecap_erasures WHERE journal_index = " + cardIndex));
            assertEquals(List.of(List.of("0")), postgres.rows("erasures",
                "SELECT count(*) FROM ecap_cases WHERE card_hash IS NULL OR device_hash IS NULL OR ip_hash IS NULL "
                    + "OR merchant_hash IS NULL"), "every case has its ids' hashes");
        }
    }

    private Pool pool(final String database) {
        return PgBuilder.pool().using(vertx).connectingTo(PgConnectOptions.fromUri(postgres.url(database))).build();
    }

    private EngineRunner engine() throws Exception {
        final EngineRunner engine = EngineRunner.start(EngineConfig.defaults(dir.resolve("data"))
            .withEntries(10_000, 50_000), Throwable::printStackTrace);
        ScoringClient.loadRules(engine);
        return engine;
    }

    private CaseWriter writer(final String database, final Set<Outcome> decisions, final int batch,
        final SimpleMeterRegistry registry) {
        return CaseWriter.start(dir.resolve("data").resolve("journal").toFile(),
            new CaseOptions(postgres.url(database), decisions, batch), vertx, registry);
    }

    /** Scores transactions {@code from} to {@code to - 1}: APPROVE, REVIEW, DECLINE in turn. */
    static List<Answer> scoreMixed(final EngineRunner engine, final int from, final int to) {
        final ScoringClient client = new ScoringClient(engine);
        final List<Answer> answers = new ArrayList<>();
        for (int i = from; i < to; i++) {
            answers.add(client.score("t-" + i, ScoringClient.T0 + i * 60_000L, "c-" + i % 5,
                ScoringClient.amount(i)));
        }
        return answers;
    }

    /** Scores a mixed stream, about one transaction per 100 µs, until {@code stop}; adds the answers. */
    static void scoreUntil(final EngineRunner engine, final AtomicBoolean stop, final List<Answer> answers) {
        final ScoringClient client = new ScoringClient(engine);
        for (int i = 0; !stop.get(); i++) {
            answers.add(client.score("t-" + i, ScoringClient.T0 + i * 60_000L, "c-" + i % 5,
                ScoringClient.amount(i)));
            LockSupport.parkNanos(100_000);
        }
    }

    /** The (journal index, txnId) of every REVIEW answer, in journal order. */
    static List<List<String>> reviews(final List<Answer> answers) {
        return answers.stream().filter(a -> a.outcome() == Outcome.REVIEW)
            .sorted((a, b) -> Long.compare(a.journalIndex(), b.journalIndex()))
            .map(a -> List.of(Long.toString(a.journalIndex()), a.txnId())).toList();
    }

    private static long count(final String database) throws Exception {
        return Long.parseLong(postgres.rows(database, "SELECT count(*) FROM ecap_cases").get(0).get(0));
    }

    private static List<List<String>> storedPosition(final String database) throws Exception {
        return postgres.rows(database, "SELECT journal_index FROM ecap_tailer_position WHERE name = 'cases'");
    }

    static void awaitCaughtUp(final CaseWriter writer, final EngineRunner engine) throws InterruptedException {
        await(() -> writer.position() == engine.journal().lastIndex(), "the case writer caught up with the journal");
    }

    /** Polls {@code condition} until it holds, failing after a generous deadline (never asserting on time). */
    public static void await(final BooleanSupplier condition, final String what) throws InterruptedException {
        final long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }
}
