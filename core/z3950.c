/*
 * z3950.c - the Z39.50 / SRU client (z3950.h): the query tree translated
 * to PQF or CQL, a search driven by libyaz's ZOOM in asynchronous mode,
 * and the records it brings converted to UTF-8 NFC.
 *
 * With z3950-update.c (record updates), the only file that includes
 * <yaz/zoom.h>.  ZOOM runs with async=1 and is advanced by
 * ZOOM_event_nonblock; the socket it uses is watched here with
 * poll(2) and given back with ZOOM_connection_fire_event_socket, so a call
 * never waits longer than its caller allows.  ZOOM's own timeout only fires
 * inside ZOOM_event, which is never called: the deadline is kept here.
 *
 * A connection that fails is diagnosed once more by hand (name lookup,
 * then a plain connect) because ZOOM says only "Connect failed" whether
 * the host is unknown, refuses or is unreachable.
 */
#include "z3950.h"

#include "ident.h"
#include "query.h"

#include "buf.h"
#include "charset.h"
#include "codec.h"
#include "iso2709.h"
#include "marcxml.h"

#include <yaz/proto.h>
#include <yaz/zoom.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Default mappings of the query language's indexes (targets.h map.INDEX). */
static const char *const default_pqf[CORE_TARGET_NINDEXES] = {
    [CORE_QI_KEYWORD] = "1=1016", [CORE_QI_TITLE] = "1=4", [CORE_QI_AUTHOR] = "1=1003",
    [CORE_QI_SUBJECT] = "1=21",   [CORE_QI_MMS] = "1=12",  [CORE_QI_OCLC] = "1=1211",
    [CORE_QI_ISBN] = "1=7",       [CORE_QI_ISSN] = "1=8",
};
static const char *const default_cql[CORE_TARGET_NINDEXES] = {
    [CORE_QI_KEYWORD] = "cql.serverChoice", [CORE_QI_TITLE] = "dc.title",
    [CORE_QI_AUTHOR] = "dc.creator",        [CORE_QI_SUBJECT] = "dc.subject",
    [CORE_QI_MMS] = "rec.id",               [CORE_QI_OCLC] = "oclc",
    [CORE_QI_ISBN] = "bath.isbn",           [CORE_QI_ISSN] = "bath.issn",
};

/* ---- translating the query ---- */

struct xlate {
    const struct core_target *t;
    struct marc_buf out;
    char *error;
};

static int
xl_fail(struct xlate *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
xl_fail(struct xlate *x, const char *fmt, ...)
{
    if (!x->error) {
        va_list ap;
        va_start(ap, fmt);
        x->error = xvasprintf(fmt, ap);
        va_end(ap);
    }
    return CORE_ERR_USER;
}

/* The mapping of n's index for this target, or NULL after xl_fail. */
static const char *
xl_mapping(struct xlate *x, const struct core_qnode *n)
{
    const struct core_target *t = x->t;
    if (n->index == CORE_QI_LINKED || n->index == CORE_QI_BARCODE) {
        xl_fail(x, "column %d: %s is an index of the repository; %s cannot search it", n->column,
                core_qindex_name(n->index), t->name);
        return NULL;
    }
    const char *m = t->map[n->index][0]                ? t->map[n->index]
                    : t->proto == CORE_TARGET_SRU ? default_cql[n->index]
                                                  : default_pqf[n->index];
    if (strcmp(m, "none") == 0) {
        xl_fail(x, "column %d: %s has no %s index (its map.%s is none)", n->column, t->name,
                core_qindex_name(n->index), core_qindex_name(n->index));
        return NULL;
    }
    return m;
}

/* The term's value as the target should see it, into v; false after xl_fail. */
static bool
xl_value(struct xlate *x, const struct core_qnode *n, struct marc_buf *v)
{
    marc_buf_reset(v);
    if (n->index == CORE_QI_OCLC) {
        char norm[CORE_IDENT_MAX];
        if (!core_ident_oclc(n->value, strlen(n->value), false, norm)) {
            xl_fail(x, "column %d: '%s' is not an OCLC number (12345, ocm00012345, (OCoLC)12345)",
                    n->column, n->value);
            return false;
        }
        marc_buf_puts(v, norm);
    } else if (n->index == CORE_QI_ISBN) {
        for (const char *p = n->value; *p; p++) /* hyphens and blanks are presentation */
            if (*p != '-' && *p != ' ')
                marc_buf_putc(v, *p);
    } else {
        marc_buf_puts(v, n->value);
    }
    marc_buf_putc(v, '\0');
    v->len--;
    if (v->len == 0) {
        xl_fail(x, "column %d: nothing to search for", n->column);
        return false;
    }
    return true;
}

/* Does the attribute list m ("1=1211,4=1" or "1211") set attribute type `type`? */
static bool
map_sets(const char *m, int type)
{
    if (!strchr(m, '='))
        return type == 1;
    for (const char *p = m; *p;) {
        if (atoi(p) == type)
            return true;
        const char *comma = strchr(p, ',');
        if (!comma)
            break;
        p = comma + 1;
    }
    return false;
}

static void
pqf_quoted(struct marc_buf *b, const char *s)
{
    marc_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            marc_buf_putc(b, '\\');
        marc_buf_putc(b, *s);
    }
    marc_buf_putc(b, '"');
}

