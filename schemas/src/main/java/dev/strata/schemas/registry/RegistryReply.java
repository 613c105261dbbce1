package dev.strata.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A successful answer of the schema registry, parsed once: {@link #of} turns an HTTP response into
 * either a reply or a {@link SchemaRegistryException} that tells the operator what to check.
 */
record RegistryReply(URI uri, int status, JsonNode json) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_IN_MESSAGE = 300;

  /**
   * The reply to {@code method uri}: a 2xx answer with a JSON object body, or a {@link
   * SchemaRegistryException} naming the operation, the status, the registry's error code and what
   * to check.
   */
  static RegistryReply of(String method, URI uri, HttpResponse<String> response, String operation) {
    int status = response.statusCode();
    String text = response.body() == null ? "" : response.body();
    JsonNode json = null;
    try {
      json = text.isEmpty() ? null : JSON.readTree(text);
    } catch (JsonProcessingException e) {
      if (status / 100 == 2) {
        throw badSuccess(
            method,
            uri,
            status,
            "but a body that is not JSON",
            operation,
            abbreviate(text)
                + ". Is "
                + SchemaRegistryClientConfig.URL
                + " the registry's Confluent-compatible API (for Apicurio: .../apis/ccompat/v7)?",
            e);
      }
    }
    if (status / 100 == 2) {
      if (json == null || !json.isObject()) {
        throw badSuccess(
            method, uri, status, "and no JSON object", operation, abbreviate(text), null);
      }
      return new RegistryReply(uri, status, json);
    }
    int errorCode = -1;
    String message = abbreviate(text);
    if (json != null && json.isObject()) {
      if (json.path("error_code").canConvertToInt()) {
        errorCode = json.path("error_code").intValue();
      }
      if (json.path("message").isTextual()) {
        message = json.path("message").textValue();
      }
    }
    throw new SchemaRegistryException(
        "Schema registry error while "
            + operation
            + ": "
            + method
            + " "
            + uri
            + " answered HTTP "
            + status
            + (errorCode >= 0 ? ", error_code " + errorCode : "")
            + ": "
            + (message.isEmpty() ? "(no message)" : message)
            + ". "
            + hint(status, errorCode),
        uri.toString(),
        status,
        errorCode,
        null);
  }

  /** A 2xx answer whose body is unusable: {@code what} it had, and the {@code detail}. */
  private static SchemaRegistryException badSuccess(
      String method,
      URI uri,
      int status,
      String what,
      String operation,
      String detail,
      Throwable cause) {
    return new SchemaRegistryException(
        "The schema registry answered "
            + method
            + " "
            + uri
            + " with HTTP "
            + status
            + " "
            + what
            + " while "
            + operation
            + ": "
            + detail,
        uri.toString(),
        status,
        -1,
        cause);
  }

  private static String hint(int status, int errorCode) {
    if (status == 401 || status == 403) {
      return "Check the credentials in "
          + SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO
          + " (user:password) and "
          + SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE
          + ", and the user's permissions on the registry.";
    }
    if (errorCode == SchemaRegistryException.SUBJECT_NOT_FOUND) {
      return "The subject has no schema yet: register one first (or let producers do it with"
          + " auto.register.schemas=true), and check the subject name (<topic>-value /"
          + " <topic>-key).";
    }
    if (errorCode == SchemaRegistryException.SCHEMA_NOT_FOUND) {
      return "The registry does not know this schema. A registry with in-memory storage (the"
          + " local Apicurio) forgets ids when it restarts: records written before that cannot be"
          + " decoded against it. Otherwise register the schema, or check that producer and"
          + " consumer use the same registry.";
    }
    if (errorCode == SchemaRegistryException.VERSION_NOT_FOUND) {
      return "The subject has no such version.";
    }
    if (status == 404) {
      return "Check that "
          + SchemaRegistryClientConfig.URL
          + " points at the Confluent-compatible API (for Apicurio: http://HOST:PORT/apis/ccompat/v7).";
    }
    if (status == 409) {
      return "The schema breaks the subject's compatibility rule (BACKWARD by default): a field"
          + " added without a default, a removed field without default, or a changed type. Make"
          + " the change compatible (see the schema evolution notes), or, for a deliberate"
          + " break, write to a new topic.";
    }
    if (status == 422) {
      return "The registry rejected the request as invalid; the message says which part.";
    }
    if (status / 100 == 5) {
      return "The registry failed internally; retry later and check the registry's log.";
    }
    return "";
  }

  private static String abbreviate(String text) {
    String t = text.strip();
    return t.length() <= MAX_BODY_IN_MESSAGE ? t : t.substring(0, MAX_BODY_IN_MESSAGE) + "...";
  }

  int requiredInt(String field, String operation) {
    JsonNode node = json.get(field);
    if (node == null || !node.canConvertToInt()) {
      throw malformed("no integer '" + field + "'", operation, null);
    }
    return node.intValue();
  }

  Schema schema(String operation) {
    JsonNode type = json.get("schemaType");
    if (type != null && type.isTextual() && !type.textValue().equals("AVRO")) {
      throw malformed(
          "a " + type.textValue() + " schema where an Avro schema was expected", operation, null);
    }
    JsonNode refs = json.get("references");
    if (refs != null && refs.isArray() && !refs.isEmpty()) {
      throw malformed(
          "a schema with references "
              + refs
              + "; schema references are not supported: make the schema self-contained",
          operation,
          null);
    }
    JsonNode text = json.get("schema");
    if (text == null || !text.isTextual()) {
      throw malformed("no 'schema' string", operation, null);
    }
    try {
      return new Schema.Parser().parse(text.textValue());
    } catch (SchemaParseException e) {
      throw malformed("a schema that is not valid Avro (" + e.getMessage() + ")", operation, e);
    }
  }

  private SchemaRegistryException malformed(String what, String operation, Throwable cause) {
    return new SchemaRegistryException(
        "The schema registry answered "
            + uri
            + " (HTTP "
            + status
            + ") with "
            + what
            + " while "
            + operation
            + ".",
        uri.toString(),
        status,
        -1,
        cause);
  }
}
