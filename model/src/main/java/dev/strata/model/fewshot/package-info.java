/**
 * The report side of the few-shot sweep: one {@link dev.strata.model.fewshot.FewShotRun} per
 * finished run in a {@code runs.jsonl} file ({@link dev.strata.model.fewshot.RunLog}, which the
 * sweep also uses to resume), the mean ± std table of test F1 per head and k ({@link
 * dev.strata.model.fewshot.ResultsTable}), the check against the paper's claims ({@link
 * dev.strata.model.fewshot.ClaimCheck}), PNG charts ({@link dev.strata.model.fewshot.Plots}) and
 * the {@code results.md} that ties them together ({@link dev.strata.model.fewshot.FewShotReport}).
 */
package dev.strata.model.fewshot;
