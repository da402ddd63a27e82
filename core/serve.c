/*
 * serve.c - `colophon serve` (serve.h): the GFS back end of libyaz over a
 * zone of the repository.  The only file that includes libyaz's GFS
 * headers (<yaz/backend.h>).
 *
 * The GFS owns the sockets, the protocol (Z39.50 and SRU over HTTP on the
 * same port) and the process per connection; this file answers its calls:
 * init (open the repository, check a login), search (serve-query.c turns
 * the query into the query language, core_search runs it), present and
 * fetch (records by position), scan (serve-scan.c walks the index),
 * extended services (record update), delete (result sets).  A result set
 * keeps its query and one window of MMS IDs; positions outside the window
 * run the search again at that offset.
 *
 * The listener is started by core_serve_run, in this process or in a
 * detached child; it reports that it listens (pid file, the caller's
 * callback, or a byte down a pipe to the waiting parent) from the GFS's
 * bend_start hook, which runs once the listening socket is bound.
 */
#include "serve.h"

#include "auth.h"
#include "repo.h"
#include "search.h"
#include "serve-int.h"

#include "buf.h"
#include "iso2709.h"
#include "marcxml.h"

#include <yaz/backend.h>
#include <yaz/diagbib1.h>
#include <yaz/log.h>
#include <yaz/oid_db.h>
#include <yaz/oid_util.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Positions of a result set kept at once (a present outside them searches again). */
#define WINDOW 100
/* Named result sets per session; the oldest goes when another is made. */
#define MAX_SETS 16

/* What every session of this server shares (set before the GFS starts). */
static struct {
    char repo_dir[PATH_MAX];
    enum core_zone zone;
    bool allow_update;
    char pidfile[PATH_MAX];
    char listen[256];
    pid_t server_pid;  /* the listening process */
    int ready_fd;      /* daemon: the pipe to the waiting parent, else -1 */
    bool listening;
    void (*ready)(void *ctx, const char *listen);
    void *ready_ctx;
} cfg = {.ready_fd = -1};

struct zset {
    char name[64];
    char *query;                /* in the query language */
    long hits;
    size_t off, n;              /* the window: positions off .. off+n-1 (0-based) */
    char (*mms)[CORE_MMS_MAX];
    unsigned long used;         /* for replacing the oldest */
};

struct session {
    struct core_repo *repo;
    bool logged_in;
    char peer[128];
    struct zset sets[MAX_SETS];
    unsigned long clock;
    struct marc_record *rec;
    struct marc_buf buf;
};

/* ---- result sets ---- */

static struct zset *
find_set(struct session *s, const char *name)
{
    for (int i = 0; i < MAX_SETS; i++)
        if (s->sets[i].query && strcmp(s->sets[i].name, name) == 0) {
            s->sets[i].used = ++s->clock;
            return &s->sets[i];
        }
    return NULL;
}

static void
drop_set(struct zset *z)
{
    free(z->query);
    free(z->mms);
    memset(z, 0, sizeof *z);
}

/* The set to (re)fill for `name`: the same name, a free slot, or the oldest. */
static struct zset *
slot_for(struct session *s, const char *name)
{
    struct zset *z = find_set(s, name);
    for (int i = 0; !z && i < MAX_SETS; i++)
        if (!s->sets[i].query)
            z = &s->sets[i];
    if (!z) {
        z = &s->sets[0];
        for (int i = 1; i < MAX_SETS; i++)
            if (s->sets[i].used < z->used)
                z = &s->sets[i];
    }
    drop_set(z);
    snprintf(z->name, sizeof z->name, "%s", name);
    z->used = ++s->clock;
    return z;
}

static const char *
set_query(void *ctx, const char *name)
{
    struct zset *z = find_set(ctx, name);
    return z ? z->query : NULL;
}

