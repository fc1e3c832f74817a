package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bad configuration value stops the application from starting, with one sentence naming the key,
 * and disturbs nothing already running. Each bad deployment is the shipped WAR plus a config source
 * that outranks server.xml.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class InvalidConfigurationIT {

  @Deployment(testable = false)
  static WebArchive runningDoppler() {
    return TestServer.war("doppler.war", "doppler.war");
  }

  private static WebArchive withConfig(WebArchive war, String property) {
    return war.addAsResource(
        new StringAsset("config_ordinal=900\n" + property + "\n"),
        "META-INF/microprofile-config.properties");
  }

  @Test
  void shouldRefuseToStartTheDopplerNamingTheKeyWhenRecentLogsIsOutOfRange() {
    Path bad =
        TestServer.dropIn(
            withConfig(TestServer.war("doppler.war", "bad-doppler.war"), "doppler.recentLogs=0"));
    try {
      assertTrue(
          TestServer.awaitInMessagesLog(
              "Doppler cannot start: Configuration value doppler.recentLogs must be an integer"
                  + " from 1 to 10000, but is \"0\"."),
          "messages.log names the key");
      assertTrue(
          TestServer.awaitInMessagesLog(
              "CWWKZ0012I: The application bad-doppler was not started."));
      assertEquals(404, TestServer.get("/bad-doppler/health").statusCode());
      // Server-wide readiness is DOWN while an application failed to start; the running doppler
      // keeps serving.
      assertTrue(
          TestServer.get("/metrics?scope=application")
              .body()
              .contains("dropsondeListener_receivedMessageCount_total{component=\"doppler\""),
          "the running doppler is undisturbed");
    } finally {
      TestServer.removeDropIn(bad);
    }
  }

  @Test
  void shouldRefuseToStartTheControllerNamingTheKeyWhenADopplerAddressIsMalformed() {
    Path bad =
        TestServer.dropIn(
            withConfig(
                TestServer.war("controller.war", "bad-controller.war"),
                "controller.dopplers=z1 not-an-address http://127.0.0.1:18080/doppler"));
    try {
      assertTrue(
          TestServer.awaitInMessagesLog(
              "Controller cannot start: Configuration value controller.dopplers must list"
                  + " dopplers as \"ZONE HOST:UDP_PORT http://HOST:PORT/doppler\" separated by"
                  + " semicolons, but has \"z1 not-an-address http://127.0.0.1:18080/doppler\"."),
          "messages.log names the key");
    } finally {
      TestServer.removeDropIn(bad);
    }
  }

  @Test
  void shouldRefuseToStartWithoutASecretOrWithAPublishedOrShortOneNamingTheVariable() {
    String[][] cases = {
      {"loggregator.sharedSecret=", "is missing: set a random secret of at least 32 bytes"},
      {
        "loggregator.sharedSecret=loggregatorEndPointSharedSecret",
        "is the secret printed in the protocol's documentation"
      },
      {"loggregator.sharedSecret=0123456789abcdef0123456789abcde", "must be at least 32 bytes"}
    };
    int n = 0;
    for (String[] c : cases) {
      String name = "bad-secret-" + n++;
      Path bad = TestServer.dropIn(withConfig(TestServer.war("doppler.war", name + ".war"), c[0]));
      try {
        assertTrue(
            TestServer.awaitInMessagesLog(
                "Doppler cannot start: Configuration value loggregator.sharedSecret " + c[1]),
            c[0]);
        assertTrue(
            TestServer.awaitInMessagesLog(
                "CWWKZ0012I: The application " + name + " was not started."));
      } finally {
        TestServer.removeDropIn(bad);
      }
    }
    assertTrue(
        !TestServer.messagesLog().contains("0123456789abcdef0123456789abcde\""), "never the value");
  }

  @Test
  void shouldRefuseToStartAProductionControllerWithoutATokenKey() {
    Path bad =
        TestServer.dropIn(
            withConfig(
                TestServer.war("controller.war", "keyless-controller.war"),
                "controller.generateDevKeys=false\n"
                    + "controller.tokenPublicKey=/nonexistent/token-public.pem"));
    try {
      assertTrue(
          TestServer.awaitInMessagesLog(
              "Controller cannot start: Configuration value controller.tokenPublicKey names"
                  + " /nonexistent/token-public.pem, which does not exist."),
          "messages.log names the key");
    } finally {
      TestServer.removeDropIn(bad);
    }
  }
}
