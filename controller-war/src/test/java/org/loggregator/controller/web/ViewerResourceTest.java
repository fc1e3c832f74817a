package org.loggregator.controller.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The viewer's answers: the one static page whatever the app, its assets, and their headers. */
class ViewerResourceTest {
  private final ViewerResource viewer = new ViewerResource();
  private final Map<String, String> servletHeaders = new HashMap<>();

  private static HttpServletRequest request(String host) {
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            ViewerResourceTest.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, method, args) ->
                method.getName().equals("getHeader") && "Host".equals(args[0]) ? host : null);
  }

  private HttpServletResponse response() {
    return (HttpServletResponse)
        Proxy.newProxyInstance(
            ViewerResourceTest.class.getClassLoader(),
            new Class<?>[] {HttpServletResponse.class},
            (proxy, method, args) -> {
              if (method.getName().equals("setHeader")) {
                servletHeaders.put((String) args[0], (String) args[1]);
              }
              return null;
            });
  }

  private static String header(Response r, String name) {
    Object value = r.getHeaders().getFirst(name);
    return value == null ? null : value.toString();
  }

  private static void assertStrictPolicy(Response r) {
    String policy = header(r, "Content-Security-Policy");
    for (String directive :
        List.of(
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "require-trusted-types-for 'script'")) {
      assertTrue(policy.contains(directive), directive + " in " + policy);
    }
    assertFalse(policy.contains("unsafe"), policy);
    assertFalse(policy.contains("*"), policy);
    assertEquals("no-referrer", header(r, "Referrer-Policy"));
    assertEquals("DENY", header(r, "X-Frame-Options"));
  }

  @Test
  void shouldServeTheSamePageWithAStrictPolicyWhateverTheAppId() {
    Response chooser = viewer.chooser(request("127.0.0.1:8080"));
    Response app = viewer.app("my-app", request("127.0.0.1:8080"));

    assertEquals(200, chooser.getStatus());
    assertEquals(200, app.getStatus());
    assertArrayEquals((byte[]) chooser.getEntity(), (byte[]) app.getEntity());
    assertEquals("text/html;charset=UTF-8", header(app, "Content-Type"));
    String page = new String((byte[]) app.getEntity(), StandardCharsets.UTF_8);
    assertFalse(page.contains("my-app"), "the app id is never written into the page");
    assertStrictPolicy(app);
    assertStrictPolicy(chooser);
  }

  @Test
  void shouldRefuseAnAppIdTheApiWouldRefuseWithoutRepeatingIt() {
    for (String id : List.of("<script>alert(1)</script>", "..", "a b", "x".repeat(129))) {
      Response r = viewer.app(id, request("h"));
      assertEquals(400, r.getStatus(), id);
      assertFalse(r.getEntity().toString().contains(id), id);
    }
  }

  @Test
  void shouldServeEachListedAssetWithItsTypeAndRevalidationHeaders() {
    for (Map.Entry<String, String> asset : ViewerAssets.ASSETS.entrySet()) {
      Response r = viewer.asset(asset.getKey(), null, request("h"), response());
      assertEquals(200, r.getStatus(), asset.getKey());
      assertEquals(asset.getValue(), header(r, "Content-Type"));
      assertTrue(header(r, "ETag").startsWith("\""), asset.getKey());
      assertEquals("no-cache", servletHeaders.get("Cache-Control"));
      assertStrictPolicy(r);
    }
  }

  @Test
  void shouldAnswerNotModifiedWhenTheBrowserHoldsTheSameAsset() {
    Response first = viewer.asset("main.js", null, request("h"), response());
    String etag = header(first, "ETag");

    Response again = viewer.asset("main.js", etag, request("h"), response());
    Response other = viewer.asset("main.js", "\"something-else\"", request("h"), response());

    assertEquals(304, again.getStatus());
    assertNull(again.getEntity());
    assertEquals(200, other.getStatus());
  }

  @Test
  void shouldAnswerNotFoundForAnyFileTheViewerDoesNotList() {
    for (String name :
        List.of("index.html", "../WEB-INF/web.xml", "Main.js", "main.js.map", "", "viewer")) {
      assertEquals(404, viewer.asset(name, null, request("h"), response()).getStatus(), name);
    }
    assertEquals(404, viewer.asset(null, null, request("h"), response()).getStatus());
  }

  @Test
  void shouldNameTheWebSocketHostInThePolicyOnlyWhenItIsAPlainHostAndPort() {
    assertTrue(ViewerResource.policy("logs.example.com").contains(" wss://logs.example.com;"));
    assertTrue(ViewerResource.policy("127.0.0.1:8080").contains(" ws://127.0.0.1:8080 "));
    assertTrue(ViewerResource.policy("[::1]:8080").contains(" wss://[::1]:8080;"));
    for (String hostile :
        List.of(
            "evil.example; script-src *",
            "a'b",
            "a b",
            "a\r\nSet-Cookie: x=1",
            "host:port",
            "a/b")) {
      String policy = ViewerResource.policy(hostile);
      assertFalse(policy.contains("ws://"), hostile);
      assertTrue(policy.startsWith("default-src 'self'; connect-src 'self'; "), hostile);
    }
    assertFalse(ViewerResource.policy(null).contains("ws://"));
  }
}
