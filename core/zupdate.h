/*
 * zupdate.h - sending one record to a Z39.50 target with Extended
 * Services Record Update (the client side of `colophon serve
 * --allow-update`, serve.h): how an institution contributes a record to a
 * remote network zone and sends its edits of shared content there.
 *
 * The update is a blocking call bounded by the target's timeout: it
 * connects, sends the Init (with the target's user and password), the
 * update task package, and reads the answer.  The record goes as ISO 2709
 * in UTF-8 (record syntax USMARC), or as MARCXML when it is too long for
 * ISO 2709.  SRU targets cannot take updates (Extended Services are
 * Z39.50 only).
 *
 * Errors are messages (heap) and enum core_err codes as in z3950.h:
 * CORE_ERR_IO when the target cannot be reached or does not answer in
 * time, CORE_ERR_USER when it refuses the update (its Bib-1 diagnostic and
 * reason are quoted: "not logged in", "needs role cataloger", "locked").
 */
#ifndef CORE_ZUPDATE_H
#define CORE_ZUPDATE_H

#include "core.h"
#include "mms.h"
#include "targets.h"

#include "record.h"

enum core_zupdate_action {
    CORE_ZUPDATE_INSERT,  /* recordInsert: a new record; the target assigns its ID */
    CORE_ZUPDATE_REPLACE, /* recordReplace: record `id` gets r's content */
};

/*
 * Send r to target t.  For a replace, id names the record (sent as
 * recordIdOpaque); for an insert id is NULL.  On success id_out
 * (CORE_MMS_MAX bytes) receives the task package's targetReference: the
 * ID of the record written (a `colophon serve` answers with the MMS ID).
 * CORE_OK, or an error code with *error (heap) naming the target.
 */
int core_zupdate(const struct core_target *t, enum core_zupdate_action action, const char *id,
                 const struct marc_record *r, char *id_out, char **error /* OUT */);

#endif
