package dev.glassbox.models.train;

/**
 * A setting with a value it cannot take. The message starts with the setting's name as the
 * settings record names it ({@code "epochs must be positive, got -3"}); {@link #setting()}
 * gives that name alone, so a command line can say {@code --epochs} instead.
 */
public final class InvalidSettingException extends IllegalArgumentException implements SettingError {
    private final String setting;

    public InvalidSettingException(String setting, String problem) {
        super(setting + " " + problem);
        this.setting = setting;
    }

    /** The setting's name in its record, e.g. {@code epochs}, {@code minCount}. */
    @Override
    public String setting() { return setting; }

    /** The message after the setting's name. */
    @Override
    public String problem() { return getMessage().substring(setting.length() + 1); }

    /** Fails with this exception unless {@code ok}. */
    public static void check(boolean ok, String setting, String problem) {
        if (!ok) throw new InvalidSettingException(setting, problem);
    }
}
