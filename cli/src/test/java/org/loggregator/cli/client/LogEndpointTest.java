package org.loggregator.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LogEndpointTest {

  @Test
  void shouldBuildHttpAndWebSocketUrlsWhenTheEndpointIsHttp() {
    LogEndpoint endpoint = LogEndpoint.parse("http://127.0.0.1:8080/");

    assertEquals(
        "http://127.0.0.1:8080/apps/6f1c/recentlogs", endpoint.recentLogs("6f1c").toString());
    assertEquals("ws://127.0.0.1:8080/apps/6f1c/stream", endpoint.stream("6f1c").toString());
  }

  @Test
  void shouldUseWssAndKeepThePathWhenTheEndpointIsHttps() {
    LogEndpoint endpoint = LogEndpoint.parse("https://logs.example.com/lgr");

    assertEquals("wss://logs.example.com/lgr/apps/a/stream", endpoint.stream("a").toString());
    assertEquals(
        "https://logs.example.com/lgr/apps/a/recentlogs", endpoint.recentLogs("a").toString());
  }

  @Test
  void shouldPercentEncodeTheAppIdWhenItHasReservedCharacters() {
    LogEndpoint endpoint = LogEndpoint.parse("http://h:1");

    assertEquals("http://h:1/apps/a%2Fb%20c/recentlogs", endpoint.recentLogs("a/b c").toString());
  }

  @Test
  void shouldRefuseWhenTheTextIsNotAnHttpUrlWithAHost() {
    assertNull(LogEndpoint.parse("localhost:8080"));
    assertNull(LogEndpoint.parse("ftp://h/"));
    assertNull(LogEndpoint.parse("http:///nohost"));
    assertNull(LogEndpoint.parse("http://h:1/?q=1"));
    assertNull(LogEndpoint.parse("not a url"));
  }
}
