package io.drainhost.http;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.http.HandlerType;
import org.junit.jupiter.api.Test;

/** Access is an allow-list: a route that declares none stops the host's start. */
class RouteTableTest {
  @Test
  void aRouteWithoutDeclaredAccessIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RouteTable.Route(HandlerType.GET, "/new", null, ctx -> {}));
    assertTrue(e.getMessage().contains("GET /new declares no access"), e.getMessage());
  }
}