static int
pqf_term(struct xlate *x, const struct core_qnode *n)
{
    const char *m = xl_mapping(x, n);
    struct marc_buf v = MARC_BUF_INIT;
    if (!m || !xl_value(x, n, &v)) {
        marc_buf_free(&v);
        return CORE_ERR_USER;
    }
    if (!strchr(m, '=')) {
        marc_buf_printf(&x->out, "@attr 1=%s ", m);
    } else {
        char *copy = xstrdup(m), *save = NULL;
        for (char *a = strtok_r(copy, ",", &save); a; a = strtok_r(NULL, ",", &save))
            marc_buf_printf(&x->out, "@attr %s ", a);
        free(copy);
    }
    if (n->phrase && strchr(v.data, ' ') && !map_sets(m, 4))
        marc_buf_puts(&x->out, "@attr 4=1 ");
    if (n->truncated && !map_sets(m, 5))
        marc_buf_puts(&x->out, "@attr 5=1 ");
    pqf_quoted(&x->out, v.data);
    marc_buf_free(&v);
    return CORE_OK;
}

static void
cql_quoted(struct marc_buf *b, const char *s, bool truncated)
{
    marc_buf_putc(b, '"');
    for (; *s; s++) {
        /* quotes and backslashes, and CQL's masking characters taken literally */
        if (*s == '"' || *s == '\\' || *s == '*' || *s == '?' || *s == '^')
            marc_buf_putc(b, '\\');
        marc_buf_putc(b, *s);
    }
    if (truncated)
        marc_buf_putc(b, '*');
    marc_buf_putc(b, '"');
}

static int
cql_term(struct xlate *x, const struct core_qnode *n)
{
    const char *m = xl_mapping(x, n);
    struct marc_buf v = MARC_BUF_INIT;
    if (!m || !xl_value(x, n, &v)) {
        marc_buf_free(&v);
        return CORE_ERR_USER;
    }
    marc_buf_printf(&x->out, "%s=", m);
    cql_quoted(&x->out, v.data, n->truncated);
    marc_buf_free(&v);
    return CORE_OK;
}

static int xl_node(struct xlate *x, const struct core_qnode *n);

static int
pqf_node(struct xlate *x, const struct core_qnode *n)
{
    static const char *ops[] = {[CORE_Q_AND] = "@and ", [CORE_Q_OR] = "@or ",
                                [CORE_Q_NOT] = "@not "};
    if (n->kind == CORE_Q_TERM)
        return pqf_term(x, n);
    if (!n->left)
        return xl_fail(x, "a query cannot start with NOT for %s (Z39.50 has no \"every "
                          "record\" to subtract from): put a term before it",
                       x->t->name);
    marc_buf_puts(&x->out, ops[n->kind]);
    int rc = xl_node(x, n->left);
    if (rc == CORE_OK) {
        marc_buf_putc(&x->out, ' ');
        rc = xl_node(x, n->right);
    }
    return rc;
}

static int
cql_node(struct xlate *x, const struct core_qnode *n)
{
    static const char *ops[] = {[CORE_Q_AND] = " and ", [CORE_Q_OR] = " or ",
                                [CORE_Q_NOT] = " not "};
    if (n->kind == CORE_Q_TERM)
        return cql_term(x, n);
    marc_buf_putc(&x->out, '(');
    int rc = CORE_OK;
    if (n->left)
        rc = xl_node(x, n->left);
    else
        marc_buf_puts(&x->out, "cql.allRecords=1"); /* CQL's NOT is binary too */
    marc_buf_printf(&x->out, ")%s(", ops[n->kind]);
    if (rc == CORE_OK)
        rc = xl_node(x, n->right);
    marc_buf_putc(&x->out, ')');
    return rc;
}

