package dev.ferry.common.layout;

import dev.ferry.common.transport.ErrorCode;
import dev.ferry.common.transport.RegistryException;
import java.util.List;

/**
 * The registry-shaped errors a layout reports, so callers handle a missing tag in a
 * directory exactly like a missing tag in a registry (status 404 plus the spec's code).
 */
final class LayoutErrors {

    private LayoutErrors() {}

    /** @param what the operation and resource, e.g. "GET manifest v1 in OCI layout /mnt/usb" */
    static RegistryException notFound(String what, ErrorCode code, String detail) {
        return new RegistryException(
                what + ": " + code + " (" + detail + ")",
                404,
                List.of(new RegistryException.Error(code, detail)),
                null,
                null);
    }
}
