package io.ecap.gateway.analytics;

import io.ecap.gateway.cases.CaseDatabase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;

/**
 * The lake's last publication as the service sees it in PostgreSQL ({@code ecap lake publish}), for {@code /metrics}:
 * how many data-quality checks failed and how many ran (gold {@code data_quality}, newest day published), the largest
 * feature drift of a fraud model (gold {@code feature_drift}) and when the last publication happened. Read once a
 * minute; NaN before the first publication or while the database is away.
 */
public final class LakeFigures {
    static final String QUALITY = "SELECT count(*) FILTER (WHERE NOT passed), count(*) FROM analytics_data_quality";
    static final String DRIFT = "SELECT max(psi) FROM analytics_feature_drift";
    static final String PUBLISHED = "SELECT extract(epoch FROM max(published_at))::float8 FROM analytics_publications";
    private static final long PERIOD_MS = 60_000;

    private final CaseDatabase database;
    private volatile double failedChecks = Double.NaN;
    private volatile double checks = Double.NaN;
    private volatile double publishedAt = Double.NaN;
    private volatile double maxDrift = Double.NaN;

    private LakeFigures(final CaseDatabase database) {
        this.database = database;
    }

    /** Registers the gauges and reads the figures now and then once a minute. */
    public static LakeFigures start(final Vertx vertx, final CaseDatabase database, final MeterRegistry registry) {
        final LakeFigures figures = new LakeFigures(database);
        Gauge.builder("ecap.lake.quality.failed", figures, f -> f.failedChecks)
            .description("data-quality checks that failed in the lake's last publication (NaN: none published)")
            .register(registry);
        Gauge.builder("ecap.lake.quality.checks", figures, f -> f.checks)
            .description("data-quality checks in the lake's last publication").register(registry);
        Gauge.builder("ecap.lake.drift.max.psi", figures, f -> f.maxDrift)
            .description("the largest population stability index of a fraud model's features in the lake's last "
                + "publication (0.25 and above: a large shift; NaN: no drift published)").register(registry);
        Gauge.builder("ecap.lake.published.timestamp", figures, f -> f.publishedAt).baseUnit("seconds")
            .description("when ecap lake publish last published (NaN: never, or the database is away)")
            .register(registry);
        figures.refresh();
        vertx.setPeriodic(PERIOD_MS, id -> figures.refresh());
        return figures;
    }

    /** Reads both figures again; a table not published yet, or a database away, leaves NaN. Never fails. */
    Future<Void> refresh() {
        final Future<Void> published = database.run(pool -> pool.query(PUBLISHED).execute()).andThen(ar -> {
            final Row row = ar.succeeded() && ar.result().size() == 1 ? ar.result().iterator().next() : null;
            publishedAt = row == null || row.getValue(0) == null ? Double.NaN : row.getDouble(0);
        }).<Void>mapEmpty().otherwiseEmpty();
        final Future<Void> quality = database.run(pool -> pool.query(QUALITY).execute()).andThen(ar -> {
            final Row row = ar.succeeded() && ar.result().size() == 1 ? ar.result().iterator().next() : null;
            failedChecks = row == null ? Double.NaN : row.getLong(0);
            checks = row == null ? Double.NaN : row.getLong(1);
        }).<Void>mapEmpty().otherwiseEmpty();
        final Future<Void> drift = database.run(pool -> pool.query(DRIFT).execute()).andThen(ar -> {
            final Row row = ar.succeeded() && ar.result().size() == 1 ? ar.result().iterator().next() : null;
            maxDrift = row == null || row.getValue(0) == null ? Double.NaN : row.getDouble(0);
        }).<Void>mapEmpty().otherwiseEmpty();
        return Future.all(published, quality, drift).mapEmpty();
    }

    /** Failed checks, checks, publication time (epoch seconds) and largest drift as last read: NaN when unknown. */
    double[] now() {
        return new double[] {failedChecks, checks, publishedAt, maxDrift};
    }
}