static int
xl_node(struct xlate *x, const struct core_qnode *n)
{
    return x->t->proto == CORE_TARGET_SRU ? cql_node(x, n) : pqf_node(x, n);
}

int
core_z3950_translate(const struct core_target *t, const char *query, char **out, char **error)
{
    *out = NULL;
    char *perr = NULL;
    struct core_qnode *q = core_query_parse(query ? query : "", &perr);
    if (!q) {
        if (error)
            *error = perr;
        else
            free(perr);
        return CORE_ERR_USER;
    }
    struct xlate x = {.t = t};
    int rc = xl_node(&x, q);
    core_query_free(q);
    if (rc != CORE_OK) {
        marc_buf_free(&x.out);
        if (error)
            *error = x.error;
        else
            free(x.error);
        return rc;
    }
    marc_buf_putc(&x.out, '\0');
    *out = marc_buf_steal(&x.out);
    return CORE_OK;
}

/* ---- decoding a record ---- */

struct first_error {
    bool have;
    struct marc_diag d;
};

static void
keep_first_error(void *ctx, const struct marc_diag *d)
{
    struct first_error *fe = ctx;
    if (d->severity == MARC_SEV_ERROR && !fe->have) {
        fe->have = true;
        fe->d = *d;
    }
}

static bool
looks_like_xml(const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    return i < len && data[i] == '<';
}

static int
decode_fail(char **error, const char *what, const struct first_error *fe, const char *fallback)
{
    if (error) {
        if (fe && fe->have) {
            char *loc = marc_diag_format(&fe->d, NULL);
            *error = xasprintf("%s is malformed: %s", what, loc);
            free(loc);
        } else {
            *error = xasprintf("%s is malformed: %s", what, fallback);
        }
    }
    return CORE_ERR_INVALID;
}

int
core_z3950_decode(const char *data, size_t len, const char *charset, const char *what,
                  struct marc_record *r, char **error)
{
    struct first_error fe = {0};
    struct marc_decode_ctx ctx = {.record = 0, .offset = 0, .diag = keep_first_error,
                                  .diag_ctx = &fe};
    if (!data || len == 0)
        return decode_fail(error, what, NULL, "it is empty");
    bool xml = looks_like_xml(data, len);
    int rc;
    if (xml) {
        rc = marc_marcxml_decode(r, data, len, &ctx);
        /* MARCXML is Unicode whatever its leader says */
        if (rc == MARC_OK && !marc_record_is_utf8(r))
            marc_record_set_leader_byte(r, 9, 'a');
    } else if (len < MARC_LEADER_LEN) {
        return decode_fail(error, what, NULL, "shorter than a MARC leader (24 bytes)");
    } else {
        char *copy = xmalloc(len);
        memcpy(copy, data, len);
        if (charset && strcasecmp(charset, "utf-8") == 0)
            copy[9] = 'a';
        else if (charset && strcasecmp(charset, "marc8") == 0)
            copy[9] = ' ';
        rc = marc_iso2709_decode(r, copy, len, &ctx);
        free(copy);
    }
    if (rc == MARC_OK && ctx.errors == 0 && !marc_record_is_utf8(r))
        rc = marc_charset_to_utf8(r, &ctx);
    if (rc == MARC_OK && ctx.errors == 0)
        rc = marc_charset_normalize(r, MARC_NF_NFC, &ctx);
    if (rc != MARC_OK || ctx.errors > 0)
        return decode_fail(error, what, &fe,
                           xml ? "its MARCXML cannot be read" : "its ISO 2709 cannot be read");
    return CORE_OK;
}

/* ---- the search ---- */

struct core_zsearch {
    struct core_target t;
    char *query;            /* as sent */
    ZOOM_options opts;
    ZOOM_connection c;
    ZOOM_resultset rs;
    enum core_zstate state;
    int errcode;
    char *error;
    long hits;
    bool searched;          /* the search response came */
    size_t fetch_from, fetch_count; /* the last range asked for */
    struct timespec deadline;
};

static void
clock_now(struct timespec *ts)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
}

