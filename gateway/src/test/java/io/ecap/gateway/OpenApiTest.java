package io.ecap.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ecap.gateway.auth.ApiKeys;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document lists exactly the routes the gateway serves. */
class OpenApiTest {
    @TempDir
    Path dir;

    @Test
    void shouldDocumentEveryRouteAndNoOther() throws Exception {
        final Set<String> documented = new TreeSet<>();
        String path = null;
        for (final String line : OpenApi.text().split("\n")) {
            final Matcher p = Pattern.compile("^  (/\\S*):\\s*$").matcher(line);
            final Matcher m = Pattern.compile("^    (get|post|put|delete|patch):").matcher(line);
            if (p.find()) {
                path = p.group(1).replaceAll("\\{([^}]+)}", ":$1");
            } else if (m.find() && path != null) {
                documented.add(m.group(1).toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        final Vertx vertx = Vertx.vertx();
        try {
            final GatewayContext context = new GatewayContext(GatewayConfig.defaults(),
                ApiKeys.load(dir.resolve("keys")),
                new GatewayMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
            final Router router = ApiRouter.build(vertx, vertx.getOrCreateContext(), context);
            final Set<String> served = new TreeSet<>();
            for (final Route route : router.getRoutes()) {
                if (route.getPath() != null && route.methods() != null) {
                    route.methods().forEach(method -> served.add(method.name() + " " + route.getPath()));
                }
            }
            assertEquals(documented, served);
        } finally {
            GatewayFixture.await(vertx.close());
        }
    }
}
