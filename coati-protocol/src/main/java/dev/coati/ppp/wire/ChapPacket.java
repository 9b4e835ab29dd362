package dev.coati.ppp.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import dev.coati.util.TruncatedInputException;
import java.util.Arrays;

/**
 * A CHAP packet (RFC 1994 section 4), used for MD5 and MS-CHAPv2 (RFC 2759 section 4).
 *
 * <pre>
 * Challenge (1) / Response (2): | Value-Size | Value ... | Name ... |
 * Success (3) / Failure (4):    | Message ... |
 * </pre>
 *
 * For Success/Failure {@code value} and {@code name} are empty; for Challenge/Response {@code
 * message} is.
 */
public record ChapPacket(int code, int identifier, byte[] value, byte[] name, byte[] message) {
  public static final int CHALLENGE = 1;
  public static final int RESPONSE = 2;
  public static final int SUCCESS = 3;
  public static final int FAILURE = 4;

  public ChapPacket {
    if (value.length > 255) {
      throw new IllegalArgumentException("CHAP value longer than 255");
    }
    value = value.clone();
    name = name.clone();
    message = message.clone();
  }

  public static ChapPacket challenge(int code, int id, byte[] value, byte[] name) {
    return new ChapPacket(code, id, value, name, new byte[0]);
  }

  public static ChapPacket result(boolean success, int id, byte[] message) {
    return new ChapPacket(success ? SUCCESS : FAILURE, id, new byte[0], new byte[0], message);
  }

  public static ChapPacket decode(ByteReader in) {
    ControlPacket p = ControlPacket.decode(in);
    ByteReader r = new ByteReader(p.data());
    try {
      return switch (p.code()) {
        case CHALLENGE, RESPONSE -> {
          byte[] v = r.bytes(r.u8());
          yield new ChapPacket(p.code(), p.identifier(), v, r.rest(), new byte[0]);
        }
        case SUCCESS, FAILURE ->
            new ChapPacket(p.code(), p.identifier(), new byte[0], new byte[0], r.rest());
        default -> throw new PppProtocolException("unknown CHAP code " + p.code());
      };
    } catch (TruncatedInputException e) {
      throw new PppProtocolException("truncated CHAP packet: " + e.getMessage());
    }
  }

  public static ChapPacket decode(byte[] b) {
    return decode(new ByteReader(b));
  }

  public ControlPacket toControlPacket() {
    ByteWriter w = new ByteWriter();
    if (code == CHALLENGE || code == RESPONSE) {
      w.u8(value.length).bytes(value).bytes(name);
    } else {
      w.bytes(message);
    }
    return new ControlPacket(code, identifier, w.toByteArray());
  }

  public byte[] encode() {
    return toControlPacket().encode();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public byte[] name() {
    return name.clone();
  }

  @Override
  public byte[] message() {
    return message.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChapPacket p
        && p.code == code
        && p.identifier == identifier
        && Arrays.equals(p.value, value)
        && Arrays.equals(p.name, name)
        && Arrays.equals(p.message, message);
  }

  @Override
  public int hashCode() {
    return (code * 256 + identifier) * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "ChapPacket[code=" + code + ", id=" + identifier + "]";
  }
}
