package dev.coati.server.radius;

import dev.coati.crypto.Secret;
import java.net.InetSocketAddress;

/** One RADIUS server: its address, authentication and accounting ports and shared secret. */
public record RadiusEndpoint(String host, int authPort, int acctPort, Secret secret) {
  InetSocketAddress address(boolean accounting) {
    return new InetSocketAddress(host, accounting ? acctPort : authPort);
  }

  /** host:port for log lines; never the secret. */
  String name(boolean accounting) {
    return host + ":" + (accounting ? acctPort : authPort);
  }

  @Override
  public String toString() {
    return "RadiusEndpoint[" + host + ":" + authPort + "/" + acctPort + "]";
  }
}
