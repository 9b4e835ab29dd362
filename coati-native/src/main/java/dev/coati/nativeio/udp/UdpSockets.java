package dev.coati.nativeio.udp;

import dev.coati.nativeio.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Opens {@link UdpBind}s with the implementation chosen once: the FFM one (recvmmsg/sendmmsg, poll,
 * raw ESP) on Linux LP64 when the probe succeeds, else the JDK {@code DatagramChannel} fallback.
 * The probe loads the bindings and calls recvmmsg(2) on a fresh non-blocking socket, which must
 * answer EAGAIN. System property {@code coati.udp} or environment variable {@code COATI_UDP}
 * ({@code native}, {@code jdk}, {@code auto}) overrides the choice.
 */
public final class UdpSockets {
  /** Which implementation opens the sockets. */
  public enum Backend {
    NATIVE,
    JDK
  }

  private final Backend backend;
  private final String reason;

  private UdpSockets(Backend backend, String reason) {
    this.backend = backend;
    this.reason = reason;
  }

  /** Chooses by {@code coati.udp}, then {@code COATI_UDP}, then the native probe. */
  public static UdpSockets probe() {
    return choose(System.getProperty("coati.udp"), System.getenv("COATI_UDP"), UdpSockets::trial);
  }

  /**
   * The choice itself: {@code nativeProblem} returns null when FFM works, else why not. Asking for
   * {@code native} where it does not work is an error, not a silent fallback.
   */
  static UdpSockets choose(String property, String env, Supplier<String> nativeProblem) {
    String want = property != null && !property.isBlank() ? property : env;
    String w = want == null ? "auto" : want.strip().toLowerCase(Locale.ROOT);
    switch (w) {
      case "jdk":
        return new UdpSockets(Backend.JDK, "selected by coati.udp/COATI_UDP=jdk");
      case "native":
      case "auto":
        String problem = nativeProblem.get();
        if (problem == null) {
          return new UdpSockets(Backend.NATIVE, "recvmmsg/sendmmsg through FFM");
        }
        if (w.equals("native")) {
          throw new IllegalStateException("coati.udp=native, but FFM sockets fail: " + problem);
        }
        return new UdpSockets(Backend.JDK, "FFM sockets unavailable: " + problem);
      default:
        throw new IllegalArgumentException(
            "coati.udp/COATI_UDP must be native, jdk or auto, not '" + want + "'");
    }
  }

  /** Null when the FFM sockets work here, else the reason. */
  static String trial() {
    if (!System.getProperty("os.name", "").equals("Linux")) {
      return "not Linux";
    }
    if (ValueLayout.ADDRESS.byteSize() != 8) {
      return "not a 64-bit JVM";
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = SocketCalls.state(a);
      int fd = SocketCalls.socket(st, SocketCalls.SOCK_DGRAM, 0);
      try {
        MmsgVector v = new MmsgVector(a, 1, 16);
        v.prepareReceive(1);
        int rc = SocketCalls.recvmmsg(st, fd, v.vec, 1);
        return rc == 0 ? null : "recvmmsg on an empty socket returned " + rc;
      } finally {
        Libc.close(fd);
      }
    } catch (IOException e) {
      return e.getMessage();
    } catch (RuntimeException | LinkageError e) {
      return e.toString(); // no native access, or libc without recvmmsg
    }
  }

  public Backend backend() {
    return backend;
  }

  /** Why this backend was chosen (for the startup log). */
  public String reason() {
    return reason;
  }

  /**
   * Opens a UDP socket bound to {@code address}:{@code port} (network-order int; 0 = wildcard, port
   * 0 = any).
   *
   * @throws IOException naming address, port and errno
   */
  public UdpBind open(int address, int port, UdpOptions options) throws IOException {
    try {
      return backend == Backend.NATIVE
          ? NativeSocket.udp(address, port, options)
          : JdkUdpBind.open(address, port, options);
    } catch (IOException e) {
      String hint =
          port != 0 && port < 1024 ? "; ports below 1024 need root or CAP_NET_BIND_SERVICE" : "";
      throw new IOException(
          "cannot bind UDP " + Datagrams.text(address) + ":" + port + ": " + e.getMessage() + hint,
          e);
    }
  }

  /**
   * Opens a raw IP protocol 50 socket bound to {@code address} (needs root or CAP_NET_RAW; only the
   * FFM backend has one).
   */
  public UdpBind openRawEsp(int address, UdpOptions options) throws IOException {
    if (backend != Backend.NATIVE) {
      throw new IOException("raw ESP needs the FFM sockets (" + reason + ")");
    }
    try {
      return NativeSocket.rawEsp(address, options);
    } catch (IOException e) {
      throw new IOException(
          "cannot open raw ESP (IP protocol 50) on "
              + Datagrams.text(address)
              + ": "
              + e.getMessage()
              + "; raw sockets need root or CAP_NET_RAW",
          e);
    }
  }

  /** A poller over {@code sockets}, all opened by this backend. */
  public Poller poller(List<UdpBind> sockets) throws IOException {
    if (backend == Backend.NATIVE) {
      List<NativeSocket> n = new ArrayList<>();
      for (UdpBind s : sockets) {
        if (!(s instanceof NativeSocket ns)) {
          throw new IllegalArgumentException(s + " was not opened by the FFM backend");
        }
        n.add(ns);
      }
      return new NativePoller(n);
    }
    List<JdkUdpBind> j = new ArrayList<>();
    for (UdpBind s : sockets) {
      if (!(s instanceof JdkUdpBind js)) {
        throw new IllegalArgumentException(s + " was not opened by the JDK backend");
      }
      j.add(js);
    }
    return new SelectorPoller(j);
  }
}
