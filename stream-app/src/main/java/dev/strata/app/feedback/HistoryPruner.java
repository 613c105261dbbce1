package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.avro.HeadRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the heads topic bounded ({@code heads.history.keep}): after a version of a head is
 * published, deletes the history records of that head beyond its newest {@code keep} versions,
 * never the serving one. Without it, a head retrained every {@code retrain.interval.ms} would add a
 * full head (33 MB for BERT-base) to the topic each time, for ever, and every instance re-reads the
 * whole topic at start-up.
 */
public final class HistoryPruner {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryPruner.class);

  private final HeadCatalog catalog;
  private final HeadPublisher publisher;
  private final int keep;

  public HistoryPruner(HeadCatalog catalog, HeadPublisher publisher, int keep) {
    this.catalog = requireNonNull(catalog, "catalog");
    this.publisher = requireNonNull(publisher, "publisher");
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, got " + keep);
    }
    this.keep = keep;
  }

  /**
   * Deletes what falls out of the window now that {@code published} (just written, perhaps not yet
   * in the catalog) is the newest version. A failed delete is logged and tried again after the next
   * publication; the publication itself stands.
   */
  public void afterPublishing(HeadRecord published) {
    String name = published.getName();
    TreeSet<Long> versions = new TreeSet<>(Comparator.reverseOrder());
    catalog.versions(name).forEach(v -> versions.add(v.getVersion()));
    versions.add(published.getVersion());
    Long serving = catalog.serving(name).map(HeadRecord::getVersion).orElse(null);
    List<Long> beyond =
        new ArrayList<>(versions).subList(Math.min(keep, versions.size()), versions.size());
    for (long version : beyond) {
      if (version == published.getVersion() || Long.valueOf(version).equals(serving)) {
        continue;
      }
      try {
        publisher.forget(name, version);
      } catch (RuntimeException e) {
        LOG.warn(
            "Could not delete head {} v{} from the heads topic; tried again after the next publication: {}",
            name,
            version,
            e.getMessage());
        return;
      }
      catalog.removeVersion(name, version);
      LOG.info(
          "Deleted head {} v{} from the heads topic (heads.history.keep={})", name, version, keep);
    }
  }
}
