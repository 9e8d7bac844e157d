package io.drainhost.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hostile and heavy clients against one host on loopback, each attack bounded in count and time,
 * and what the host does meanwhile: {@code /health} and {@code /health/live} sampled every 50 ms,
 * {@code /metrics} scraped every second, its threads and RSS read from {@code /proc}, its CPU
 * seconds, and whether an activity that fits finishes. Used by {@code bench-abuse} and by the abuse
 * suite.
 */
public final class Abuse {
  static final ObjectMapper JSON = new ObjectMapper();

  /** How one attack went, with the host's figures while it ran. */
  public record Figures(
      String attack,
      List<Double> healthMillis,
      int healthFailures,
      int metricsScrapes,
      int metricsFailures,
      double cpuSeconds,
      int peakThreads,
      double peakRssMiB,
      boolean activityFinished,
      Map<String, Integer> answers,
      List<Double> answerMillis) {

    /** The attack's slowest answer, ms (0 when it counts none). */
    public double slowestAnswerMillis() {
      return answerMillis.isEmpty() ? 0 : BenchSupport.percentile(answerMillis, 100);
    }

    /** The attack's median answer, ms. */
    public double medianAnswerMillis() {
      return answerMillis.isEmpty() ? 0 : BenchSupport.percentile(answerMillis, 50);
    }

    public double p50() {
      return BenchSupport.percentile(healthMillis, 50);
    }

    public double p99() {
      return BenchSupport.percentile(healthMillis, 99);
    }
  }

  private final int port;
  private final long pid;
  private final HttpClient probe =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  public Abuse(int port, long pid) {
    this.port = port;
    this.pid = pid;
  }

  /** Something an attack does until it is done; it fills in the answers it got. */
  public interface Attack {
    void run(Map<String, Integer> answers, List<Double> answerMillis) throws Exception;
  }

