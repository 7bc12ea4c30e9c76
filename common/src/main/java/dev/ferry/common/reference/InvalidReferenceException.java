package dev.ferry.common.reference;

/** A reference string that does not follow the distribution reference grammar. */
public class InvalidReferenceException extends IllegalArgumentException {
    public InvalidReferenceException(String reference, String problem) {
        super("invalid reference \"" + reference + "\": " + problem);
    }
}
