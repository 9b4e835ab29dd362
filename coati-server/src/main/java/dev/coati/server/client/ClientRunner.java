package dev.coati.server.client;

import dev.coati.config.ClientProfile;
import dev.coati.crypto.DhFactory;
import dev.coati.ike.ChildSa;
import dev.coati.ike.IkeContext;
import dev.coati.ike.IkeEngine;
import dev.coati.ike.IkeSa;
import dev.coati.ike.PeerAddress;
import dev.coati.ike.RetransmitPolicy;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.server.dataplane.IkeSocketLoop;
import dev.coati.util.RandomSource;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code coati connect} in the foreground: the gateway's own socket loop, engine and data plane
 * wired as a road warrior (ClientPolicy, ClientSession), a control socket for {@code coati
 * disconnect} and {@code --status}, and on the way out (disconnect, SIGINT, SIGTERM, or the gateway
 * ending it) Delete notifies, then routes, DNS and the TUN device given back.
 */
public final class ClientRunner {
  /** The reason the engine's SAs are deleted with when we stop. */
  static final String STOPPING = "gateway shutting down";

  static final int IKE_PORT = 500;
  static final int NAT_T_PORT = 4500;
  private static final long CONNECT_TIMEOUT_MILLIS = 60_000;

  private ClientRunner() {}

  /** Connects with {@code profile}; returns the exit code (0 after a disconnect we asked for). */
  public static int run(ClientProfile profile, byte[] password, PrintStream out, PrintStream err) {
    InetAddress gateway;
    InetAddress local;
    try {
      gateway = InetAddress.getByName(profile.gateway());
      if (!(gateway instanceof Inet4Address)) {
        err.println("coati connect: " + profile.gateway() + " is not an IPv4 gateway");
        return 2;
      }
      local = sourceAddress(gateway);
    } catch (IOException e) {
      err.println("coati connect: " + profile.gateway() + ": " + e.getMessage());
      return 1;
    }
    try (IkeSocketLoop loop =
        new IkeSocketLoop(List.of(local.getHostAddress()), IKE_PORT, NAT_T_PORT)) {
      return connected(profile, password, loop, local, gateway, out, err);
    } catch (IOException | RuntimeException e) {
      err.println("coati connect: " + e.getMessage());
      return 1;
    } finally {
      Arrays.fill(password, (byte) 0);
    }
  }

  private static int connected(
      ClientProfile profile,
      byte[] password,
      IkeSocketLoop loop,
      InetAddress local,
      InetAddress gateway,
      PrintStream out,
      PrintStream err)
      throws IOException {
    RandomSource random = RandomSource.secure();
    ClientPolicy policy = new ClientPolicy(profile, local.getAddress(), password, random);
    ClientSession session = new ClientSession(profile, policy, loop, random, out);
    IkeEngine engine =
        loop.attach(
            outbox ->
                new IkeEngine(
                    new IkeContext(
                        System::currentTimeMillis,
                        random,
                        DhFactory.using(random),
                        policy,
                        outbox,
                        session,
                        RetransmitPolicy.DEFAULT)));
    session.attach(engine);
    CountDownLatch down = new CountDownLatch(1);
    boolean[] asked = new boolean[1];
    ClientControl control =
        ClientControl.start(
            profile.controlSocket(),
            new ClientControl.Client() {
              @Override
              public String status() {
                return session.status();
              }

              @Override
              public String disconnect() {
                asked[0] = true;
                return stop(loop, engine, down) ? "VPN connection terminated" : "still stopping";
              }
            });
    Thread main = Thread.currentThread();
    Thread hook =
        new Thread(
            () -> {
              asked[0] = true;
              stop(loop, engine, down);
              try {
                main.join(5000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Runtime.getRuntime().addShutdownHook(hook);
    long deadline = System.currentTimeMillis() + CONNECT_TIMEOUT_MILLIS;
    loop.onTick(() -> tick(session, deadline));
    PeerAddress from = new PeerAddress(local.getAddress(), IKE_PORT);
    PeerAddress to = new PeerAddress(gateway.getAddress(), IKE_PORT);
    ExchangeType mode =
        profile.aggressive() ? ExchangeType.AGGRESSIVE : ExchangeType.IDENTITY_PROTECTION;
    loop.post(() -> engine.initiate(from, to, mode));
    out.println(
        "coati: connecting to "
            + gateway.getHostAddress()
            + " from "
            + local.getHostAddress()
            + " ("
            + profile.auth()
            + ", "
            + (profile.aggressive() ? "aggressive" : "main")
            + " mode)");
    out.flush();
    try {
      loop.run(); // returns after stop(); the engine's SAs are deleted (Delete sent) by then
    } finally {
      String why = session.ended();
      session.teardown(asked[0] || why == null ? "disconnected" : why);
      down.countDown();
      control.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already: the hook waits for us
      }
    }
    String why = session.ended();
    if (!asked[0] && why != null) {
      err.println("coati connect: " + why);
      return 1;
    }
    out.println("VPN connection terminated");
    return 0;
  }

  private static void tick(ClientSession session, long deadline) {
    session.tick();
    if (!session.bound() && System.currentTimeMillis() > deadline) {
      session.fail("no tunnel after " + CONNECT_TIMEOUT_MILLIS / 1000 + " s");
    }
  }

  /**
   * Deletes each IPsec SA in its own informational, then stops the loop (which deletes the ISAKMP
   * SA): racoon 0.9.1 hashes only the first payload after HASH (isakmp_inf.c), so the engine's
   * one-message Delete of the ISAKMP SA and its children is dropped there ("hash mismatch"). Falls
   * back to a plain stop when the loop does not run the posted work. True once all is restored.
   */
  private static boolean stop(IkeSocketLoop loop, IkeEngine engine, CountDownLatch down) {
    loop.post(
        () -> {
          for (IkeSa sa : List.copyOf(engine.sas())) {
            for (ChildSa child : List.copyOf(sa.children())) {
              engine.deleteChild(sa, child);
            }
          }
          loop.stop();
        });
    if (awaitDown(down, 3)) {
      return true;
    }
    loop.stop();
    return awaitDown(down, 15);
  }

  private static boolean awaitDown(CountDownLatch down, long seconds) {
    try {
      return down.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The address this host sends from towards {@code gateway} (no packet is sent). */
  static InetAddress sourceAddress(InetAddress gateway) throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(new InetSocketAddress(gateway, IKE_PORT));
      InetAddress a = s.getLocalAddress();
      if (a == null || a.isAnyLocalAddress()) {
        throw new IOException("no route to the gateway");
      }
      return a;
    }
  }

  /** Asks the client behind {@code profile}'s control socket; null when none runs. */
  public static String ask(ClientProfile profile, String command) {
    return ClientControl.ask(profile.controlSocket(), command);
  }
}
