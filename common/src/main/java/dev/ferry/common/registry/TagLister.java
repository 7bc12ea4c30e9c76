package dev.ferry.common.registry;

import dev.ferry.common.transport.HttpTransport;
import dev.ferry.common.transport.LinkHeader;
import dev.ferry.common.transport.Scopes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Tag list and catalog, following {@code Link: <...>; rel="next"} pages to the end. */
final class TagLister {

  private static final int MAX_PAGE_BYTES = 4 * 1024 * 1024;
  /** A bound on pages, so a registry whose Link loops cannot keep Ferry busy forever. */
  private static final int MAX_PAGES = 10_000;

  private final HttpTransport transport;
  private final int pageSize;

  TagLister(HttpTransport transport, int pageSize) {
    this.transport = transport;
    this.pageSize = pageSize;
  }

  Future<List<String>> tags(String repository) {
    return pages(ApiPaths.tags(repository, pageSize), Scopes.of(Scopes.pull(repository)), "tags",
        "list tags of " + repository, new ArrayList<>(), 0);
  }

  Future<List<String>> catalog() {
    return pages(ApiPaths.catalog(pageSize), Scopes.of(Scopes.CATALOG), "repositories",
        "list catalog", new ArrayList<>(), 0);
  }

  private Future<List<String>> pages(String uri, List<String> scopes, String field, String what,
      List<String> acc, int page) {
    if (page >= MAX_PAGES) {
      return Future.failedFuture(new IllegalStateException(what + ": more than " + MAX_PAGES + " pages"));
    }
    return transport.send(HttpTransport.Request.of(HttpMethod.GET, uri, scopes, what))
        .compose(resp -> transport.expect(resp, what, 200))
        .compose(resp -> HttpTransport.readBody(resp, MAX_PAGE_BYTES).compose(body -> {
          JsonArray items = new JsonObject(body).getJsonArray(field);
          if (items != null) {
            for (Object item : items) {
              acc.add(String.valueOf(item));
            }
          }
          String next = LinkHeader.next(resp.getHeader("Link"));
          return next == null ? Future.succeededFuture(acc) : pages(next, scopes, field, what, acc, page + 1);
        }));
  }
}
