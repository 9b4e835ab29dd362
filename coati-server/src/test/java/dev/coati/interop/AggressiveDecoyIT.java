package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #13 finding 5 with ike-scan as the prober: the configured group, an unknown group and a
 * group with a PSK but without aggressive mode all get an aggressive mode answer of the same shape
 * and size with a HASH_R; psk-crack with the real PSK as its dictionary cracks only the configured
 * group's (the others are decoys under a key nobody knows).
 */
class AggressiveDecoyIT {
  @TempDir Path dir;

  @BeforeEach
  void requirements() {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
  }

  /**
   * ike-scan's answer to an aggressive mode probe for {@code group}; psk-crack data to {@code f}.
   */
  String probe(String group, Path params) throws Exception {
    Netns.Result r =
        Netns.tryRun(
            Netns.inNs(
                    Netns.CLI,
                    "ike-scan",
                    "-A",
                    "-M",
                    "--id=" + group,
                    "--idtype=11",
                    "--trans=7/256,2,1,14",
                    "--dhgroup=14",
                    "--pskcrack=" + params,
                    "--retry=2",
                    Netns.SRV_ADDR)
                .toArray(String[]::new));
    assertEquals(0, r.code(), r.output());
    return r.output();
  }

  /** The answer with values that differ per exchange (cookies, hex, timings) taken out. */
  static String shape(String out) {
    StringBuilder b = new StringBuilder();
    for (String line : out.split("\n")) {
      String l = line.strip();
      if (l.startsWith("Starting") || l.startsWith("Ending") || l.isEmpty()) {
        continue;
      }
      b.append(l.replaceAll("CKY-R=[0-9a-f]+", "CKY-R=*").replaceAll("\\d+\\.\\d+ seconds", ""))
          .append('\n');
    }
    return b.toString();
  }

  @Test
  void knownAndUnknownGroupsLookAlikeAndOnlyTheRealHashCracks() throws Exception {
    String psk = "decoy-test-psk-" + Long.toHexString(System.nanoTime());
    Path dict = dir.resolve("dict.txt");
    Files.writeString(dict, "password\n123456\n" + psk + "\n");
    try (Netns ns = new Netns();
        CoatiProcess coati = new CoatiProcess(dir, psk, "ike:\n  aggressive_ids: [vpngroup]\n")) {
      String known = probe("vpngroup", dir.resolve("known.psk"));
      String unknown = probe("no-such-group", dir.resolve("unknown.psk"));
      String notAllowed = probe("vpngroupX", dir.resolve("other.psk"));
      assertTrue(known.contains("Aggressive Mode Handshake returned"), known);
      assertTrue(known.contains("Hash("), known);
      assertEquals(shape(known), shape(unknown), "unknown group answered alike");
      assertEquals(shape(known), shape(notAllowed), "a group without aggressive mode alike");
      assertFalse(unknown.contains("Notify"), unknown);
      Netns.Result k =
          Netns.tryRun("psk-crack", "-d", dict.toString(), dir.resolve("known.psk").toString());
      Netns.Result u =
          Netns.tryRun("psk-crack", "-d", dict.toString(), dir.resolve("unknown.psk").toString());
      System.out.println(
          "AggressiveDecoyIT known:\n" + known + "unknown:\n" + unknown + k.output() + u.output());
      assertTrue(k.output().contains("matches"), "the real HASH_R cracks: " + k.output());
      assertFalse(u.output().contains("matches"), "the decoy does not: " + u.output());
      assertTrue(coati.log().contains("running"), coati.log());
    }
  }
}
