package dev.coati.util;

/**
 * Bounds-checked big-endian reader over a slice of a byte array. Every read checks the remaining
 * length first and throws {@link TruncatedInputException} instead of reading past the limit, so a
 * decoder built on it can never index outside its input.
 */
public final class ByteReader {
  private final byte[] data;
  private final int limit;
  private int pos;

  public ByteReader(byte[] data) {
    this(data, 0, data.length);
  }

  public ByteReader(byte[] data, int offset, int length) {
    if (offset < 0 || length < 0 || offset > data.length - length) {
      throw new IllegalArgumentException("slice outside array");
    }
    this.data = data;
    this.pos = offset;
    this.limit = offset + length;
  }

  public int remaining() {
    return limit - pos;
  }

  public boolean hasRemaining() {
    return pos < limit;
  }

  /** Absolute position in the underlying array. */
  public int position() {
    return pos;
  }

  /** The underlying array (shared, not copied); use with {@link #position()}. */
  public byte[] array() {
    return data;
  }

  private void need(int n) {
    if (n < 0 || n > limit - pos) {
      throw new TruncatedInputException(n, limit - pos);
    }
  }

  public int u8() {
    need(1);
    return data[pos++] & 0xff;
  }

  public int u16() {
    need(2);
    int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  public int u24() {
    need(3);
    int v = ((data[pos] & 0xff) << 16) | ((data[pos + 1] & 0xff) << 8) | (data[pos + 2] & 0xff);
    pos += 3;
    return v;
  }

  /** Reads 4 bytes as a signed int (use {@link Integer#toUnsignedLong} for the unsigned value). */
  public int i32() {
    need(4);
    int v =
        ((data[pos] & 0xff) << 24)
            | ((data[pos + 1] & 0xff) << 16)
            | ((data[pos + 2] & 0xff) << 8)
            | (data[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  public long u32() {
    return Integer.toUnsignedLong(i32());
  }

  public long i64() {
    long hi = u32();
    long lo = u32();
    return (hi << 32) | lo;
  }

  public byte[] bytes(int n) {
    need(n);
    byte[] out = new byte[n];
    System.arraycopy(data, pos, out, 0, n);
    pos += n;
    return out;
  }

  /** Returns a reader over the next {@code n} bytes and advances past them. */
  public ByteReader slice(int n) {
    need(n);
    ByteReader r = new ByteReader(data, pos, n);
    pos += n;
    return r;
  }

  public void skip(int n) {
    need(n);
    pos += n;
  }

  /** Copies everything that is left and advances to the limit. */
  public byte[] rest() {
    return bytes(remaining());
  }
}
