package io.ecap.gateway.lists;

import io.ecap.gateway.auth.ApiKey;
import io.ecap.gateway.auth.Authenticator;
import io.ecap.gateway.cases.CaseText;
import io.ecap.gateway.http.Bodies;
import io.ecap.gateway.http.QueryParams;
import io.ecap.gateway.http.Replies;
import io.ecap.gateway.http.RequestIds;
import io.ecap.gateway.http.StringBodies;
import io.ecap.hotpath.lists.ListChange;
import io.ecap.hotpath.lists.ListKind;
import io.ecap.hotpath.lists.ListType;
import io.ecap.model.ValidationException;
import io.ecap.model.field.PanMask;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The list API ({@code /v1/lists/{list}/{kind}}, scope {@code analyst}; docs/LISTS.md): read and check the request,
 * change or read Redis, answer. A change is in force in the engines once they have read it from the change stream
 * (within about a second); the answer carries its stream id. Without {@code lists.redis-url} the routes answer 503
 * {@code lists_off}; while Redis is away, 503 {@code lists_unavailable} with Retry-After. Keys limited to some
 * merchants may read the lists but not change them: a list applies to every merchant.
 */
public final class ListRoutes {
    static final int RETRY_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(ListRoutes.class);

    private final ListStore store;

    /** Routes over {@code store}, or answering 503 when it is null (lists off). */
    public ListRoutes(final ListStore store) {
        this.store = store;
    }

    /** Entries of a page when {@code limit} is not given, and the most a page may hold. */
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1_000;

    /**
     * {@code GET /v1/lists/:list/:kind[?limit=N][&after=VALUE]}: a page of its values in value order, with how many
     * the list holds and, when more follow, {@code next}: the {@code after} of the next page.
     */
    public void list(final RoutingContext ctx) {
        serve(ctx, 200, c -> {
            final ListType list = ListType.parse(c.pathParam("list"), "list");
            final ListKind kind = ListKind.parse(c.pathParam("kind"), "kind");
            QueryParams.only(c.queryParams(), List.of("limit", "after"));
            final int limit = QueryParams.wholeNumber(c.queryParams().get("limit"), "limit", 1, MAX_PAGE,
                DEFAULT_PAGE);
            final String after = after(c.queryParams().get("after"));
            return store.page(list, kind, after, limit).map(page -> {
                final JsonObject body = new JsonObject().put("list", list.label()).put("kind", kind.label())
                    .put("count", page.count()).put("entries", page.entries());
                return page.next() == null ? body : body.put("next", page.next());
            });
        });
    }

    /** The cursor of a page: a value as a list holds them (printable ASCII, never a card number), or null. */
    private static String after(final String after) {
        if (after == null) {
            return null;
        }
        if (after.isEmpty() || after.length() > MAX_AFTER || !after.chars().allMatch(ch -> ch >= ' ' && ch <= '~')) {
            throw new ValidationException("after", "expected the next value of an earlier page (1 to " + MAX_AFTER
                + " printable ASCII characters), found '" + QueryParams.shown(after) + "'");
        }
        if (PanMask.contains(after)) {
            throw new ValidationException("after", "must not carry a card number");
        }
        return after;
    }

    private static final int MAX_AFTER = 256;

    /** {@code GET /v1/lists/:list/:kind/:value}: one value's entry, or 404. */
    public void get(final RoutingContext ctx) {
        serve(ctx, 200, c -> {
            final ListType list = ListType.parse(c.pathParam("list"), "list");
            final ListKind kind = ListKind.parse(c.pathParam("kind"), "kind");
            final String value = kind.canonical(c.pathParam("value"), "value");
            return store.entry(list, kind, value).map(entry -> entry == null ? null
                : entry.put("list", list.label()).put("kind", kind.label()));
        });
    }

