package org.loggregator.controller.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.loggregator.access.Credential;
import org.loggregator.access.Refusal;
import org.loggregator.access.RouteTable;

/**
 * The viewer's routes in the controller's table: public and static, exactly the page and the files
 * it ships, and every other spelling of their paths refused as the API's are.
 */
class ViewerRoutesTest {

  private static RouteTable.Resolution get(String raw, String dispatched) {
    String path = RouteTable.canonicalPath(raw, "", dispatched);
    return ControllerRoutes.TABLE.resolve("GET", path, name -> List.of());
  }

  private static RouteTable.Resolution get(String path) {
    return get(path, path);
  }

  @Test
  void shouldServeThePageForAnyValidAppIdAndEachListedAssetPublicly() {
    assertEquals(ControllerRoutes.VIEW_CHOOSER, get("/view/").match().route());
    for (String id :
        List.of("my-app", "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab", "a:b.c_d", "assets")) {
      RouteTable.Resolution page = get("/view/" + id);
      assertEquals(ControllerRoutes.VIEW_APP, page.match().route(), id);
      assertEquals(id, page.match().id());
    }
    for (String name : ViewerAssets.ASSETS.keySet()) {
      RouteTable.Resolution asset = get("/view/assets/" + name);
      assertEquals("/view/assets/" + name, asset.match().route().template());
      assertEquals(Credential.PUBLIC, asset.match().route().credential());
    }
  }

  @Test
  void shouldRefuseAnyOtherFileOrShapeUnderView() {
    for (String path :
        List.of(
            "/view",
            "/view//",
            "/view/assets/",
            "/view/assets/index.html",
            "/view/assets/other.js",
            "/view/assets/main.js/",
            "/view/assets/MAIN.JS",
            "/view/assets/main.js/x",
            "/view/my-app/",
            "/view/my-app/x",
            "/VIEW/",
            "/View/my-app",
            "/view/assets/sub/main.js")) {
      RouteTable.Resolution r = get(path);
      assertNull(r.match(), path);
      assertEquals(Refusal.UNKNOWN_ROUTE, r.refusal().refusal(), path);
    }
  }

  @Test
  void shouldRefuseNonCanonicalSpellingsOfTheViewerPaths() {
    List<String[]> spellings =
        List.of(
            new String[] {"/view/%6dy-app", "/view/my-app"},
            new String[] {"/view/my-app;x", "/view/my-app"},
            new String[] {"/view;x/my-app", "/view/my-app"},
            new String[] {"/view/assets/main.js;jsessionid=1", "/view/assets/main.js"},
            new String[] {"/view/assets/%6Dain.js", "/view/assets/main.js"},
            new String[] {"/view/assets%2Fmain.js", "/view/assets/main.js"},
            new String[] {"//view/my-app", "/view/my-app"},
            new String[] {"/view//my-app", "/view/my-app"},
            new String[] {"/view/./my-app", "/view/my-app"},
            new String[] {"/view/x/../my-app", "/view/my-app"},
            new String[] {"/view/x/%2e%2e/my-app", "/view/my-app"},
            new String[] {"/view/assets/../../WEB-INF/web.xml", "/WEB-INF/web.xml"},
            new String[] {"/view\\my-app", "/view/my-app"},
            new String[] {"/view/my-app%00", "/view/my-app"});
    for (String[] s : spellings) {
      RouteTable.Resolution r = get(s[0], s[1]);
      assertNull(r.match(), s[0]);
      assertEquals(Refusal.UNKNOWN_ROUTE, r.refusal().refusal(), s[0]);
    }
  }

  @Test
  void shouldRefuseAnInvalidAppIdAsTheApiDoes() {
    for (String id : List.of("...", "x".repeat(129))) {
      assertEquals(Refusal.BAD_REQUEST, get("/view/" + id).refusal().refusal(), id);
    }
  }

  @Test
  void shouldRefuseEveryOtherMethodOnTheViewerPaths() {
    for (String method : List.of("POST", "PUT", "DELETE", "HEAD", "OPTIONS")) {
      for (String path : List.of("/view/", "/view/my-app", "/view/assets/main.js")) {
        RouteTable.Resolution r = ControllerRoutes.TABLE.resolve(method, path, n -> List.of());
        assertEquals(Refusal.METHOD, r.refusal().refusal(), method + " " + path);
      }
    }
  }
}
