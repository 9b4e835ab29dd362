package dev.coati.bench;

import dev.coati.crypto.EspAuth;
import dev.coati.crypto.EspCipher;
import dev.coati.crypto.Secret;
import dev.coati.esp.EspCodec;
import dev.coati.esp.EspSa;
import dev.coati.util.RandomSource;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ESP encapsulation and decapsulation per packet (single thread), for the suites clients negotiate
 * most. Decapsulation walks a ring of 4096 pre-built packets with rising sequence numbers and takes
 * a fresh inbound SA when the ring wraps (1 in 4096 ops), so every measured op is one
 * replay-checked, verified, decrypted packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EspBench {
  @Param({"64", "512", "1400"})
  int size;

  @Param({"aes128gcm16", "aes256-sha256", "aes128-sha1"})
  String suite;

  EspSa out;
  byte[] keymat;
  EspCipher cipher;
  EspAuth auth;
  byte[] inner;
  byte[] buf;
  byte[] back;
  static final int RING = 4096;
  byte[][] packets;
  int[] lengths;
  int next;
  RandomSource random;
  long seq;

  @Setup
  public void setup() {
    switch (suite) {
      case "aes128gcm16" -> {
        cipher = EspCipher.ESP_AES_GCM_16;
        auth = null;
        keymat = new byte[20];
      }
      case "aes256-sha256" -> {
        cipher = EspCipher.ESP_AES_CBC;
        auth = EspAuth.HMAC_SHA2_256_128;
        keymat = new byte[32 + 32];
      }
      default -> {
        cipher = EspCipher.ESP_AES_CBC;
        auth = EspAuth.HMAC_SHA1_96;
        keymat = new byte[16 + 20];
      }
    }
    random = RandomSource.secure();
    random.nextBytes(keymat);
    out = new EspSa(1, false, cipher, auth, Secret.copyOf(keymat), 0, 0, 0);
    inner = new byte[size];
    buf = new byte[size + 128];
    back = new byte[size + 128];
    packets = new byte[RING][];
    lengths = new int[RING];
    EspSa ringSa = new EspSa(1, false, cipher, auth, Secret.copyOf(keymat), 0, 0, 0);
    for (int i = 0; i < RING; i++) {
      lengths[i] = EspCodec.encapsulate(ringSa, random, inner, 0, size, 4, buf, 0);
      packets[i] = java.util.Arrays.copyOf(buf, lengths[i]);
    }
    in = new EspSa(1, true, cipher, auth, Secret.copyOf(keymat), 0, 0, 0);
  }

  @Benchmark
  public int encapsulate() {
    return EspCodec.encapsulate(out, random, inner, 0, size, 4, buf, 0);
  }

  EspSa in;
  final int[] nextHeader = new int[1];

  @Benchmark
  public int decapsulate() {
    if (next == RING) {
      next = 0;
      in = new EspSa(1, true, cipher, auth, Secret.copyOf(keymat), 0, 0, 0);
    }
    int i = next++;
    return EspCodec.decapsulate(in, packets[i], 0, lengths[i], back, 0, nextHeader);
  }
}
