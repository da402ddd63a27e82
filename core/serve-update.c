/*
 * serve-update.c - Z39.50 Extended Services record update for `colophon
 * serve --allow-update` (serve.h): recordInsert, recordReplace,
 * specialUpdate and recordDelete on the served zone, as the logged-in
 * user, through the same core calls the editor uses (create, open-save-
 * release, delete), so roles, validation, locks and versions apply.
 *
 * The record id is the MMS ID (ZOOM's recordIdOpaque), else the 001 of
 * the record sent when it is one of the zone's MMS IDs.  Every refusal is
 * a Bib-1 diagnostic with the reason as additional information, and goes
 * to the server's log.
 */
#include "serve-int.h"

#include "repo.h"
#include "z3950.h"

#include "buf.h"

#include <yaz/diagbib1.h>
#include <yaz/log.h>
#include <yaz/oid_db.h>
#include <yaz/prt-ext.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Diagnostics of a refused record, gathered into one line for the client. */
struct es_diags {
    struct marc_buf text;
    int errors;
};

static void
es_collect(void *ctx, const struct marc_diag *d)
{
    struct es_diags *e = ctx;
    if (d->severity != MARC_SEV_ERROR || e->errors++ >= 5)
        return;
    char *line = marc_diag_format(d, NULL);
    if (e->text.len)
        marc_buf_puts(&e->text, "; ");
    marc_buf_puts(&e->text, line);
    free(line);
}

struct es_result {
    int diag;
    char *addinfo;        /* heap */
    char mms[CORE_MMS_MAX];
};