/* Run z's query for positions from .. from+count-1 (0-based) into its window. */
static int
window_fill(struct session *s, struct zset *z, size_t from, size_t count, bool counting)
{
    struct core_search_opts o = {
        .zone = cfg.zone, .limit = count > WINDOW ? count : WINDOW, .offset = from,
        .count = counting};
    struct core_results res;
    int rc = core_search(s->repo, z->query, &o, &res);
    if (rc != CORE_OK)
        return rc;
    free(z->mms);
    z->mms = res.n ? xmalloc(res.n * sizeof *z->mms) : NULL;
    for (size_t i = 0; i < res.n; i++)
        memcpy(z->mms[i], res.hits[i].mms, CORE_MMS_MAX);
    z->off = from;
    z->n = res.n;
    if (counting)
        z->hits = res.total;
    core_results_free(&res);
    return CORE_OK;
}

/* The MMS ID at position pos (0-based), or NULL when it is gone. */
static const char *
set_mms(struct session *s, struct zset *z, size_t pos)
{
    if (pos < z->off || pos >= z->off + z->n) {
        if (window_fill(s, z, pos, WINDOW, false) != CORE_OK)
            return NULL;
    }
    return pos >= z->off && pos < z->off + z->n ? z->mms[pos - z->off] : NULL;
}

/* ---- databases ---- */

static bool
database_ok(struct session *s, const char *db)
{
    return serve_database_ok(s->repo, cfg.zone, db);
}

/* ---- search, present, fetch ---- */

static void
set_error(ODR stream, int *errcode, char **errstring, int code, const char *add)
{
    *errcode = code;
    *errstring = add ? odr_strdup(stream, add) : NULL;
}

/* The session's query for a Z39.50 or SRU search; NULL after setting the diagnostic. */
static char *
search_query(struct session *s, bend_search_rr *rr)
{
    char *query = NULL, *add = NULL;
    int diag = 0;
    Z_Query *q = rr->query;
    if (q && (q->which == Z_Query_type_1 || q->which == Z_Query_type_101))
        serve_rpn_to_query(q->u.type_1, set_query, s, &query, &diag, &add);
    else if (q && q->which == Z_Query_type_104 && q->u.type_104->which == Z_External_CQL)
        serve_cql_to_query(q->u.type_104->u.cql, &query, &diag, &add);
    else
        diag = YAZ_BIB1_QUERY_TYPE_UNSUPP;
    if (!query)
        set_error(rr->stream, &rr->errcode, &rr->errstring, diag, add);
    free(add);
    return query;
}

static int
serve_search(void *handle, bend_search_rr *rr)
{
    struct session *s = handle;
    if (rr->num_bases != 1) {
        rr->errcode = YAZ_BIB1_COMBI_OF_SPECIFIED_DATABASES_UNSUPP;
        return 0;
    }
    if (!database_ok(s, rr->basenames[0])) {
        set_error(rr->stream, &rr->errcode, &rr->errstring, YAZ_BIB1_DATABASE_UNAVAILABLE,
                  rr->basenames[0]);
        return 0;
    }
    if (!rr->replace_set && find_set(s, rr->setname)) {
        set_error(rr->stream, &rr->errcode, &rr->errstring,
                  YAZ_BIB1_RESULT_SET_EXISTS_AND_REPLACE_INDICATOR_OFF, rr->setname);
        return 0;
    }
    char *query = search_query(s, rr);
    if (!query)
        return 0;
    struct zset *z = slot_for(s, rr->setname);
    z->query = query;
    int rc = window_fill(s, z, 0, WINDOW, true);
    if (rc != CORE_OK) {
        yaz_log(YLOG_LOG, "search %s refused: %s", query, core_repo_errmsg(s->repo));
        set_error(rr->stream, &rr->errcode, &rr->errstring,
                  rc == CORE_ERR_USER ? YAZ_BIB1_MALFORMED_SEARCH_TERM
                                      : YAZ_BIB1_TEMPORARY_SYSTEM_ERROR,
                  core_repo_errmsg(s->repo));
        drop_set(z);
        return 0;
    }
    rr->hits = z->hits;
    yaz_log(YLOG_LOG, "search %s: %s -> %ld", rr->setname, query, z->hits);
    return 0;
}

