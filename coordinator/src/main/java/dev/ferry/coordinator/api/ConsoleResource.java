package dev.ferry.coordinator.api;

import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.security.Access;
import dev.ferry.coordinator.ui.ConsoleAssets;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /ui/}: the read-only web console ({@link ConsoleAssets}). Its files are public;
 * everything it shows comes from the {@code /v1} routes with the signed-in token, so a viewer
 * sees what a viewer may read and a page without a token sees the login form.
 */
final class ConsoleResource implements ApiResource {

    private final ConsoleAssets assets;
    private final RouteSetup setup;

    ConsoleResource(ConsoleAssets assets, RouteSetup setup) {
        this.assets = assets;
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        // Vert.x matches "/ui/" to this route too: the page is served there, "/ui" is redirected
        // so that the page's relative links resolve under /ui/.
        setup.get(router, "/ui", Access.PUBLIC, ctx -> {
            if (ctx.request().path().endsWith("/")) {
                serve(ctx, "");
            } else {
                ctx.redirect("/ui/");
            }
        });
        setup.get(router, "/ui/:file", Access.PUBLIC, ctx -> serve(ctx, ctx.pathParam("file")));
    }

    private void serve(RoutingContext ctx, String name) {
        Query.of(ctx);
        ConsoleAssets.Asset asset = assets.get(name).orElse(null);
        if (asset == null) {
            ctx.fail(new ApiException(404, "not_found", "the console has no file \"" + name + "\""));
            return;
        }
        var response = ctx.response();
        ConsoleAssets.SECURITY_HEADERS.forEach(response::putHeader);
        response.putHeader("Content-Type", asset.contentType()).end(Buffer.buffer(asset.bytes()));
    }
}
