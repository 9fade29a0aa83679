package io.ecap.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.gateway.auth.ApiKeys;
import io.ecap.gateway.http.ReadTimeout;
import io.ecap.model.json.CustomerProfileJson;
import io.ecap.model.json.DecisionJson;
import io.ecap.model.json.LabelJson;
import io.ecap.model.json.ProductUpdateJson;
import io.ecap.model.json.TransactionJson;
import io.ecap.model.json.UserEventJson;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
            final Router router = ApiRouter.build(vertx, vertx.getOrCreateContext(), context,
                new ReadTimeout(vertx, GatewayConfig.DEFAULT_READ_TIMEOUT_MS));
            final Set<String> served = new TreeSet<>();
            final Set<String> head = new TreeSet<>();
            for (final Route route : router.getRoutes()) {
                if (route.getPath() != null && route.methods() != null) {
                    route.methods().forEach(method -> (method == HttpMethod.HEAD ? head : served)
                        .add(method.name() + " " + route.getPath()));
                }
            }
            assertEquals(documented, served);
            assertEquals(served.stream().filter(r -> r.startsWith("GET ")).map(r -> "HEAD " + r.substring(4))
                .collect(Collectors.toCollection(TreeSet::new)), head, "every GET route takes HEAD, and only those");
        } finally {
            GatewayFixture.await(vertx.close());
        }
    }

    @Test
    void shouldDescribeTheBodyOfEveryRouteThatTakesOne() {
        final Map<String, String> posts = new TreeMap<>();
        String path = null;
        String method = null;
        for (final String line : OpenApi.text().split("\n")) {
            final Matcher p = Pattern.compile("^  (/\\S*):\\s*$").matcher(line);
            final Matcher m = Pattern.compile("^    (get|post):").matcher(line);
            if (p.find()) {
                path = p.group(1);
            } else if (m.find()) {
                method = m.group(1);
                if (method.equals("post")) {
                    posts.put(path, "");
                }
            } else if ("post".equals(method) && line.startsWith("      requestBody:")) {
                posts.put(path, line);
            }
        }
        posts.forEach((route, body) -> {
            if (!route.endsWith("/rollback")) {
                assertTrue(body.contains("schema"), "POST " + route + " has no body schema");
            }
        });
        assertTrue(posts.get("/v1/events").contains("#/components/schemas/UserEvent"));
        assertTrue(posts.get("/v1/products").contains("#/components/schemas/ProductUpdate"));
    }

    @Test
    void shouldListEveryFieldOfEachContract() {
        assertEquals(Set.copyOf(TransactionJson.FIELDS), properties("Transaction"));
        assertEquals(Set.copyOf(DecisionJson.FIELDS), properties("Decision"));
        assertEquals(Set.copyOf(LabelJson.FIELDS), properties("Label"));
        assertEquals(Set.copyOf(UserEventJson.FIELDS), properties("UserEvent"));
        assertEquals(Set.copyOf(ProductUpdateJson.FIELDS), properties("ProductUpdate"));
        assertEquals(Set.copyOf(CustomerProfileJson.FIELDS), properties("CustomerProfile"));
    }

    /** The property names of a schema under components/schemas. */
    private static Set<String> properties(final String schema) {
        final Set<String> names = new TreeSet<>();
        boolean inSchema = false;
        boolean inProperties = false;
        for (final String line : OpenApi.text().split("\n")) {
            if (line.matches("^    \\S.*")) {
                inSchema = line.equals("    " + schema + ":");
                inProperties = false;
            } else if (inSchema && line.matches("^      \\S.*")) {
                inProperties = line.equals("      properties:");
            } else if (inSchema && inProperties && line.matches("^        [A-Za-z]+:.*")) {
                names.add(line.trim().substring(0, line.trim().indexOf(':')));
            }
        }
        return names;
    }
}