static int
serve_present(void *handle, bend_present_rr *rr)
{
    struct session *s = handle;
    struct zset *z = find_set(s, rr->setname);
    if (!z) {
        set_error(rr->stream, &rr->errcode, &rr->errstring,
                  YAZ_BIB1_SPECIFIED_RESULT_SET_DOES_NOT_EXIST, rr->setname);
        return 0;
    }
    size_t from = rr->start > 0 ? (size_t)rr->start - 1 : 0;
    size_t count = rr->number > 0 ? (size_t)rr->number : 0;
    if (count && (from < z->off || from + count > z->off + z->n) &&
        window_fill(s, z, from, count, false) != CORE_OK)
        set_error(rr->stream, &rr->errcode, &rr->errstring,
                  YAZ_BIB1_SYSTEM_ERROR_IN_PRESENTING_RECORDS, core_repo_errmsg(s->repo));
    return 0;
}

/* Syntaxes served: ISO 2709 (MARC 21) or MARCXML; 0 when another was asked for. */
enum syntax { SYNTAX_NONE, SYNTAX_ISO2709, SYNTAX_XML };

static enum syntax
syntax_of(const Odr_oid *oid)
{
    if (!oid || oid_oidcmp(oid, yaz_oid_recsyn_usmarc) == 0 ||
        oid_oidcmp(oid, yaz_oid_recsyn_marc21) == 0)
        return SYNTAX_ISO2709;
    if (oid_oidcmp(oid, yaz_oid_recsyn_xml) == 0 || oid_oidcmp(oid, yaz_oid_recsyn_text_xml) == 0 ||
        oid_oidcmp(oid, yaz_oid_recsyn_application_xml) == 0)
        return SYNTAX_XML;
    return SYNTAX_NONE;
}

/* Element set names and SRU schemas that mean "the whole MARC record". */
static bool
esn_ok(const char *esn)
{
    static const char *ok[] = {"F", "B", "marcxml", "marc21", "marc", "MARC21-xml",
                               "info:srw/schema/1/marcxml-v1.1",
                               "info:srw/schema/1/marcxml-1.1", "http://www.loc.gov/MARC21/slim"};
    if (!esn || !*esn)
        return true;
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (strcasecmp(esn, ok[i]) == 0)
            return true;
    return false;
}

/* r as MARCXML: a standalone <record> in the MARC 21 slim namespace. */
static int
encode_xml(struct session *s, struct marc_diag *err)
{
    struct marc_buf tmp = MARC_BUF_INIT;
    int rc = marc_marcxml_encode(s->rec, &tmp, err);
    if (rc == MARC_OK) {
        marc_buf_putc(&tmp, '\0');
        const char *start = strstr(tmp.data, "<record>");
        marc_buf_puts(&s->buf, "<record xmlns=\"http://www.loc.gov/MARC21/slim\">");
        marc_buf_puts(&s->buf, start ? start + 8 : tmp.data);
    }
    marc_buf_free(&tmp);
    return rc;
}

static void
fetch_fail(bend_fetch_rr *r, int code, const char *add)
{
    set_error(r->stream, &r->errcode, &r->errstring, code, add);
    r->surrogate_flag = 1;
}

static int
serve_fetch(void *handle, bend_fetch_rr *r)
{
    struct session *s = handle;
    struct zset *z = find_set(s, r->setname);
    r->last_in_set = 0;
    r->basename = (char *)core_zone_name(cfg.zone);
    if (!z) {
        set_error(r->stream, &r->errcode, &r->errstring,
                  YAZ_BIB1_SPECIFIED_RESULT_SET_DOES_NOT_EXIST, r->setname);
        return 0;
    }
    if (r->number < 1 || r->number > z->hits) {
        set_error(r->stream, &r->errcode, &r->errstring, YAZ_BIB1_PRESENT_REQUEST_OUT_OF_RANGE,
                  NULL);
        return 0;
    }
    enum syntax syn = syntax_of(r->request_format);
    if (syn == SYNTAX_NONE) {
        char buf[OID_STR_MAX];
        fetch_fail(r, YAZ_BIB1_RECORD_SYNTAX_UNSUPP,
                   oid_oid_to_dotstring(r->request_format, buf));
        return 0;
    }
    const char *esn = r->schema && *r->schema ? r->schema : yaz_get_esn(r->comp);
    if (!esn_ok(esn)) {
        fetch_fail(r, YAZ_BIB1_SPECIFIED_ELEMENT_SET_NAME_NOT_VALID_FOR_SPECIFIED_, esn);
        return 0;
    }
    r->last_in_set = r->number == z->hits;
    const char *mms = set_mms(s, z, (size_t)r->number - 1);
    struct core_record_info info;
    if (!mms || core_record_get(s->repo, mms, s->rec, &info) != CORE_OK || info.deleted) {
        fetch_fail(r, YAZ_BIB1_RECORD_DELETED, mms ? mms : "the record left the result set");
        return 0;
    }
    struct marc_diag err;
    marc_buf_reset(&s->buf);
    int rc = syn == SYNTAX_XML ? encode_xml(s, &err) : marc_iso2709_encode(s->rec, &s->buf, &err);
    if (rc != MARC_OK) {
        fetch_fail(r, YAZ_BIB1_RECORD_NOT_AVAILABLE_IN_REQUESTED_SYNTAX, err.message);
        return 0;
    }
    r->len = (int)s->buf.len;
    r->record = odr_malloc(r->stream, s->buf.len + 1);
    memcpy(r->record, s->buf.data, s->buf.len);
    r->record[s->buf.len] = '\0';
    r->output_format = odr_oiddup(r->stream, syn == SYNTAX_XML ? yaz_oid_recsyn_xml
                                                               : yaz_oid_recsyn_usmarc);
    if (syn == SYNTAX_XML)
        r->schema = odr_strdup(r->stream, "info:srw/schema/1/marcxml-v1.1");
    r->errcode = 0;
    return 0;
}

