package dev.coati.config;

import dev.coati.auth.GuessingLimits;
import dev.coati.ike.HalfOpenLimits;
import java.util.Set;

/**
 * The {@code limits:} section: the defences against spoofed floods ({@code half_open}) and online
 * password guessing ({@code guessing}). Every key is optional.
 */
final class LimitsSection {
  private LimitsSection() {}

  static GatewayConfig.Limits parse(YamlNode n) throws ConfigException {
    HalfOpenLimits halfOpen = HalfOpenLimits.DEFAULT;
    GuessingLimits guessing = GuessingLimits.DEFAULT;
    for (YamlNode e : n.entries(Set.of("half_open", "guessing"))) {
      if (e.key().equals("half_open")) {
        halfOpen = halfOpen(e);
      } else {
        guessing = guessing(e);
      }
    }
    return new GatewayConfig.Limits(halfOpen, guessing);
  }

  private static GuessingLimits guessing(YamlNode n) throws ConfigException {
    GuessingLimits d = GuessingLimits.DEFAULT;
    int perSource = d.perSource();
    int perUser = d.perUser();
    long backoff = d.backoffMillis();
    long maxBackoff = d.maxBackoffMillis();
    int lockoutAfter = d.lockoutAfter();
    long lockout = d.lockoutMillis();
    long forget = d.forgetMillis();
    YamlNode maxNode = null;
    Set<String> keys =
        Set.of(
            "per_source",
            "per_user",
            "backoff",
            "max_backoff",
            "lockout_after",
            "lockout",
            "forget");
    for (YamlNode e : n.entries(keys)) {
      switch (e.key()) {
        case "per_source" -> perSource = count(e, 1, 100_000);
        case "per_user" -> perUser = count(e, 1, 100_000);
        case "backoff" -> backoff = e.seconds() * 1000;
        case "max_backoff" -> {
          maxBackoff = e.seconds() * 1000;
          maxNode = e;
        }
        case "lockout_after" ->
            lockoutAfter = e.string().strip().equals("0") ? 0 : count(e, 1, 1000);
        case "lockout" -> lockout = e.seconds() * 1000;
        default -> {
          forget = e.seconds() * 1000;
          if (forget < 1000) {
            throw e.error("expected forget of at least 1s (default 15m)");
          }
        }
      }
    }
    if (maxBackoff < backoff) {
      throw (maxNode != null ? maxNode : n)
          .error("max_backoff must be at least backoff (" + backoff / 1000 + "s)");
    }
    return new GuessingLimits(
        perSource, perUser, backoff, maxBackoff, lockoutAfter, lockout, forget);
  }

  private static HalfOpenLimits halfOpen(YamlNode n) throws ConfigException {
    HalfOpenLimits d = HalfOpenLimits.DEFAULT;
    int perSource = d.perSource();
    int max = d.max();
    int busy = d.busy();
    long timeout = d.timeoutMillis();
    YamlNode busyNode = null;
    for (YamlNode e : n.entries(Set.of("per_source", "max", "busy", "timeout"))) {
      switch (e.key()) {
        case "per_source" -> perSource = count(e, 1, 1000);
        case "max" -> max = count(e, 1, 10_000_000);
        case "busy" -> {
          busy = count(e, 1, 10_000_000);
          busyNode = e;
        }
        default -> {
          timeout = e.seconds() * 1000;
          if (timeout < 1000 || timeout > 600_000) {
            throw e.error("expected a half-open timeout between 1s and 10m (default 30s)");
          }
        }
      }
    }
    if (busyNode == null && busy > max) {
      busy = max / 2 == 0 ? 1 : max / 2;
    }
    if (busy > max) {
      throw busyNode.error(
          "busy (" + busy + ") must not exceed max (" + max + "): lower busy or raise max");
    }
    return new HalfOpenLimits(perSource, max, busy, timeout);
  }

  static int count(YamlNode e, int min, int maxValue) throws ConfigException {
    try {
      int v = Integer.parseInt(e.string().strip());
      if (v >= min && v <= maxValue) {
        return v;
      }
    } catch (NumberFormatException x) {
      // reported below
    }
    throw e.error("expected a whole number from " + min + " to " + maxValue);
  }
}