  /** Runs {@code attack} with every probe on; the figures of the host meanwhile. */
  public Figures measure(String name, Attack attack) {
    double cpuBefore = cpuSeconds();
    String fitting = start("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":2}}");
    List<Double> health = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger healthFailures = new AtomicInteger();
    AtomicInteger scrapes = new AtomicInteger();
    AtomicInteger scrapeFailures = new AtomicInteger();
    AtomicInteger peakThreads = new AtomicInteger();
    double[] peakRss = {0};
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService probes = Executors.newFixedThreadPool(3);
    probes.submit(
        () -> {
          boolean live = false;
          while (!done.get()) {
            long t0 = System.nanoTime();
            int status = status(live ? "/health/live" : "/health");
            if (status == 200) {
              health.add((System.nanoTime() - t0) / 1e6);
            } else {
              healthFailures.incrementAndGet();
            }
            live = !live;
            pause(50);
          }
        });
    probes.submit(
        () -> {
          while (!done.get()) {
            if (status("/metrics") == 200) {
              scrapes.incrementAndGet();
            } else {
              scrapeFailures.incrementAndGet();
            }
            pause(1000);
          }
        });
    probes.submit(
        () -> {
          while (!done.get()) {
            Map<String, String> s = procStatus();
            peakThreads.accumulateAndGet(
                Integer.parseInt(s.getOrDefault("Threads", "0").trim()), Math::max);
            double rss = Double.parseDouble(s.getOrDefault("VmRSS", "0 kB").split(" ")[0]) / 1024;
            synchronized (peakRss) {
              peakRss[0] = Math.max(peakRss[0], rss);
            }
            pause(100);
          }
        });
    Map<String, Integer> answers = new ConcurrentHashMap<>();
    List<Double> answerMillis = Collections.synchronizedList(new ArrayList<>());
    try {
      attack.run(answers, answerMillis);
    } catch (Exception e) {
      answers.merge("attack failed: " + e, 1, Integer::sum);
    } finally {
      done.set(true);
      probes.shutdown();
      try {
        probes.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    boolean finished = fitting != null && "COMPLETED".equals(awaitStatus(fitting));
    return new Figures(
        name,
        List.copyOf(health),
        healthFailures.get(),
        scrapes.get(),
        scrapeFailures.get(),
        cpuSeconds() - cpuBefore,
        peakThreads.get(),
        peakRss[0],
        finished,
        new TreeMap<>(answers),
        List.copyOf(answerMillis));
  }

  /** Nothing: the host's figures at rest, for comparison. */
  public Attack idle(Duration d) {
    return (answers, answerMillis) -> pause(d.toMillis());
  }

  /**
   * A 64k-character pattern bomb ({@code a}s then a control character, after the prefix a pattern
   * needs) in every string field that has a pattern: the workflowId, and each workflow type's input
   * fields as {@code /openapi.json} describes them. Each answer's time is kept.
   */
  public Attack patternBombs(int length) {
    return (answers, answerMillis) -> {
      JsonNode schemas = JSON.readTree(get("/openapi.json")).path("components").path("schemas");
      List<String> bodies = new ArrayList<>();
      for (String bomb : bombs(length)) {
        ObjectNode id = JSON.createObjectNode();
        id.put("workflowType", "SleepWorkflow");
        id.put("workflowId", bomb);
        bodies.add(id.toString());
      }
      schemas
          .fields()
          .forEachRemaining(
              e -> {
                if (!e.getKey().startsWith("Start.")) {
                  return;
                }
                String type = e.getKey().substring("Start.".length());
                e.getValue()
                    .at("/properties/input/properties")
                    .fields()
                    .forEachRemaining(
                        field -> {
                          if (!field.getValue().has("pattern") && !field.getValue().has("allOf")) {
                            return;
                          }
                          for (String bomb : bombs(length)) {
                            ObjectNode body = JSON.createObjectNode();
                            body.put("workflowType", type);
                            body.putObject("input").put(field.getKey(), bomb);
                            bodies.add(body.toString());
                          }
                        });
              });
      for (String body : bodies) {
        long t0 = System.nanoTime();
        int status = post("/executions", body, "application/json");
        answerMillis.add((System.nanoTime() - t0) / 1e6);
        answers.merge(Integer.toString(status), 1, Integer::sum);
      }
    };
  }

  private static List<String> bombs(int length) {
    String as = "a".repeat(length);
    return List.of(as + "\u0001", "https://a" + as + "\u0001", "1".repeat(length) + "x");
  }

  /**
   * {@code count} concurrent {@code GET /executions/{id}?wait=60s} on a run that closes after
   * {@code closesAfter}: every waiter must be answered when it closes.
   */
  public Attack longPolls(int count, Duration closesAfter) {
    return (answers, answerMillis) -> {
      String id =
          start(
              "{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":"
                  + closesAfter.toSeconds()
                  + "}}");
      ExecutorService io = Executors.newFixedThreadPool(4);
      HttpClient waiters =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(30))
              .executor(io)
              .build();
      List<CompletableFuture<Void>> all = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        all.add(
            waiters
                .sendAsync(
                    HttpRequest.newBuilder(uri("/executions/" + id + "?wait=60s"))
                        .timeout(Duration.ofSeconds(90))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .handle(
                    (r, e) -> {
                      String key =
                          e != null
                              ? "no answer: " + e.getClass().getSimpleName()
                              : r.statusCode()
                                  + (r.body().contains("\"COMPLETED\"") ? " COMPLETED" : "");
                      answers.merge(key, 1, Integer::sum);
                      answerMillis.add((System.nanoTime() - t0) / 1e6);
                      return null;
                    }));
      }
      CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(3, TimeUnit.MINUTES);
      io.shutdownNow();
    };
  }

