package dev.coati.config;

import dev.coati.ike.HalfOpenLimits;
import java.util.Set;

/**
 * The {@code limits:} section: the defences against spoofed floods ({@code half_open}). Every key
 * is optional; the defaults are the anchors' (strongSwan, Libreswan).
 */
final class LimitsSection {
  private LimitsSection() {}

  static GatewayConfig.Limits parse(YamlNode n) throws ConfigException {
    HalfOpenLimits halfOpen = HalfOpenLimits.DEFAULT;
    for (YamlNode e : n.entries(Set.of("half_open"))) {
      halfOpen = halfOpen(e);
    }
    return new GatewayConfig.Limits(halfOpen);
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
