package org.loggregator.access.audit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * A public page and its assets, as a browser page is served: the page at {@code /page/} (a method
 * at the resource's own path), and each asset the route table lists, through one method.
 */
@Path("page")
public class PublicPageResource {
  @GET
  public String page() {
    return "<!doctype html>";
  }

  @GET
  @Path("assets/{name}")
  public String asset(@PathParam("name") String name) {
    return name;
  }
}
