package dev.glassbox.models.explain;

import dev.glassbox.models.train.InvalidSettingException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one message bundle of explain: every sentence and formula template, in English
 * ({@code explain/messages_en.properties}) and Korean ({@code messages_ko.properties}), with
 * named places ({@code {lr}}) that a trace's numbers fill. The terminal renderer says a trace
 * with it; the studio will serve the same files.
 */
public final class Messages {
    /** The languages there are. */
    public static final Set<String> LANGUAGES = Set.of("en", "ko");
    private static final Pattern PLACE = Pattern.compile("\\{(\\w+)}");

    private final String lang;
    private final Properties words;

    private Messages(String lang, Properties words) {
        this.lang = lang;
        this.words = words;
    }

    /** The bundle of a language ({@code en} or {@code ko}). */
    public static Messages of(String lang) {
        InvalidSettingException.check(LANGUAGES.contains(lang), "lang", "must be en or ko, got '" + lang + "'");
        Properties p = new Properties();
        try (InputStream in = Messages.class.getResourceAsStream("/explain/messages_" + lang + ".properties")) {
            if (in == null) throw new IllegalStateException("the " + lang + " messages are missing from the jar");
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Messages(lang, p);
    }

    public String lang() { return lang; }

    /** Every key of the bundle. */
    public Set<String> keys() { return new TreeSet<>(words.stringPropertyNames()); }

    /** The template of a key, or an error naming the key. */
    public String template(String key) {
        String t = words.getProperty(key);
        if (t == null) throw new IllegalArgumentException("no message '" + key + "' in the " + lang + " bundle");
        return t;
    }

    /** The sentence of {@code key} with its places filled from {@code args}; a place without a value is an error. */
    public String say(String key, Map<String, ?> args) {
        Matcher m = PLACE.matcher(template(key));
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            if (!args.containsKey(m.group(1))) throw new IllegalArgumentException("message '" + key + "' needs {" + m.group(1) + "}");
            m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf(args.get(m.group(1)))));
        }
        return m.appendTail(sb).toString();
    }

    /** {@link #say} with the places given as name, value, name, value, ... */
    public String say(String key, Object... namesAndValues) {
        Map<String, Object> args = new java.util.HashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) args.put((String) namesAndValues[i], namesAndValues[i + 1]);
        return say(key, args);
    }
}
