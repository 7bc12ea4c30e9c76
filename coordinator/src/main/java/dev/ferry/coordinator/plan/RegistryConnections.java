package dev.ferry.coordinator.plan;

import dev.ferry.common.transport.Connection;
import dev.ferry.common.transport.Connections;
import dev.ferry.common.transport.TlsMaterialException;
import dev.ferry.config.model.RegistryConfig;

/**
 * A schedule registry's {@link Connection}: its {@code tls:} and {@code proxy:}. The loader
 * already read the TLS files; a file that went missing since is reported with the registry's
 * name. Blocking (reads files).
 */
public final class RegistryConnections {

  private RegistryConnections() {}

  public static Connection open(Connections connections, RegistryConfig config) {
    try {
      return connections.open(config.tls(), config.proxy(), config.host(), config.plainHttp());
    } catch (TlsMaterialException e) {
      throw new IllegalStateException("registry \"" + config.name() + "\" tls." + e.field() + ": " + e.getMessage(), e);
    }
  }
}
