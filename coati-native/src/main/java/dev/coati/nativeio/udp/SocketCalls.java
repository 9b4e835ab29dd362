package dev.coati.nativeio.udp;

import dev.coati.nativeio.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The socket calls of the UDP and raw ESP sockets (Linux, LP64), bound through FFM with errno
 * captured: socket(2), bind(2), setsockopt(2), getsockname(2), recvmmsg(2), sendmmsg(2), sendto(2),
 * poll(2). Class initialisation fails with {@link UnsatisfiedLinkError} when libc lacks one of
 * them, which {@link UdpSockets#probe()} turns into the JDK fallback.
 *
 * <p>Only sendto(2) is a "critical" downcall (heap arrays straight to the kernel): on a
 * non-blocking socket it never blocks. poll(2) blocks and recvmmsg(2)/sendmmsg(2) take native iovec
 * arrays, so they are normal downcalls; a thread blocked in a critical downcall would hold up every
 * safepoint of the JVM.
 */
final class SocketCalls {
  static final int AF_INET = 2;
  static final int SOCK_DGRAM = 2;
  static final int SOCK_RAW = 3;
  static final int SOCK_NONBLOCK = 04000;
  static final int SOCK_CLOEXEC = 02000000;
  static final int IPPROTO_IP = 0;
  static final int IPPROTO_ESP = 50;
  static final int SOL_SOCKET = 1;
  static final int SO_REUSEADDR = 2;
  static final int SO_SNDBUF = 7;
  static final int SO_RCVBUF = 8;
  static final int IP_PKTINFO = 8;
  static final int MSG_TRUNC = 0x20;
  static final int MSG_DONTWAIT = 0x40;
  static final short POLLIN = 0x1;
  static final int EINTR = 4;
  static final int EAGAIN = 11;
  static final int SOCKADDR_IN = 16;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CCS = Linker.Option.captureCallState("errno");
  private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
  private static final ValueLayout A = ValueLayout.ADDRESS;

  private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(I, I, I, I));
  private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(I, I, A, I));
  private static final MethodHandle SETSOCKOPT =
      handle("setsockopt", FunctionDescriptor.of(I, I, I, I, A, I));
  private static final MethodHandle GETSOCKNAME =
      handle("getsockname", FunctionDescriptor.of(I, I, A, A));
  private static final MethodHandle RECVMMSG =
      handle("recvmmsg", FunctionDescriptor.of(I, I, A, I, I, A));
  private static final MethodHandle SENDMMSG =
      handle("sendmmsg", FunctionDescriptor.of(I, I, A, I, I));
  private static final MethodHandle POLL =
      handle("poll", FunctionDescriptor.of(I, A, ValueLayout.JAVA_LONG, I));
  private static final MethodHandle SENDTO =
      LINKER.downcallHandle(
          symbol("sendto"),
          FunctionDescriptor.of(ValueLayout.JAVA_LONG, I, A, ValueLayout.JAVA_LONG, I, A, I),
          CCS,
          Linker.Option.critical(true));

  private SocketCalls() {}

  private static MemorySegment symbol(String name) {
    return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
  }

  private static MethodHandle handle(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(symbol(name), fd, CCS);
  }

  static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  static MemorySegment state(Arena arena) {
    return arena.allocate(CAPTURE);
  }

  private static RuntimeException unexpected(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t);
  }

  static int socket(MemorySegment st, int type, int protocol) throws IOException {
    try {
      int fd = (int) SOCKET.invokeExact(st, AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
      if (fd < 0) {
        throw new Libc.ErrnoException("socket", errno(st));
      }
      return fd;
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static void setInt(MemorySegment st, int fd, int level, int option, int value, String what)
      throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocateFrom(I, value);
      int rc = (int) SETSOCKOPT.invokeExact(st, fd, level, option, v, 4);
      if (rc < 0) {
        throw new Libc.ErrnoException("setsockopt " + what, errno(st));
      }
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** bind(2) to address:port (IPv4, network order in the int); returns the bound port. */
  static int bind(MemorySegment st, int fd, int address, int port) throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment sa = a.allocate(SOCKADDR_IN);
      Sockaddr.write(sa, 0, address, port);
      int rc = (int) BIND.invokeExact(st, fd, sa, SOCKADDR_IN);
      if (rc < 0) {
        throw new Libc.ErrnoException("bind", errno(st));
      }
      MemorySegment len = a.allocateFrom(I, SOCKADDR_IN);
      rc = (int) GETSOCKNAME.invokeExact(st, fd, sa, len);
      if (rc < 0) {
        throw new Libc.ErrnoException("getsockname", errno(st));
      }
      return Sockaddr.port(sa, 0);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** recvmmsg(2) with MSG_DONTWAIT: the number received, 0 if none is waiting, or -errno. */
  static int recvmmsg(MemorySegment st, int fd, MemorySegment vec, int n) {
    try {
      int rc = (int) RECVMMSG.invokeExact(st, fd, vec, n, MSG_DONTWAIT, MemorySegment.NULL);
      if (rc >= 0) {
        return rc;
      }
      int e = errno(st);
      return e == EAGAIN || e == EINTR ? 0 : -e;
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** sendmmsg(2) with MSG_DONTWAIT: the number sent, or -errno. */
  static int sendmmsg(MemorySegment st, int fd, MemorySegment vec, int n) {
    try {
      int rc = (int) SENDMMSG.invokeExact(st, fd, vec, n, MSG_DONTWAIT);
      return rc >= 0 ? rc : -errno(st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** sendto(2) from a heap array (critical downcall, no copy): bytes sent, or -errno. */
  static long sendto(MemorySegment st, int fd, MemorySegment buf, MemorySegment sockaddr) {
    try {
      long rc = (long) SENDTO.invokeExact(st, fd, buf, buf.byteSize(), MSG_DONTWAIT, sockaddr, 16);
      return rc >= 0 ? rc : -errno(st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** poll(2) over {@code n} struct pollfd; returns the ready count, 0 on timeout or EINTR. */
  static int poll(MemorySegment st, MemorySegment fds, int n, int timeoutMillis)
      throws IOException {
    try {
      int rc = (int) POLL.invokeExact(st, fds, (long) n, timeoutMillis);
      if (rc < 0) {
        int e = errno(st);
        if (e == EINTR) {
          return 0;
        }
        throw new Libc.ErrnoException("poll", e);
      }
      return rc;
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }
}
