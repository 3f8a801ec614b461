#include "ccurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Option and info numbers from curl/curl.h. libcurl keeps them stable across versions (they are its ABI), and
// spelling them here means building needlesim needs no libcurl headers.
enum {
  OPT_TIMEOUT = 13,
  OPT_CONNECTTIMEOUT = 78,
  OPT_HTTPGET = 80,
  OPT_NOSIGNAL = 99,
  OPT_WRITEDATA = 10001,
  OPT_URL = 10002,
  OPT_ERRORBUFFER = 10010,
  OPT_POSTFIELDS = 10015,
  OPT_HTTPHEADER = 10023,
  OPT_CUSTOMREQUEST = 10036,
  OPT_WRITEFUNCTION = 20011,
  OPT_POSTFIELDSIZE_LARGE = 30120,
  INFO_RESPONSE_CODE = 0x200002,
  GLOBAL_DEFAULT = 3,
};

struct slist;
typedef size_t (*write_callback)(char *, size_t, size_t, void *);

static struct {
  int (*global_init)(long);
  void *(*easy_init)(void);
  int (*easy_setopt)(void *, int, ...);
  int (*easy_perform)(void *);
  int (*easy_getinfo)(void *, int, ...);
  void (*easy_cleanup)(void *);
  const char *(*easy_strerror)(int);
  struct slist *(*slist_append)(struct slist *, const char *);
  void (*slist_free_all)(struct slist *);
  int loaded;
  char why[200];
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load(void) {
  const char *names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"};
  void *library = NULL;
  for (size_t i = 0; i < sizeof names / sizeof *names && library == NULL; i++)
    library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
  if (library == NULL) {
    snprintf(curl.why, sizeof curl.why, "libcurl is not installed (apt-get install libcurl4)");
    return;
  }
#define BIND(field, symbol) *(void **)(&curl.field) = dlsym(library, symbol)
  BIND(global_init, "curl_global_init");
  BIND(easy_init, "curl_easy_init");
  BIND(easy_setopt, "curl_easy_setopt");
  BIND(easy_perform, "curl_easy_perform");
  BIND(easy_getinfo, "curl_easy_getinfo");
  BIND(easy_cleanup, "curl_easy_cleanup");
  BIND(easy_strerror, "curl_easy_strerror");
  BIND(slist_append, "curl_slist_append");
  BIND(slist_free_all, "curl_slist_free_all");
#undef BIND
  if (!curl.global_init || !curl.easy_init || !curl.easy_setopt || !curl.easy_perform || !curl.easy_getinfo ||
      !curl.easy_cleanup || !curl.easy_strerror || !curl.slist_append || !curl.slist_free_all) {
    snprintf(curl.why, sizeof curl.why, "the installed libcurl lacks a needed function");
    return;
  }
  curl.global_init(GLOBAL_DEFAULT);
  curl.loaded = 1;
}

struct buffer {
  unsigned char *data;
  size_t length, capacity;
};

static size_t collect(char *chunk, size_t size, size_t count, void *context) {
  struct buffer *buffer = context;
  size_t bytes = size * count;
  if (buffer->length + bytes > buffer->capacity) {
    size_t capacity = buffer->capacity ? buffer->capacity : 4096;
    while (capacity < buffer->length + bytes) capacity *= 2;
    unsigned char *grown = realloc(buffer->data, capacity);
    if (grown == NULL) return 0;  // makes libcurl stop with a write error
    buffer->data = grown;
    buffer->capacity = capacity;
  }
  memcpy(buffer->data + buffer->length, chunk, bytes);
  buffer->length += bytes;
  return bytes;
}

void ccurl_perform(const char *method, const char *url, const char *const *headers, size_t count,
                   const void *body, size_t body_length, long timeout_seconds, ccurl_result *result) {
  memset(result, 0, sizeof *result);
  pthread_once(&load_once, load);
  if (!curl.loaded) {
    result->code = -1;
    snprintf(result->error, sizeof result->error, "%s", curl.why);
    return;
  }
  void *handle = curl.easy_init();
  if (handle == NULL) {
    result->code = -1;
    snprintf(result->error, sizeof result->error, "libcurl could not start a request");
    return;
  }
  struct slist *list = NULL;
  for (size_t i = 0; i < count; i++) list = curl.slist_append(list, headers[i]);
  list = curl.slist_append(list, "Expect:");  // send the body at once instead of waiting for 100-continue
  struct buffer received = {0};
  curl.easy_setopt(handle, OPT_URL, url);
  curl.easy_setopt(handle, OPT_NOSIGNAL, 1L);
  curl.easy_setopt(handle, OPT_TIMEOUT, timeout_seconds);
  curl.easy_setopt(handle, OPT_CONNECTTIMEOUT, timeout_seconds);
  curl.easy_setopt(handle, OPT_HTTPHEADER, list);
  curl.easy_setopt(handle, OPT_ERRORBUFFER, result->error);
  curl.easy_setopt(handle, OPT_WRITEFUNCTION, (write_callback)collect);
  curl.easy_setopt(handle, OPT_WRITEDATA, &received);
  if (body != NULL) {
    curl.easy_setopt(handle, OPT_POSTFIELDSIZE_LARGE, (long long)body_length);
    curl.easy_setopt(handle, OPT_POSTFIELDS, body);
  } else {
    curl.easy_setopt(handle, OPT_HTTPGET, 1L);
  }
  if (strcmp(method, body != NULL ? "POST" : "GET") != 0) curl.easy_setopt(handle, OPT_CUSTOMREQUEST, method);
  result->code = curl.easy_perform(handle);
  if (result->code == 0) {
    curl.easy_getinfo(handle, INFO_RESPONSE_CODE, &result->status);
    result->body = received.data;
    result->length = received.length;
  } else {
    free(received.data);
    if (result->error[0] == 0) snprintf(result->error, sizeof result->error, "%s", curl.easy_strerror(result->code));
  }
  curl.easy_cleanup(handle);
  curl.slist_free_all(list);
}

void ccurl_result_free(ccurl_result *result) {
  free(result->body);
  result->body = NULL;
  result->length = 0;
}
