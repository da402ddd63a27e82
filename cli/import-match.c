/*
 * import-match.c - `colophon import --match oclc FILE`: the gateway import
 * (SPEC §3.5, core/merge.h) as the command line shows it: one line per
 * record of the file as it is done (stdout), the counts per outcome at the
 * end, a progress bar on a terminal.  Nothing is silent: every record of
 * the file gets a line, whatever happened to it.
 */
#include "cli.h"

#include "core.h"
#include "merge.h"
#include "repo.h"

#include <stdlib.h>
#include <string.h>

struct gw_print {
    const char *name;
    bool quiet;
    struct cli_progress *bar;
};

static void
on_line(void *ctx, const struct core_gateway_line *l)
{
    struct gw_print *p = ctx;
    cli_progress_clear();
    printf("%s: record %ld: %s", p->name, l->record, core_gateway_outcome_name(l->outcome));
    if (l->mms[0])
        printf(" %s", l->mms);
    if (l->oclc[0])
        printf(" (OCLC %s)", l->oclc);
    if (l->title[0])
        printf(" \"%.60s%s\"", l->title, strlen(l->title) > 60 ? "..." : "");
    printf(": %s\n", l->detail);
    fflush(stdout);
}

static void
on_progress(void *ctx, long long done, long long total, long records)
{
    struct gw_print *p = ctx;
    if (!p->bar)
        p->bar = cli_progress_start("gateway import", total, p->quiet);
    cli_progress_update(p->bar, done, records);
}

int
cli_import_match(const struct cli_verb *v, struct core_repo *repo, const char *file, int zone,
                 int format, bool quiet, bool verbose)
{
    const char *name = strcmp(file, "-") == 0 ? "<stdin>" : file;
    struct gw_print p = {.name = name, .quiet = quiet};
    /* Errors (a record refused, malformed) name the record; the warnings of
     * validation would be a line per field of a whole file: -v shows them. */
    struct cli_diag_sink sink = {.source = name, .verbose = verbose, .quiet_warnings = !verbose};
    struct core_gateway_opts o = {
        .zone = (enum core_zone)zone,
        .format = (enum marc_format)format,
        .diag = cli_print_diag,
        .diag_ctx = &sink,
        .line = on_line,
        .line_ctx = &p,
        .progress = on_progress,
        .progress_ctx = &p,
    };
    struct core_gateway_report rep;
    int rc = core_gateway_import(repo, file, &o, &rep);
    cli_progress_end(p.bar);
    if (rc != CORE_OK) {
        int status = cli_core_error(v, repo, rc);
        long done = 0;
        for (int k = 0; k < CORE_GW_NOUTCOMES; k++)
            done += rep.count[k];
        if (done > 0)
            cli_error("%s: the %ld record(s) reported above were done; running the import again "
                      "matches them again (created records are then overlaid, not doubled)",
                      name, done);
        return status;
    }
    long conflicts = 0;
    printf("%s: records %ld", name, rep.records);
    for (int k = 0; k < CORE_GW_NOUTCOMES; k++) {
        printf(", %s %ld", core_gateway_outcome_name((enum core_gateway_outcome)k), rep.count[k]);
        if (core_gateway_outcome_conflict((enum core_gateway_outcome)k))
            conflicts += rep.count[k];
    }
    printf("\n");
    fflush(stdout);
    if (rep.count[CORE_GW_REFUSED] > 0) {
        cli_error("%s: %ld record(s) refused (bad data, reasons above)", name,
                  rep.count[CORE_GW_REFUSED]);
        return CLI_USER;
    }
    if (conflicts > 0) {
        cli_error("%s: %ld record(s) not imported (multiple matches, locked or protected: "
                  "listed above)",
                  name, conflicts);
        return CLI_CONFLICT;
    }
    return CLI_OK;
}