    /** {@code POST /v1/lists/:list/:kind} with {@code {"value": "...", "reason": "..."}}: put a value on a list. */
    public void add(final RoutingContext ctx) {
        serve(ctx, 201, c -> {
            final ListType list = ListType.parse(c.pathParam("list"), "list");
            final ListKind kind = ListKind.parse(c.pathParam("kind"), "kind");
            final UnsafeBuffer body = Bodies.of(c);
            final Map<String, String> fields = StringBodies.read(body, body.capacity(), List.of("value", "reason"));
            final String value = kind.canonical(StringBodies.required(fields, "value"), "value");
            final String reason = reason(fields.get("reason"));
            final String actor = writer(c);
            return store.add(list, kind, value, reason, actor, System.currentTimeMillis())
                .map(changed -> answer(list, kind, value, changed));
        });
    }

    /**
     * {@code DELETE /v1/lists/:list/:kind/:value}: take a value off a list. A value that was not there is answered
     * with {@code removed: false} and no stream id: nothing was announced, and no engine journals anything.
     */
    public void remove(final RoutingContext ctx) {
        serve(ctx, 200, c -> {
            final ListType list = ListType.parse(c.pathParam("list"), "list");
            final ListKind kind = ListKind.parse(c.pathParam("kind"), "kind");
            final String value = kind.canonical(c.pathParam("value"), "value");
            final String actor = writer(c);
            return store.remove(list, kind, value, actor, System.currentTimeMillis())
                .map(changed -> answer(list, kind, value, changed).put("removed", changed.changed()));
        });
    }

    private static JsonObject answer(final ListType list, final ListKind kind, final String value,
        final ListStore.Changed changed) {
        final JsonObject answer = new JsonObject().put("list", list.label()).put("kind", kind.label())
            .put("value", value);
        return changed.streamId() == null ? answer : answer.put("streamId", changed.streamId());
    }

    private static String reason(final String reason) {
        if (reason == null) {
            return "";
        }
        CaseText.check(reason, ListChange.MAX_REASON / 4, "reason");
        return reason;
    }

    /** The name of the key making a change; a key limited to some merchants may not (a list is for all of them). */
    private static String writer(final RoutingContext ctx) {
        final ApiKey key = ctx.get(Authenticator.KEY);
        if (key.limitedToMerchants()) {
            throw new ListRefusal();
        }
        final String name = key.name().replaceAll("[^ -~]", "?");
        return name.length() > ListChange.MAX_ACTOR ? name.substring(0, ListChange.MAX_ACTOR) : name;
    }

    /** A change asked for with a key limited to some merchants. */
    private static final class ListRefusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ListRefusal() {
            super("key limited to merchants", null, false, false);
        }
    }

    private void serve(final RoutingContext ctx, final int status,
        final Function<RoutingContext, Future<JsonObject>> work) {
        if (store == null) {
            Replies.fail(ctx, 503, "lists_off", "block and allow lists are off: no Redis is configured (set "
                + "lists.redis-url, see docs/LISTS.md)");
            return;
        }
        final Future<JsonObject> result;
        try {
            result = work.apply(ctx);
        } catch (final ValidationException e) {
            Replies.invalid(ctx, e);
            return;
        } catch (final ListRefusal e) {
            Replies.fail(ctx, 403, "forbidden", "this key is limited to some merchants; block and allow lists apply "
                + "to every merchant, so only a key for all merchants may change them");
            return;
        }
        result.onComplete(ar -> {
            if (ctx.response().ended() || ctx.response().closed()) {
                return;
            }
            if (ar.succeeded() && ar.result() == null) {
                Replies.fail(ctx, 404, "not_found", "this value is not on the list");
            } else if (ar.succeeded()) {
                Replies.json(ctx, status, ar.result());
            } else {
                RequestIds.warn(LOG, ctx, "Lists: {} {} failed: {}", ctx.request().method(),
                    PanMask.mask(ctx.normalizedPath()), ar.cause().toString());
                Replies.unavailable(ctx, "lists_unavailable", "the list store (Redis) is unavailable or too slow; "
                    + "try again (GET the list to see whether a change that timed out was made)", RETRY_SECONDS);
            }
        });
    }
}
