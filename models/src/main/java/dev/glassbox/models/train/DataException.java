package dev.glassbox.models.train;

import java.io.IOException;

/**
 * Data a run cannot use, said against the setting that names or filters it: a data set that is
 * not there, or a corpus with no word left by its {@code minCount}. An input problem (exit 1 on
 * the command line), where {@link InvalidSettingException} is a value no run can take.
 */
public final class DataException extends IOException implements SettingError {
    private final String setting;
    private final String problem;

    public DataException(String setting, String problem) {
        super(setting + " " + problem);
        this.setting = setting;
        this.problem = problem;
    }

    @Override public String setting() { return setting; }

    @Override public String problem() { return problem; }
}
