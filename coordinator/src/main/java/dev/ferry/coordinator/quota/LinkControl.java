package dev.ferry.coordinator.quota;

import io.vertx.core.Future;
import java.util.List;

/** Link quotas as the control API shows and changes them. */
public interface LinkControl {

    /** Links with a quota or with leases: quota, origin, shares per lease and observed rates. */
    Future<List<LinkQuotas.LinkView>> links();

    /**
     * Sets a link's bandwidth quota cluster-wide ({@code unlimited} lifts it); takes effect at
     * each lease's next renew.
     *
     * @param actor who asked, for the audit record
     */
    Future<LinkQuotas.LinkView> setLink(String from, String to, String bandwidth, String actor);
}