static int
serve_delete(void *handle, bend_delete_rr *rr)
{
    struct session *s = handle;
    rr->delete_status = Z_DeleteStatus_success;
    if (rr->function == Z_DeleteResultSetRequest_all) {
        for (int i = 0; i < MAX_SETS; i++)
            drop_set(&s->sets[i]);
        return 0;
    }
    for (int i = 0; i < rr->num_setnames; i++) {
        struct zset *z = find_set(s, rr->setnames[i]);
        if (z)
            drop_set(z);
        rr->statuses[i] = z ? Z_DeleteStatus_success : Z_DeleteStatus_resultSetDidNotExist;
        if (!z)
            rr->delete_status = Z_DeleteStatus_resultSetDidNotExist;
    }
    return 0;
}

/* ---- scan (serve-query.c reads the start point, serve-scan.c the terms) ---- */

/* What every scan must pass before its start point is read. */
static bool
scan_ok(struct session *s, bend_scan_rr *rr)
{
    int code = 0;
    char add[64] = "";
    if (rr->num_bases != 1)
        code = YAZ_BIB1_COMBI_OF_SPECIFIED_DATABASES_UNSUPP;
    else if (!database_ok(s, rr->basenames[0]))
        code = YAZ_BIB1_DATABASE_UNAVAILABLE;
    else if (rr->step_size && *rr->step_size != 0)
        code = YAZ_BIB1_ONLY_ZERO_STEP_SIZE_SUPPORTED_FOR_SCAN;
    else if (rr->setname && *rr->setname)
        code = YAZ_BIB1_SCAN_TERM_LIST_UNSUPP; /* scan within a result set */
    else if (rr->num_entries > SERVE_SCAN_MAX)
        code = YAZ_BIB1_SCAN_TOO_MANY_TERMS_REQUESTED_ADDINFO_MAX_TERMS_;
    else if (rr->term_position < -SERVE_SCAN_MAX || rr->term_position > SERVE_SCAN_MAX + 1)
        code = YAZ_BIB1_SCAN_UNSUPP_VALUE_OF_POSITION_IN_RESPONSE;
    if (code == YAZ_BIB1_DATABASE_UNAVAILABLE)
        snprintf(add, sizeof add, "%s", rr->basenames[0]);
    else if (code == YAZ_BIB1_ONLY_ZERO_STEP_SIZE_SUPPORTED_FOR_SCAN)
        snprintf(add, sizeof add, "%d", *rr->step_size);
    else if (code == YAZ_BIB1_SCAN_TERM_LIST_UNSUPP)
        snprintf(add, sizeof add, "scan within a result set");
    else if (code == YAZ_BIB1_SCAN_TOO_MANY_TERMS_REQUESTED_ADDINFO_MAX_TERMS_)
        snprintf(add, sizeof add, "%d", SERVE_SCAN_MAX);
    else if (code == YAZ_BIB1_SCAN_UNSUPP_VALUE_OF_POSITION_IN_RESPONSE)
        snprintf(add, sizeof add, "%d (from %d to %d)", rr->term_position, -SERVE_SCAN_MAX,
                 SERVE_SCAN_MAX + 1);
    if (code)
        set_error(rr->stream, &rr->errcode, &rr->errstring, code, add[0] ? add : NULL);
    return code == 0;
}

