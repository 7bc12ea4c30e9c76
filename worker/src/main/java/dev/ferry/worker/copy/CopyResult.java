package dev.ferry.worker.copy;

import dev.ferry.common.digest.Digest;

/**
 * What a copy did.
 *
 * @param sourceDigest the digest of the manifest read from the source
 * @param targetDigest the digest written at the target; differs from the source only when
 *     a platform subset was taken from an index
 * @param upToDate true when the target already had this digest under the tag
 */
public record CopyResult(
        Digest sourceDigest,
        Digest targetDigest,
        boolean upToDate,
        int manifestsPushed,
        int blobsCopied,
        int blobsMounted,
        int blobsSkipped,
        long bytesCopied) {}
