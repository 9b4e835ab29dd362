package dev.coati.nativeio;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * Process-wide hardening through libc (Linux, x86-64/aarch64 glibc): no core dumps ({@code
 * prctl(PR_SET_DUMPABLE, 0)}, {@code RLIMIT_CORE} 0), a signal's inherited "ignore" disposition
 * reset (so {@code nohup} does not swallow SIGHUP), and the drop from root to an unprivileged user
 * keeping chosen capabilities ({@code setgroups}/{@code setgid}/{@code setuid}, which glibc applies
 * to every thread of the process, then {@code capset} on the calling thread).
 */
public final class ProcessControl {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CCS = Linker.Option.captureCallState("errno");
  private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
  private static final AddressLayout P = ValueLayout.ADDRESS;

  private static final MethodHandle PRCTL =
      handle(
          "prctl", FunctionDescriptor.of(I, I, L, L, L, L), CCS, Linker.Option.firstVariadicArg(1));
  private static final MethodHandle SETRLIMIT = handle("setrlimit", FunctionDescriptor.of(I, I, P));
  private static final MethodHandle GETRLIMIT = handle("getrlimit", FunctionDescriptor.of(I, I, P));
  private static final MethodHandle SIGACTION =
      handle("sigaction", FunctionDescriptor.of(I, I, P, P), CCS);
  private static final MethodHandle SETGROUPS =
      handle("setgroups", FunctionDescriptor.of(I, L, P), CCS);
  private static final MethodHandle SETGID = handle("setgid", FunctionDescriptor.of(I, I), CCS);
  private static final MethodHandle SETUID = handle("setuid", FunctionDescriptor.of(I, I), CCS);
  private static final MethodHandle CAPSET = handle("capset", FunctionDescriptor.of(I, P, P), CCS);
  private static final MethodHandle GETPWNAM = handle("getpwnam", FunctionDescriptor.of(P, P));
  private static final MethodHandle GETEUID = handle("geteuid", FunctionDescriptor.of(I));

  static final int PR_GET_DUMPABLE = 3;
  static final int PR_SET_DUMPABLE = 4;
  static final int PR_SET_KEEPCAPS = 8;
  static final int PR_CAPBSET_DROP = 24;
  static final int RLIMIT_CORE = 4;
  static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
  static final long SIG_IGN = 1;
  static final int SIGACTION_SIZE = 256; // glibc's struct sigaction is 152 bytes on LP64

  /** Capability numbers (linux/capability.h). */
  public static final int CAP_NET_BIND_SERVICE = 10;

  public static final int CAP_NET_ADMIN = 12;
  public static final int CAP_NET_RAW = 13;
  public static final int SIGHUP = 1;

  /** A user from the passwd database. */
  public record User(String name, int uid, int gid) {}

  private ProcessControl() {}