static int
es_fail(struct es_result *res, int diag, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
es_fail(struct es_result *res, int diag, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(res->addinfo);
    res->addinfo = xvasprintf(fmt, ap);
    va_end(ap);
    res->diag = diag;
    yaz_log(YLOG_LOG, "update refused: %s", res->addinfo);
    return -1;
}

/* A core error as the Bib-1 diagnostic an ES client understands. */
static int
es_core_fail(const struct serve_update_ctx *s, struct es_result *res, int rc, const struct es_diags *d)
{
    const char *msg = core_repo_errmsg(s->repo);
    if (rc == CORE_ERR_ROLE)
        return es_fail(res, YAZ_BIB1_ES_PERMISSION_DENIED_ON_ES_CANNOT_MODIFY_OR_DELETE, "%s", msg);
    if (rc == CORE_ERR_CONFLICT)
        return es_fail(res, YAZ_BIB1_RECORD_CANNOT_BE_OPENED_BECAUSE_IT_IS_LOCKED, "%s", msg);
    if (rc == CORE_ERR_INVALID && d && d->text.len)
        return es_fail(res, YAZ_BIB1_ES_IMMEDIATE_EXECUTION_FAILED, "%s: %s", msg, d->text.data);
    return es_fail(res, YAZ_BIB1_ES_IMMEDIATE_EXECUTION_FAILED, "%s", msg);
}

/*
 * The MMS ID an update names: its record id when that is an MMS ID of the
 * served zone, else the record's 001 when that is one.  A record id of
 * another form ("0", a client's own key: yaz-client always sends one) names
 * nothing here, so an insert or specialUpdate of a record whose 001 is ours
 * still finds it.
 */
static void
es_target_mms(const struct serve_update_ctx *s, const Z_IUSuppliedRecords_elem *e, const struct marc_record *r,
              char *out)
{
    out[0] = '\0';
    if (e->which == Z_IUSuppliedRecords_elem_opaque && e->u.opaque && e->u.opaque->len > 0 &&
        e->u.opaque->len < CORE_MMS_MAX)
        snprintf(out, CORE_MMS_MAX, "%.*s", e->u.opaque->len, e->u.opaque->buf);
    else if (e->which == Z_IUSuppliedRecords_elem_number && e->u.number)
        snprintf(out, CORE_MMS_MAX, "%lld", (long long)*e->u.number);
    else if (e->which == Z_IUSuppliedRecords_elem_string && e->u.string &&
             strlen(e->u.string) < CORE_MMS_MAX)
        snprintf(out, CORE_MMS_MAX, "%s", e->u.string);
    if (out[0] && core_repo_zone_of(s->repo, out) != (int)s->zone)
        out[0] = '\0';
    if (!out[0] && r) {
        size_t len;
        const char *v = marc_record_value(r, "001", 0, &len);
        if (v && len < CORE_MMS_MAX)
            snprintf(out, CORE_MMS_MAX, "%.*s", (int)len, v);
        if (core_repo_zone_of(s->repo, out) != (int)s->zone)
            out[0] = '\0';
    }
}

/* True when mms is an undeleted record of the served zone. */
static bool
es_exists(const struct serve_update_ctx *s, const char *mms)
{
    struct core_record_info info;
    return mms[0] && core_repo_zone_of(s->repo, mms) == (int)s->zone &&
           core_record_get(s->repo, mms, NULL, &info) == CORE_OK && !info.deleted;
}

static int
es_decode(const Z_External *ext, struct marc_record *r, struct es_result *res)
{
    if (!ext || ext->which != Z_External_octet || !ext->u.octet_aligned)
        return es_fail(res, YAZ_BIB1_ES_IMMEDIATE_EXECUTION_FAILED,
                       "the record must be ISO 2709 or MARCXML (an octet string)");
    char *err = NULL;
    int rc = core_z3950_decode(ext->u.octet_aligned->buf, (size_t)ext->u.octet_aligned->len,
                               "auto", "the record sent", r, &err);
    if (rc != CORE_OK) {
        es_fail(res, YAZ_BIB1_ES_IMMEDIATE_EXECUTION_FAILED, "%s", err);
        free(err);
        return -1;
    }
    return 0;
}

static int
es_insert(const struct serve_update_ctx *s, struct marc_record *r, struct es_result *res)
{
    struct es_diags d = {MARC_BUF_INIT, 0};
    int rc = core_bib_create(s->repo, s->zone, r,
                             s->zone == CORE_ZONE_NZ ? "contribute" : "create", false, es_collect,
                             &d, res->mms);
    int out = rc == CORE_OK ? 0 : es_core_fail(s, res, rc, &d);
    marc_buf_free(&d.text);
    return out;
}

static int
es_replace(const struct serve_update_ctx *s, const char *mms, struct marc_record *r, struct es_result *res)
{
    int version;
    struct core_lock_info lock;
    struct marc_record *cur = marc_record_new();
    int rc = core_record_open(s->repo, mms, cur, &version, &lock);
    marc_record_free(cur);
    if (rc != CORE_OK)
        return es_core_fail(s, res, rc, NULL);
    struct es_diags d = {MARC_BUF_INIT, 0};
    rc = core_record_save(s->repo, mms, r, version, "edit", true, es_collect, &d, NULL);
    int out = 0;
    if (rc != CORE_OK) {
        out = es_core_fail(s, res, rc, &d);
        core_record_release(s->repo, mms);
    } else {
        snprintf(res->mms, sizeof res->mms, "%s", mms);
    }
    marc_buf_free(&d.text);
    return out;
}

static int
es_one(const struct serve_update_ctx *s, long long action, const Z_IUSuppliedRecords_elem *e,
       struct es_result *res)
{
    char mms[CORE_MMS_MAX];
    struct marc_record *r = marc_record_new();
    int out = 0;
    if (action == Z_IUOriginPartToKeep_recordDelete) {
        es_target_mms(s, e, NULL, mms);
        if (!es_exists(s, mms))
            out = es_fail(res, YAZ_BIB1_ES_IMMEDIATE_EXECUTION_FAILED,
                          "recordDelete needs the MMS ID of a record of the %s (recordIdOpaque)%s%s",
                          core_zone_name(s->zone), mms[0] ? ": no record " : "", mms);
        else if ((out = core_record_delete(s->repo, mms)) != CORE_OK)
            out = es_core_fail(s, res, out, NULL);
        else
            snprintf(res->mms, sizeof res->mms, "%s", mms);
    } else if (action == Z_IUOriginPartToKeep_elementUpdate) {
        out = es_fail(res, YAZ_BIB1_ES_IMMEDIATE_EXECUTION_FAILED,
                      "elementUpdate is not supported: send the whole record (recordReplace)");
    } else if ((out = es_decode(e->record, r, res)) == 0) {
        es_target_mms(s, e, r, mms);
        bool exists = es_exists(s, mms);
        if (action == Z_IUOriginPartToKeep_recordInsert && exists)
            out = es_fail(res, YAZ_BIB1_ES_IMMEDIATE_EXECUTION_FAILED,
                          "recordInsert: record %s exists (recordReplace or specialUpdate "
                          "changes it)",
                          mms);
        else if (action == Z_IUOriginPartToKeep_recordReplace && !exists)
            out = es_fail(res, YAZ_BIB1_ES_IMMEDIATE_EXECUTION_FAILED,
                          "recordReplace: no record %s in the %s", mms[0] ? mms : "named (no MMS ID of the zone as record id or in 001)",
                          core_zone_name(s->zone));
        else if (exists)
            out = es_replace(s, mms, r, res);
        else
            out = es_insert(s, r, res);
    }
    marc_record_free(r);
    return out;
}

/* The task package of a done update: targetReference is the MMS ID. */
static Z_TaskPackage *
es_task_package(ODR o, const Odr_oid *package_type, const Z_IUOriginPartToKeep *keep_in,
                const char *mms)
{
    Z_TaskPackage *tp = odr_malloc(o, sizeof *tp);
    memset(tp, 0, sizeof *tp);
    tp->packageType = odr_oiddup(o, package_type);
    tp->targetReference = odr_create_Odr_oct(o, mms, (int)strlen(mms));
    tp->taskStatus = odr_intdup(o, Z_TaskPackage_complete);
    Z_External *ext = odr_malloc(o, sizeof *ext);
    memset(ext, 0, sizeof *ext);
    ext->direct_reference = odr_oiddup(o, package_type);
    ext->which = Z_External_update;
    ext->u.update = odr_malloc(o, sizeof *ext->u.update);
    ext->u.update->which = Z_IUUpdate_taskPackage;
    Z_IUUpdateTaskPackage *utp = odr_malloc(o, sizeof *utp);
    ext->u.update->u.taskPackage = utp;
    Z_IUOriginPartToKeep *keep = odr_malloc(o, sizeof *keep);
    memset(keep, 0, sizeof *keep);
    keep->action = odr_intdup(o, *keep_in->action);
    keep->databaseName = odr_strdup(o, keep_in->databaseName ? keep_in->databaseName : "");
    Z_IUTargetPart *target = odr_malloc(o, sizeof *target);
    memset(target, 0, sizeof *target);
    target->updateStatus = odr_intdup(o, Z_IUTargetPart_success);
    target->globalDiagnostics = (Z_DiagRec **)odr_nullval();
    target->num_taskPackageRecords = 1;
    target->taskPackageRecords = odr_malloc(o, sizeof *target->taskPackageRecords);
    Z_IUTaskPackageRecordStructure *tr = odr_malloc(o, sizeof *tr);
    memset(tr, 0, sizeof *tr);
    tr->which = Z_IUTaskPackageRecordStructure_record;
    tr->u.record = z_ext_record_sutrs(o, mms, (int)strlen(mms));
    tr->recordStatus = odr_intdup(o, Z_IUTaskPackageRecordStructure_success);
    target->taskPackageRecords[0] = tr;
    utp->originPart = keep;
    utp->targetPart = target;
    tp->taskSpecificParameters = ext;
    return tp;
}

bool
serve_database_ok(struct core_repo *repo, enum core_zone zone, const char *db)
{
    return strcasecmp(db, "Default") == 0 || strcasecmp(db, core_zone_name(zone)) == 0 ||
           strcmp(db, core_repo_zone_code(repo, zone)) == 0;
}

int
serve_update(const struct serve_update_ctx *s, const Z_External *ext, ODR o,
             const Odr_oid *package_type, Z_TaskPackage **tp, int *diag, char **addinfo)
{
    struct es_result res = {0};
    const Z_IUUpdateEsRequest *req = NULL;
    if (!ext || ext->which != Z_External_update)
        es_fail(&res, YAZ_BIB1_ES_EXTENDED_SERVICE_TYPE_UNSUPP,
                "only record update (Extended Services Update, version 3)");
    else if (!s->allow_update)
        es_fail(&res, YAZ_BIB1_ES_PERMISSION_DENIED_ON_ES_ID_NOT_AUTHORIZED,
                "this server is read-only (colophon serve --allow-update accepts updates)");
    else if (!s->logged_in)
        es_fail(&res, YAZ_BIB1_ES_PERMISSION_DENIED_ON_ES_ID_NOT_AUTHORIZED,
                "updates need a user and password in the Init");
    else if (ext->u.update->which != Z_IUUpdate_esRequest ||
             !(req = ext->u.update->u.esRequest)->toKeep || !req->toKeep->action)
        es_fail(&res, YAZ_BIB1_ES_IMMEDIATE_EXECUTION_FAILED, "no update request");
    else if (req->toKeep->databaseName &&
             !serve_database_ok(s->repo, s->zone, req->toKeep->databaseName))
        es_fail(&res, YAZ_BIB1_DATABASE_UNAVAILABLE,
                "database '%s' is not served here (Default, %s or %s)", req->toKeep->databaseName,
                core_zone_name(s->zone), core_repo_zone_code(s->repo, s->zone));
    else if (!req->notToKeep || req->notToKeep->num < 1)
        es_fail(&res, YAZ_BIB1_ES_IMMEDIATE_EXECUTION_FAILED, "no record supplied");
    for (int i = 0; !res.diag && req && i < req->notToKeep->num; i++)
        es_one(s, *req->toKeep->action, req->notToKeep->elements[i], &res);
    *tp = NULL;
    *diag = res.diag;
    *addinfo = res.addinfo;
    if (res.diag)
        return CORE_ERR_USER;
    yaz_log(YLOG_LOG, "update by %s: action %lld -> %s", core_repo_user(s->repo),
            (long long)*req->toKeep->action, res.mms);
    *tp = es_task_package(o, package_type, req->toKeep, res.mms);
    return CORE_OK;
}
