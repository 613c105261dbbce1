package dev.strata.app.feedback;

import dev.strata.app.stream.ModelDescriptor;
import dev.strata.model.ner.Annotation;
import dev.strata.schemas.avro.HeadRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A serving snapshot whose heads are version strings. {@link #withHead} builds the successor step
 * by step (optionally pausing half-way on {@link #loadGate}) and marks it complete only at the end;
 * a head whose first byte is 66 ('B') fails to load, as a corrupt head file would.
 */
final class FakeSnapshot implements ServingSnapshot {
  final String backbone;
  final Map<String, String> heads;
  volatile boolean complete;
  final AtomicInteger retired = new AtomicInteger();
  final List<FakeSnapshot> successors = new ArrayList<>();
  CountDownLatch loadStarted = new CountDownLatch(1);
  CountDownLatch loadGate = new CountDownLatch(0);

  FakeSnapshot(String backbone, Map<String, String> heads) {
    this.backbone = backbone;
    this.heads = new HashMap<>(heads);
    this.complete = true;
  }

  private FakeSnapshot(String backbone) {
    this.backbone = backbone;
    this.heads = new HashMap<>();
    this.complete = false;
  }

  @Override
  public String backbone() {
    return backbone;
  }

  @Override
  public ServingSnapshot withHead(HeadRecord head) {
    byte[] bytes = HeadRecords.bytes(head);
    if (bytes.length > 0 && bytes[0] == 'B') {
      throw new HeadRecordException(SwapOutcome.REJECTED_CORRUPT, "bad head file");
    }
    FakeSnapshot next = new FakeSnapshot(backbone);
    next.heads.putAll(heads);
    loadStarted.countDown();
    try {
      if (!loadGate.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("load gate never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    next.heads.put(head.getName(), HeadSwapper.versionString(head));
    next.complete = true;
    successors.add(next);
    return next;
  }

  @Override
  public void retire() {
    retired.incrementAndGet();
  }

  @Override
  public List<Annotation> annotate(List<String> texts) {
    if (!complete) {
      throw new IllegalStateException("annotated with a half-loaded snapshot");
    }
    List<Annotation> out = new ArrayList<>();
    texts.forEach(t -> out.add(new Annotation(List.of(), null, Map.of(), 1, 1)));
    return out;
  }

  @Override
  public String modelVersion() {
    return backbone + "/" + new java.util.TreeMap<>(heads);
  }

  @Override
  public ModelDescriptor descriptor() {
    return new ModelDescriptor(backbone, heads, "", "");
  }

  @Override
  public int tokenCount(String text) {
    return 1;
  }
}
