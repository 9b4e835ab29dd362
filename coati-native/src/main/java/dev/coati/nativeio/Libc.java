package dev.coati.nativeio;

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
 * The few libc calls coati needs, bound through the FFM API with errno captured. read/write are
 * "critical" downcalls, so heap byte[] segments go to the kernel without a copy (performance notes:
 * JCE is ~1.9x cheaper on heap arrays, so packet buffers are heap arrays).
 */
public final class Libc {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CCS = Linker.Option.captureCallState("errno");

  private static final MethodHandle OPEN =
      handle(
          "open",
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
          CCS);
  private static final MethodHandle CLOSE =
      handle("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), CCS);
  private static final MethodHandle SOCKET =
      handle(
          "socket",
          FunctionDescriptor.of(
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT),
          CCS);
  private static final MethodHandle IOCTL =
      handle(
          "ioctl",
          FunctionDescriptor.of(
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_LONG,
              ValueLayout.ADDRESS),
          CCS,
          Linker.Option.firstVariadicArg(2));

  /** ioctl(2) whose argument is a value, not a pointer (TUNSETOFFLOAD takes an unsigned long). */
  private static final MethodHandle IOCTL_VALUE =
      handle(
          "ioctl",
          FunctionDescriptor.of(
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_LONG,
              ValueLayout.JAVA_LONG),
          CCS,
          Linker.Option.firstVariadicArg(2));

  // not "critical": read blocks, and a thread in a critical downcall holds up every safepoint
  private static final MethodHandle READ =
      handle(
          "read",
          FunctionDescriptor.of(
              ValueLayout.JAVA_LONG,
              ValueLayout.JAVA_INT,
              ValueLayout.ADDRESS,
              ValueLayout.JAVA_LONG),
          CCS);
  private static final MethodHandle WRITE =
      handle(
          "write",
          FunctionDescriptor.of(
              ValueLayout.JAVA_LONG,
              ValueLayout.JAVA_INT,
              ValueLayout.ADDRESS,
              ValueLayout.JAVA_LONG),
          CCS,
          Linker.Option.critical(true));

  public static final int O_RDWR = 2;
  public static final int AF_INET = 2;
  public static final int SOCK_DGRAM = 2;
  public static final int EINTR = 4;
  public static final int EAGAIN = 11;

  private Libc() {}

  private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
    MemorySegment sym =
        LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    return LINKER.downcallHandle(sym, fd, options);
  }

  /** Thrown with the errno of a failed call. */
  public static final class ErrnoException extends IOException {
    private final int errno;

    public ErrnoException(String call, int errno) {
      super(call + " failed: errno " + errno + " (" + describe(errno) + ")");
      this.errno = errno;
    }

    public int errno() {
      return errno;
    }

    private static String describe(int e) {
      return switch (e) {
        case 1 ->
            "operation not permitted: missing capability (CAP_NET_ADMIN for TUN, CAP_NET_RAW for raw sockets)";
        case 2 -> "no such file";
        case 11 -> "try again";
        case 13 -> "permission denied";
        case 16 -> "device busy";
        case 19 -> "no such device: is the tun module there?";
        case 22 -> "invalid argument";
        case 24 -> "too many open files";
        case 93 -> "protocol not supported";
        case 97 -> "address family not supported";
        case 98 -> "address already in use: is another IKE daemon (charon, racoon) running?";
        case 99 -> "address not available: it is not configured on any interface";
        case 101 -> "network unreachable";
        case 105 -> "no buffer space";
        case 113 -> "no route to host";
        default -> "see errno(3)";
      };
    }
  }

  private static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  public static int open(String path, int flags) throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      int fd = (int) OPEN.invokeExact(st, a.allocateFrom(path), flags);
      if (fd < 0) {
        throw new ErrnoException("open " + path, errno(st));
      }
      return fd;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static int socket(int domain, int type, int protocol) throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      int fd = (int) SOCKET.invokeExact(st, domain, type, protocol);
      if (fd < 0) {
        throw new ErrnoException("socket", errno(st));
      }
      return fd;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static void ioctl(int fd, long request, MemorySegment arg, String what)
      throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      int rc = (int) IOCTL.invokeExact(st, fd, request, arg);
      if (rc < 0) {
        throw new ErrnoException("ioctl " + what, errno(st));
      }
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** ioctl(2) with an integer argument passed by value. */
  public static void ioctlValue(int fd, long request, long value, String what) throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      int rc = (int) IOCTL_VALUE.invokeExact(st, fd, request, value);
      if (rc < 0) {
        throw new ErrnoException("ioctl " + what, errno(st));
      }
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static void close(int fd) {
    try (Arena a = Arena.ofConfined()) {
      int rc = (int) CLOSE.invokeExact(a.allocate(CAPTURE), fd);
      if (rc < 0) {
        // nothing useful to do: the descriptor is gone either way
        return;
      }
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * read(2) into native memory {@code staging} (a blocking call may not be a critical downcall, so
   * it cannot target the heap), then copied into the heap array.
   */
  public static int read(
      int fd, byte[] buf, int off, int len, MemorySegment state, MemorySegment staging)
      throws IOException {
    try {
      long want = Math.min(len, staging.byteSize());
      long n = (long) READ.invokeExact(state, fd, staging, want);
      if (n < 0) {
        throw new ErrnoException("read", errno(state));
      }
      MemorySegment.copy(staging, ValueLayout.JAVA_BYTE, 0, buf, off, (int) n);
      return (int) n;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** write(2) from a heap array (critical: a TUN write does not block). */
  public static int write(int fd, byte[] buf, int off, int len, MemorySegment state)
      throws IOException {
    try {
      long n =
          (long)
              WRITE.invokeExact(
                  state, fd, MemorySegment.ofArray(buf).asSlice(off, len), (long) len);
      if (n < 0) {
        throw new ErrnoException("write", errno(state));
      }
      return (int) n;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Scratch space for errno capture; one per thread that calls read/write. */
  public static MemorySegment callState(Arena arena) {
    return arena.allocate(CAPTURE);
  }
}
