package com.acme.resteasy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;

/** A JAX-RS resource that knows nothing of WhaTap. */
@Path("/users")
public class UsersResource {
  @GET
  @Path("/{id}")
  @Produces("text/plain")
  public String user(@PathParam("id") String id) {
    return "user " + id;
  }

  @GET
  @Path("/{id}/orders/{order}")
  @Produces("text/plain")
  public String order(@PathParam("id") String id, @PathParam("order") String order) {
    return "order " + order + " of " + id;
  }

  @GET
  @Path("/boom")
  @Produces("text/plain")
  public String boom() {
    throw new IllegalStateException("acme resteasy failure");
  }
}
