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
class ControllerDeploymentIT {

  @Deployment(testable = false)
  static WebArchive controller() {
    return TestServer.war("controller.war", "controller.war");
  }

  @Test
  void shouldReportReadyWithItsZoneWhenDeployed() {
    HttpResponse<String> response = TestServer.get("/health/ready");

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.body().contains("\"name\":\"controller\""), response.body());
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
            "dopplerProxy_slowConsumer_total{component=\"controller\",direction=\"egress\",mp_scope=\"application\",}"),
        body);
    assertTrue(body.contains("# HELP dopplerProxy_slowConsumer_total "), body);
  }

  @Test
  void shouldLogItsResolvedConfigurationOnceWhenStarted() {
    assertTrue(
        TestServer.messagesLog()
            .contains("Controller started: zone z1, inbound UDP 127.0.0.1:13456"),
        "start-up line in messages.log");
  }
}
