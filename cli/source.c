/*
 * source.c - reading the external record of a copy-cataloging verb (see
 * source.h).  A file is tried first, so that a file named like a target or
 * a number is still a file; then a configured Z39.50/SRU target (record N
 * of the user's last search of it, targets.h); then an MMS ID.
 */
#include "source.h"

#include "core.h"
#include "mms.h"
#include "reader.h"
#include "repo.h"
#include "targets.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int
read_file(const char *path, long number, struct marc_record *r, char *label, size_t size)
{
    struct cli_diag_sink sink = {.source = path};
    struct marc_read_opts o = {.diag = cli_print_diag, .diag_ctx = &sink};
    char *cause = NULL;
    struct marc_reader *rd = marc_reader_open(path, &o, &cause);
    if (!rd) {
        cli_error("%s", cause);
        free(cause);
        return CLI_IO;
    }
    struct marc_record *tmp = marc_record_new();
    long n = 0;
    int rc;
    while ((rc = marc_reader_next(rd, tmp)) == 1) {
        n++;
        if (n == number || (number == 0 && n == 1))
            marc_record_copy(r, tmp);
        if (number > 0 && n == number)
            break;
    }
    marc_record_free(tmp);
    marc_reader_close(rd);
    if (rc < 0)
        return rc == MARC_ERR_IO ? CLI_IO : CLI_USER; /* the reader reported it */
    if (n == 0) {
        cli_error("%s holds no record", path);
        return CLI_USER;
    }
    if (number > n) {
        cli_error("%s holds %ld record(s); there is no record %ld", path, n, number);
        return CLI_USER;
    }
    if (number == 0 && n > 1) {
        cli_error("%s holds %ld records; choose one with --record N", path, n);
        return CLI_USER;
    }
    if (number > 0)
        snprintf(label, size, "%s record %ld", path, number);
    else
        snprintf(label, size, "%s", path);
    return CLI_OK;
}

/* Record `number` of the acting user's last search of target t (0: its only hit). */
static int
read_target(struct core_repo *repo, const char *target, long number, struct marc_record *r,
            char *label, size_t size)
{
    char query[512];
    long hits = 0;
    int rc = core_external_last(repo, target, query, sizeof query, &hits);
    if (rc == CORE_ERR_NOTFOUND) {
        cli_error("%s is a target you have not searched yet: search it first ('colophon "
                  "external search %s QUERY'), then take a record of the results with --record N",
                  target, target);
        return CLI_USER;
    }
    if (rc == CORE_OK && number == 0 && hits != 1) {
        cli_error("the last search of %s ('%s') found %ld records; choose one with --record N",
                  target, query, hits);
        return CLI_USER;
    }
    if (rc == CORE_OK)
        rc = core_external_record(repo, target, number ? number : 1, r);
    if (rc != CORE_OK) {
        cli_error("%s", core_repo_errmsg(repo));
        return cli_exit_for(rc);
    }
    snprintf(label, size, "%s record %ld ('%s')", target, number ? number : 1, query);
    return CLI_OK;
}

int
cli_source_read(struct core_repo *repo, const char *source, long number, struct marc_record *r,
                char *label, size_t size)
{
    struct stat st;
    if (strcmp(source, "-") == 0 || stat(source, &st) == 0)
        return read_file(source, number, r, label, size);
    int saved = errno;
    struct core_target t;
    if (core_target_get(repo, source, &t) == CORE_OK)
        return read_target(repo, source, number, r, label, size);
    if (core_mms_parse(source, NULL, NULL) != CORE_MMS_NONE &&
        core_repo_zone_of(repo, source) >= 0) {
        if (number > 0) {
            cli_error("--record goes with a file; %s is a stored record", source);
            return CLI_USAGE;
        }
        struct core_record_info info;
        int rc = core_record_get(repo, source, r, &info);
        if (rc != CORE_OK) {
            cli_error("%s", core_repo_errmsg(repo));
            return cli_exit_for(rc);
        }
        if (info.deleted) {
            cli_error("%s has been deleted", source);
            return CLI_USER;
        }
        snprintf(label, size, "%s (%s)", source,
                 core_zone_name((enum core_zone)core_repo_zone_of(repo, source)));
        return CLI_OK;
    }
    cli_error("'%s' is not a file (%s), a target ('colophon external list') nor an MMS ID of "
              "this repository",
              source, strerror(saved));
    return CLI_USER;
}
