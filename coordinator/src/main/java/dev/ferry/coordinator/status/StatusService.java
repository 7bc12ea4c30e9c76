package dev.ferry.coordinator.status;

import io.vertx.core.Future;

/** This member and the cluster at a glance, and whether it is ready to serve. */
public interface StatusService {

    /** Ready: the cluster is joined and a valid schedule is loaded. */
    boolean ready();

    Future<StatusView> status();
}
