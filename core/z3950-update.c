/*
 * z3950-update.c - Extended Services Record Update as a client (zupdate.h):
 * one record sent to a Z39.50 target through libyaz's ZOOM package API.
 *
 * Besides z3950.c, the only file that includes <yaz/zoom.h>; it keeps
 * apart from the search client because an update is one blocking round
 * trip (connect, Init, ES request) with ZOOM's own timeout, where a search
 * must be polled by a screen that keeps drawing.
 */
#include "zupdate.h"

#include "buf.h"
#include "iso2709.h"
#include "marcxml.h"

#include <yaz/zoom.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The record as sent: ISO 2709 (UTF-8), or MARCXML when it is too long for that. */
static int
encode_record(const struct marc_record *r, struct marc_buf *out, const char **syntax)
{
    *syntax = "usmarc";
    if (marc_iso2709_encode(r, out, NULL) == 0)
        return CORE_OK;
    marc_buf_reset(out);
    *syntax = "xml";
    return marc_marcxml_encode(r, out, NULL) == 0 ? CORE_OK : CORE_ERR_INVALID;
}

/* The connection's error as a message; CORE_ERR_IO for the network, else CORE_ERR_USER. */
static int
update_error(const struct core_target *t, ZOOM_connection c, char **error)
{
    const char *msg = NULL, *addinfo = NULL, *set = NULL;
    int e = ZOOM_connection_error_x(c, &msg, &addinfo, &set);
    const char *add = addinfo && *addinfo ? addinfo : NULL;
    if (e == ZOOM_ERROR_CONNECT) {
        *error = xasprintf("cannot connect to %s (%s): nothing answers there", t->name, t->address);
        return CORE_ERR_IO;
    }
    if (e == ZOOM_ERROR_TIMEOUT) {
        *error = xasprintf("no answer from %s (%s) within %d s", t->name, t->address, t->timeout);
        return CORE_ERR_IO;
    }
    if (e == ZOOM_ERROR_CONNECTION_LOST || e == ZOOM_ERROR_DECODE) {
        *error = xasprintf("%s (%s) closed the connection before answering the update", t->name,
                           t->address);
        return CORE_ERR_IO;
    }
    if (e == ZOOM_ERROR_INIT) {
        *error = xasprintf("%s refused the connection (Init)%s%s%s", t->name, add ? ": " : "",
                           add ? add : "", t->user[0] ? " (check its user and password)" : "");
        return CORE_ERR_USER;
    }
    *error = xasprintf("%s refused the update (%s diagnostic %d: %s%s%s)", t->name,
                       set && *set ? set : "Bib-1", e, msg ? msg : "", add ? ": " : "",
                       add ? add : "");
    return CORE_ERR_USER;
}

static ZOOM_options
connection_options(const struct core_target *t)
{
    char num[32];
    ZOOM_options o = ZOOM_options_create();
    ZOOM_options_set(o, "implementationName", "Colophon");
    snprintf(num, sizeof num, "%d", t->timeout);
    ZOOM_options_set(o, "timeout", num);
    if (t->user[0])
        ZOOM_options_set(o, "user", t->user);
    if (t->password[0])
        ZOOM_options_set(o, "password", t->password);
    return o;
}

/* Send the package on an open connection; CORE_OK with id_out, or the error. */
static int
send_package(const struct core_target *t, ZOOM_connection c, enum core_zupdate_action action,
             const char *id, const struct marc_buf *rec, const char *syntax, char *id_out,
             char **error)
{
    ZOOM_package p = ZOOM_connection_package(c, NULL);
    ZOOM_package_option_set(p, "action",
                            action == CORE_ZUPDATE_INSERT ? "recordInsert" : "recordReplace");
    if (id)
        ZOOM_package_option_set(p, "recordIdOpaque", id);
    ZOOM_package_option_set(p, "syntax", syntax);
    ZOOM_package_option_setl(p, "record", rec->data, (int)rec->len);
    ZOOM_package_send(p, "update");
    int rc = CORE_OK;
    if (ZOOM_connection_error(c, NULL, NULL) != ZOOM_ERROR_NONE) {
        rc = update_error(t, c, error);
    } else {
        const char *ref = ZOOM_package_option_get(p, "targetReference");
        const char *status = ZOOM_package_option_get(p, "operationStatus");
        if (status && strcmp(status, "done") != 0) {
            *error = xasprintf("%s did not carry out the update (its status: %s)", t->name, status);
            rc = CORE_ERR_USER;
        } else if (!ref || !*ref || strlen(ref) >= CORE_MMS_MAX) {
            *error = xasprintf("%s accepted the update but did not say which record it wrote "
                               "(no targetReference)",
                               t->name);
            rc = CORE_ERR_USER;
        } else {
            snprintf(id_out, CORE_MMS_MAX, "%s", ref);
        }
    }
    ZOOM_package_destroy(p);
    return rc;
}

int
core_zupdate(const struct core_target *t, enum core_zupdate_action action, const char *id,
             const struct marc_record *r, char *id_out, char **error)
{
    *error = NULL;
    id_out[0] = '\0';
    if (t->proto == CORE_TARGET_SRU) {
        *error = xasprintf("%s (%s) is an SRU address; record updates need Z39.50 (Extended "
                           "Services): give the server's host:port/database",
                           t->name, t->address);
        return CORE_ERR_USER;
    }
    struct marc_buf rec = MARC_BUF_INIT;
    const char *syntax;
    if (encode_record(r, &rec, &syntax) != CORE_OK) {
        marc_buf_free(&rec);
        *error = xasprintf("the record cannot be sent to %s: it is neither ISO 2709 nor MARCXML "
                           "material",
                           t->name);
        return CORE_ERR_INVALID;
    }
    ZOOM_options o = connection_options(t);
    ZOOM_connection c = ZOOM_connection_create(o);
    ZOOM_connection_connect(c, t->address, 0); /* blocking: connect and Init */
    int rc = ZOOM_connection_error(c, NULL, NULL) != ZOOM_ERROR_NONE
                 ? update_error(t, c, error)
                 : send_package(t, c, action, id, &rec, syntax, id_out, error);
    ZOOM_connection_destroy(c);
    ZOOM_options_destroy(o);
    marc_buf_free(&rec);
    return rc;
}