/* Milliseconds from now to ts (negative when past). */
static long
ms_until(const struct timespec *ts)
{
    struct timespec now;
    clock_now(&now);
    return (long)(ts->tv_sec - now.tv_sec) * 1000 + (ts->tv_nsec - now.tv_nsec) / 1000000;
}

static void
arm_deadline(struct core_zsearch *s)
{
    clock_now(&s->deadline);
    s->deadline.tv_sec += s->t.timeout;
}

static void
set_failed(struct core_zsearch *s, int code, char *msg)
{
    free(s->error);
    s->error = msg;
    s->errcode = code;
    s->state = CORE_ZS_FAILED;
    if (s->c)
        ZOOM_connection_close(s->c);
}

/* ---- why a connection failed ---- */

/* Host and port of the target's address into host/port; false when none can be read. */
static bool
address_parts(const struct core_target *t, char *host, size_t hsize, char *port, size_t psize)
{
    const char *a = t->address;
    const char *defport = "210";
    if (strncasecmp(a, "http://", 7) == 0) {
        a += 7;
        defport = "80";
    } else if (strncasecmp(a, "https://", 8) == 0) {
        a += 8;
        defport = "443";
    } else if (strncasecmp(a, "tcp:", 4) == 0) {
        a += 4;
    }
    size_t n;
    if (*a == '[') {
        const char *close = strchr(a, ']');
        if (!close)
            return false;
        n = (size_t)(close - a - 1);
        snprintf(host, hsize, "%.*s", (int)n, a + 1);
        a = close + 1;
    } else {
        n = strcspn(a, ":/?");
        snprintf(host, hsize, "%.*s", (int)n, a);
        a += n;
    }
    if (*a == ':') {
        size_t d = strspn(a + 1, "0123456789");
        snprintf(port, psize, "%.*s", (int)d, a + 1);
    } else {
        snprintf(port, psize, "%s", defport);
    }
    return host[0] != '\0';
}

/* Try a plain connect to say what ZOOM's "Connect failed" was. */
static char *
diagnose_connect(const struct core_target *t, long budget_ms)
{
    char host[256], port[16];
    if (!address_parts(t, host, sizeof host, port, sizeof port))
        return xasprintf("cannot connect to %s (%s)", t->name, t->address);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai = NULL;
    int g = getaddrinfo(host, port, &hints, &ai);
    if (g != 0)
        return xasprintf("cannot reach %s: the host name %s cannot be found (%s)", t->name, host,
                         gai_strerror(g));
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    int err = fd < 0 ? errno : 0;
    if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        err = errno;
        if (err == EINPROGRESS) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            int ready = poll(&p, 1, (int)(budget_ms > 3000 ? 3000 : budget_ms < 0 ? 0 : budget_ms));
            socklen_t l = sizeof err;
            if (ready <= 0)
                err = ETIMEDOUT;
            else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) != 0)
                err = errno;
        }
    }
    if (fd >= 0)
        close(fd);
    freeaddrinfo(ai);
    if (err == ECONNREFUSED)
        return xasprintf("%s refused the connection: nothing listens at %s port %s", t->name,
                         host, port);
    if (err == ETIMEDOUT)
        return xasprintf("cannot reach %s: no answer from %s port %s (host down or a firewall "
                         "drops the connection)",
                         t->name, host, port);
    if (err != 0)
        return xasprintf("cannot reach %s at %s port %s: %s", t->name, host, port, strerror(err));
    return xasprintf("cannot connect to %s at %s port %s (it refused the Z39.50/SRU connection)",
                     t->name, host, port);
}

