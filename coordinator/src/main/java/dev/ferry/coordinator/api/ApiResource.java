package dev.ferry.coordinator.api;

import io.vertx.ext.web.Router;

/** One HTTP resource of the control API: it adds its own routes to a router. */
interface ApiResource {

    void addRoutes(Router router);
}
