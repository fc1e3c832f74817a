package org.loggregator.access.audit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** A resource whose path the route table does not list. */
@Path("debug")
public class UnlistedResource {
  @GET
  public String dump() {
    return "everything";
  }
}
