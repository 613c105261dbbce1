/** The known backbones, how to obtain their weights offline, and the converted-weight cache. */
package dev.strata.model.backbone;
