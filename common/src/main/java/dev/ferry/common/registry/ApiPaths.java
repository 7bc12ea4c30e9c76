package dev.ferry.common.registry;

import dev.ferry.common.digest.Digest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The distribution API's URL paths. */
final class ApiPaths {

    private ApiPaths() {}

    static String manifest(String repository, String reference) {
        return "/v2/" + repository + "/manifests/" + reference;
    }

    static String blob(String repository, Digest digest) {
        return "/v2/" + repository + "/blobs/" + digest;
    }

    static String uploads(String repository) {
        return "/v2/" + repository + "/blobs/uploads/";
    }

    static String tags(String repository, int pageSize) {
        return "/v2/" + repository + "/tags/list?n=" + pageSize;
    }

    static String catalog(int pageSize) {
        return "/v2/_catalog?n=" + pageSize;
    }

    static String referrers(String repository, Digest subject) {
        return "/v2/" + repository + "/referrers/" + subject;
    }

    /** Adds a query parameter to an upload Location, which may already carry a query. */
    static String withParam(String location, String name, String value) {
        return location + (location.contains("?") ? "&" : "?") + name + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
