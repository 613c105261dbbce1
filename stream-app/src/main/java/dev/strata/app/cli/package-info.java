/** The {@code ./strata} command line (picocli): thin commands over the model and the stream app. */
package dev.strata.app.cli;
