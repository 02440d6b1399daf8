package dev.glassbox.models.train;

/**
 * An error about one setting's value, named as its settings record names it, so that a
 * command line can name its flag instead ({@code minCount} → {@code --min-count}).
 */
public interface SettingError {
    /** The setting's name, e.g. {@code epochs}, {@code minCount}, {@code data}. */
    String setting();

    /** What is wrong, said after the setting's name. */
    String problem();
}
