#ifndef NEEDLESIM_CCURL_H
#define NEEDLESIM_CCURL_H

#include <stddef.h>

/// The outcome of one HTTP request made through libcurl.
typedef struct {
  /// 0 on success, else libcurl's CURLcode, or -1 when libcurl could not be loaded.
  int code;
  /// The HTTP status when `code` is 0.
  long status;
  /// The response body (malloc'ed; release with `ccurl_result_free`).
  unsigned char *body;
  size_t length;
  /// libcurl's message when `code` is not 0.
  char error[256];
} ccurl_result;

/// Performs one request. libcurl is loaded with dlopen on first use, so programs that never send anything do not
/// pay for loading it and its many dependencies at start-up. `headers` holds `count` "Name: value" lines.
void ccurl_perform(const char *method, const char *url, const char *const *headers, size_t count,
                   const void *body, size_t body_length, long timeout_seconds, ccurl_result *result);

void ccurl_result_free(ccurl_result *result);

#endif
