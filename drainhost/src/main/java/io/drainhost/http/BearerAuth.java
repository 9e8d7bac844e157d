package io.drainhost.http;

import io.drainhost.config.ApiToken;
import io.drainhost.metrics.MeterNames;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Optional;

/**
 * With {@code DRAINHOST_API_TOKEN} set, every route that declares {@link RouteTable.Access#TOKEN}
 * requires {@code Authorization: Bearer <token>}; anything else is 401 {@code unauthorized} with
 * {@code WWW-Authenticate: Bearer}, counted by reason. The routes that stay open declare so (load
 * balancers, ECS and Prometheus carry no token).
 */
final class BearerAuth {
  private final Optional<ApiToken> token;
  private final Counter missing;
  private final Counter wrong;

  BearerAuth(Optional<ApiToken> token, MeterRegistry metrics) {
    this.token = token;
    this.missing = counter(metrics, "missing");
    this.wrong = counter(metrics, "wrong");
  }

  private static Counter counter(MeterRegistry metrics, String reason) {
    return Counter.builder(MeterNames.UNAUTHORIZED)
        .tag("reason", reason)
        .description("requests refused with 401: no bearer token, or a wrong one")
        .register(metrics);
  }

  void check(Context ctx) {
    if (token.isEmpty()) {
      return;
    }
    String header = ctx.header("Authorization");
    String presented = null;
    if (header != null
        && header.length() > 7
        && header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      presented = header.substring(7).strip();
    }
    if (presented == null || presented.isEmpty()) {
      missing.increment();
      throw refuse(ctx, "this API requires Authorization: Bearer <token>");
    }
    if (!token.get().matches(presented)) {
      wrong.increment();
      throw refuse(ctx, "the bearer token is not valid");
    }
  }

  private static ApiError refuse(Context ctx, String message) {
    ctx.header("WWW-Authenticate", "Bearer realm=\"drainhost\"");
    return new ApiError(401, "unauthorized", message);
  }
}
