package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DopplerDeploymentIT {

  @Deployment(testable = false)
  static WebArchive doppler() {
    return TestServer.war("doppler.war", "doppler.war");
  }

  @Test
  void shouldReportReadyWithItsZoneWhenDeployed() {
    HttpResponse<String> response = TestServer.get("/health/ready");

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.body().contains("\"name\":\"doppler\""), response.body());
    assertTrue(response.body().contains("\"zone\":\"z1\""), response.body());
  }

  @Test
  void shouldReportLiveWhenDeployed() {
    assertEquals(200, TestServer.get("/health/live").statusCode());
  }

  @Test
  void shouldExposeItsCountersWithDescriptionsWithoutLoginWhenScraped() {
    HttpResponse<String> response = TestServer.get("/metrics?scope=application");

    assertEquals(200, response.statusCode());
    String body = response.body();
    assertTrue(
        body.contains(
            "dropsondeListener_receivedMessageCount_total{component=\"doppler\",mp_scope=\"application\",}"),
        body);
    assertTrue(body.contains("# HELP dropsondeListener_receivedMessageCount_total "), body);
  }

  @Test
  void shouldLogItsResolvedConfigurationOnceWhenStarted() {
    assertTrue(
        TestServer.messagesLog().contains("Doppler started: zone z1, UDP 127.0.0.1:13458"),
        "start-up line in messages.log");
  }
}
