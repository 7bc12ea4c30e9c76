package dev.ferry.coordinator.api;

import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.quota.LinkControl;
import dev.ferry.coordinator.quota.LinkQuotas;
import io.vertx.core.Future;
import java.util.List;

/** One link, eu-west to us-east, with a scheduled quota and one lease on it. */
final class FakeLinks implements LinkControl {

    volatile String lastLinkChange;

    @Override
    public Future<List<LinkQuotas.LinkView>> links() {
        return Future.succeededFuture(List.of(new LinkQuotas.LinkView(
                "eu-west",
                "us-east",
                "20MiB/s",
                20971520,
                "schedule",
                null,
                null,
                10485760,
                List.of(new LinkQuotas.LeaseShare("l-1", "j-1", "w-1", "high", 20971520, 10485760)))));
    }

    @Override
    public Future<LinkQuotas.LinkView> setLink(String from, String to, String bandwidth, String actor) {
        if (!from.equals("eu-west")) {
            return Future.failedFuture(ApiException.notFound("region", from));
        }
        lastLinkChange = from + "|" + to + "|" + bandwidth + "|" + actor;
        return Future.succeededFuture(
                new LinkQuotas.LinkView(from, to, bandwidth, 5 * 1024 * 1024, "api", actor, Fakes.T1, 0, List.of()));
    }
}
