package dev.strata.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.FeedbackRecord;
import dev.strata.schemas.avro.HeadRecord;
import dev.strata.schemas.avro.TextRecord;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every released version of each schema is kept in {@code schema-history/<Name>/v<N>.avsc}. The
 * current schema (the generated class's) must read data written with every one of them: BACKWARD
 * compatibility against all versions (Confluent's BACKWARD_TRANSITIVE), which is what lets
 * consumers upgrade before producers and replay old topic data.
 */
class SchemaEvolutionTest {
  private static final Map<String, Schema> CURRENT =
      Map.of(
          "TextRecord", TextRecord.getClassSchema(),
          "AnnotatedRecord", AnnotatedRecord.getClassSchema(),
          "FeedbackRecord", FeedbackRecord.getClassSchema(),
          "HeadRecord", HeadRecord.getClassSchema());

  static Stream<Arguments> historicalVersions() throws Exception {
    List<Arguments> all = new ArrayList<>();
    for (String name : CURRENT.keySet()) {
      for (Path version : history(name)) {
        all.add(Arguments.of(name, version.getFileName().toString()));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} reads data written with {1}")
  @MethodSource("historicalVersions")
  void currentSchemaReadsEveryHistoricalVersion(String name, String version) throws Exception {
    Schema writer = parse(historyDir(name).resolve(version));
    Schema reader = CURRENT.get(name);

    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);

    assertThat(result.getType())
        .as(
            "%s can no longer read data written with schema-history/%s/%s: %s. Give new fields a"
                + " default, never remove a field without default, never change a field's type"
                + " (see the schema evolution notes in the README).",
            name, name, version, describe(result.getResult().getIncompatibilities()))
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void everySchemaHasAHistoryAndTheCurrentOneIsRecorded() throws Exception {
    for (Map.Entry<String, Schema> e : CURRENT.entrySet()) {
      List<Path> versions = history(e.getKey());
      assertThat(versions).as("schema-history/%s/ has no v1.avsc", e.getKey()).isNotEmpty();
      Path newest = versions.get(versions.size() - 1);
      // The source file, not the generated class's schema: that one carries avro.java.string.
      Schema source = source(e.getKey());
      assertThat(parse(newest))
          .as(
              "src/main/avro/%s.avsc differs from its newest recorded version %s. Once the change"
                  + " is final, copy it to src/test/resources/schema-history/%s/v%d.avsc.",
              e.getKey(), newest.getFileName(), e.getKey(), versions.size() + 1)
          .isEqualTo(source);
    }
  }

  @Test
  void historyFilesAreNumberedWithoutGaps() throws Exception {
    for (String name : CURRENT.keySet()) {
      List<Path> versions = history(name);
      for (int i = 0; i < versions.size(); i++) {
        assertThat(versions.get(i).getFileName().toString()).isEqualTo("v" + (i + 1) + ".avsc");
      }
    }
  }

  // --- the checker catches what a registry with BACKWARD compatibility would reject ------------

  @Test
  void addingARequiredFieldWithoutDefaultIsDetected() {
    Schema v1 = TextRecord.getClassSchema();
    Schema broken = withField(v1, "{\"name\":\"added_field\",\"type\":\"string\"}");

    List<Incompatibility> problems = incompatibilities(broken, v1);

    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getType())
                  .isEqualTo(SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE);
              assertThat(p.getMessage()).contains("added_field");
            });
  }

  @Test
  void changingAFieldTypeIsDetected() {
    Schema v1 = source("FeedbackRecord");
    String field = "{\"name\":\"source\",\"type\":\"string\"";
    assertThat(v1.toString()).contains(field);
    Schema broken =
        new Schema.Parser()
            .parse(v1.toString().replace(field, "{\"name\":\"source\",\"type\":\"int\""));

    assertThat(incompatibilities(broken, v1))
        .extracting(Incompatibility::getType)
        .containsExactly(SchemaIncompatibilityType.TYPE_MISMATCH);
  }

  @Test
  void renamingTheRecordIsDetected() {
    Schema v1 = AnnotatedRecord.getClassSchema();
    Schema renamed =
        new Schema.Parser()
            .parse(v1.toString().replaceFirst("\"AnnotatedRecord\"", "\"Annotation\""));

    assertThat(incompatibilities(renamed, v1))
        .extracting(Incompatibility::getType)
        .contains(SchemaIncompatibilityType.NAME_MISMATCH);
  }

  @Test
  void addingAnOptionalFieldWithDefaultAndRemovingAFieldAreCompatible() {
    Schema v1 = TextRecord.getClassSchema();
    Schema added =
        withField(v1, "{\"name\":\"added_field\",\"type\":[\"null\",\"string\"],\"default\":null}");
    Schema removed =
        new Schema.Parser()
            .parse(
                v1.toString()
                    .replaceFirst(",\\{\"name\":\"metadata\".*?\"default\":\\{\\}[^}]*\\}", ""));

    assertThat(removed.getField("metadata")).isNull();
    assertThat(incompatibilities(added, v1)).isEmpty();
    assertThat(incompatibilities(removed, v1)).isEmpty();
  }

  private static String describe(List<Incompatibility> problems) {
    return problems.stream()
        .map(p -> p.getType() + " at " + p.getLocation() + " (" + p.getMessage() + ")")
        .collect(java.util.stream.Collectors.joining("; "));
  }

  private static List<Incompatibility> incompatibilities(Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
        .getResult()
        .getIncompatibilities();
  }

  private static Schema withField(Schema base, String fieldJson) {
    return new Schema.Parser()
        .parse(base.toString().replaceFirst("\"fields\":\\[", "\"fields\":[" + fieldJson + ","));
  }

  /** The schema as written in src/main/avro (Surefire runs in the module directory). */
  private static Schema source(String name) {
    try {
      return parse(Path.of("src", "main", "avro", name + ".avsc"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Schema parse(Path file) throws IOException {
    return new Schema.Parser().parse(file.toFile());
  }

  private static Path historyDir(String name) throws URISyntaxException {
    URL url = SchemaEvolutionTest.class.getResource("/schema-history/" + name);
    assertThat(url).as("missing src/test/resources/schema-history/%s/", name).isNotNull();
    return Path.of(url.toURI());
  }

  /** v1.avsc, v2.avsc, ... in numeric order. */
  private static List<Path> history(String name) throws Exception {
    try (Stream<Path> files = Files.list(historyDir(name))) {
      return files
          .filter(p -> p.getFileName().toString().matches("v\\d+\\.avsc"))
          .sorted(
              Comparator.comparingInt(
                  p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", ""))))
          .toList();
    }
  }
}