/* After the connection went idle: success, or a classified failure. */
static void
finish(struct core_zsearch *s)
{
    const char *msg = NULL, *addinfo = NULL, *diagset = NULL;
    int e = ZOOM_connection_error_x(s->c, &msg, &addinfo, &diagset);
    if (e == ZOOM_ERROR_NONE) {
        if (!s->searched) {
            s->searched = true;
            s->hits = (long)ZOOM_resultset_size(s->rs);
        }
        s->state = CORE_ZS_DONE;
        return;
    }
    const char *add = addinfo && *addinfo ? addinfo : NULL;
    const char *set = diagset ? diagset : "";
    if (e == ZOOM_ERROR_CONNECT) {
        set_failed(s, CORE_ERR_IO, diagnose_connect(&s->t, ms_until(&s->deadline)));
    } else if (e == ZOOM_ERROR_CONNECTION_LOST) {
        set_failed(s, CORE_ERR_IO,
                   xasprintf("%s (%s) closed the connection before answering", s->t.name,
                             s->t.address));
    } else if (e == ZOOM_ERROR_TIMEOUT) {
        set_failed(s, CORE_ERR_IO,
                   xasprintf("no answer from %s (%s) within %d s", s->t.name, s->t.address,
                             s->t.timeout));
    } else if (e == ZOOM_ERROR_DECODE || e == ZOOM_ERROR_UNSUPPORTED_PROTOCOL) {
        set_failed(s, CORE_ERR_IO,
                   xasprintf("%s (%s) answered with something that is not %s: %s", s->t.name,
                             s->t.address, s->t.proto == CORE_TARGET_SRU ? "SRU" : "Z39.50", msg));
    } else if (e == ZOOM_ERROR_INIT) {
        set_failed(s, CORE_ERR_USER,
                   xasprintf("%s refused the connection (Init)%s%s%s", s->t.name,
                             add ? ": " : "", add ? add : "",
                             s->t.user[0] ? " (check its user and password)" : ""));
    } else if (strcasecmp(set, "ZOOM") == 0 || strcasecmp(set, "HTTP") == 0) {
        set_failed(s, strcasecmp(set, "HTTP") == 0 ? CORE_ERR_IO : CORE_ERR_USER,
                   xasprintf("%s (%s): %s%s%s%s", s->t.name, s->t.address,
                             strcasecmp(set, "HTTP") == 0 ? "HTTP error: " : "", msg,
                             add ? ": " : "", add ? add : ""));
    } else {
        const char *kind = strncmp(set, "info:srw", 8) == 0 ? "SRU" : set;
        set_failed(s, CORE_ERR_USER,
                   xasprintf("%s answered with %s diagnostic %d: %s%s%s", s->t.name, kind, e, msg,
                             add ? ": " : "", add ? add : ""));
    }
}

static void
set_opt(struct core_zsearch *s, const char *key, const char *value)
{
    ZOOM_options_set(s->opts, key, value);
}

static void
configure(struct core_zsearch *s, size_t prefetch)
{
    char num[32];
    s->opts = ZOOM_options_create();
    set_opt(s, "async", "1");
    set_opt(s, "implementationName", "Colophon");
    snprintf(num, sizeof num, "%d", s->t.timeout);
    set_opt(s, "timeout", num);
    snprintf(num, sizeof num, "%zu", prefetch);
    set_opt(s, "count", num);
    if (s->t.user[0])
        set_opt(s, "user", s->t.user);
    if (s->t.password[0])
        set_opt(s, "password", s->t.password);
    if (s->t.proto == CORE_TARGET_SRU) {
        set_opt(s, "sru", "get");
        set_opt(s, "sru_version", "1.2");
        set_opt(s, "preferredRecordSyntax", "xml");
        set_opt(s, "schema", "marcxml");
    } else {
        set_opt(s, "preferredRecordSyntax", s->t.syntax == CORE_TARGET_MARCXML ? "xml" : "usmarc");
    }
}

struct core_zsearch *
core_zsearch_start(const struct core_target *t, const char *query, size_t prefetch, char **error)
{
    char *sent = NULL;
    if (core_z3950_translate(t, query, &sent, error) != CORE_OK)
        return NULL;
    struct core_zsearch *s = xcalloc(1, sizeof *s);
    s->t = *t;
    s->query = sent;
    s->hits = -1;
    s->state = CORE_ZS_RUNNING;
    s->fetch_from = 0;
    s->fetch_count = prefetch;
    configure(s, prefetch);
    s->c = ZOOM_connection_create(s->opts);
    /* an http(s):// address makes ZOOM speak SRU */
    ZOOM_connection_connect(s->c, t->address, 0);
    ZOOM_query q = ZOOM_query_create();
    int qrc = t->proto == CORE_TARGET_SRU ? ZOOM_query_cql(q, sent) : ZOOM_query_prefix(q, sent);
    if (qrc != 0) {
        ZOOM_query_destroy(q);
        set_failed(s, CORE_ERR_USER, xasprintf("the query '%s' could not be encoded", sent));
        return s;
    }
    s->rs = ZOOM_connection_search(s->c, q);
    ZOOM_query_destroy(q); /* the result set keeps its own reference */
    arm_deadline(s);
    return s;
}

