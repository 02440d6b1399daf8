package dev.glassbox.nn;

/** How a loss folds its per-element values: averaged, summed, or left as they are. */
public enum Reduction { MEAN, SUM, NONE }
