package dev.ferry.common.transport;

/** Error codes defined by the OCI distribution spec, plus UNKNOWN for anything else. */
public enum ErrorCode {
    BLOB_UNKNOWN,
    BLOB_UPLOAD_INVALID,
    BLOB_UPLOAD_UNKNOWN,
    DIGEST_INVALID,
    MANIFEST_BLOB_UNKNOWN,
    MANIFEST_INVALID,
    MANIFEST_UNKNOWN,
    MANIFEST_UNVERIFIED,
    NAME_INVALID,
    NAME_UNKNOWN,
    SIZE_INVALID,
    TAG_INVALID,
    UNAUTHORIZED,
    DENIED,
    UNSUPPORTED,
    TOOMANYREQUESTS,
    UNKNOWN;

    public static ErrorCode of(String code) {
        if (code == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(code.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
