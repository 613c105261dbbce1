package dev.strata.model.train;

/**
 * A dev score after {@code step} optimiser steps (one point of a step-efficiency curve).
 *
 * @param step optimiser steps done
 * @param score dev score
 */
public record DevPoint(int step, double score) {}