/* The terms around `term` of `index` into rr's entries. */
static void
scan_answer(struct session *s, bend_scan_rr *rr, enum core_qindex index, const char *term)
{
    struct serve_scan_list l;
    int number = rr->num_entries > 0 && rr->entries ? rr->num_entries : 0;
    int rc = serve_scan_terms(s->repo, cfg.zone, index, term, rr->term_position, number, &l);
    if (rc != CORE_OK) {
        set_error(rr->stream, &rr->errcode, &rr->errstring,
                  rc == CORE_ERR_USER ? YAZ_BIB1_UNSUPP_USE_ATTRIBUTE
                                      : YAZ_BIB1_TEMPORARY_SYSTEM_ERROR,
                  core_repo_errmsg(s->repo));
        return;
    }
    for (size_t i = 0; i < l.n; i++) {
        rr->entries[i].term = odr_strdup(rr->stream, l.e[i].term);
        rr->entries[i].occurrences = l.e[i].count;
    }
    rr->num_entries = (int)l.n;
    rr->term_position = l.position;
    rr->status = l.partial ? BEND_SCAN_PARTIAL : BEND_SCAN_SUCCESS;
    rr->errcode = 0;
    yaz_log(YLOG_LOG, "scan %s '%s': %zu terms", core_qindex_name(index), term, l.n);
    serve_scan_list_free(&l);
}

/* A scan of either protocol: a Z39.50 start term with Bib-1 attributes, or
 * an SRU scanClause in CQL ("dc.title = comp"); the rest is the same. */
static int
scan_reply(struct session *s, bend_scan_rr *rr, bool cql)
{
    rr->status = BEND_SCAN_SUCCESS;
    if (!scan_ok(s, rr))
        return 0;
    enum core_qindex index;
    char *term = NULL, *add = NULL;
    int diag = 0;
    int rc = cql ? serve_cql_scan_start(rr->scanClause, &index, &term, &diag, &add)
                 : serve_scan_start(rr->term, rr->attributeset, &index, &term, &diag, &add);
    if (rc == CORE_OK)
        scan_answer(s, rr, index, term);
    else
        set_error(rr->stream, &rr->errcode, &rr->errstring, diag, add);
    free(term);
    free(add);
    return 0;
}

static int
serve_scan(void *handle, bend_scan_rr *rr)
{
    return scan_reply(handle, rr, false);
}

static int
serve_srw_scan(void *handle, bend_scan_rr *rr)
{
    return scan_reply(handle, rr, true);
}

/* ---- extended services: record update (serve-update.c) ---- */

static int
serve_es(void *handle, bend_esrequest_rr *rr)
{
    struct session *s = handle;
    struct serve_update_ctx c = {
        .repo = s->repo, .zone = cfg.zone, .allow_update = cfg.allow_update,
        .logged_in = s->logged_in};
    char *addinfo = NULL;
    int diag = 0;
    Z_TaskPackage *tp = NULL;
    if (serve_update(&c, rr->esr->taskSpecificParameters, rr->stream, rr->esr->packageType, &tp,
                     &diag, &addinfo) == CORE_OK) {
        rr->errcode = 0;
        rr->taskPackage = tp;
    } else {
        set_error(rr->stream, &rr->errcode, &rr->errstring, diag, addinfo);
    }
    free(addinfo);
    return 0;
}

/* ---- sessions ---- */

