package io.ecap.gateway.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.gateway.cases.CaseDatabase;
import io.ecap.gateway.cases.CaseOptions;
import io.ecap.gateway.cases.Postgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lake's publication in /metrics: its data-quality failures and its time, read from a real PostgreSQL. */
class LakeFiguresTest {
    @TempDir
    Path dir;

    @Test
    void readsTheLastPublicationAndSaysNothingWithoutOne() throws Exception {
        final Vertx vertx = Vertx.vertx();
        try (Postgres pg = Postgres.start(dir.resolve("pg"))) {
            pg.createDatabase("shop");
            final CaseDatabase database = CaseDatabase.open(vertx, CaseOptions.parse(pg.url("shop"), "REVIEW"));
            final SimpleMeterRegistry registry = new SimpleMeterRegistry();
            final LakeFigures figures = LakeFigures.start(vertx, database, registry);
            refreshed(figures);
            assertTrue(Double.isNaN(figures.now()[0]) && Double.isNaN(figures.now()[2]), "nothing published yet");
            assertTrue(Double.isNaN(registry.get("ecap.lake.quality.failed").gauge().value()));

            pg.update("shop", "CREATE TABLE analytics_publications (name TEXT PRIMARY KEY, rows BIGINT NOT NULL, "
                + "as_of DATE, published_at TIMESTAMPTZ NOT NULL)");
            pg.update("shop", "INSERT INTO analytics_publications VALUES ('analytics_customers', 3, '2026-11-30', "
                + "'2026-12-01T00:00:00Z'), ('analytics_data_quality', 5, '2026-11-30', '2026-12-01T00:00:10Z')");
            pg.update("shop", "CREATE TABLE analytics_data_quality (table_name TEXT, check_name TEXT, passed BOOLEAN)");
            pg.update("shop", "INSERT INTO analytics_data_quality VALUES ('silver/transactions', 'a', true), "
                + "('silver/transactions', 'b', false), ('silver/labels', 'c', true), ('silver/labels', 'd', false), "
                + "('silver/events', 'e', true)");
            refreshed(figures);
            assertTrue(Double.isNaN(figures.now()[3]), "no drift published");
            pg.update("shop", "CREATE TABLE analytics_feature_drift (model TEXT, feature TEXT, psi DOUBLE PRECISION)");
            pg.update("shop", "INSERT INTO analytics_feature_drift VALUES ('m@1', 'txn.amount_usd', 0.04), "
                + "('m@1', 'card.count_1h', 0.31)");
            refreshed(figures);
            assertEquals(0.31, registry.get("ecap.lake.drift.max.psi").gauge().value(), 1e-12);
            assertEquals(5.0, figures.now()[1]);
            assertEquals(1_796_083_210.0, figures.now()[2], 1e-6, "the newest publication: 2026-12-01T00:00:10Z");
            assertEquals(2.0, registry.get("ecap.lake.quality.failed").gauge().value());

            pg.stop();
            refreshed(figures);
            assertTrue(Double.isNaN(figures.now()[0]) && Double.isNaN(figures.now()[2]), "the database is away");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private static void refreshed(final LakeFigures figures) throws Exception {
        figures.refresh().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
}
