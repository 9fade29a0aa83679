package io.ecap.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GatewayConfigTest {
    @Test
    void leavesTheWritersCoreToTheWriterByDefault() {
        assertEquals(1, GatewayConfig.defaultVerticles(1));
        assertEquals(1, GatewayConfig.defaultVerticles(2));
        assertEquals(7, GatewayConfig.defaultVerticles(8));
    }

    @Test
    void anExplicitCountIsKept() {
        final GatewayConfig config = new GatewayConfig("127.0.0.1", 0, 3, 65_536, 1000, 100, true, null, null,
            600_000, 1024, 5_000);
        assertEquals(3, config.verticles());
    }
}
