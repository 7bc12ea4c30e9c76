package dev.ferry.config.model;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A target tag made from a source tag: literal text around one {@code {tag}}, such as
 * {@code {tag}-mirror} or {@code eu-{tag}}. The text around it may hold only tag characters,
 * and text before it must start like a tag, so the result is a valid tag for every source tag
 * except one that gets too long, which {@link #apply} refuses with the numbers. The mapping is
 * one-to-one, so {@link #sourceTagOf} leads back from a target tag.
 */
public record TagTemplate(String before, String after) {

    public static final String PLACEHOLDER = "{tag}";
    /** The OCI distribution spec's longest tag. */
    public static final int MAX_TAG = 128;

    private static final Pattern TAG_TEXT = Pattern.compile("[A-Za-z0-9_.-]*");
    private static final Pattern TAG_START = Pattern.compile("[A-Za-z0-9_].*");

    /** Parses a template; the message of the exception says what is wrong with it. */
    public static TagTemplate parse(String template) {
        int at = template.indexOf(PLACEHOLDER);
        if (at < 0 || template.indexOf(PLACEHOLDER, at + 1) >= 0) {
            throw new IllegalArgumentException("a tag template holds \"{tag}\" exactly once, e.g. \"{tag}-mirror\"");
        }
        String before = template.substring(0, at);
        String after = template.substring(at + PLACEHOLDER.length());
        if (!TAG_TEXT.matcher(before).matches() || !TAG_TEXT.matcher(after).matches()) {
            throw new IllegalArgumentException("the text around {tag} may hold only letters, digits, '_', '.' and '-'");
        }
        if (!before.isEmpty() && !TAG_START.matcher(before).matches()) {
            throw new IllegalArgumentException(
                    "a tag starts with a letter, a digit or '_', so the text before {tag}" + " must too");
        }
        if (before.length() + after.length() >= MAX_TAG) {
            throw new IllegalArgumentException(
                    "the text around {tag} leaves no room for the tag (a tag has at most " + MAX_TAG + " characters)");
        }
        return new TagTemplate(before, after);
    }

    /** The target tag of {@code sourceTag}; refuses one that would pass {@link #MAX_TAG} characters. */
    public String apply(String sourceTag) {
        String tag = before + sourceTag + after;
        if (tag.length() > MAX_TAG) {
            throw new IllegalArgumentException("tag template " + this + " makes a tag of " + tag.length()
                    + " characters from \"" + sourceTag + "\"; a tag has at most " + MAX_TAG);
        }
        return tag;
    }

    /** The source tag a target tag was made from, or empty when this template cannot have made it. */
    public Optional<String> sourceTagOf(String targetTag) {
        if (targetTag.length() <= before.length() + after.length()
                || !targetTag.startsWith(before)
                || !targetTag.endsWith(after)) {
            return Optional.empty();
        }
        return Optional.of(targetTag.substring(before.length(), targetTag.length() - after.length()));
    }

    @Override
    public String toString() {
        return "\"" + before + PLACEHOLDER + after + "\"";
    }
}
