package io.ecap.gateway;

import static io.ecap.gateway.GatewayFixture.T0;
import static io.ecap.gateway.GatewayFixture.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.engine.BackupRegister;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.ErasureEntryFlyweight;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.EntityLayout;
import io.ecap.hotpath.state.Erasure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/admin/erasures}: an admin erases an entity; a bad request names its field and erases nothing. */
class ErasureApiTest {
    @TempDir
    Path dir;

    @Test
    void erasesACustomerJournalsWhoAskedAndRefusesBadRequestsNamingTheField() throws Exception {
        final GatewayFixture f = GatewayFixture.start(dir);
        try {
            for (int i = 0; i < 6; i++) {
                assertEquals(200, f.post("/v1/score", f.scoreKey, txn("e-" + i, T0 + i * 1000L,
                    i % 2 == 0 ? "c-gone" : "c-stay", "k-" + i % 2, "10.00")).statusCode());
            }
            refused(f, f.adminKey, "{\"kind\":\"planet\",\"id\":\"c-gone\"}", 400, "kind");
            refused(f, f.adminKey, "{\"kind\":\"customer\"}", 400, "id");
            refused(f, f.adminKey, "{\"kind\":\"customer\",\"id\":\"two words\"}", 400, "id");
            refused(f, f.adminKey, "{\"kind\":\"ip\",\"id\":\"10.0.0.300\"}", 400, "id");
            refused(f, f.adminKey, "{\"kind\":\"customer\",\"id\":\"c-gone\",\"why\":\"x\"}", 400, "why");
            refused(f, f.adminKey, "{\"kind\":\"customer\",\"id\":\"c-gone\",\"reason\":\"4111 1111 1111 1111\"}",
                400, "reason");
            refused(f, f.adminKey, "{\"kind\":\"customer\",\"id\":\"c-gone\",\"reason\":\"two\\nlines\"}", 400,
                "reason");
            refused(f, f.adminKey, "{\"kind\":\"customer\",\"id\":\"c-gone\",\"reason\":\"" + "r".repeat(129)
                + "\"}", 400, "reason");
            final HttpResponse<Buffer> notAdmin = f.post("/v1/admin/erasures", f.scoreKey,
                "{\"kind\":\"customer\",\"id\":\"c-gone\"}");
            assertEquals(403, notAdmin.statusCode(), notAdmin.bodyAsString());
            assertTrue(held(f, "c-gone"), "nothing was erased by the refused requests");

            final Path kept = backupOf(f, "kept");
            Files.delete(backupOf(f, "removed").resolve(BackupRegister.MANIFEST));
            final HttpResponse<Buffer> done = f.post("/v1/admin/erasures", f.adminKey,
                "{\"kind\":\"customer\",\"id\":\"c-gone\",\"reason\":\"ticket 4711\"}");
            assertEquals(200, done.statusCode(), done.bodyAsString());
            final JsonObject answer = done.bodyAsJsonObject();
            assertEquals("customer", answer.getString("kind"));
            assertEquals(1, answer.getInteger("records"));
            final JsonArray backups = answer.getJsonArray("backups");
            assertEquals(1, backups.size(), "the backup still there holds the customer; the removed one is not named: "
                + answer);
            assertEquals(kept.toAbsolutePath().normalize().toString(), backups.getJsonObject(0).getString("folder"));
            assertFalse(held(f, "c-gone"));
            assertTrue(held(f, "c-stay"));
            try (JournalReader reader = f.engine.journal().reader()) {
                assertTrue(reader.read(answer.getLong("journalIndex")));
                assertEquals(EntryType.ERASURE, reader.type());
                final Erasure journaled = ErasureEntryFlyweight.decode(reader.buffer(), reader.length());
                assertEquals("alice", journaled.actor(), "the admin key's name");
                assertEquals("ticket 4711", journaled.reason());
                assertEquals(Erasure.of(EntityKind.CUSTOMER, "c-gone", "id", "x", "", 0).idHash(),
                    journaled.idHash());
            }
            final JsonObject again = f.post("/v1/admin/erasures", f.adminKey,
                "{\"kind\":\"customer\",\"id\":\"c-gone\"}").bodyAsJsonObject();
            assertEquals(0, again.getInteger("records"), "none left: answered, and journaled all the same");
            assertTrue(again.getLong("journalIndex") > answer.getLong("journalIndex"));
            assertEquals(200, f.post("/v1/score", f.scoreKey, txn("e-9", T0 + 9000L, "c-stay", "k-1", "10.00"))
                .statusCode(), "scoring goes on");
        } finally {
            f.close();
        }
    }

    /**
     * A backup of the fixture's data folder as {@code ecap backup} leaves it for an erasure to find: listed in the
     * data folder's {@code backups.list}, its folder holding a manifest naming the data folder and the time.
     */
    private Path backupOf(final GatewayFixture f, final String name) throws Exception {
        final Path folder = Files.createDirectories(dir.resolve("backups").resolve(name));
        final Instant created = Instant.now().minusSeconds(60);
        final Properties manifest = new Properties();
        manifest.setProperty("source", f.engine.config().dataDir().toAbsolutePath().toString());
        manifest.setProperty("created", created.toString());
        try (Writer out = Files.newBufferedWriter(folder.resolve(BackupRegister.MANIFEST))) {
            manifest.store(out, null);
        }
        BackupRegister.add(f.engine.config().dataDir(), folder, created);
        return folder;
    }

    private static boolean held(final GatewayFixture f, final String customer) {
        return f.engine.store().entities(EntityKind.CUSTOMER).read(customer,
            new UnsafeBuffer(new byte[EntityLayout.LENGTH]), 0);
    }

    private static void refused(final GatewayFixture f, final String key, final String body, final int status,
        final String field) throws Exception {
        final HttpResponse<Buffer> answer = f.post("/v1/admin/erasures", key, body);
        assertEquals(status, answer.statusCode(), body + " -> " + answer.bodyAsString());
        assertEquals(field, answer.bodyAsJsonObject().getString("field"), body + " -> " + answer.bodyAsString());
    }
}
