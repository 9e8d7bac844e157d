package io.drainhost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  @Test
  void defaultsMatchTheContract() {
    HostConfig c = ConfigLoader.load(Map.of());
    assertEquals(8080, c.port());
    assertEquals("0.0.0.0", c.bind());
    assertEquals("drainhost", c.taskQueue());
    assertEquals(Duration.ofSeconds(25), c.shutdownTimeout());
    assertEquals(Duration.ofSeconds(30), c.stopTimeout());
    assertEquals(Duration.ofSeconds(3), c.handoffMargin());
    assertEquals(1_048_576, c.maxBodyBytes());
    assertEquals(LogFormat.TEXT, c.logFormat());
    assertEquals(Optional.empty(), c.ecsMetadataUri());
    assertEquals(Duration.ofSeconds(1), c.ecsMetadataPoll());
    assertEquals(Optional.empty(), c.lbSilenceAfter());
    assertTrue(c.temporal().embedded());
    assertEquals("default", c.temporal().namespace());
    assertFalse(c.readinessRequiresTemporal());
    assertEquals(new SlotLimits(200, 200, SlotTuner.FIXED), c.slots());
    assertEquals(StickyExecution.AUTO, c.stickyExecution());
    assertEquals(Duration.ofSeconds(5), c.temporalCheckInterval());
    assertEquals(Duration.ofSeconds(30), c.temporalBackoffMax());
    assertEquals(Duration.ofSeconds(5), c.requestTimeout());
    assertEquals(DrainPolicies.DEFAULT, c.drainPolicies());
    assertEquals(Optional.empty(), c.apiToken());
    assertEquals(Optional.empty(), c.managementPort());
    assertEquals(Optional.empty(), c.schedulesFile());
  }

  @Test
  void everyVariableIsReadWhenSet() {
    HostConfig c =
        ConfigLoader.load(
            Map.ofEntries(
                Map.entry("DRAINHOST_PORT", "9000"),
                Map.entry("DRAINHOST_BIND", "127.0.0.1"),
                Map.entry("DRAINHOST_TASK_QUEUE", "orders"),
                Map.entry("DRAINHOST_SHUTDOWN_TIMEOUT", "50s"),
                Map.entry("DRAINHOST_STOP_TIMEOUT", "60s"),
                Map.entry("DRAINHOST_HANDOFF_MARGIN", "5s"),
                Map.entry("DRAINHOST_MAX_BODY_BYTES", "2048"),
                Map.entry("DRAINHOST_LOG_FORMAT", "json"),
                Map.entry("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/abc"),
                Map.entry("DRAINHOST_ECS_METADATA_POLL", "2s"),
                Map.entry("DRAINHOST_LB_SILENCE_AFTER", "75s"),
                Map.entry("DRAINHOST_STICKY_EXECUTION", "off"),
                Map.entry("DRAINHOST_TEMPORAL_CHECK_INTERVAL", "2s"),
                Map.entry("DRAINHOST_TEMPORAL_BACKOFF_MAX", "10s"),
                Map.entry("DRAINHOST_REQUEST_TIMEOUT", "750ms"),
                Map.entry("DRAINHOST_READINESS_REQUIRES_TEMPORAL", "true"),
                Map.entry("DRAINHOST_WORKFLOW_TASK_SLOTS", "7"),
                Map.entry("DRAINHOST_ACTIVITY_SLOTS", "9"),
                Map.entry("DRAINHOST_SLOT_TUNER", "resource"),
                Map.entry("DRAINHOST_DRAIN_POLICY", "Report=handoff,*=finish"),
                Map.entry("DRAINHOST_WORKFLOW_ID_REUSE", "allow"),
                Map.entry("DRAINHOST_MANAGEMENT_PORT", "9090"),
                Map.entry("TEMPORAL_ADDRESS", "temporal.internal:7233"),
                Map.entry("TEMPORAL_NAMESPACE", "orders-prod")));
    assertEquals(9000, c.port());
    assertEquals("127.0.0.1", c.bind());
    assertEquals("orders", c.taskQueue());
    assertEquals(Duration.ofSeconds(50), c.shutdownTimeout());
    assertEquals(Duration.ofSeconds(60), c.stopTimeout());
    assertEquals(Duration.ofSeconds(5), c.handoffMargin());
    assertEquals(2048, c.maxBodyBytes());
    assertEquals(LogFormat.JSON, c.logFormat());
    assertEquals(Optional.of(URI.create("http://169.254.170.2/v4/abc")), c.ecsMetadataUri());
    assertEquals(Duration.ofSeconds(2), c.ecsMetadataPoll());
    assertEquals(Optional.of(Duration.ofSeconds(75)), c.lbSilenceAfter());
    assertEquals(StickyExecution.OFF, c.stickyExecution());
    assertEquals(Duration.ofSeconds(2), c.temporalCheckInterval());
    assertEquals(Duration.ofSeconds(10), c.temporalBackoffMax());
    assertEquals(Duration.ofMillis(750), c.requestTimeout());
    assertTrue(c.readinessRequiresTemporal());
    assertEquals(new SlotLimits(7, 9, SlotTuner.RESOURCE), c.slots());
    assertEquals(DrainPolicies.parse("Report=handoff,*=finish"), c.drainPolicies());
    assertEquals(WorkflowIdReuse.ALLOW, c.workflowIdReuse());
    assertEquals(Optional.of(9090), c.managementPort());
    assertFalse(c.temporal().embedded());
    assertEquals("orders-prod", c.temporal().namespace());
  }

  @Test
  void everyInvalidValueIsReportedAtOnceEachNamingItsVariable() {
    Map<String, String> invalid =
        Map.ofEntries(
            Map.entry("DRAINHOST_PORT", "x"),
            Map.entry("DRAINHOST_MAX_BODY_BYTES", "0"),
            Map.entry("DRAINHOST_LOG_FORMAT", "yaml"),
            Map.entry("DRAINHOST_ECS_METADATA_POLL", "often"),
            Map.entry("DRAINHOST_LB_SILENCE_AFTER", "later"),
            Map.entry("DRAINHOST_STICKY_EXECUTION", "maybe"),
            Map.entry("DRAINHOST_TEMPORAL_CHECK_INTERVAL", "1ms"),
            Map.entry("DRAINHOST_TEMPORAL_BACKOFF_MAX", "100ms"),
            Map.entry("DRAINHOST_REQUEST_TIMEOUT", "soon"),
            Map.entry("DRAINHOST_READINESS_REQUIRES_TEMPORAL", "yes"),
            Map.entry("DRAINHOST_WORKFLOW_TASK_SLOTS", "0"),
            Map.entry("DRAINHOST_ACTIVITY_SLOTS", "100000"),
            Map.entry("DRAINHOST_SLOT_TUNER", "magic"),
            Map.entry("DRAINHOST_DRAIN_POLICY", "Report=later"),
            Map.entry("DRAINHOST_WORKFLOW_ID_REUSE", "sometimes"),
            Map.entry("DRAINHOST_MANAGEMENT_PORT", "-1"));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(invalid));
    List<String> named =
        invalid.keySet().stream()
            .filter(v -> e.problems().stream().noneMatch(p -> p.startsWith(v + "=")))
            .toList();
    assertEquals(List.of(), named, "variables without their own problem in: " + e.problems());
  }

  @Test
  void startsAreIdempotentUnlessTheOperatorAllowsReruns() {
    assertEquals(WorkflowIdReuse.REJECT, ConfigLoader.load(Map.of()).workflowIdReuse());
    assertEquals(
        WorkflowIdReuse.ALLOW,
        ConfigLoader.load(Map.of("DRAINHOST_WORKFLOW_ID_REUSE", "allow")).workflowIdReuse());
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(Map.of("DRAINHOST_WORKFLOW_ID_REUSE", "sometimes")));
    assertEquals(
        "DRAINHOST_WORKFLOW_ID_REUSE=sometimes: must be one of reject, allow", e.problems().get(0));
  }

  @Test
  void theApiTokenComesFromTheEnvironmentOrAFileAndIsNeverShown() throws Exception {
    assertTrue(ConfigLoader.load(Map.of()).apiToken().isEmpty());
    ApiToken fromEnv = ConfigLoader.load(Map.of("DRAINHOST_API_TOKEN", "s3cret")).apiToken().get();
    assertTrue(fromEnv.matches("s3cret"));
    assertFalse(fromEnv.matches("s3cre"));
    assertFalse(fromEnv.matches(null));
    assertEquals("set", fromEnv.toString());
    java.nio.file.Path file = java.nio.file.Files.createTempFile("token", "");
    java.nio.file.Files.writeString(file, "from-file\n");
    assertTrue(
        ConfigLoader.load(Map.of("DRAINHOST_API_TOKEN_FILE", file.toString()))
            .apiToken()
            .get()
            .matches("from-file"));
  }

  @Test
  void anEmptyMissingOrDoubleApiTokenIsAConfigurationErrorThatNeverQuotesIt() throws Exception {
    java.nio.file.Path empty = java.nio.file.Files.createTempFile("token", "");
    for (Map<String, String> env :
        List.of(
            Map.of("DRAINHOST_API_TOKEN", " "),
            Map.of("DRAINHOST_API_TOKEN_FILE", "/nonexistent/token"),
            Map.of("DRAINHOST_API_TOKEN_FILE", empty.toString()),
            Map.of(
                "DRAINHOST_API_TOKEN", "s3cret", "DRAINHOST_API_TOKEN_FILE", empty.toString()))) {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(env));
      assertEquals(1, e.problems().size(), e.problems().toString());
      assertTrue(e.problems().get(0).startsWith("DRAINHOST_API_TOKEN"), e.problems().toString());
      assertFalse(e.problems().get(0).contains("s3cret"), e.problems().toString());
    }
  }

  @Test
  void slotLimitsComeFromTheEnvironment() {
    HostConfig c =
        ConfigLoader.load(
            Map.of(
                "DRAINHOST_WORKFLOW_TASK_SLOTS", "8",
                "DRAINHOST_ACTIVITY_SLOTS", "2",
                "DRAINHOST_SLOT_TUNER", "resource"));
    assertEquals(new SlotLimits(8, 2, SlotTuner.RESOURCE), c.slots());
  }

  @Test
  void badSlotSettingsAreReportedTogetherEachNamingItsVariable() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    Map.of(
                        "DRAINHOST_WORKFLOW_TASK_SLOTS", "0",
                        "DRAINHOST_ACTIVITY_SLOTS", "lots",
                        "DRAINHOST_SLOT_TUNER", "magic")));
    assertEquals(3, e.problems().size(), e.problems().toString());
    assertTrue(
        e.problems()
            .get(0)
            .startsWith("DRAINHOST_WORKFLOW_TASK_SLOTS=0: must be a whole number from 1 to 10000"),
        e.problems().toString());
    assertTrue(
        e.problems().get(1).startsWith("DRAINHOST_ACTIVITY_SLOTS=lots:"), e.problems().toString());
    assertTrue(
        e.problems()
            .get(2)
            .startsWith("DRAINHOST_SLOT_TUNER=magic: must be one of fixed, resource"),
        e.problems().toString());
  }

  @Test
  void readsEveryVariable() {
    HostConfig c =
        ConfigLoader.load(
            Map.ofEntries(
                Map.entry("DRAINHOST_PORT", "9090"),
                Map.entry("DRAINHOST_BIND", "127.0.0.1"),
                Map.entry("DRAINHOST_TASK_QUEUE", "orders"),
                Map.entry("DRAINHOST_SHUTDOWN_TIMEOUT", "PT100S"),
                Map.entry("DRAINHOST_STOP_TIMEOUT", "2m"),
                Map.entry("DRAINHOST_HANDOFF_MARGIN", "5000ms"),
                Map.entry("DRAINHOST_MAX_BODY_BYTES", "2048"),
                Map.entry("DRAINHOST_LOG_FORMAT", "json"),
                Map.entry("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/abc"),
                Map.entry("DRAINHOST_ECS_METADATA_POLL", "500ms"),
                Map.entry("DRAINHOST_LB_SILENCE_AFTER", "90s"),
                Map.entry("TEMPORAL_ADDRESS", "temporal.example:7233"),
                Map.entry("TEMPORAL_NAMESPACE", "prod")));
    assertEquals(9090, c.port());
    assertEquals("127.0.0.1", c.bind());
    assertEquals("orders", c.taskQueue());
    assertEquals(Duration.ofSeconds(100), c.shutdownTimeout());
    assertEquals(Duration.ofMinutes(2), c.stopTimeout());
    assertEquals(Duration.ofSeconds(5), c.handoffMargin());
    assertEquals(2048, c.maxBodyBytes());
    assertEquals(LogFormat.JSON, c.logFormat());
    assertEquals(Optional.of(URI.create("http://169.254.170.2/v4/abc")), c.ecsMetadataUri());
    assertEquals(Duration.ofMillis(500), c.ecsMetadataPoll());
    assertEquals(Optional.of(Duration.ofSeconds(90)), c.lbSilenceAfter());
    assertEquals(Optional.of("temporal.example:7233"), c.temporal().address());
    assertEquals("prod", c.temporal().namespace());
  }

  @Test
  void shutdownTimeoutThatDoesNotFitTheStopTimeoutIsRefusedNamingBothVariables() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(Map.of("DRAINHOST_SHUTDOWN_TIMEOUT", "28s")));
    assertEquals(1, e.problems().size());
    String problem = e.problems().get(0);
    assertTrue(problem.contains("DRAINHOST_SHUTDOWN_TIMEOUT=28s"), problem);
    assertTrue(problem.contains("DRAINHOST_HANDOFF_MARGIN=3s"), problem);
    assertTrue(problem.contains("DRAINHOST_STOP_TIMEOUT=30s"), problem);
    assertTrue(problem.contains("shutdown timeout + margin <= stop timeout"), problem);
  }

  @Test
  void reportsEveryProblemAtOnceEachNamingVariableValueAndRule() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    Map.of(
                        "DRAINHOST_PORT", "70000",
                        "DRAINHOST_SHUTDOWN_TIMEOUT", "soon",
                        "DRAINHOST_LOG_FORMAT", "xml",
                        "DRAINHOST_MAX_BODY_BYTES", "0",
                        "ECS_CONTAINER_METADATA_URI_V4", "ftp://x",
                        "DRAINHOST_LB_SILENCE_AFTER", "sometimes")));
    assertEquals(6, e.problems().size(), e.problems().toString());
    assertTrue(
        e.problems().contains("DRAINHOST_PORT=70000: must be a whole number from 0 to 65535"));
    assertTrue(
        e.problems()
            .contains(
                "DRAINHOST_SHUTDOWN_TIMEOUT=soon: must be a duration such as 500ms, 25s, 2m or PT25S"));
    assertTrue(e.problems().contains("DRAINHOST_LOG_FORMAT=xml: must be one of text, json"));
    assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("DRAINHOST_MAX_BODY_BYTES=0: ")));
    assertTrue(
        e.problems().stream()
            .anyMatch(p -> p.startsWith("ECS_CONTAINER_METADATA_URI_V4=ftp://x: ")));
    assertTrue(
        e.problems().stream()
            .anyMatch(p -> p.startsWith("DRAINHOST_LB_SILENCE_AFTER=sometimes: ")));
  }

  @Test
  void anEmptyOrMalformedTemporalAddressIsAnErrorNotTheEmbeddedServer() {
    ConfigException empty =
        assertThrows(
            ConfigException.class, () -> ConfigLoader.load(Map.of("TEMPORAL_ADDRESS", "")));
    assertTrue(
        empty.problems().get(0).startsWith("TEMPORAL_ADDRESS is set but empty"),
        empty.getMessage());
    for (String bad : new String[] {"temporal", "temporal:", "temporal:http", "temporal:70000"}) {
      ConfigException e =
          assertThrows(
              ConfigException.class, () -> ConfigLoader.load(Map.of("TEMPORAL_ADDRESS", bad)));
      assertEquals(
          "TEMPORAL_ADDRESS=" + bad + ": must be host:port, e.g. temporal.example.com:7233",
          e.problems().get(0));
    }
    assertEquals(
        Optional.of("dns:///temporal:7233"),
        ConfigLoader.load(Map.of("TEMPORAL_ADDRESS", "dns:///temporal:7233")).temporal().address());
    assertEquals(
        Optional.of("[::1]:7233"),
        ConfigLoader.load(Map.of("TEMPORAL_ADDRESS", "[::1]:7233")).temporal().address());
  }

  @Test
  void apiKeyNeverAppearsInTheTemporalTargetDescription() {
    HostConfig c =
        ConfigLoader.load(
            Map.of(
                "TEMPORAL_ADDRESS", "ns.tmprl.cloud:7233", "TEMPORAL_API_KEY", "secret-key-123"));
    assertTrue(c.temporal().hasApiKey());
    assertFalse(c.temporal().toString().contains("secret-key-123"), c.temporal().toString());
    assertFalse(c.toString().contains("secret-key-123"), c.toString());
  }

  @Test
  void drainhostSchedulesNamesAFileThatMustExist() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("schedules", ".json");
    HostConfig c = ConfigLoader.load(Map.of("DRAINHOST_SCHEDULES", file.toString()));
    assertEquals(Optional.of(file), c.schedulesFile());
    assertEquals(Optional.empty(), ConfigLoader.load(Map.of()).schedulesFile());
    ConfigException missing =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(Map.of("DRAINHOST_SCHEDULES", "/nonexistent/s.json")));
    assertEquals(
        List.of("DRAINHOST_SCHEDULES=/nonexistent/s.json: no such file"), missing.problems());
  }

  @Test
  void aChangedCopyDiffersInTheChangedComponentsOnly() {
    HostConfig c = HostConfig.defaults();
    HostConfig changed = c.toBuilder().port(0).taskQueue("other").build();
    assertEquals(0, changed.port());
    assertEquals("other", changed.taskQueue());
    assertEquals(c, changed.toBuilder().port(c.port()).taskQueue(c.taskQueue()).build());
    assertEquals(c.withPort(0).withTaskQueue("other"), changed);
    DrainPolicies handoff = DrainPolicies.parse("*=handoff");
    assertEquals(handoff, c.withDrainPolicies(handoff).drainPolicies());
    assertEquals(
        Optional.of(java.nio.file.Path.of("s.json")),
        c.withSchedulesFile(Optional.of(java.nio.file.Path.of("s.json"))).schedulesFile());
  }

  @Test
  void theLoaderSetsEveryComponent() throws ReflectiveOperationException {
    // The generated builder leaves a component it was not given null: a setting added to the
    // record but not to the loader shows up here.
    HostConfig c = HostConfig.defaults();
    for (java.lang.reflect.RecordComponent rc : HostConfig.class.getRecordComponents()) {
      assertNotNull(rc.getAccessor().invoke(c), rc.getName() + " is not set by ConfigLoader");
    }
  }

  @Test
  void aManagementPortIsOptionalAndMustDifferFromTheMainPort() {
    assertEquals(Optional.empty(), ConfigLoader.load(Map.of()).managementPort());
    assertEquals(
        Optional.of(9090),
        ConfigLoader.load(Map.of("DRAINHOST_MANAGEMENT_PORT", "9090")).managementPort());
    ConfigException same =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    Map.of("DRAINHOST_PORT", "8080", "DRAINHOST_MANAGEMENT_PORT", "8080")));
    assertTrue(same.problems().get(0).startsWith("DRAINHOST_MANAGEMENT_PORT=8080: must differ"));
    ConfigException bad =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(Map.of("DRAINHOST_MANAGEMENT_PORT", "metrics")));
    assertEquals(
        List.of("DRAINHOST_MANAGEMENT_PORT=metrics: must be a whole number from 0 to 65535"),
        bad.problems());
  }

  @Test
  void theReplayGateEnforcesOnTwentyRunsPerTypeWithinThirtySecondsByDefault() {
    ReplaySettings replay = HostConfig.defaults().replay();
    assertEquals(
        new ReplaySettings(ReplaySettings.Mode.ENFORCE, 20, Duration.ofSeconds(30)), replay);
    assertTrue(replay.enabled());
    ReplaySettings set =
        ConfigLoader.load(
                Map.of(
                    "DRAINHOST_REPLAY_GATE", "warn",
                    "DRAINHOST_REPLAY_SAMPLE", "5",
                    "DRAINHOST_REPLAY_TIMEOUT", "10s"))
            .replay();
    assertEquals(new ReplaySettings(ReplaySettings.Mode.WARN, 5, Duration.ofSeconds(10)), set);
    assertFalse(ConfigLoader.load(Map.of("DRAINHOST_REPLAY_SAMPLE", "0")).replay().enabled());
    assertFalse(ConfigLoader.load(Map.of("DRAINHOST_REPLAY_GATE", "off")).replay().enabled());
  }

  @Test
  void badReplaySettingsAreReportedTogetherEachNamingItsVariable() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    Map.of(
                        "DRAINHOST_REPLAY_GATE", "strict",
                        "DRAINHOST_REPLAY_SAMPLE", "-1",
                        "DRAINHOST_REPLAY_TIMEOUT", "0s")));
    assertEquals(
        List.of(
            "DRAINHOST_REPLAY_GATE=strict: must be one of enforce, warn, off",
            "DRAINHOST_REPLAY_SAMPLE=-1: must be a whole number from 0 to 1000",
            "DRAINHOST_REPLAY_TIMEOUT=0s: must be at least 1s"),
        e.problems());
  }

  @Test
  void versioningIsOffWithoutADeploymentNameAndTakesTheConfiguredBuildId() {
    assertFalse(HostConfig.defaults().versioning().enabled());
    Versioning v =
        ConfigLoader.load(
                Map.of(
                    "DRAINHOST_DEPLOYMENT_NAME", "orders",
                    "DRAINHOST_BUILD_ID", "1.4.2",
                    "DRAINHOST_VERSIONING_BEHAVIOR", "pinned"))
            .versioning();
    assertEquals(Optional.of(new Versioning.Version("orders", "1.4.2")), v.deployment());
    assertEquals(Versioning.Behavior.PINNED, v.defaultBehavior());
    assertEquals("orders:1.4.2", v.deployment().get().toString());
  }

  @Test
  void aDeploymentNameWithoutAnyBuildIdSourceOrABadBehaviourIsAConfigurationError() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    Map.of(
                        "DRAINHOST_DEPLOYMENT_NAME", "orders",
                        "DRAINHOST_VERSIONING_BEHAVIOR", "sticky")));
    assertEquals(
        List.of(
            "DRAINHOST_VERSIONING_BEHAVIOR=sticky: must be one of auto_upgrade, pinned",
            "DRAINHOST_DEPLOYMENT_NAME=orders: needs a build id: set DRAINHOST_BUILD_ID, or run on"
                + " ECS where it is the image digest or tag of the container"
                + " (ECS_CONTAINER_METADATA_URI_V4 is unset)"),
        e.problems());
    ConfigException alone =
        assertThrows(
            ConfigException.class, () -> ConfigLoader.load(Map.of("DRAINHOST_BUILD_ID", "7")));
    assertTrue(
        alone
            .problems()
            .get(0)
            .startsWith("DRAINHOST_BUILD_ID=7: needs DRAINHOST_DEPLOYMENT_NAME"));
  }

  @Test
  void onEcsAMissingBuildIdIsLeftForTheStartToReadNoNetworkCallWhileLoading() {
    // Nothing listens at this address: loading must not ask it.
    Map<String, String> env =
        Map.of(
            "DRAINHOST_DEPLOYMENT_NAME",
            "orders",
            "ECS_CONTAINER_METADATA_URI_V4",
            "http://127.0.0.1:9/v4/abc",
            "TEMPORAL_ADDRESS",
            "127.0.0.1:7233");
    Versioning v = ConfigLoader.load(env).versioning();
    assertTrue(v.enabled());
    assertTrue(v.buildIdFromTaskMetadata());
    assertEquals(Optional.empty(), v.deployment());
  }

  @Test
  void fleetSettingsDefaultToNoProtectionAndABacklogEveryFifteenSeconds() {
    FleetSettings fleet = ConfigLoader.load(Map.of()).fleet();
    assertEquals(FleetSettings.Protection.OFF, fleet.protection());
    assertEquals(Duration.ofMinutes(60), fleet.protectionMax());
    assertEquals(java.util.Optional.of(Duration.ofSeconds(15)), fleet.backlogInterval());
    assertFalse(fleet.emf());
    FleetSettings set =
        ConfigLoader.load(
                Map.of(
                    "DRAINHOST_SCALE_IN_PROTECTION", "long-work",
                    "DRAINHOST_SCALE_IN_PROTECTION_MAX", "2h",
                    "ECS_AGENT_URI", "http://169.254.170.2/api/0206b271",
                    "DRAINHOST_BACKLOG_INTERVAL", "5s",
                    "DRAINHOST_EMF", "on"))
            .fleet();
    assertTrue(set.protectionActive());
    assertEquals(Duration.ofHours(2), set.protectionMax());
    assertEquals(java.util.Optional.of(Duration.ofSeconds(5)), set.backlogInterval());
    assertTrue(set.emf());
    assertFalse(
        ConfigLoader.load(Map.of("DRAINHOST_SCALE_IN_PROTECTION", "long-work"))
            .fleet()
            .protectionActive(),
        "off the ECS agent there is nothing to protect");
  }

  @Test
  void badFleetSettingsAreEachNamed() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    Map.of(
                        "DRAINHOST_SCALE_IN_PROTECTION", "always",
                        "DRAINHOST_SCALE_IN_PROTECTION_MAX", "3000m",
                        "DRAINHOST_EMF", "on",
                        "DRAINHOST_BACKLOG_INTERVAL", "off",
                        "ECS_AGENT_URI", "169.254.170.2")));
    assertEquals(
        List.of(
            "DRAINHOST_SCALE_IN_PROTECTION=always: must be one of off, long-work",
            "DRAINHOST_SCALE_IN_PROTECTION_MAX=3000m: must be at most 2880m (the longest"
                + " protection ECS grants)",
            "DRAINHOST_EMF=on needs the backlog it reports: DRAINHOST_BACKLOG_INTERVAL must not be"
                + " off",
            "ECS_AGENT_URI=169.254.170.2: must be an http(s) URL"),
        e.problems());
  }

  @Test
  void anExplicitTemporalTlsFalseTurnsTlsOffEvenWithAnApiKey() {
    TemporalTarget withKey =
        ConfigLoader.load(Map.of("TEMPORAL_ADDRESS", "127.0.0.1:7233", "TEMPORAL_API_KEY", "k-123"))
            .temporal();
    assertFalse(withKey.tlsDisabled());
    assertTrue(withKey.toString().contains("tls=true"), "an API key means TLS by default");
    // The key in clear needs a deliberate yes; the refusal never quotes the key.
    ConfigException refused =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    Map.of(
                        "TEMPORAL_ADDRESS", "127.0.0.1:7233",
                        "TEMPORAL_API_KEY", "k-123",
                        "TEMPORAL_TLS", "false")));
    assertTrue(
        refused.problems().get(0).startsWith("TEMPORAL_API_KEY is set and TLS is off"),
        refused.problems().toString());
    assertFalse(refused.problems().toString().contains("k-123"), "never the key");
    TemporalTarget off =
        ConfigLoader.load(
                Map.of(
                    "TEMPORAL_ADDRESS", "127.0.0.1:7233",
                    "TEMPORAL_API_KEY", "k-123",
                    "TEMPORAL_TLS", "false",
                    "DRAINHOST_ALLOW_PLAINTEXT_API_KEY", "true"))
            .temporal();
    assertTrue(off.tlsDisabled());
    assertTrue(off.toString().contains("tls=false"), off.toString());
    assertFalse(off.toString().contains("k-123"), "never the key");
  }

  @Test
  void onEcsWithoutATemporalAddressTheHostRefusesToStartUnlessTheEmbeddedServerIsAskedFor() {
    Map<String, String> ecs = Map.of("ECS_CONTAINER_METADATA_URI_V4", "http://127.0.0.1:9/v4/a");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(ecs));
    assertTrue(
        e.problems().get(0).startsWith("TEMPORAL_ADDRESS is not set on ECS"),
        e.problems().toString());
    Map<String, String> allowed = new java.util.HashMap<>(ecs);
    allowed.put("DRAINHOST_ALLOW_EMBEDDED_TEMPORAL", "true");
    assertTrue(ConfigLoader.load(allowed).temporal().embedded());
    assertTrue(ConfigLoader.load(Map.of()).temporal().embedded(), "off ECS: the embedded default");
  }
}