  private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
    MemorySegment sym =
        LINKER
            .defaultLookup()
            .find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    return LINKER.downcallHandle(sym, fd, options);
  }

  private static int errno(MemorySegment st) {
    return (int) ERRNO.get(st, 0L);
  }

  private static long prctl(int option, long arg) throws Libc.ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      int rc = (int) PRCTL.invokeExact(st, option, arg, 0L, 0L, 0L);
      if (rc < 0) {
        throw new Libc.ErrnoException("prctl(" + option + ")", errno(st));
      }
      return rc;
    } catch (Libc.ErrnoException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * No core dump can be written and nobody but root can ptrace or read this process's memory
   * through /proc: {@code RLIMIT_CORE} 0 (soft and hard) and {@code PR_SET_DUMPABLE} 0.
   */
  public static void disableCoreDumps() throws Libc.ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment lim = a.allocate(16); // struct rlimit {rlim_cur, rlim_max}, zeroed
      if ((int) SETRLIMIT.invokeExact(RLIMIT_CORE, lim) != 0) {
        throw new Libc.ErrnoException("setrlimit(RLIMIT_CORE)", 1);
      }
    } catch (Libc.ErrnoException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    prctl(PR_SET_DUMPABLE, 0);
  }

  /** prctl(PR_GET_DUMPABLE): 0 when core dumps and ptrace by the same user are off. */
  public static int dumpable() throws Libc.ErrnoException {
    return (int) prctl(PR_GET_DUMPABLE, 0);
  }

  /** The soft RLIMIT_CORE in bytes. */
  public static long coreLimit() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment lim = a.allocate(16);
      int rc = (int) GETRLIMIT.invokeExact(RLIMIT_CORE, lim);
      return rc == 0 ? lim.get(L, 0) : -1;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * If {@code signal} is ignored (inherited SIG_IGN, as under {@code nohup}), resets it to the
   * default so the JVM lets a handler be installed; returns whether it was ignored. Any other
   * disposition (the JVM's own handlers) is left alone.
   */
  public static boolean unignore(int signal) throws Libc.ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      MemorySegment old = a.allocate(SIGACTION_SIZE);
      if ((int) SIGACTION.invokeExact(st, signal, MemorySegment.NULL, old) != 0) {
        throw new Libc.ErrnoException("sigaction(" + signal + ")", errno(st));
      }
      if (old.get(L, 0) != SIG_IGN) {
        return false;
      }
      MemorySegment dfl = a.allocate(SIGACTION_SIZE); // zeroed: SIG_DFL, empty mask, no flags
      if ((int) SIGACTION.invokeExact(st, signal, dfl, MemorySegment.NULL) != 0) {
        throw new Libc.ErrnoException("sigaction(" + signal + ")", errno(st));
      }
      return true;
    } catch (Libc.ErrnoException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** The effective user id. */
  public static int euid() {
    try {
      return (int) GETEUID.invokeExact();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** The user called {@code name} (getpwnam(3), so NSS too), if there is one. */
  public static Optional<User> user(String name) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment pw = (MemorySegment) GETPWNAM.invokeExact(a.allocateFrom(name));
      if (pw.equals(MemorySegment.NULL)) {
        return Optional.empty();
      }
      // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; ... }
      MemorySegment s = pw.reinterpret(24);
      return Optional.of(new User(name, s.get(I, 16), s.get(I, 20)));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Becomes {@code user} (no supplementary groups) keeping exactly the capabilities {@code keep}
   * (bit numbers) on the calling thread and the threads it starts afterwards; every other thread of
   * the process ends with the new ids and no capabilities at all (the kernel clears them on the
   * change from uid 0, and capset(2) only reaches the calling thread). Must run as root.
   */
  public static void dropPrivileges(User user, int... keep) throws Libc.ErrnoException {
    long mask = 0;
    for (int c : keep) {
      mask |= 1L << c;
    }
    for (int cap = 0; cap < 64; cap++) {
      if ((mask & (1L << cap)) == 0) {
        try {
          prctl(PR_CAPBSET_DROP, cap);
        } catch (Libc.ErrnoException e) {
          if (e.errno() != 22) { // EINVAL: no such capability on this kernel
            throw e;
          }
        }
      }
    }
    prctl(PR_SET_KEEPCAPS, 1);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      check((int) SETGROUPS.invokeExact(st, 0L, MemorySegment.NULL), "setgroups", st);
      check((int) SETGID.invokeExact(st, user.gid()), "setgid(" + user.gid() + ")", st);
      check((int) SETUID.invokeExact(st, user.uid()), "setuid(" + user.uid() + ")", st);
      prctl(PR_SET_KEEPCAPS, 0);
      MemorySegment hdr = a.allocate(8);
      hdr.set(I, 0, LINUX_CAPABILITY_VERSION_3);
      hdr.set(I, 4, 0); // this thread
      MemorySegment data = a.allocate(24); // two {effective, permitted, inheritable}
      data.set(I, 0, (int) mask);
      data.set(I, 4, (int) mask);
      data.set(I, 12, (int) (mask >>> 32));
      data.set(I, 16, (int) (mask >>> 32));
      check((int) CAPSET.invokeExact(st, hdr, data), "capset", st);
    } catch (Libc.ErrnoException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static void check(int rc, String call, MemorySegment st) throws Libc.ErrnoException {
    if (rc != 0) {
      throw new Libc.ErrnoException(call, errno(st));
    }
  }
}
