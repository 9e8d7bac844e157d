package io.drainhost.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Between the tool and moto: records every AWS call (its operation and JSON body), so a test reads
 * what the tool sent, and gives back on ECS's {@code DescribeServices} the settings moto drops
 * (deploymentConfiguration, healthCheckGracePeriodSeconds, enableExecuteCommand,
 * enableECSManagedTags, placement, platformVersion) from the {@code CreateService} request that set
 * them, as ECS itself returns them. Nothing else is changed.
 */
final class AwsRecorder implements AutoCloseable {
  /**
   * One call: the operation ({@code AmazonEC2ContainerServiceV20141113.CreateService}), its body.
   */
  record Call(String operation, JsonNode body) {
    String action() {
      return operation.substring(operation.indexOf('.') + 1);
    }

    /** The call as IAM names it ({@code ecs:CreateService}). */
    String iamAction() {
      String service = operation.substring(0, operation.indexOf('.'));
      String prefix =
          service.startsWith("AmazonEC2ContainerService")
              ? "ecs"
              : service.startsWith("AnyScaleFrontendService") ? "application-autoscaling" : service;
      return prefix + ":" + action();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> DROPPED_BY_MOTO =
      List.of(
          "deploymentConfiguration",
          "healthCheckGracePeriodSeconds",
          "enableExecuteCommand",
          "enableECSManagedTags",
          "placementConstraints",
          "placementStrategy",
          "platformVersion");

  private final HttpServer server;
  private final URI target;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, ObjectNode> created = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> declared = new ConcurrentHashMap<>();

  AwsRecorder(URI target) {
    this.target = target;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::forward);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void forward(HttpExchange x) throws IOException {
    byte[] body = x.getRequestBody().readAllBytes();
    String operation = x.getRequestHeaders().getFirst("X-Amz-Target");
    HttpRequest.Builder out =
        HttpRequest.newBuilder(target.resolve(x.getRequestURI().toString()))
            .method(x.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    x.getRequestHeaders()
        .forEach(
            (k, v) -> {
              // Host too, as signed: moto checks each call's signature (its IAM enforcement).
              if (!Set.of("content-length", "connection", "expect").contains(k.toLowerCase())) {
                v.forEach(value -> out.header(k, value));
              }
            });
    HttpResponse<byte[]> r;
    try {
      r = http.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    byte[] answer = r.body();
    if (operation == null) {
      // A Query-protocol API (the load balancers', CloudFormation, IAM): Action= in a form body.
      String form = new String(body, java.nio.charset.StandardCharsets.UTF_8);
      java.util.regex.Matcher action =
          java.util.regex.Pattern.compile("(?:^|&)Action=([A-Za-z]+)").matcher(form);
      java.util.regex.Matcher version =
          java.util.regex.Pattern.compile("(?:^|&)Version=([0-9-]+)").matcher(form);
      if (action.find()) {
        String v = version.find() ? version.group(1) : "";
        String service =
            v.equals("2010-05-15")
                ? "cloudformation"
                : v.equals("2010-05-08") ? "iam" : "elasticloadbalancing";
        calls.add(new Call(service + "." + action.group(1), JSON.createObjectNode()));
      }
    } else {
      JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
      calls.add(new Call(operation, request));
      if (operation.endsWith(".CreateService") && r.statusCode() == 200) {
        created.put(request.path("serviceName").asText(), (ObjectNode) request);
      }
      if (operation.endsWith(".DescribeServices") && r.statusCode() == 200) {
        answer = withDroppedSettings(answer);
      }
    }
    r.headers()
        .map()
        .forEach(
            (k, v) -> {
              if (!Set.of("content-length", "transfer-encoding", "connection")
                  .contains(k.toLowerCase())) {
                v.forEach(value -> x.getResponseHeaders().add(k, value));
              }
            });
    x.sendResponseHeaders(r.statusCode(), answer.length == 0 ? -1 : answer.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(answer);
    }
  }

  private byte[] withDroppedSettings(byte[] answer) throws IOException {
    JsonNode doc = JSON.readTree(answer);
    for (JsonNode s : doc.path("services")) {
      ObjectNode template = declared.get(s.path("serviceName").asText());
      if (template != null) {
        // moto's CloudFormation kept only the name, cluster, task definition and desired count;
        // the rest of what it answers is its own defaults (launch type EC2, no load balancer).
        template.fields().forEachRemaining(f -> ((ObjectNode) s).set(f.getKey(), f.getValue()));
      }
      ObjectNode request = created.get(s.path("serviceName").asText());
      if (request == null) {
        continue;
      }
      for (String field : DROPPED_BY_MOTO) {
        if (request.has(field) && !s.has(field)) {
          ((ObjectNode) s).set(field, request.get(field));
        }
      }
    }
    return JSON.writeValueAsBytes(doc);
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The bodies of every call of this action ({@code CreateService}), oldest first. */
  List<JsonNode> requests(String action) {
    return calls.stream().filter(c -> c.action().equals(action)).map(Call::body).toList();
  }

  /**
   * A service that moto's CloudFormation created: DescribeServices answers with {@code settings}
   * (the template's, in the ECS API's shape) in place of moto's defaults.
   */
  void createdByCloudFormation(String service, ObjectNode settings) {
    declared.put(service, settings);
  }

  /** The request that created this service. */
  ObjectNode creation(String service) {
    return created.get(service);
  }

  static ArrayNode array() {
    return JSON.createArrayNode();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
