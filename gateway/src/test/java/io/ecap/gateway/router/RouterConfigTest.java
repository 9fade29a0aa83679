package io.ecap.gateway.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouterConfigTest {
    private static RouterConfig of(final String... urls) {
        return new RouterConfig("127.0.0.1", 0, RouterConfig.urls(List.of(urls)), 1000, 65_536, 10_000);
    }

    @Test
    void takesEachShardsGatewayOnce() {
        assertEquals(2, of("http://127.0.0.1:8081", "http://127.0.0.1:8082/").shards().size());
        for (final String[] bad : new String[][] {{"ftp://127.0.0.1:1"}, {"http://h"}, {"http://h:1/path"},
            {"http://h:1?x=1"}, {"http://u:p@h:1"}, {"http://h:1#x"}, {"not a url"}}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of(bad));
            assertTrue(e.getMessage().startsWith("--shard: expected http://HOST:PORT"), e.getMessage());
        }
        for (final String[] twice : new String[][] {{"http://127.0.0.1:8081", "http://127.0.0.1:8081/"},
            {"http://localhost:8081", "http://127.0.0.1:8081"}}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of(twice));
            assertTrue(e.getMessage().contains("names a gateway already named"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RouterConfig("127.0.0.1", 0,
            RouterConfig.urls(List.of("http://127.0.0.1:1")), 1000, 65_536, 0)).getMessage().startsWith(
            "--timeout-ms"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RouterConfig("127.0.0.1", 0,
            RouterConfig.urls(List.of("http://127.0.0.1:1")), 0, 65_536, 10)).getMessage().startsWith("--max-batch"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RouterConfig("127.0.0.1", 0, List.of(),
            1000, 65_536, 10)).getMessage().startsWith("--shard"));
    }
}
