import dev.coati.crypto.DhFactory;
import dev.coati.crypto.DhGroup;
import dev.coati.crypto.EspAuth;
import dev.coati.crypto.EspCipher;
import dev.coati.crypto.KeyExchange;
import dev.coati.util.RandomSource;
import java.util.Arrays;

/**
 * Run by packaging/test-dist.sh with the distribution's own runtime (jlink image) and lib/: every
 * DH group and ESP transform coati offers is backed by a JCA provider present in the image, and a
 * key exchange in each DH group agrees. Prints "N passed, 0 failed".
 */
public final class DistCheck {
  public static void main(String[] args) {
    int passed = 0;
    int failed = 0;
    DhFactory dh = DhFactory.using(RandomSource.secure());
    for (DhGroup g : DhGroup.values()) {
      try {
        if (!g.isSupported()) {
          throw new IllegalStateException("no provider in this runtime");
        }
        KeyExchange a = dh.create(g);
        KeyExchange b = dh.create(g);
        if (!Arrays.equals(a.agree(b.publicKey()).bytes(), b.agree(a.publicKey()).bytes())) {
          throw new IllegalStateException("the two sides disagree");
        }
        passed++;
      } catch (RuntimeException e) {
        System.out.println("DistCheck: DH group " + g + ": " + e);
        failed++;
      }
    }
    for (EspCipher c : EspCipher.values()) {
      if (c.isSupported()) {
        passed++;
      } else {
        System.out.println("DistCheck: ESP cipher " + c + ": no provider in this runtime");
        failed++;
      }
    }
    for (EspAuth a : EspAuth.values()) {
      try {
        if (!a.hash().isSupported() || a.hash().hmac(new byte[16], new byte[1]).length == 0) {
          throw new IllegalStateException("no provider in this runtime");
        }
        passed++;
      } catch (RuntimeException e) {
        System.out.println("DistCheck: ESP auth " + a + ": " + e);
        failed++;
      }
    }
    System.out.println(passed + " passed, " + failed + " failed");
    System.exit(failed == 0 ? 0 : 1);
  }
}
