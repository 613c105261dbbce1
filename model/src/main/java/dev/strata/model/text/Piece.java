package dev.strata.model.text;

/**
 * One sub-token before assembly into an {@link Encoding}: vocabulary id, surface string, word id
 * and UTF-16 character span {@code [start, end)} in the text.
 */
record Piece(int id, String token, int wordId, int start, int end) {}
