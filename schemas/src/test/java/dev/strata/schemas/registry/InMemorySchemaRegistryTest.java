package dev.strata.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.TextRecord;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {

  @Test
  void registersLooksUpAndServesSchemasById() {
    try (InMemorySchemaRegistry registry = InMemorySchemaRegistry.start()) {
      SchemaRegistryClient writer = registry.client();
      int text = writer.register("texts-value", TextRecord.getClassSchema());
      int annotated = writer.register("annotated-value", AnnotatedRecord.getClassSchema());

      assertThat(annotated).isNotEqualTo(text);
      assertThat(writer.register("other-value", TextRecord.getClassSchema())).isEqualTo(text);
      SchemaRegistryClient reader = registry.client(); // fresh caches: asks the server
      assertThat(reader.schemaById(text)).isEqualTo(TextRecord.getClassSchema());
      assertThat(reader.idOf("texts-value", TextRecord.getClassSchema())).isEqualTo(text);
      assertThatThrownBy(() -> reader.schemaById(999)).isInstanceOf(SchemaRegistryException.class);
    }
  }
}
