/*
 * verb-merge.c - `colophon merge`: copy cataloging (SPEC §3.5, seed 002).
 * Copy & Merge (the default, best practice), Copy & Overlay and Import of
 * an external record onto, or next to, a local bib.
 *
 * The core plans and applies (core/merge.h); this verb reads the external
 * record (a file, a target's search result or a stored record, source.h),
 * shows the plan as a
 * cataloger checks it in Alma before pressing the button -- which fields
 * come, go and survive, side by side on a wide terminal -- then asks on a
 * terminal, applies at once with --yes, and only previews with --dry-run
 * or when there is no one to ask.
 */
#include "cli.h"
#include "diffview.h"
#include "source.h"

#include "core.h"
#include "match.h"
#include "merge.h"
#include "repo.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char merge_usage[] =
    "Usage: colophon merge MMSID --from SOURCE [OPTIONS]           Copy & Merge\n"
    "       colophon merge MMSID --from SOURCE --overlay [OPTIONS] Copy & Overlay\n"
    "       colophon merge [MMSID] --from SOURCE --import [OPTIONS] Import\n"
    "\n"
    "Copy cataloging: bring a better record from outside onto the local\n"
    "bibliographic record MMSID.\n"
    "\n"
    "  Copy & Merge    (the default; best practice) the merge rule combines the two:\n"
    "                  the external record's content replaces the local record's\n"
    "                  shared fields, the local 001, 035s and 9XX stay (with the\n"
    "                  default rule).  A monograph (leader/07 m) loses its 998, which\n"
    "                  makes it eligible for future overlays.  Saved as reason 'merge'.\n"
    "  --overlay       Copy & Overlay: the external record replaces the whole record\n"
    "                  except the local fields (9XX and config link.local_tags) and\n"
    "                  001.  Saved as reason 'overlay'.\n"
    "  --import        Import: a new record from the external one.  Records with one\n"
    "                  of its OCLC numbers are listed first: importing makes a\n"
    "                  duplicate of them.  MMSID is optional (the record you came from).\n"
    "The incoming normalization rule (config merge.normalize; by default serials\n"
    "get the 998 no-overlay field) runs on the result in all three.\n"
    "\n"
    "SOURCE is a file of records in any format (--record N picks one of several),\n"
    "a Z39.50 or SRU target (record N of your last 'colophon external search' of\n"
    "it), or the MMS ID of a record of this repository (a network zone record).\n"
    "\n"
    "First comes the preview, the local record against the result:\n"
    "  = FIELD        survives unchanged\n"
    "  - FIELD        goes\n"
    "  + FIELD        comes from the external record\n"
    "  ~ FIELD        changes: the local field, then\n"
    "      -> FIELD   what it becomes\n"
    "(local fields are marked '(local)'); on a terminal of 120 columns or more the\n"
    "two records stand side by side instead.  On a terminal Colophon then asks;\n"
    "with --yes it applies at once; with --dry-run, or when standard input is not\n"
    "a terminal and --yes is not given, it only prints the preview.  Every merge\n"
    "and overlay is a new version: 'colophon revert' undoes it.\n"
    "\n"
    "Options:\n"
    "  -f, --from SOURCE    the external record (required): FILE, TARGET or MMSID\n"
    "  -r, --record N       record N of the file, or of the target's last search\n"
    "                       (1 = the first)\n"
    "  -o, --overlay        Copy & Overlay instead of Copy & Merge\n"
    "  -i, --import         Import a new record\n"
    "  -R, --rule NAME      the stored merge rule for Copy & Merge (default: config\n"
    "                       merge.rule, else Colophon's default merge rule)\n"
    "  -z, --zone iz|nz     Import without MMSID: the zone of the new record (iz)\n"
    "  -y, --yes            apply without asking\n"
    "  -n, --dry-run        only print the preview\n"
    "      --side-by-side   the two-column preview whatever the terminal ($COLUMNS wide)\n"
    "      --unified        the marked lines whatever the terminal\n"
    "  -h, --help           show this help\n"
    "\n"
    "Copy & Merge and Copy & Overlay need the role cataloger-extended; Import needs\n"
    "cataloger.\n"
    "\n"
    "Exit status: 0 applied or previewed; 1 refused (role, no such record, bad\n"
    "source, rule, validation errors) or not confirmed; 2 usage; 3 the record is\n"
    "locked by someone else or changed since the preview; 4 I/O or database error.\n";

struct merge_opts {
    const char *mms;
    const char *from;
    long record;
    enum core_merge_mode mode;
    const char *rule;
    int zone;
    bool yes;
    bool dry_run;
    int view; /* -1 choose, 0 lines, 1 side by side */
};

static int
parse_record_number(const char *s, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < 1 || v > 100000000)
        return -1;
    *out = v;
    return 0;
}

static int
set_mode(struct merge_opts *o, enum core_merge_mode m)
{
    if (o->mode != CORE_MERGE_MERGE && o->mode != m)
        return cli_usage_error(&cli_verb_merge, "--overlay and --import exclude each other");
    o->mode = m;
    return CLI_OK;
}

