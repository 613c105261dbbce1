package dev.strata.model.reference;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-written protobuf bytes of a one-node ONNX graph, for the graph reader's tests. */
final class TinyOnnx {

  private TinyOnnx() {}

  /** {@code ModelProto{ir_version=8, graph{node{output, name}, input{input_ids}, output{y}}}}. */
  static byte[] model(String nodeName, String nodeOutput) {
    byte[] node = concat(field(2, text(nodeOutput)), field(3, text(nodeName)));
    byte[] graph =
        concat(
            field(1, node),
            field(11, field(1, text("input_ids"))),
            field(12, field(1, text(nodeOutput))));
    return concat(new byte[] {0x08, 0x08}, field(7, graph));
  }

  static byte[] text(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] field(int number, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((number << 3) | 2);
    int length = payload.length;
    while (length >= 0x80) {
      out.write((length & 0x7F) | 0x80);
      length >>>= 7;
    }
    out.write(length);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