  /**
   * {@code count} connections that send a request's headers one line a second for {@code duration},
   * then close: the slowloris pattern.
   */
  public Attack slowHeaders(int count, Duration duration) {
    return (answers, answerMillis) -> {
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < count; i++) {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
          s.getOutputStream()
              .write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
          sockets.add(s);
        }
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
          pause(1000);
          for (Socket s : sockets) {
            try {
              s.getOutputStream().write("X-Slow: a\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
              answers.merge("closed by the host", 1, Integer::sum);
            }
          }
        }
        answers.merge("held open", sockets.size(), Integer::sum);
      } finally {
        for (Socket s : sockets) {
          try {
            s.close();
          } catch (IOException e) {
            // closing
          }
        }
      }
    };
  }

  /** The malformed requests the suite sends, in turn, each on a connection of its own. */
  static List<byte[]> malformedKinds() {
    List<String> kinds =
        List.of(
            "BLAH\r\n\r\n",
            "GET / HTTP/7.0\r\n\r\n",
            "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n",
            post("{not json", "application/json"),
            post("{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":1}}", null),
            post(
                "{\"workflowType\":\"SleepWorkflow\",\"input\":{\"seconds\":1e400}}",
                "application/json"),
            post("[".repeat(5000) + "]".repeat(5000), "application/json"),
            "GET /executions/%00%ff%fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "POST /executions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\nConnection: close\r\n\r\n{\"a\":",
            "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n");
    return kinds.stream().map(k -> k.getBytes(StandardCharsets.ISO_8859_1)).toList();
  }

  private static String post(String body, String contentType) {
    return "POST /executions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
        + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  /** {@code count} malformed requests from 8 clients, each answered (or not) within 5 s. */
  public Attack malformed(int count) {
    return (answers, answerMillis) -> {
      List<byte[]> kinds = malformedKinds();
      AtomicInteger next = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(8);
      for (int c = 0; c < 8; c++) {
        clients.submit(
            () -> {
              int i;
              while ((i = next.getAndIncrement()) < count) {
                answers.merge(send(kinds.get(i % kinds.size())), 1, Integer::sum);
              }
            });
      }
      clients.shutdown();
      clients.awaitTermination(5, TimeUnit.MINUTES);
    };
  }

  /** The status line's code of the answer to {@code request}, or why there was none. */
  private String send(byte[] request) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      // Nothing more comes: a body shorter than its Content-Length ends here, not at a timeout.
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      byte[] head = new byte[12];
      int n = in.readNBytes(head, 0, 12);
      String line = new String(head, 0, n, StandardCharsets.ISO_8859_1);
      return line.startsWith("HTTP/1.1 ") && n >= 12 ? line.substring(9, 12) : "no status line";
    } catch (java.net.SocketTimeoutException e) {
      return "no answer in 5 s";
    } catch (IOException e) {
      return "closed: " + e.getClass().getSimpleName();
    }
  }

  /** Starts a workflow; its id, or null when the host refused it. */
  String start(String body) {
    try {
      HttpResponse<String> r =
          probe.send(
              HttpRequest.newBuilder(uri("/executions"))
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 201 ? JSON.readTree(r.body()).path("workflowId").asText() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The run's status once it closes (waiting up to 60 s), or what the host said. */
  String awaitStatus(String id) {
    try {
      HttpResponse<String> r =
          probe.send(
              HttpRequest.newBuilder(uri("/executions/" + id + "?wait=60s"))
                  .timeout(Duration.ofSeconds(90))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body()).path("status").asText(Integer.toString(r.statusCode()));
    } catch (IOException e) {
      return "no answer";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private int post(String path, String body, String contentType) {
    return statusOf(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private String get(String path) throws IOException, InterruptedException {
    return probe
        .send(
            HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The status of a GET with a 10 s timeout; -1 when there was no answer. */
  private int status(String path) {
    return statusOf(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build());
  }

  private int statusOf(HttpRequest request) {
    try {
      return probe.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The host's user + system CPU seconds so far. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, String> procStatus() {
    Map<String, String> out = new TreeMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          out.put(line.substring(0, colon), line.substring(colon + 1).trim());
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    return out;
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
