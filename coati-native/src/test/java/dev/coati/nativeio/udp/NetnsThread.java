package dev.coati.nativeio.udp;

import dev.coati.nativeio.Libc;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a task on a fresh thread that first joins a named network namespace with setns(2): sockets
 * it creates live in that namespace for good, whichever thread uses them later. Shared with
 * coati-server's tests through this module's test-jar.
 */
public final class NetnsThread {
  private static final int CLONE_NEWNET = 0x40000000;
  private static final MethodHandle SETNS =
      Linker.nativeLinker()
          .downcallHandle(
              Linker.nativeLinker().defaultLookup().find("setns").orElseThrow(),
              FunctionDescriptor.of(
                  ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

  private NetnsThread() {}

  public static <T> T in(String ns, Callable<T> task) throws Exception {
    AtomicReference<Object> result = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                int fd = Libc.open("/run/netns/" + ns, 0);
                try {
                  if ((int) SETNS.invokeExact(fd, CLONE_NEWNET) != 0) {
                    throw new IllegalStateException("setns " + ns + " failed");
                  }
                } finally {
                  Libc.close(fd);
                }
                result.set(task.call());
              } catch (Throwable e) {
                result.set(e);
              }
            },
            "netns-" + ns);
    t.start();
    t.join(10_000);
    Object r = result.get();
    if (r instanceof Exception e) {
      throw e;
    }
    if (r instanceof Throwable e) {
      throw new IllegalStateException(e);
    }
    if (r == null) {
      throw new IllegalStateException("task in " + ns + " did not finish");
    }
    @SuppressWarnings("unchecked")
    T value = (T) r;
    return value;
  }
}
