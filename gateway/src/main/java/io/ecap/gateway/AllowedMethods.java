package io.ecap.gateway;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods each path of the router takes, for the {@code Allow} header of a 405 answer (RFC 9110 requires it).
 * Built once from the router's routes, after they are all in place; {@code :name} parameters match one segment.
 */
final class AllowedMethods {
    private record PathMethods(Pattern path, Set<String> methods) {
    }

    private final List<PathMethods> paths = new ArrayList<>();

    AllowedMethods(final Router router) {
        for (final Route route : router.getRoutes()) {
            if (route.getPath() != null && route.methods() != null) {
                final Set<String> methods = new TreeSet<>();
                for (final HttpMethod method : route.methods()) {
                    methods.add(method.name());
                }
                paths.add(new PathMethods(pattern(route.getPath()), methods));
            }
        }
    }

    /** The methods a request path is served with, as the value of an {@code Allow} header ("GET, HEAD"). */
    String allow(final String path) {
        final Set<String> methods = new TreeSet<>();
        for (final PathMethods p : paths) {
            if (path != null && p.path().matcher(path).matches()) {
                methods.addAll(p.methods());
            }
        }
        return String.join(", ", methods);
    }

    private static Pattern pattern(final String routePath) {
        final StringBuilder regex = new StringBuilder();
        for (final String segment : routePath.split("/", -1)) {
            if (regex.length() > 0 || !segment.isEmpty()) {
                regex.append('/');
            }
            regex.append(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
        }
        // the router serves a route's path with a trailing slash too (/v1/lists/block/card/)
        return Pattern.compile(regex + "/?");
    }
}
