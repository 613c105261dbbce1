/**
 * Training and evaluation data: CoNLL-style NER files ({@link dev.strata.model.data.ConllReader}),
 * {@code label<TAB>text} classification files ({@link dev.strata.model.data.ClassifyTsvReader}),
 * the IOB2 label vocabulary ({@link dev.strata.model.data.LabelSet}), seeded few-shot samples
 * ({@link dev.strata.model.data.FewShotSampler}) and the cache of frozen-encoder hidden states that
 * head training reads ({@link dev.strata.model.data.FeatureCache}).
 */
package dev.strata.model.data;
