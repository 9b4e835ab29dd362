package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Transform payload body (RFC 2408 section 3.6); attributes keep their order and form.
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * !  Transform #  !  Transform-Id !           RESERVED2           !
 * ~                        SA Attributes                          ~
 * </pre>
 */
public record Transform(int number, int transformId, List<Attribute> attributes) {
  public Transform {
    attributes = List.copyOf(attributes);
  }

  public Optional<Attribute> attribute(int type) {
    return attributes.stream().filter(a -> a.type() == type).findFirst();
  }

  static Transform decodeBody(ByteReader body) {
    int number = body.u8();
    int id = body.u8();
    body.skip(2);
    List<Attribute> attrs = new ArrayList<>();
    while (body.hasRemaining()) {
      if (attrs.size() >= Limits.MAX_ATTRIBUTES) {
        throw new MalformedPacketException("too many attributes");
      }
      attrs.add(Attribute.decode(body));
    }
    return new Transform(number, id, attrs);
  }

  void encodeBody(ByteWriter out) {
    out.u8(number).u8(transformId).u16(0);
    for (Attribute a : attributes) {
      a.encode(out);
    }
  }

  int bodyLength() {
    int n = 4;
    for (Attribute a : attributes) {
      n += a.encodedLength();
    }
    return n;
  }
}
