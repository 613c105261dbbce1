/** Word-piece tokenisation that keeps word ids and character offsets for every sub-token. */
package dev.strata.model.text;
