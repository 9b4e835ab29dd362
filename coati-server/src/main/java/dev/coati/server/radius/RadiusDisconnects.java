package dev.coati.server.radius;

import dev.coati.radius.DisconnectRequest;
import dev.coati.server.sessions.UserSessions;
import dev.coati.util.Ipv4Address;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * What a RADIUS Disconnect-Request does (RFC 5176): every session that matches all of its
 * identification attributes (User-Name, Acct-Session-Id, Framed-IP-Address, Calling-Station-Id as
 * coati sends them in accounting) is ended, as {@code coati kick} would (Delete notifies, StopCCN,
 * address released, accounting Stop with Admin-Reset). The sessions are read and ended on the
 * socket thread; the listener waits for that at most five seconds.
 */
public record RadiusDisconnects(Executor socketThread, UserSessions sessions)
    implements DynamicAuthServer.Handler {
  static final String REASON = "RADIUS Disconnect-Request";

  @Override
  public int disconnect(DisconnectRequest r) throws Exception {
    CompletableFuture<Integer> ended = new CompletableFuture<>();
    socketThread.execute(
        () -> {
          try {
            int n = 0;
            for (UserSessions.Entry e : sessions.live()) {
              if (r.matches(e.user(), e.accountingId(), address(e), e.peer())) {
                sessions.end(e, REASON);
                n++;
              }
            }
            ended.complete(n);
          } catch (RuntimeException x) {
            ended.completeExceptionally(x);
          }
        });
    return ended.get(5, TimeUnit.SECONDS);
  }

  private static Ipv4Address address(UserSessions.Entry e) {
    try {
      return e.address() == null ? null : Ipv4Address.parse(e.address());
    } catch (IllegalArgumentException x) {
      return null;
    }
  }
}
