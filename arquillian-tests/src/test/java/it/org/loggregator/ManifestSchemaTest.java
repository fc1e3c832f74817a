package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests of deploy/, without a cluster: {@code node deploy/check/validate.mjs}
 * checks each against the Kubernetes API's schemas (the npm package bin/install-test-deps puts in
 * deploy/check/node_modules) and for fields those schemas do not have; it must pass every manifest,
 * list as unchecked only the custom resources that deploy/README.md says it does not check, and
 * refuse a manifest broken on purpose (a test resource), naming file, document and field. Without
 * node or the packages, skipped locally, saying so, and failed in CI.
 */
class ManifestSchemaTest {
  private static final Path DEPLOY =
      Path.of(System.getProperty("it.deploy.dir", "../deploy")).toAbsolutePath().normalize();
  private static final Path SCRIPT = DEPLOY.resolve("check/validate.mjs");
  private static final Path NODE = Promtool.find("node");
  private static final String MISSING =
      "node or the npm packages of deploy/check are not installed: run bin/install-test-deps";

  private static void assumeInstalled() {
    boolean installed =
        NODE != null && Files.isDirectory(DEPLOY.resolve("check/node_modules/kubernetes-models"));
    if (System.getenv("CI") != null) {
      assertTrue(installed, MISSING);
    }
    assumeTrue(installed, MISSING);
  }

  private static Promtool.Result validate(String... paths) {
    List<String> command = new java.util.ArrayList<>(List.of(NODE.toString(), SCRIPT.toString()));
    command.addAll(List.of(paths));
    return Promtool.runCommand(DEPLOY.getParent(), command);
  }

  @Test
  void shouldFindEveryManifestValidWhenCheckedAgainstTheKubernetesSchemas() throws IOException {
    assumeInstalled();

    Promtool.Result result = validate();

    assertEquals(0, result.exitCode(), result.output());
    for (String line :
        new String[] {
          "valid deploy/00-namespace.yaml: document 1 (Namespace loggregator)",
          "valid deploy/20-controller.yaml: document 2 (Service loggregator-controller-inbound)",
          "valid deploy/30-agent-daemonset.yaml: document 1 (ServiceAccount loggregator-agent)",
          "valid deploy/30-agent-daemonset.yaml: document 2 (ClusterRole"
              + " loggregator-agent-pod-reader)",
          "valid deploy/30-agent-daemonset.yaml: document 3 (ClusterRoleBinding"
              + " loggregator-agent-pod-reader)",
          "valid deploy/30-agent-daemonset.yaml: document 4 (DaemonSet loggregator-agent)",
        }) {
      assertTrue(result.output().contains(line + "\n"), line + " in:\n" + result.output());
    }
    String readme = Files.readString(DEPLOY.resolve("README.md"));
    Matcher unchecked =
        Pattern.compile("(?m)^unchecked \\S+: document \\d+ \\((\\S+) ").matcher(result.output());
    int count = 0;
    while (unchecked.find()) {
      count++;
      assertTrue(
          readme.contains("`" + unchecked.group(1) + "`"),
          "deploy/README.md lists " + unchecked.group(1) + " as unchecked");
    }
    assertEquals(
        3, count, "the three OpenLibertyApplications, and nothing else:\n" + result.output());
  }

  @Test
  void shouldNameTheFileDocumentAndFieldWhenAManifestIsBroken() throws URISyntaxException {
    assumeInstalled();
    Path broken = Path.of(ManifestSchemaTest.class.getResource("/manifests/broken.yaml").toURI());

    Promtool.Result result = validate(broken.toString());

    assertEquals(1, result.exitCode(), result.output());
    String prefix = "error " + DEPLOY.getParent().relativize(broken) + ": document ";
    for (String error :
        new String[] {
          "1 (DaemonSet broken-agent): spec: selector is required",
          "1 (DaemonSet broken-agent): spec.template.spec.containers[0].image: must be string",
          "1 (DaemonSet broken-agent): spec.template.spec.containers[0].imagePullPolicy: must be"
              + " equal to one of the allowed values: Always, IfNotPresent, Never",
          "1 (DaemonSet broken-agent): spec.template.spec.containers[0].volumeMount: no such field"
              + " in this kind's schema",
          "1 (DaemonSet broken-agent): spec.template.spec.volumes[0].hostPath.typ: no such field",
          "2 (ClusterRole broken-pod-reader): rules[0]: verbs is required",
          "2 (ClusterRole broken-pod-reader): rules[0].verb: no such field",
          "3 (ServiceAcount broken): kind: no kind ServiceAcount in v1",
          "4: not YAML: Map keys must be unique",
        }) {
      assertTrue(
          result.output().contains(prefix + error), prefix + error + " in:\n" + result.output());
    }
    assertTrue(result.output().contains("0 valid, 4 invalid"), result.output());
  }
}
