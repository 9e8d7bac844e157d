package io.drainhost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DrainPoliciesTest {
  @Test
  void everyTypeIsAutoByDefault() {
    assertEquals(DrainPolicy.AUTO, ConfigLoader.load(Map.of()).drainPolicies().forType("Anything"));
  }

  @Test
  void namedTypesTakeTheirPolicyAndTheStarTakesEveryOtherType() {
    DrainPolicies p = DrainPolicies.parse(" Render=handoff , Charge=finish,*=finish ");
    assertEquals(DrainPolicy.HANDOFF, p.forType("Render"));
    assertEquals(DrainPolicy.FINISH, p.forType("Charge"));
    assertEquals(DrainPolicy.FINISH, p.forType("Other"));
    assertEquals(DrainPolicy.AUTO, DrainPolicies.parse("Render=handoff").forType("Other"));
  }

  @Test
  void theBuilderOverridesOneTypeAndKeepsTheRest() {
    DrainPolicies p = DrainPolicies.parse("Render=handoff").with("Charge", DrainPolicy.FINISH);
    assertEquals(DrainPolicy.HANDOFF, p.forType("Render"));
    assertEquals(DrainPolicy.FINISH, p.forType("Charge"));
    assertEquals(DrainPolicy.HANDOFF, p.with("*", DrainPolicy.HANDOFF).forType("Other"));
  }

  @Test
  void badValuesAreConfigurationErrorsNamingTheVariableAndTheMistake() {
    for (String[] bad :
        new String[][] {
          {"Render=later", "'later' for Render is not a policy: finish, handoff or auto"},
          {"Render", "'Render' must be ActivityType=policy"},
          {"=auto", "'=auto' must be ActivityType=policy"},
          {"Render=auto,Render=finish", "Render is given twice"},
          {"*=auto,*=finish", "* is given twice"},
          {"Render=auto,", "'' must be ActivityType=policy"}
        }) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () -> ConfigLoader.load(Map.of("DRAINHOST_DRAIN_POLICY", bad[0])));
      assertEquals(1, e.problems().size(), e.problems().toString());
      String problem = e.problems().get(0);
      assertTrue(problem.startsWith("DRAINHOST_DRAIN_POLICY=" + bad[0].trim() + ": "), problem);
      assertTrue(problem.contains(bad[1]), problem);
    }
  }
}
