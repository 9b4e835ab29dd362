package dev.coati.crypto;

import java.math.BigInteger;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MODP primes of RFC 2409 section 6.1-6.2 (groups 1, 2) and RFC 3526 (groups 5, 14-18), all p =
 * 2^n - 2^(n-64) - 1 + 2^64 * (floor(2^(n-130) * pi) + k), computed from that definition (with pi
 * from Machin's formula) instead of pasted as hex. Generator 2. ModpGroupsTest checks every prime
 * against the JDK's own copy of these groups and that the small ones are safe primes.
 */
final class ModpGroups {
  private static final ConcurrentHashMap<Integer, BigInteger> CACHE = new ConcurrentHashMap<>();

  private ModpGroups() {}

  static BigInteger prime(int bits, long k) {
    return CACHE.computeIfAbsent(bits, n -> compute(n, k));
  }

  private static BigInteger compute(int n, long k) {
    BigInteger two = BigInteger.TWO;
    BigInteger piPart = piScaled(n - 130).add(BigInteger.valueOf(k));
    return two.pow(n)
        .subtract(two.pow(n - 64))
        .subtract(BigInteger.ONE)
        .add(two.pow(64).multiply(piPart));
  }

  /** floor(pi * 2^bits) via pi = 16 atan(1/5) - 4 atan(1/239), with 64 guard bits. */
  static BigInteger piScaled(int bits) {
    int guard = 64;
    BigInteger a =
        arctanInverse(5, bits + guard)
            .shiftLeft(4)
            .subtract(arctanInverse(239, bits + guard).shiftLeft(2));
    return a.shiftRight(guard);
  }

  private static BigInteger arctanInverse(int x, int bits) {
    BigInteger xb = BigInteger.valueOf(x);
    BigInteger x2 = xb.multiply(xb);
    BigInteger term = BigInteger.ONE.shiftLeft(bits).divide(xb);
    BigInteger sum = term;
    boolean negative = true;
    for (long n = 1; term.signum() != 0; n++) {
      term = term.divide(x2);
      BigInteger t = term.divide(BigInteger.valueOf(2 * n + 1));
      sum = negative ? sum.subtract(t) : sum.add(t);
      negative = !negative;
    }
    return sum;
  }
}
