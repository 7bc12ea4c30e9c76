package dev.ferry.common.registry;

import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.transport.HttpTransport;
import dev.ferry.common.transport.Scopes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.ReadStream;

/** GET of a blob as a paused stream; redirects to storage are followed without credentials. */
final class BlobPuller {

  private final HttpTransport transport;

  BlobPuller(HttpTransport transport) {
    this.transport = transport;
  }

  Future<ReadStream<Buffer>> open(String repository, Descriptor blob) {
    String what = "GET blob " + repository + "@" + blob.digest();
    return transport.send(HttpTransport.Request.of(HttpMethod.GET, ApiPaths.blob(repository, blob.digest()),
            Scopes.of(Scopes.pull(repository)), what))
        .compose(resp -> transport.expect(resp, what, 200))
        .map(resp -> resp);
  }
}