/* Hand the socket's readiness to ZOOM. */
static void
fire(struct core_zsearch *s, short revents)
{
    int mask = 0;
    if (revents & POLLIN)
        mask |= ZOOM_SELECT_READ;
    if (revents & POLLOUT)
        mask |= ZOOM_SELECT_WRITE;
    if (revents & (POLLERR | POLLHUP | POLLNVAL))
        mask |= ZOOM_SELECT_EXCEPT;
    if (mask)
        ZOOM_connection_fire_event_socket(s->c, mask);
}

/* Process what ZOOM has queued; true when the connection has nothing more to do. */
static bool
drain(struct core_zsearch *s)
{
    while (ZOOM_event_nonblock(1, &s->c) > 0)
        ;
    return ZOOM_connection_is_idle(s->c) != 0;
}

enum core_zstate
core_zsearch_poll(struct core_zsearch *s, int timeout_ms)
{
    struct timespec until;
    clock_now(&until);
    if (timeout_ms > 0) {
        until.tv_sec += timeout_ms / 1000;
        until.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
    }
    while (s->state == CORE_ZS_RUNNING) {
        if (drain(s)) {
            finish(s);
            break;
        }
        long left = ms_until(&s->deadline);
        if (left <= 0) {
            set_failed(s, CORE_ERR_IO,
                       xasprintf("no answer from %s (%s) within %d s", s->t.name, s->t.address,
                                 s->t.timeout));
            break;
        }
        long wait = timeout_ms < 0 ? left : ms_until(&until);
        if (wait > left)
            wait = left;
        if (wait < 0)
            wait = 0;
        short events = 0;
        int fd = core_zsearch_fd(s, &events);
        struct pollfd p = {.fd = fd, .events = events};
        /* no socket yet (the name is being looked up): look again shortly */
        int n = fd >= 0 ? poll(&p, 1, (int)wait) : poll(NULL, 0, (int)(wait < 10 ? wait : 10));
        if (n > 0) {
            fire(s, p.revents);
            continue;
        }
        if (timeout_ms >= 0 && ms_until(&until) <= 0)
            break;
    }
    return s->state;
}

int
core_zsearch_wait(struct core_zsearch *s)
{
    return core_zsearch_poll(s, -1) == CORE_ZS_DONE ? CORE_OK : s->errcode;
}

int
core_zsearch_fd(const struct core_zsearch *s, short *events)
{
    *events = 0;
    if (s->state != CORE_ZS_RUNNING || !s->c)
        return -1;
    int fd = ZOOM_connection_get_socket(s->c);
    int mask = ZOOM_connection_get_mask(s->c);
    if (mask & ZOOM_SELECT_READ)
        *events |= POLLIN;
    if (mask & ZOOM_SELECT_WRITE)
        *events |= POLLOUT;
    return fd;
}

void
core_zsearch_cancel(struct core_zsearch *s)
{
    if (s->state == CORE_ZS_RUNNING)
        set_failed(s, CORE_ERR_USER, xasprintf("the search of %s was cancelled", s->t.name));
}

enum core_zstate
core_zsearch_state(const struct core_zsearch *s)
{
    return s->state;
}

const char *
core_zsearch_error(const struct core_zsearch *s)
{
    return s->error ? s->error : "";
}

int
core_zsearch_errcode(const struct core_zsearch *s)
{
    return s->state == CORE_ZS_FAILED ? s->errcode : CORE_OK;
}

long
core_zsearch_hits(const struct core_zsearch *s)
{
    return s->hits;
}

const char *
core_zsearch_query(const struct core_zsearch *s)
{
    return s->query;
}

bool
core_zsearch_has(const struct core_zsearch *s, size_t n)
{
    return s->rs && s->hits >= 0 && n < (size_t)s->hits &&
           ZOOM_resultset_record_immediate(s->rs, n) != NULL;
}

