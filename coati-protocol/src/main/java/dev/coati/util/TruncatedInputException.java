package dev.coati.util;

/** Thrown by {@link ByteReader} when a read would go past the end of its input. */
public final class TruncatedInputException extends RuntimeException {
  public TruncatedInputException(int wanted, int available) {
    super("truncated input: wanted " + wanted + " bytes, " + available + " left");
  }
}