/* User and password of an Init (NULL user when anonymous). */
static void
init_login(const Z_IdAuthentication *auth, char *user, size_t usize, char *pass, size_t psize)
{
    user[0] = pass[0] = '\0';
    if (!auth)
        return;
    if (auth->which == Z_IdAuthentication_idPass && auth->u.idPass) {
        snprintf(user, usize, "%s", auth->u.idPass->userId ? auth->u.idPass->userId : "");
        snprintf(pass, psize, "%s", auth->u.idPass->password ? auth->u.idPass->password : "");
    } else if (auth->which == Z_IdAuthentication_open && auth->u.open) {
        const char *slash = strchr(auth->u.open, '/');
        if (slash) {
            snprintf(user, usize, "%.*s", (int)(slash - auth->u.open), auth->u.open);
            snprintf(pass, psize, "%s", slash + 1);
        } else {
            snprintf(user, usize, "%s", auth->u.open);
        }
    }
}

static void
serve_close(void *handle)
{
    struct session *s = handle;
    if (!s)
        return;
    for (int i = 0; i < MAX_SETS; i++)
        drop_set(&s->sets[i]);
    marc_record_free(s->rec);
    marc_buf_free(&s->buf);
    core_repo_close(s->repo);
    free(s);
}

static bend_initresult *
serve_init(bend_initrequest *q)
{
    bend_initresult *r = odr_malloc(q->stream, sizeof *r);
    memset(r, 0, sizeof *r);
    struct session *s = xcalloc(1, sizeof *s);
    snprintf(s->peer, sizeof s->peer, "%s", q->peer_name ? q->peer_name : "?");
    char *cause = NULL;
    s->repo = core_repo_open(cfg.repo_dir, NULL, &cause);
    if (!s->repo) {
        yaz_log(YLOG_WARN, "cannot open the repository: %s", cause ? cause : "?");
        set_error(q->stream, &r->errcode, &r->errstring,
                  YAZ_BIB1_INIT_AC_SYSTEM_TEMPORARILY_UNAVAILABLE_ADDINFO_WHEN_IT_,
                  "the repository cannot be opened");
        free(cause);
        free(s);
        return r;
    }
    char user[128], pass[CORE_PASSWORD_MAX + 1];
    init_login(q->auth, user, sizeof user, pass, sizeof pass);
    if (user[0] && core_user_login(s->repo, user, pass) != CORE_OK) {
        yaz_log(YLOG_LOG, "login refused for %s from %s: %s", user, s->peer,
                core_repo_errmsg(s->repo));
        set_error(q->stream, &r->errcode, &r->errstring,
                  YAZ_BIB1_INIT_AC_BAD_USERID_AND_OR_PASSWORD, user);
        explicit_bzero(pass, sizeof pass);
        serve_close(s);
        return r;
    }
    explicit_bzero(pass, sizeof pass);
    if (user[0]) {
        s->logged_in = true;
        yaz_log(YLOG_LOG, "login %s from %s", user, s->peer);
    }
    s->rec = marc_record_new();
    q->bend_search = serve_search;
    q->bend_present = serve_present;
    q->bend_fetch = serve_fetch;
    q->bend_delete = serve_delete;
    q->bend_esrequest = serve_es;
    q->bend_scan = serve_scan;
    q->bend_srw_scan = serve_srw_scan;
    q->named_result_sets = 1;
    q->query_charset = NULL; /* terms are read as UTF-8 */
    q->implementation_name = odr_strdup(q->stream, "Colophon");
    q->implementation_version = odr_strdup(q->stream, COLOPHON_VERSION);
    r->handle = s;
    return r;
}

/* ---- the listener ---- */

static void
remove_pidfile(void)
{
    if (cfg.pidfile[0] && getpid() == cfg.server_pid)
        unlink(cfg.pidfile);
}

static void
on_interrupt(int sig)
{
    (void)sig;
    remove_pidfile(); /* unlink is async-signal-safe */
    _exit(0);
}

