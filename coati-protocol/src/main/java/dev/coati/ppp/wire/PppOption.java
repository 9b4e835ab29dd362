package dev.coati.ppp.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One configuration option (RFC 1661 section 6): type, length (2 + data), data. The type is an open
 * number whose meaning depends on the protocol; {@link LcpOptions} and {@link IpcpOptions} name
 * them and build/read their values.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |    Length     |    Data ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record PppOption(int type, byte[] data) {
  public static final int MAX_OPTIONS = 64;

  public PppOption {
    if (type < 0 || type > 0xff || data.length > 0xff - 2) {
      throw new IllegalArgumentException("option type/length out of range");
    }
    data = data.clone();
  }

  public static List<PppOption> decodeAll(byte[] b) {
    ByteReader r = new ByteReader(b);
    List<PppOption> out = new ArrayList<>();
    while (r.hasRemaining()) {
      if (r.remaining() < 2) {
        throw new PppProtocolException("option header truncated");
      }
      int type = r.u8();
      int length = r.u8();
      if (length < 2 || length - 2 > r.remaining()) {
        throw new PppProtocolException("option " + type + " bad length " + length);
      }
      if (out.size() == MAX_OPTIONS) {
        throw new PppProtocolException("more than " + MAX_OPTIONS + " options");
      }
      out.add(new PppOption(type, r.bytes(length - 2)));
    }
    return out;
  }

  public static byte[] encodeAll(List<PppOption> options) {
    ByteWriter w = new ByteWriter();
    for (PppOption o : options) {
      o.encode(w);
    }
    return w.toByteArray();
  }

  public void encode(ByteWriter w) {
    w.u8(type).u8(encodedLength()).bytes(data);
  }

  public int encodedLength() {
    return 2 + data.length;
  }

  /** The data as an unsigned number of {@code n} octets, or a protocol exception. */
  public long unsigned(int n) {
    if (data.length != n) {
      throw new PppProtocolException("option " + type + " needs " + n + " octets: " + data.length);
    }
    long v = 0;
    for (byte b : data) {
      v = (v << 8) | (b & 0xff);
    }
    return v;
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PppOption p && p.type == type && Arrays.equals(p.data, data);
  }

  @Override
  public int hashCode() {
    return type * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "PppOption[" + type + ":" + HexFormat.of().formatHex(data) + "]";
  }
}
