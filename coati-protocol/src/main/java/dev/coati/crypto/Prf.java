package dev.coati.crypto;

import java.util.Arrays;

/** A keyed pseudo-random function: HMAC with the negotiated hash (RFC 2409 section 4). */
public interface Prf {
  byte[] compute(byte[] key, byte[]... data);

  default byte[] compute(Secret key, byte[]... data) {
    byte[] k = key.bytes();
    try {
      return compute(k, data);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  int outputLength();
}