static bool
write_pidfile(char *why, size_t size)
{
    if (!cfg.pidfile[0])
        return true;
    int fd = open(cfg.pidfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    char text[32];
    int n = snprintf(text, sizeof text, "%ld\n", (long)getpid());
    if (fd < 0 || write(fd, text, (size_t)n) != n) {
        snprintf(why, size, "cannot write the pid file %s: %s", cfg.pidfile, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    close(fd);
    return true;
}

/* The GFS's bend_start: the listening socket is bound. */
static void
on_listening(statserv_options_block *cb)
{
    (void)cb;
    char why[PATH_MAX + 64];
    cfg.server_pid = getpid();
    cfg.listening = true;
    bool ok = write_pidfile(why, sizeof why);
    if (ok) {
        atexit(remove_pidfile);
        signal(SIGINT, on_interrupt);
        signal(SIGHUP, on_interrupt);
        /* until the GFS puts in its own (a graceful stop), right after this */
        signal(SIGTERM, on_interrupt);
        yaz_log(YLOG_LOG, "serving the %s of %s on %s (%s)", core_zone_name(cfg.zone),
                cfg.repo_dir, cfg.listen, cfg.allow_update ? "updates allowed" : "read-only");
    }
    if (cfg.ready_fd >= 0) {
        char msg[sizeof why + 1];
        int n = snprintf(msg, sizeof msg, "%c%s", ok ? 'R' : 'E', ok ? "" : why);
        if (write(cfg.ready_fd, msg, (size_t)n) < 0)
            yaz_log(YLOG_WARN, "cannot tell the parent that the server listens");
        close(cfg.ready_fd);
        cfg.ready_fd = -1;
    } else if (ok && cfg.ready) {
        cfg.ready(cfg.ready_ctx, cfg.listen);
    }
    if (!ok) {
        yaz_log(YLOG_FATAL, "%s", why);
        exit(1);
    }
}

/* "tcp:HOST:PORT" with a port 1-65535; a bare HOST:PORT gets "tcp:". */
static int
check_listen(const char *listen, char *out, size_t size, char **cause)
{
    const char *a = strncasecmp(listen, "tcp:", 4) == 0 ? listen + 4 : listen;
    const char *colon = strrchr(a, ':');
    char *end = NULL;
    long port = colon ? strtol(colon + 1, &end, 10) : 0;
    if (!colon || colon == a || !end || *end || port < 1 || port > 65535 || strlen(a) > 200) {
        *cause = xasprintf("--listen takes tcp:HOST:PORT (a port from 1 to 65535), not '%s'",
                           listen);
        return CORE_ERR_USER;
    }
    snprintf(out, size, "tcp:%s", a);
    return CORE_OK;
}

/* Bind the address once ourselves: the GFS would only log why it cannot. */
static int
probe_listen(const char *listen, char **cause)
{
    const char *a = listen + 4;
    const char *colon = strrchr(a, ':');
    char host[256], port[16];
    snprintf(host, sizeof host, "%.*s", (int)(colon - a), a);
    snprintf(port, sizeof port, "%s", colon + 1);
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        memmove(host, host + 1, strlen(host));
        host[strlen(host) - 1] = '\0';
    }
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *ai = NULL;
    int g = getaddrinfo(strcmp(host, "@") == 0 ? NULL : host, port, &hints, &ai);
    if (g != 0) {
        *cause = xasprintf("cannot listen on %s: %s", listen, gai_strerror(g));
        return CORE_ERR_USER;
    }
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    int one = 1, err = 0;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0)
        err = errno;
    if (fd >= 0)
        close(fd);
    freeaddrinfo(ai);
    if (err) {
        *cause = xasprintf("cannot listen on %s: %s", listen, strerror(err));
        return CORE_ERR_IO;
    }
    return CORE_OK;
}

/* The repository must open and hold the zone: say so before listening. */
static int
check_repo(const struct core_serve_opts *o, char **cause)
{
    struct core_repo *repo = core_repo_open(o->repo_dir, NULL, cause);
    if (!repo)
        return CORE_ERR_USER;
    int rc = CORE_OK;
    if (!core_repo_has_zone(repo, o->zone)) {
        *cause = xasprintf("%s has no %s to serve", o->repo_dir, core_zone_name(o->zone));
        rc = CORE_ERR_USER;
    }
    core_repo_close(repo);
    return rc;
}

/* Run the GFS; returns only when it could not start (or, in a session's
 * process, never: that process ends here). */
static void
run_gfs(const struct core_serve_opts *o)
{
    char idle[32];
    snprintf(idle, sizeof idle, "%ds", o->idle_timeout > 0 ? o->idle_timeout : 900);
    char *argv[10];
    int argc = 0;
    argv[argc++] = "colophon-serve";
    argv[argc++] = "-t";
    argv[argc++] = idle;
    if (o->logfile) {
        argv[argc++] = "-l";
        argv[argc++] = (char *)o->logfile;
    }
    argv[argc++] = cfg.listen;
    argv[argc] = NULL;
    statserv_options_block *cb = statserv_getcontrol();
    cb->bend_start = on_listening;
    statserv_setcontrol(cb);
    pid_t me = getpid();
    statserv_main(argc, argv, serve_init, serve_close);
    if (getpid() != me)
        _exit(0); /* a session's process whose connection ended */
}

/* Detach: a child runs the server; wait for its word that it listens. */
static int
run_daemon(const struct core_serve_opts *o, char **cause)
{
    int fds[2];
    if (pipe(fds) != 0) {
        *cause = xasprintf("cannot start the server: %s", strerror(errno));
        return CORE_ERR_IO;
    }
    pid_t pid = fork();
    if (pid < 0) {
        *cause = xasprintf("cannot start the server: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return CORE_ERR_IO;
    }
    if (pid == 0) {
        close(fds[0]);
        setsid();
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
            if (null > 2)
                close(null);
        }
        cfg.ready_fd = fds[1];
        run_gfs(o);
        if (cfg.listening)
            exit(0); /* SIGTERM: a clean stop (the pid file goes) */
        char msg[300];
        int n = snprintf(msg, sizeof msg, "Ecannot listen on %s%s", cfg.listen,
                         o->logfile ? " (see the log)" : "");
        if (write(fds[1], msg, (size_t)n) < 0)
            _exit(2);
        _exit(1);
    }
    close(fds[1]);
    char msg[PATH_MAX + 128];
    ssize_t got = 0, n;
    while ((n = read(fds[0], msg + got, sizeof msg - 1 - (size_t)got)) > 0)
        got += n;
    close(fds[0]);
    msg[got > 0 ? got : 0] = '\0';
    if (got > 0 && msg[0] == 'R') {
        if (o->ready)
            o->ready(o->ready_ctx, cfg.listen);
        return CORE_OK;
    }
    waitpid(pid, NULL, 0);
    *cause = xstrdup(got > 1 ? msg + 1 : "the server stopped before it listened");
    return CORE_ERR_IO;
}

int
core_serve_run(const struct core_serve_opts *o, char **cause)
{
    *cause = NULL;
    if (!o->repo_dir || (unsigned)o->zone >= CORE_NZONES) {
        *cause = xstrdup("no repository or zone to serve");
        return CORE_ERR_USER;
    }
    int rc = check_listen(o->listen ? o->listen : "", cfg.listen, sizeof cfg.listen, cause);
    if (rc == CORE_OK && !realpath(o->repo_dir, cfg.repo_dir)) {
        *cause = xasprintf("no Colophon repository in %s (%s)", o->repo_dir, strerror(errno));
        rc = CORE_ERR_USER;
    }
    if (rc == CORE_OK)
        rc = check_repo(o, cause);
    if (rc == CORE_OK)
        rc = probe_listen(cfg.listen, cause);
    if (rc != CORE_OK)
        return rc;
    cfg.zone = o->zone;
    cfg.allow_update = o->allow_update;
    cfg.ready = o->ready;
    cfg.ready_ctx = o->ready_ctx;
    cfg.pidfile[0] = '\0';
    if (o->pidfile) {
        /* absolute: the server may change directory */
        char cwd[PATH_MAX];
        char *path = o->pidfile[0] == '/'      ? xstrdup(o->pidfile)
                     : getcwd(cwd, sizeof cwd) ? xasprintf("%s/%s", cwd, o->pidfile)
                                               : NULL;
        if (!path || strlen(path) >= sizeof cfg.pidfile) {
            *cause = xasprintf("cannot use the pid file %s: %s", o->pidfile,
                               path ? "the path is too long" : strerror(errno));
            free(path);
            return CORE_ERR_IO;
        }
        memcpy(cfg.pidfile, path, strlen(path) + 1);
        free(path);
    }
    if (o->daemon)
        return run_daemon(o, cause);
    run_gfs(o);
    if (cfg.listening)
        return CORE_OK;
    *cause = xasprintf("cannot listen on %s%s", cfg.listen, o->logfile ? " (see the log)" : "");
    return CORE_ERR_IO;
}
