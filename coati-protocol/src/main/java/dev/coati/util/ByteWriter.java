package dev.coati.util;

import java.util.Arrays;

/** Growable big-endian writer; {@link #set16}/{@link #set32} patch lengths written earlier. */
public final class ByteWriter {
  private byte[] buf;
  private int pos;

  public ByteWriter() {
    this(256);
  }

  public ByteWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int n) {
    if (buf.length - pos < n) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }
  }

  public int position() {
    return pos;
  }

  public ByteWriter u8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
    return this;
  }

  public ByteWriter u16(int v) {
    ensure(2);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
    return this;
  }

  public ByteWriter u24(int v) {
    ensure(3);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
    return this;
  }

  public ByteWriter i32(int v) {
    ensure(4);
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
    return this;
  }

  public ByteWriter i64(long v) {
    i32((int) (v >>> 32));
    return i32((int) v);
  }

  public ByteWriter bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  public ByteWriter bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
    return this;
  }

  public ByteWriter zeros(int n) {
    ensure(n);
    Arrays.fill(buf, pos, pos + n, (byte) 0);
    pos += n;
    return this;
  }

  /** Overwrites two bytes at an absolute position already written. */
  public void set16(int at, int v) {
    if (at < 0 || at + 2 > pos) {
      throw new IndexOutOfBoundsException(at);
    }
    buf[at] = (byte) (v >>> 8);
    buf[at + 1] = (byte) v;
  }

  /** Overwrites one byte at an absolute position already written. */
  public void set8(int at, int v) {
    if (at < 0 || at + 1 > pos) {
      throw new IndexOutOfBoundsException(at);
    }
    buf[at] = (byte) v;
  }

  /** Overwrites four bytes at an absolute position already written. */
  public void set32(int at, int v) {
    if (at < 0 || at + 4 > pos) {
      throw new IndexOutOfBoundsException(at);
    }
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }
}
