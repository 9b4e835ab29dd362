package dev.coati.crypto;

import java.util.Arrays;

/**
 * Key material as a handle (Bouncy Castle's TlsSecret): copied out only on request, zeroed by
 * {@link #destroy()}, never printed. Any use after destroy throws {@link IllegalStateException}.
 */
public final class Secret {
  private byte[] bytes;

  private Secret(byte[] owned) {
    this.bytes = owned;
  }

  /** A secret holding a copy of {@code b}. */
  public static Secret copyOf(byte[] b) {
    return new Secret(b.clone());
  }

  /** A secret taking ownership of {@code b} (the caller must not keep using the array). */
  public static Secret wrap(byte[] b) {
    return new Secret(b);
  }

  private byte[] live() {
    byte[] b = bytes;
    if (b == null) {
      throw new IllegalStateException("secret used after destroy");
    }
    return b;
  }

  /** A copy of the key bytes. */
  public byte[] bytes() {
    return live().clone();
  }

  /** A copy of {@code length} bytes starting at {@code offset}. */
  public byte[] bytes(int offset, int length) {
    return Arrays.copyOfRange(live(), offset, offset + length);
  }

  public int length() {
    return live().length;
  }

  public Secret concat(Secret other) {
    byte[] a = live();
    byte[] b = other.live();
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return new Secret(out);
  }

  public void destroy() {
    byte[] b = bytes;
    if (b != null) {
      Arrays.fill(b, (byte) 0);
      bytes = null;
    }
  }

  public boolean isDestroyed() {
    return bytes == null;
  }

  @Override
  public String toString() {
    return bytes == null ? "Secret[destroyed]" : "Secret[" + bytes.length + " bytes]";
  }
}
