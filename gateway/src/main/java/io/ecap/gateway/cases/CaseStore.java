package io.ecap.gateway.cases;

import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.Erasure;
import io.ecap.model.field.IdHash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The case database as the case writer sees it: one connection, the schema brought up to date on opening, a tailer's
 * position, and one transaction that inserts cases and moves that position together. Blocking: call it from the
 * writer's own thread only. Prepared statements only; the data never becomes SQL text.
 */
final class CaseStore implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final String INSERT_CASE = "INSERT INTO ecap_cases (journal_index, entry, customer_hash, card_hash, "
        + "device_hash, ip_hash, merchant_hash) VALUES ($1, $2::text::jsonb, $3, $4, $5, $6, $7) "
        + "ON CONFLICT (journal_index) DO NOTHING";
    /** Cases written before they kept every id's hash (V3 kept the customer's, V4 the others'). */
    private static final String UNHASHED = "SELECT journal_index, customer_id, card_id, device_id, ip, merchant_id "
        + "FROM ecap_cases WHERE customer_hash IS NULL OR card_hash IS NULL LIMIT 1000";
    private static final String SET_HASH = "UPDATE ecap_cases SET customer_hash = $2, card_hash = $3, "
        + "device_hash = $4, ip_hash = $5, merchant_hash = $6 WHERE journal_index = $1";
    private static final String ERASED = "INSERT INTO ecap_erasures (journal_index, kind, id_hash, actor, reason, "
        + "requested_at, cases_deleted, texts_redacted) "
        + "VALUES ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0), $7, $8) "
        + "ON CONFLICT (journal_index) DO NOTHING";
    /** The audit details that are an analyst's free text: a comment's and a resolution's note. */
    private static final List<String> FREE_TEXT_FIELDS = List.of("text", "note");
    /**
     * The free text of the cases, read a window of audit row ids at a time: a range of the primary key is a short
     * scan whatever the planner's statistics say (with a bulk of new rows not analyzed yet, an {@code ORDER BY id
     * LIMIT} after the last id read the rest of the table for every batch).
     */
    private static final int TEXT_WINDOW = 2_000;
    private static final String LAST_AUDIT = "SELECT coalesce(max(id), 0) FROM ecap_case_audit";
    private static final String FREE_TEXT = "SELECT id, details::text FROM ecap_case_audit "
        + "WHERE id > $1 AND id <= $2 AND action IN ('comment', 'resolve')";
    private static final String SET_DETAILS = "UPDATE ecap_case_audit SET details = $2::text::jsonb WHERE id = $1";
    private static final String SET_POSITION = "INSERT INTO ecap_tailer_position (name, journal_index) "
        + "VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET journal_index = excluded.journal_index";
    private static final String GET_POSITION = "SELECT journal_index FROM ecap_tailer_position WHERE name = $1";

    private final Pool pool;

    private CaseStore(final Pool pool) {
        this.pool = pool;
    }

    /** Connects and applies the migrations not yet applied; throws {@link CaseStoreException} if it cannot. */
    static CaseStore open(final Vertx vertx, final CaseOptions options) {
        final Pool pool = PgBuilder.pool().using(vertx).connectingTo(options.connectOptions())
            .with(new PoolOptions().setMaxSize(1).setName("ecap-cases"))
            .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
            .build();
        try {
            Migrations.apply(pool, TIMEOUT);
            final CaseStore store = new CaseStore(pool);
            store.hashOlderCases();
            return store;
        } catch (final RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** The last journal index the tailer {@code name} committed, or 0 if it never did. */
    long position(final String name) {
        final RowSet<Row> rows = Blocking.await(pool.preparedQuery(GET_POSITION).execute(Tuple.of(name)), TIMEOUT,
            "reading the position of " + name);
        return rows.size() == 0 ? 0 : rows.iterator().next().getLong(0);
    }

    /**
     * In one transaction: inserts the cases (journal index, entry JSON) that are not there yet and sets the tailer's
     * position to {@code lastIndex}. Returns how many cases were new.
     */
    int write(final List<Tuple> cases, final String name, final long lastIndex) {
        return Blocking.await(pool.withTransaction(c -> insert(c, cases)
            .compose(inserted -> c.preparedQuery(SET_POSITION).execute(Tuple.of(name, lastIndex)).map(inserted))),
            TIMEOUT, "writing cases up to journal index " + Long.toHexString(lastIndex));
    }

    /**
     * In one transaction: the cases before the erasure (as {@link #write}), then the cases naming the erased entity
     * (customer, card, device, IP address or merchant) and their audit trails deleted, the id marked in the comments
     * and notes of the cases left ({@link ErasedWords}), the erasure recorded in {@code ecap_erasures}, and the
     * position set to the erasure's entry. Returns how many cases were new.
     */
    int writeThenErase(final List<Tuple> cases, final String name, final long erasureIndex, final Erasure erasure) {
        final String column = hashColumn(erasure.kind());
        final String eraseAudit = "DELETE FROM ecap_case_audit WHERE journal_index IN "
            + "(SELECT journal_index FROM ecap_cases WHERE " + column + " = $1)";
        final String eraseCases = "DELETE FROM ecap_cases WHERE " + column + " = $1";
        return Blocking.await(pool.withTransaction(c -> insert(c, cases).compose(inserted ->
            c.preparedQuery(eraseAudit).execute(Tuple.of(erasure.idHash()))
                .compose(audit -> c.preparedQuery(eraseCases).execute(Tuple.of(erasure.idHash())))
                .map(RowSet::rowCount)
            .compose(deleted -> redactFreeText(c, new ErasedWords(erasure.kind(), erasure.idHash()))
                .compose(redacted -> c.preparedQuery(ERASED).execute(Tuple.tuple().addLong(erasureIndex)
                    .addString(erasure.kind().prefix()).addLong(erasure.idHash()).addString(erasure.actor())
                    .addString(erasure.reason()).addLong(erasure.tsMs()).addInteger(deleted)
                    .addInteger(redacted))))
            .compose(recorded -> c.preparedQuery(SET_POSITION).execute(Tuple.of(name, erasureIndex)))
            .map(inserted))), TIMEOUT, "erasing as journal entry " + Long.toHexString(erasureIndex) + " asks");
    }

    /**
     * Marks the erased id in every comment and resolution note; how many it changed. Every row is read, once: free
     * text has no index an id's hash could be looked up in, and an erasure is rare (docs/CASES.md says what it costs).
     */
    private static Future<Integer> redactFreeText(final SqlConnection c, final ErasedWords words) {
        return c.query(LAST_AUDIT).execute().compose(last ->
            redactWindows(c, words, 0, last.iterator().next().getLong(0), 0));
    }

    /** The windows of audit rows after id {@code after} up to {@code last}; {@code changed} so far. */
    private static Future<Integer> redactWindows(final SqlConnection c, final ErasedWords words, final long after,
        final long last, final int changed) {
        if (after >= last) {
            return Future.succeededFuture(changed);
        }
        final long to = Math.min(last, after + TEXT_WINDOW);
        return c.preparedQuery(FREE_TEXT).execute(Tuple.of(after, to)).compose(rows -> {
            final List<Tuple> updates = new ArrayList<>();
            for (final Row row : rows) {
                final JsonObject details = new JsonObject(row.getString(1));
                boolean marked = false;
                for (final String field : FREE_TEXT_FIELDS) {
                    if (details.getValue(field) instanceof String text) {
                        final String redacted = words.redact(text);
                        if (redacted != text) {
                            details.put(field, redacted);
                            marked = true;
                        }
                    }
                }
                if (marked) {
                    updates.add(Tuple.of(row.getLong(0), details.encode()));
                }
            }
            final Future<Integer> done = updates.isEmpty() ? Future.succeededFuture(changed)
                : c.preparedQuery(SET_DETAILS).executeBatch(updates).map(changed + updates.size());
            return done.compose(total -> redactWindows(c, words, to, last, total));
        });
    }

    /** The column of {@code ecap_cases} that holds the hash of a kind's id (one of five fixed names). */
    static String hashColumn(final EntityKind kind) {
        return switch (kind) {
            case CUSTOMER -> "customer_hash";
            case CARD -> "card_hash";
            case DEVICE -> "device_hash";
            case IP -> "ip_hash";
            case MERCHANT -> "merchant_hash";
        };
    }

    /** Cases written before they kept every id's hash get them, so that an erasure finds them too. */
    private void hashOlderCases() {
        while (true) {
            final RowSet<Row> rows = Blocking.await(pool.preparedQuery(UNHASHED).execute(), TIMEOUT,
                "finding cases without their ids' hashes");
            if (rows.size() == 0) {
                return;
            }
            final List<Tuple> hashes = new java.util.ArrayList<>(rows.size());
            for (final Row row : rows) {
                hashes.add(Tuple.of(row.getLong(0), hash(row.getString(1)), hash(row.getString(2)),
                    hash(row.getString(3)), hash(row.getString(4)), hash(row.getString(5))));
            }
            Blocking.await(pool.preparedQuery(SET_HASH).executeBatch(hashes), TIMEOUT,
                "keeping the hashes of older cases' ids");
        }
    }

    /** The id's hash; 0 (which no id hashes to) when the case has none, such as a payment without a device. */
    static long hash(final String id) {
        return id == null ? 0 : IdHash.of(id);
    }

    private static Future<Integer> insert(final SqlConnection c, final List<Tuple> cases) {
        if (cases.isEmpty()) {
            return Future.succeededFuture(0);
        }
        return c.preparedQuery(INSERT_CASE).executeBatch(cases).map(result -> {
            int inserted = 0;
            for (RowSet<Row> part = result; part != null; part = part.next()) {
                inserted += part.rowCount();
            }
            return inserted;
        });
    }

    @Override
    public void close() {
        try {
            Blocking.await(pool.close(), Duration.ofSeconds(5), "closing the case database pool");
        } catch (final CaseStoreException e) {
            // the connection is gone either way
        }
    }
}
