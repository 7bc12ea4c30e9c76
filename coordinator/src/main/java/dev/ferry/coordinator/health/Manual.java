package dev.ferry.coordinator.health;

import java.io.Serializable;

/**
 * An operator took a registry out of service.
 *
 * @param mode {@code failover}, {@code drain} or {@code drill}
 * @param until for a drill, when it ends; 0 otherwise
 */
public record Manual(String mode, String actor, String reason, long at, String drillId, long until)
        implements Serializable {

    public static final String FAILOVER = "failover";
    public static final String DRAIN = "drain";
    public static final String DRILL = "drill";
}
