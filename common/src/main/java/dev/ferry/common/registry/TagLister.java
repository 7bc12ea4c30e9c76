package dev.ferry.common.registry;

import dev.ferry.common.transport.HttpTransport;
import dev.ferry.common.transport.LinkHeader;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.common.transport.Scopes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tag list and catalog, following {@code Link: <...>; rel="next"} pages to the end.
 *
 * <p>A registry decides the pages, so a broken or hostile one could keep Ferry listing
 * forever. A listing therefore fails (not temporarily: the registry would do it again) when
 * <ul>
 *   <li>a next link repeats a URL already fetched, or a {@code last} already asked for;
 *   <li>a page adds no entry but still links a next page;
 *   <li>it passes {@link #MAX_PAGES} pages or {@link #MAX_ENTRIES} entries (by default).
 * </ul>
 * Pages are fetched one after another from the previous page's callback, never as a chain of
 * nested futures, so a long listing does not deepen the stack.
 */
final class TagLister {

    private static final int MAX_PAGE_BYTES = 4 * 1024 * 1024;
    /** Pages per listing: 100,000 entries at the 100 per page some registries cap {@code n} at. */
    static final int MAX_PAGES = 1_000;
    /** Tags per repository, or repositories per catalog, that Ferry will list. */
    static final int MAX_ENTRIES = 100_000;

    private final HttpTransport transport;
    private final int pageSize;
    private final int maxPages;
    private final int maxEntries;

    TagLister(HttpTransport transport, int pageSize) {
        this(transport, pageSize, MAX_PAGES, MAX_ENTRIES);
    }

    TagLister(HttpTransport transport, int pageSize, int maxPages, int maxEntries) {
        this.transport = transport;
        this.pageSize = pageSize;
        this.maxPages = maxPages;
        this.maxEntries = maxEntries;
    }

    Future<List<String>> tags(String repository) {
        return new Listing(Scopes.of(Scopes.pull(repository)), "tags", "list tags of " + repository)
                .start(ApiPaths.tags(repository, pageSize));
    }

    Future<List<String>> catalog() {
        return new Listing(Scopes.of(Scopes.CATALOG), "repositories", "list catalog").start(ApiPaths.catalog(pageSize));
    }

    /** One listing in progress: the entries so far and the pages seen. */
    private final class Listing {
        private final List<String> scopes;
        private final String field;
        private final String what;
        private final List<String> entries = new ArrayList<>();
        private final Set<String> fetched = new HashSet<>();
        private final Set<String> lasts = new HashSet<>();
        private final Promise<List<String>> done = Promise.promise();
        private int pages;

        Listing(List<String> scopes, String field, String what) {
            this.scopes = scopes;
            this.field = field;
            this.what = what;
        }

        Future<List<String>> start(String uri) {
            fetch(uri);
            return done.future();
        }

        private void fetch(String uri) {
            fetched.add(pathOf(uri));
            String last = lastOf(uri);
            if (last != null) {
                lasts.add(last);
            }
            pages++;
            transport
                    .send(HttpTransport.Request.of(HttpMethod.GET, uri, scopes, what))
                    .compose(resp -> transport.expect(resp, what, 200))
                    .compose(resp -> transport
                            .readBody(resp, MAX_PAGE_BYTES, what)
                            .map(body -> {
                                String next = LinkHeader.next(resp.getHeader("Link"));
                                int added = add(resp, body.toString());
                                return next == null ? null : checked(resp, next, added);
                            }))
                    .onSuccess(next -> {
                        if (next == null) {
                            done.tryComplete(entries);
                        } else {
                            fetch(next);
                        }
                    })
                    .onFailure(done::tryFail);
        }

        private int add(HttpClientResponse resp, String body) {
            JsonArray items;
            try {
                items = new JsonObject(body).getJsonArray(field);
            } catch (DecodeException | ClassCastException e) {
                throw unusable(resp, "page " + pages + " is not a JSON object with a \"" + field + "\" list");
            }
            if (items == null) {
                return 0;
            }
            if (entries.size() + items.size() > maxEntries) {
                throw unusable(
                        resp,
                        "more than " + maxEntries + " entries (Ferry's limit); gave up after " + pages + " pages");
            }
            for (Object item : items) {
                entries.add(String.valueOf(item));
            }
            return items.size();
        }

        /** The next page's URI, or an error when following it would not make progress. */
        private String checked(HttpClientResponse resp, String next, int added) {
            String uri = pathOf(next);
            String last = lastOf(uri);
            String problem = null;
            if (fetched.contains(uri) || (last != null && lasts.contains(last))) {
                problem = "the registry's pagination loops: page " + pages + " links again to "
                        + (last != null ? "last=" + last : uri);
            } else if (added == 0) {
                problem = "the registry's pagination makes no progress: page " + pages
                        + " has no entries but links to another page";
            } else if (pages >= maxPages) {
                problem = "more than " + maxPages + " pages (Ferry's limit)";
            }
            if (problem != null) {
                throw unusable(
                        resp, problem + "; gave up after " + pages + " pages and " + entries.size() + " entries");
            }
            return next;
        }

        private RegistryException unusable(HttpClientResponse resp, String problem) {
            return RegistryException.unusableResponse(what + " at " + transport.endpoint(), resp.statusCode(), problem);
        }
    }

    /** The path and query of a next link, so an absolute and a relative link to one page compare equal. */
    private static String pathOf(String link) {
        try {
            URI u = URI.create(link);
            if (u.getRawPath() == null) {
                return link;
            }
            return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        } catch (IllegalArgumentException e) {
            return link;
        }
    }

    /** The {@code last} query parameter of a page's URI, raw, or null. */
    static String lastOf(String uri) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String param : uri.substring(q + 1).split("&")) {
            if (param.startsWith("last=")) {
                return param.substring("last=".length());
            }
        }
        return null;
    }
}