int
core_zsearch_fetch(struct core_zsearch *s, size_t from, size_t count)
{
    if (!s->searched || s->state == CORE_ZS_FAILED) {
        free(s->error);
        s->error = xasprintf("the search of %s has not succeeded: nothing to fetch", s->t.name);
        return CORE_ERR_USER;
    }
    if (from >= (size_t)s->hits || count == 0) {
        free(s->error);
        s->error = xasprintf("%s found %ld record%s: there is no record %zu", s->t.name, s->hits,
                             s->hits == 1 ? "" : "s", from + 1);
        return CORE_ERR_USER;
    }
    if (count > (size_t)s->hits - from)
        count = (size_t)s->hits - from;
    s->fetch_from = from;
    s->fetch_count = count;
    bool all = true;
    for (size_t i = from; all && i < from + count; i++)
        all = ZOOM_resultset_record_immediate(s->rs, i) != NULL;
    if (all)
        return CORE_OK;
    ZOOM_resultset_records(s->rs, NULL, from, count);
    s->state = CORE_ZS_RUNNING;
    arm_deadline(s);
    return CORE_OK;
}

/* The record's bytes as the target sent them.  Not ZOOM's "raw": for MARC
 * syntaxes that is the record decoded and encoded again by libyaz, which
 * quietly drops what it cannot read (a broken directory becomes an empty
 * record) where the record must be refused, saying why. */
static const char *
sent_bytes(ZOOM_record rec, int *len)
{
    int elen = 0;
    const Z_External *ext = (const Z_External *)ZOOM_record_get(rec, "ext", &elen);
    if (ext && ext->which == Z_External_octet && ext->u.octet_aligned) {
        *len = (int)ext->u.octet_aligned->len;
        return (const char *)ext->u.octet_aligned->buf;
    }
    return ZOOM_record_get(rec, "raw", len);
}

/* The record's bytes, converted by libyaz first when the target's charset is neither
 * MARC-8 nor UTF-8 (ISO 2709 only: XML carries its own encoding). */
static const char *
record_bytes(struct core_zsearch *s, ZOOM_record rec, int *len, const char **charset)
{
    *charset = s->t.charset;
    const char *raw = sent_bytes(rec, len);
    if (!raw || *len <= 0 || looks_like_xml(raw, (size_t)*len))
        return raw;
    if (strcasecmp(s->t.charset, "auto") == 0 || strcasecmp(s->t.charset, "marc8") == 0 ||
        strcasecmp(s->t.charset, "utf-8") == 0)
        return raw;
    char type[96];
    snprintf(type, sizeof type, "raw; charset=%s,utf-8", s->t.charset);
    *charset = "utf-8";
    return ZOOM_record_get(rec, type, len);
}

int
core_zsearch_record(struct core_zsearch *s, size_t n, struct marc_record *r, char **error)
{
    char what[CORE_TARGET_NAME_MAX + 48];
    snprintf(what, sizeof what, "record %zu from %s", n + 1, s->t.name);
    ZOOM_record rec = s->rs && s->hits >= 0 && n < (size_t)s->hits
                          ? ZOOM_resultset_record_immediate(s->rs, n)
                          : NULL;
    if (!rec) {
        bool asked = s->state == CORE_ZS_DONE && n >= s->fetch_from &&
                     n < s->fetch_from + s->fetch_count;
        if (error)
            *error = asked ? xasprintf("%s did not send record %zu", s->t.name, n + 1)
                           : xasprintf("%s has not arrived (fetch it first)", what);
        return asked ? CORE_ERR_INVALID : CORE_ERR_NOTFOUND;
    }
    const char *msg = NULL, *addinfo = NULL, *diagset = NULL;
    int diag = ZOOM_record_error(rec, &msg, &addinfo, &diagset);
    if (diag) {
        if (error)
            *error = xasprintf("%s: the target sent %s diagnostic %d instead: %s%s%s", what,
                               diagset && strncmp(diagset, "info:srw", 8) == 0 ? "SRU"
                               : diagset                                       ? diagset
                                                                               : "a",
                               diag, msg ? msg : "", addinfo && *addinfo ? ": " : "",
                               addinfo && *addinfo ? addinfo : "");
        return CORE_ERR_USER;
    }
    int len = 0;
    const char *charset;
    const char *data = record_bytes(s, rec, &len, &charset);
    if (!data || len <= 0) {
        if (error)
            *error = xasprintf("%s is empty or in a form other than MARC (charset %s)", what,
                               s->t.charset);
        return CORE_ERR_INVALID;
    }
    return core_z3950_decode(data, (size_t)len, charset, what, r, error);
}

void
core_zsearch_free(struct core_zsearch *s)
{
    if (!s)
        return;
    ZOOM_resultset_destroy(s->rs);
    ZOOM_connection_destroy(s->c);
    ZOOM_options_destroy(s->opts);
    free(s->query);
    free(s->error);
    free(s);
}
