package dev.coati.server.radius;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coati.auth.AuthResult;
import dev.coati.radius.DisconnectRequest;
import dev.coati.server.dataplane.Traffic;
import dev.coati.server.events.SessionEvent;
import dev.coati.server.events.SessionEvents;
import dev.coati.server.sessions.UserSessions;
import dev.coati.util.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RadiusDisconnectsTest {
  @Test
  void endsEverySessionMatchingAllAttributes_onTheSocketThread() throws Exception {
    UserSessions u =
        new UserSessions(
            SessionEvents.NONE,
            System::currentTimeMillis,
            0,
            new PrintStream(new ByteArrayOutputStream()));
    List<String> ended = new ArrayList<>();
    u.ender((e, why) -> ended.add(e.name() + " " + why));
    u.up(
        SessionEvent.up("xauth", "ike[1]", "alice", "192.0.2.1:4500", "10.99.99.10"),
        AuthResult.Session.NONE,
        () -> Traffic.ZERO);
    u.up(
        SessionEvent.up("l2tp", "l2tp-1/1", "alice", "192.0.2.2:4500", "10.99.99.11"),
        AuthResult.Session.NONE,
        () -> Traffic.ZERO);
    u.up(
        SessionEvent.up("xauth", "ike[3]", "bob", "192.0.2.3:500", "10.99.99.12"),
        AuthResult.Session.NONE,
        () -> Traffic.ZERO);
    List<Runnable> posted = new ArrayList<>();
    RadiusDisconnects d =
        new RadiusDisconnects(
            r -> {
              posted.add(r);
              r.run();
            },
            u);
    assertEquals(2, d.disconnect(request("alice", null, null)));
    assertEquals(
        List.of("ike[1] RADIUS Disconnect-Request", "l2tp-1/1 RADIUS Disconnect-Request"), ended);
    ended.clear();
    assertEquals(0, d.disconnect(request("bob", "10.99.99.99", null)));
    assertEquals(1, d.disconnect(request(null, "10.99.99.12", "192.0.2.3:500")));
    assertEquals(List.of("ike[3] RADIUS Disconnect-Request"), ended);
    String id =
        u.live().stream()
            .filter(e -> e.name().equals("ike[3]"))
            .findFirst()
            .orElseThrow()
            .accountingId();
    assertEquals(1, d.disconnect(new DisconnectRequest(null, id, null, null, null, null)));
    assertEquals(4, posted.size());
  }

  static DisconnectRequest request(String user, String framed, String calling) {
    return new DisconnectRequest(
        user, null, framed == null ? null : Ipv4Address.parse(framed), calling, null, null);
  }
}
