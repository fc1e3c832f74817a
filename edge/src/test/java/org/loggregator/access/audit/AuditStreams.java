package org.loggregator.access.audit;

import java.util.List;
import org.loggregator.access.Credential;
import org.loggregator.access.Route;
import org.loggregator.access.StreamEndpoints;
import org.loggregator.access.StreamRoute;

/**
 * Streams registered as data: one as it should be, with its id in the query; one whose route has
 * the template of a listed route but another credential, which the route table does not list.
 */
public class AuditStreams extends StreamEndpoints<StringBuilder> {
  StringBuilder data;

  public AuditStreams() {
    super(
        List.of(
            StreamRoute.unbatched(
                AuditRoutes.LIVE,
                (data, session, id) -> data.append(id),
                (data, session, reason, id) -> {}),
            StreamRoute.batched(
                Route.webSocket("/apps/{appId}/stream", Credential.FIREHOSE),
                (data, session, id) -> data.append(id),
                (data, session, reason, id) -> {})));
  }

  @Override
  protected StringBuilder feed() {
    return data;
  }
}
