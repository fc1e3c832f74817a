package org.loggregator.doppler.web;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.loggregator.doppler.config.DopplerConfig;
import org.loggregator.protocol.RequestSignature;

/**
 * Lets through only requests signed by a controller (PROTOCOL.md §4a): every path of the doppler,
 * WebSocket upgrades included, needs a valid {@code X-Loggregator-Signature}; anything else gets
 * 401 and one sentence saying what is wrong.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class ControllerSignatureFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  @Inject DopplerConfig config;

  private transient RequestSignature signature;

  @Override
  public void init() {
    signature = new RequestSignature(config.sharedSecret());
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String path =
        request.getQueryString() == null
            ? request.getRequestURI()
            : request.getRequestURI() + "?" + request.getQueryString();
    RequestSignature.Verdict verdict =
        signature.verify(
            request.getHeader(RequestSignature.HEADER), path, System.currentTimeMillis() / 1000);
    if (verdict == RequestSignature.Verdict.OK) {
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().println(explain(verdict));
  }

  static String explain(RequestSignature.Verdict verdict) {
    return switch (verdict) {
      case MISSING ->
          "This endpoint serves traffic controllers only: the request has no "
              + RequestSignature.HEADER
              + " header.";
      case MALFORMED ->
          "The "
              + RequestSignature.HEADER
              + " header must be t=<unix seconds>,sig=<hex HMAC-SHA256>.";
      case EXPIRED ->
          "The "
              + RequestSignature.HEADER
              + " header is more than 300 s away from this doppler's clock.";
      default -> "The " + RequestSignature.HEADER + " header does not match the shared secret.";
    };
  }
}