static int
parse_args(int argc, char **argv, struct merge_opts *o)
{
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'},   {"record", required_argument, NULL, 'r'},
        {"overlay", no_argument, NULL, 'o'},      {"import", no_argument, NULL, 'i'},
        {"rule", required_argument, NULL, 'R'},   {"zone", required_argument, NULL, 'z'},
        {"yes", no_argument, NULL, 'y'},          {"dry-run", no_argument, NULL, 'n'},
        {"side-by-side", no_argument, NULL, 'S'}, {"unified", no_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_merge;
    memset(o, 0, sizeof *o);
    o->zone = -1;
    o->view = -1;
    int c, st;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "f:r:oiR:z:ynh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            o->from = optarg;
            break;
        case 'r':
            if (parse_record_number(optarg, &o->record) < 0)
                return cli_usage_error(v, "--record takes a record number (1, 2, ...), not '%s'",
                                       optarg);
            break;
        case 'o':
        case 'i':
            if ((st = set_mode(o, c == 'o' ? CORE_MERGE_OVERLAY : CORE_MERGE_IMPORT)) != CLI_OK)
                return st;
            break;
        case 'R':
            o->rule = optarg;
            break;
        case 'z':
            o->zone = core_zone_parse(optarg);
            if (o->zone != CORE_ZONE_IZ && o->zone != CORE_ZONE_NZ)
                return cli_usage_error(v, "--zone takes iz or nz, not '%s'", optarg);
            break;
        case 'y':
            o->yes = true;
            break;
        case 'n':
            o->dry_run = true;
            break;
        case 'S':
        case 'U':
            o->view = c == 'S';
            break;
        case 'h':
            return cli_print_usage(v) - 1;
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    int npos = argc - optind;
    if (npos > 1)
        return cli_usage_error(v, "one MMSID at a time (got '%s' and '%s')", argv[optind],
                               argv[optind + 1]);
    o->mms = npos == 1 ? argv[optind] : NULL;
    if (!o->from || !*o->from)
        return cli_usage_error(v, "--from SOURCE is required (a file or an MMS ID)");
    if (!o->mms && o->mode != CORE_MERGE_IMPORT)
        return cli_usage_error(v, "%s needs the MMSID of the local record",
                               core_merge_mode_name(o->mode));
    if (o->rule && o->mode != CORE_MERGE_MERGE)
        return cli_usage_error(v, "--rule goes with Copy & Merge (a merge rule)");
    if (o->zone >= 0 && (o->mode != CORE_MERGE_IMPORT || o->mms))
        return cli_usage_error(v, "--zone goes with --import without MMSID");
    if (o->yes && o->dry_run)
        return cli_usage_error(v, "--yes and --dry-run contradict each other");
    return CLI_OK;
}

/* ---- the preview ---- */

static bool
local_tag(void *ctx, const char *tag)
{
    return core_local_tag(ctx, tag);
}

static void
print_header(const struct core_merge_plan *p, const char *source)
{
    if (p->mode == CORE_MERGE_IMPORT) {
        printf("Import from %s: a new record in the %s", source, core_zone_name(p->zone));
        if (p->mms[0])
            printf(" (beside %s \"%s\")", p->mms, p->title);
        printf("\n");
    } else {
        printf("%s from %s onto %s \"%s\" (version %d)\n", core_merge_mode_name(p->mode), source,
               p->mms, p->title, p->base_version);
    }
    if (p->mode == CORE_MERGE_MERGE)
        printf("  merge rule: %s\n", p->rule);
    if (p->normalize[0])
        printf("  normalization: %s (%d change%s)\n", p->normalize, p->normalize_changes,
               p->normalize_changes == 1 ? "" : "s");
    else
        printf("  normalization: none (config merge.normalize is 'none')\n");
    if (p->removed_998)
        printf("  998 removed: a monograph (leader/07 m) is eligible for future overlays\n");
}

static void
print_preview(const struct core_merge_plan *p, const struct merge_opts *o, const char *source,
              struct core_local_tags *tags)
{
    print_header(p, source);
    struct cli_diffview v = {.is_local = local_tag, .local_ctx = tags};
    cli_diffview_choose(&v, o->view);
    char left[160], right[64];
    snprintf(left, sizeof left, "%s (version %d)", p->mms, p->base_version);
    snprintf(right, sizeof right, "after %s", core_merge_mode_name(p->mode));
    v.left = p->mode == CORE_MERGE_IMPORT ? "(no record)" : left;
    v.right = p->mode == CORE_MERGE_IMPORT ? "the new record (001: its new MMS ID)" : right;
    struct marc_record *empty = marc_record_new();
    struct cli_diffcount n;
    if (p->mode == CORE_MERGE_IMPORT) {
        /* the new record's own leader on both sides: only its fields come */
        marc_record_set_leader(empty, marc_record_leader(p->result), MARC_LEADER_LEN);
        cli_diffview_print(stdout, empty, p->result, &v, &n);
        printf("%zu field(s) in the new record\n", n.added);
    } else {
        cli_diffview_print(stdout, p->local, p->result, &v, &n);
        printf("%zu field(s) come, %zu go, %zu change, %zu survive (%zu local)%s\n", n.added,
               n.removed, n.changed, n.same, p->local_fields,
               n.leader_changed ? "; the leader changes" : "");
    }
    marc_record_free(empty);
}

/* Records that share an OCLC number: Import warns, a merge notes the duplicates to come. */
static void
print_dups(const struct core_merge_plan *p)
{
    if (!p->ndups)
        return;
    if (p->mode == CORE_MERGE_IMPORT)
        printf("Warning: %zu record(s) of the %s have the same OCLC number; importing makes a "
               "duplicate (Copy & Merge onto one of them instead):\n",
               p->ndups, core_zone_name(p->zone));
    else
        printf("Note: %zu other record(s) of the %s have the same OCLC number (gateway imports "
               "will find several matches):\n",
               p->ndups, core_zone_name(p->zone));
    for (size_t i = 0; i < p->ndups; i++)
        printf("  %s  \"%s\"  (%s)\n", p->dups[i].mms, p->dups[i].title, p->dups[i].how);
}

/* ---- asking and applying ---- */

static bool
confirm(const char *question)
{
    fputs(question, stderr);
    fflush(stderr);
    char line[64];
    if (!fgets(line, sizeof line, stdin))
        return false;
    char *s = line;
    while (*s == ' ')
        s++;
    return (s[0] == 'y' || s[0] == 'Y') &&
           (s[1] == '\n' || s[1] == '\0' || s[1] == '\r' || strncasecmp(s, "yes", 3) == 0);
}

static void
print_done(const struct core_merge_plan *p)
{
    if (p->mode == CORE_MERGE_IMPORT) {
        printf("Imported as %s.\n", p->created);
        return;
    }
    printf("%s: %s is now version %d (reason %s); 'colophon revert %s %d' undoes it.\n",
           core_merge_mode_name(p->mode), p->mms, p->new_version,
           p->mode == CORE_MERGE_MERGE ? "merge" : "overlay", p->mms, p->base_version);
}

static int
decide(struct core_repo *repo, struct core_merge_plan *p, const struct merge_opts *o)
{
    const struct cli_verb *v = &cli_verb_merge;
    if (p->lock.locked) {
        char since[32];
        core_format_time(p->lock.since, since, sizeof since);
        cli_error("%s is %s %s (since %s): nothing was changed", p->mms,
                  p->lock.assigned ? "assigned to" : "locked by", p->lock.user, since);
        return CLI_CONFLICT;
    }
    bool interactive = !o->yes && !o->dry_run && isatty(STDIN_FILENO);
    if (o->dry_run || (!o->yes && !interactive)) {
        fprintf(stderr, "%s: nothing was changed%s.\n", o->dry_run ? "Dry run" : "Preview only",
                o->dry_run ? "" : " (standard input is not a terminal: give --yes to apply)");
        return CLI_OK;
    }
    if (interactive) {
        char q[64];
        snprintf(q, sizeof q, "%s%s? [y/N] ", core_merge_mode_name(p->mode),
                 p->mode == CORE_MERGE_IMPORT && p->ndups ? " anyway" : "");
        if (!confirm(q)) {
            fprintf(stderr, "Nothing was changed.\n");
            return CLI_USER;
        }
    }
    struct cli_diag_sink sink = {0};
    int rc = core_merge_apply(repo, p, cli_print_diag, &sink);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    print_done(p);
    return CLI_OK;
}

static int
merge(struct core_repo *repo, const struct merge_opts *o)
{
    const struct cli_verb *v = &cli_verb_merge;
    struct marc_record *in = marc_record_new();
    char source[300];
    int status = cli_source_read(repo, o->from, o->record, in, source, sizeof source);
    if (status != CLI_OK) {
        marc_record_free(in);
        return status;
    }
    struct core_local_tags tags;
    core_local_tags_parse(core_config_get(repo, "link.local_tags", ""), &tags, NULL, 0);
    struct core_merge_plan p;
    int rc = core_merge_prepare(repo, o->mode, o->mms, o->zone < 0 ? CORE_ZONE_IZ : o->zone, in,
                                o->rule, &p);
    if (rc != CORE_OK) {
        status = cli_core_error(v, repo, rc);
    } else {
        print_preview(&p, o, source, &tags);
        print_dups(&p);
        fflush(stdout);
        status = decide(repo, &p, o);
    }
    core_merge_plan_free(&p);
    marc_record_free(in);
    return status;
}

static int
run_merge(const struct cli_globals *g, int argc, char **argv)
{
    struct merge_opts o;
    int status = parse_args(argc, argv, &o);
    if (status != CLI_OK)
        return status < 0 ? CLI_OK : status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    status = merge(repo, &o);
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_merge = {
    .name = "merge",
    .summary = "Copy & Merge, Copy & Overlay or Import an external record (copy cataloging)",
    .run = run_merge,
    .usage = merge_usage,
};
