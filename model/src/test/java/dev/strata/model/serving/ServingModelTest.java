package dev.strata.model.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.head.BackboneRef;
import dev.strata.model.head.HeadModelException;
import dev.strata.model.head.HeadModelException.Reason;
import dev.strata.model.head.HeadModelFile;
import dev.strata.model.head.HeadType;
import dev.strata.model.head.LoadedHeadModel;
import dev.strata.model.head.SaveInfo;
import dev.strata.model.ner.Annotation;
import dev.strata.model.ner.EntityTagger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Head artifacts (round trip, corrupt bytes, wrong backbone) and serving snapshots (several heads
 * in one encoder pass, swap and release) on all-MiniLM-L6-v2.
 */
class ServingModelTest {
  private static final List<String> TEXTS =
      List.of(
          "Alice visited Paris .",
          "I bought a new Veltrix yesterday .",
          "Bob works at Siemens in Berlin and his Zorblex broke again after the update .",
          "",
          longText());

  private static String longText() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 130; i++) {
      b.append("Maria visited Rome and bought a Quantafon . ");
    }
    return b.toString(); // > 512 sub-tokens: split into windows
  }

  @Test
  void artifactRoundTripKeepsBytesHeaderAndChecksum() throws Exception {
    HeadArtifact a = MiniLm.peopleHead();
    byte[] bytes = a.bytes();
    HeadArtifact b = HeadArtifact.parse(bytes);
    assertThat(b).isEqualTo(a);
    assertThat(b.bytes()).isEqualTo(bytes);
    assertThat(b.headType()).isEqualTo(HeadType.DWATT);
    assertThat(b.tokenLabels())
        .containsExactly("O", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-PER", "I-PER");
    assertThat(b.sequenceLabels()).isEmpty();
    assertThat(b.backbone()).isEqualTo(EntityTagger.ref(MiniLm.backbone()));
    byte[] body = java.util.Arrays.copyOf(bytes, bytes.length - 32);
    assertThat(b.sha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
    b.checkCompatible(MiniLm.backbone());
    bytes[bytes.length / 2] ^= 1; // the artifact holds its own copy
    assertThat(a.bytes()).isEqualTo(b.bytes());
  }

  @Test
  void corruptBytesAreRefusedByReason() {
    byte[] good = MiniLm.peopleHead().bytes();
    byte[] flipped = good.clone();
    flipped[flipped.length / 2] ^= 0x10;
    assertThatThrownBy(() -> HeadArtifact.parse(flipped))
        .isInstanceOfSatisfying(
            HeadModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT))
        .hasMessageContaining("SHA-256");
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 100);
    assertThatThrownBy(() -> HeadArtifact.parse(truncated))
        .isInstanceOfSatisfying(
            HeadModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT));
    byte[] version = good.clone();
    ByteBuffer.wrap(version).putInt(8, 99);
    assertThatThrownBy(() -> HeadArtifact.parse(version))
        .isInstanceOfSatisfying(
            HeadModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.FORMAT_VERSION))
        .hasMessageContaining("expected format version 1, got 99");
    assertThatThrownBy(() -> HeadArtifact.parse("hello".getBytes()))
        .isInstanceOfSatisfying(
            HeadModelException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_A_HEAD_MODEL));
    assertThatThrownBy(() -> HeadArtifact.parse(new byte[0]))
        .isInstanceOf(HeadModelException.class);
  }

  @Test
  void headOfAnotherBackboneIsRefusedAndTheSnapshotStays() {
    LoadedBackbone bb = MiniLm.backbone();
    HeadArtifact foreign;
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      HeadArtifact people = MiniLm.peopleHead();
      LoadedHeadModel loaded =
          HeadModelFile.read(people.bytes(), "people", EntityTagger.ref(bb), m);
      foreign =
          HeadArtifact.parse(
              HeadModelFile.toBytes(
                  loaded.model(),
                  new SaveInfo(
                      new BackboneRef("bert-base-cased", "0123abcd"),
                      people.tokenLabels(),
                      List.of(),
                      null,
                      null)));
    }
    assertThatThrownBy(() -> foreign.checkCompatible(bb))
        .isInstanceOfSatisfying(
            HeadModelException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BACKBONE_MISMATCH))
        .hasMessageContaining("bert-base-cased")
        .hasMessageContaining("all-MiniLM-L6-v2");
    ServingModel serving = ServingModel.empty(bb).withHead("ner", "v1", MiniLm.peopleHead());
    assertThatThrownBy(() -> serving.withHead("ner", "v2", foreign))
        .isInstanceOf(HeadModelException.class);
    assertThat(serving.version("ner")).isEqualTo("v1");
    assertThat(serving.annotate(List.of("Alice visited Paris .")).get(0).entities()).isNotEmpty();
    serving.close();
  }

  @Test
  void everyHeadInOneEncoderPassEqualsItsOwnTagger() {
    LoadedBackbone bb = MiniLm.backbone();
    ServingModel serving =
        ServingModel.empty(bb)
            .withHead("conll", "3", MiniLm.peopleHead())
            .withHead("gadgets", "7", MiniLm.gadgetHead());
    List<ServedText> served = serving.annotate(TEXTS);
    try (EntityTagger people = EntityTagger.load(MiniLm.peopleHead().bytes(), "people", bb);
        EntityTagger gadgets = EntityTagger.load(MiniLm.gadgetHead().bytes(), "gadgets", bb)) {
      List<Annotation> alone1 = people.annotate(TEXTS);
      List<Annotation> alone2 = gadgets.annotate(TEXTS);
      assertThat(served).hasSize(TEXTS.size());
      for (int i = 0; i < TEXTS.size(); i++) {
        ServedText s = served.get(i);
        assertThat(s.heads().keySet()).containsExactly("conll", "gadgets");
        assertThat(s.heads().get("conll").annotation()).isEqualTo(alone1.get(i));
        assertThat(s.heads().get("gadgets").annotation()).isEqualTo(alone2.get(i));
        assertThat(s.heads().get("conll").version()).isEqualTo("3");
      }
    }
    // the heads really found things, side by side, each entity naming its head
    List<HeadEntity> third = served.get(2).entities();
    assertThat(third).extracting(HeadEntity::head).contains("conll", "gadgets");
    assertThat(third)
        .anySatisfy(
            e -> {
              assertThat(e.head()).isEqualTo("gadgets");
              assertThat(e.entity().label()).isEqualTo("GADGET");
              assertThat(e.entity().text()).isEqualTo("Zorblex");
            });
    assertThat(third)
        .anySatisfy(
            e -> {
              assertThat(e.head()).isEqualTo("conll");
              assertThat(e.entity().text()).isEqualTo("Berlin");
            });
    assertThat(served.get(4).heads().get("conll").annotation().windows()).isGreaterThan(1);
    assertThat(served.get(3).entities()).isEmpty();
    serving.close();
  }

  @Test
  void lengthGroupedPassesAnnotateLikeInputOrderedOnes() {
    LoadedBackbone bb = MiniLm.backbone();
    List<String> texts = new java.util.ArrayList<>(TEXTS);
    for (int i = 0; i < 12; i++) {
      texts.add(i % 3 == 0 ? "Bob met Alice in Paris ." : TEXTS.get(2) + " Carol flew to Madrid .");
    }
    try (EntityTagger people = EntityTagger.load(MiniLm.peopleHead().bytes(), "people", bb)) {
      List<Annotation> grouped =
          people.annotate(texts, dev.strata.model.ner.MultiHeadAnnotator.Batching.LENGTH_GROUPS);
      List<Annotation> inOrder =
          people.annotate(texts, dev.strata.model.ner.MultiHeadAnnotator.Batching.INPUT_ORDER);
      assertThat(grouped).hasSize(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        List<dev.strata.model.ner.Entity> a = grouped.get(i).entities();
        List<dev.strata.model.ner.Entity> b = inOrder.get(i).entities();
        assertThat(a)
            .extracting(e -> e.label() + ":" + e.start() + "-" + e.end())
            .isEqualTo(b.stream().map(e -> e.label() + ":" + e.start() + "-" + e.end()).toList());
        for (int j = 0; j < a.size(); j++) {
          assertThat(a.get(j).score())
              .isCloseTo(b.get(j).score(), org.assertj.core.data.Offset.offset(1e-4f));
        }
        assertThat(grouped.get(i).windows()).isEqualTo(inOrder.get(i).windows());
      }
      assertThat(grouped.stream().mapToInt(x -> x.entities().size()).sum()).isGreaterThan(10);
    }
  }

  @Test
  void swapBuildsANewSnapshotAndReleasesOnlyTheReplacedHead() {
    LoadedBackbone bb = MiniLm.backbone();
    ServingModel v1 =
        ServingModel.empty(bb)
            .withHead("conll", "1", MiniLm.peopleHead())
            .withHead("gadgets", "1", MiniLm.gadgetHead());
    ServedHead oldGadgets = v1.heads().get("gadgets");
    ServingModel v2 = v1.withHead("gadgets", "2", MiniLm.gadgetHead());
    assertThat(v1.version("gadgets")).isEqualTo("1");
    assertThat(v2.version("gadgets")).isEqualTo("2");
    assertThat(v2.heads().get("conll")).isSameAs(v1.heads().get("conll"));

    v1.retireReplaced(v2);
    assertThat(oldGadgets.closed()).isTrue();
    assertThat(v2.heads().get("conll").closed()).isFalse();
    assertThatThrownBy(() -> v1.annotate(TEXTS.subList(0, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gadgets");
    ServedText t = v2.annotate(List.of("My Orbicam broke again after the update .")).get(0);
    assertThat(t.heads().get("gadgets").version()).isEqualTo("2");

    ServingModel v3 = v2.withoutHead("gadgets");
    v2.retireReplaced(v3);
    assertThat(v3.annotate(List.of("Alice visited Paris .")).get(0).heads().keySet())
        .containsExactly("conll");
    assertThatThrownBy(() -> v3.withHead("bad name", MiniLm.gadgetHead()))
        .isInstanceOf(IllegalArgumentException.class);
    v3.close();
    assertThat(v3.heads().get("conll").closed()).isTrue();
  }
}
