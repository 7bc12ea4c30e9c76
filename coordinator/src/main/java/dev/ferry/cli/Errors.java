package dev.ferry.cli;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns an exception chain into one readable line. */
final class Errors {

    private Errors() {}

    static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }
}
