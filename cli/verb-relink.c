/*
 * verb-relink.c - `colophon relink ID --to TARGET`: move a holdings record
 * with its items to another bib, or an item to another holdings record
 * (SPEC §3.3, seed 000).
 *
 * The core plans and moves (core/relink.h); this verb shows the plan the
 * way an inventory operator checks it before pressing Relink in Alma --
 * what moves with its barcodes, what the source keeps, whether it is left
 * without holdings -- then asks on a terminal, relinks at once with --yes,
 * and only previews with --dry-run or when there is no one to ask.  When
 * the source bib is left empty it says so and offers to keep or delete it.
 */
#include "cli.h"

#include "core.h"
#include "relink.h"
#include "repo.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char relink_usage[] =
    "Usage: colophon relink [OPTIONS] ID --to TARGET\n"
    "\n"
    "Move inventory to another record (Alma's Relink).  ID is what moves:\n"
    "  a holdings record (22...)  the holdings record and all its items go to the\n"
    "                             bibliographic record TARGET, given by MMS ID,\n"
    "                             OCLC number ((OCoLC)ocm00012345, oclc:12345;\n"
    "                             cancelled numbers count) or ISBN\n"
    "                             (isbn:0-306-40615-2; bare digits are tried as\n"
    "                             ISBN and OCLC number)\n"
    "  an item (23... or barcode) the item goes to the holdings record TARGET\n"
    "                             (22...)\n"
    "'colophon show MMSID --holdings' lists a bib's holdings and items.\n"
    "\n"
    "First comes the preview: what moves (holdings, items with their barcodes),\n"
    "what the source bib keeps, and whether it is left without holdings.  On a\n"
    "terminal Colophon then asks; with --yes it relinks at once; with --dry-run,\n"
    "or when standard input is not a terminal and --yes is not given, it only\n"
    "prints the preview.  Targets are never remembered: each relink names its own.\n"
    "\n"
    "The holdings record's 004 becomes the new bib's MMS ID, and every bib and\n"
    "holdings record that loses or gains inventory gets a new version (reason\n"
    "'relink', content unchanged), so 'colophon versions MMSID' shows who\n"
    "relinked and when.  A bib left without holdings stays (found only under All\n"
    "titles): Colophon says so and, on a terminal, asks whether to keep or delete\n"
    "it.  Deleting needs the role cataloger-extended, and a bib linked to the\n"
    "network zone must be unlinked first.\n"
    "\n"
    "Holdings belong to the institution zone: a target found in the network zone\n"
    "(--zone nz, or an NZ MMS ID) means the IZ bib linked to that NZ record.\n"
    "\n"
    "Options:\n"
    "  -t, --to TARGET            where the holdings or item go (required)\n"
    "  -z, --zone iz|nz           where to look TARGET up (default: the zone of ID)\n"
    "  -y, --yes                  relink without asking\n"
    "  -n, --dry-run              only print the preview\n"
    "  -D, --delete-empty-source  delete the source bib if it is left without\n"
    "                             holdings (cataloger-extended)\n"
    "  -h, --help                 show this help\n"
    "\n"
    "Needs the role inventory.\n"
    "\n"
    "Exit status: 0 relinked or previewed; 1 refused (role, no such record,\n"
    "target deleted or the same, other zone) or not confirmed; 2 usage; 3 a\n"
    "record is locked by someone else, or the target matches several records;\n"
    "4 database error.\n";

struct relink_opts {
    const char *id;
    const char *to;
    int zone; /* -1: the inventory's */
    bool yes;
    bool dry_run;
    bool delete_empty;
};

static int
parse_args(int argc, char **argv, struct relink_opts *o)
{
    static const struct option longopts[] = {
        {"to", required_argument, NULL, 't'},
        {"zone", required_argument, NULL, 'z'},
        {"yes", no_argument, NULL, 'y'},
        {"dry-run", no_argument, NULL, 'n'},
        {"delete-empty-source", no_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_relink;
    memset(o, 0, sizeof *o);
    o->zone = -1;
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "t:z:ynDh", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            o->to = optarg;
            break;
        case 'z':
            o->zone = core_zone_parse(optarg);
            if (o->zone < 0)
                return cli_usage_error(v, "unknown zone '%s' (iz or nz)", optarg);
            break;
        case 'y':
            o->yes = true;
            break;
        case 'n':
            o->dry_run = true;
            break;
        case 'D':
            o->delete_empty = true;
            break;
        case 'h':
            return cli_print_usage(v) - 1;
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error(v, "expected the ID of a holdings record or item");
    if (optind + 1 < argc)
        return cli_usage_error(v, "one ID at a time (got '%s' and '%s')", argv[optind],
                               argv[optind + 1]);
    o->id = argv[optind];
    if (!o->to || !*o->to)
        return cli_usage_error(v, "--to TARGET is required (a bib's MMS ID, OCLC number or ISBN; "
                                  "for an item, a holdings MMS ID)");
    if (o->yes && o->dry_run)
        return cli_usage_error(v, "--yes and --dry-run contradict each other");
    return CLI_OK;
}

/* ---- the preview ---- */

static void
print_holdings_line(const struct core_holdings_info *h, const char *indent)
{
    printf("%s%s  %s%s%s  %s  %d item(s)\n", indent, h->mms, h->library[0] ? h->library : "-",
           h->location[0] ? " / " : "", h->location,
           h->call_number[0] ? h->call_number : "(no call number)", h->items);
}

static void
print_item_line(const struct core_item_info *it, const char *indent)
{
    printf("%s%s  barcode %s  %s%s%s\n", indent, it->mms, it->barcode[0] ? it->barcode : "(none)",
           it->description, it->description[0] ? "  " : "", core_item_status_name(it->status));
}

static void
print_bib_line(const char *label, const struct core_relink_bib *b)
{
    printf("  %s %s  \"%s\"  (%d holdings, %d items)", label, b->mms, b->title, b->holdings,
           b->items);
    if (b->linked[0])
        printf("  linked to NZ %s", b->linked);
    if (b->deleted)
        printf("  DELETED");
    putchar('\n');
}

static void
print_holdings_plan(const struct core_relink_plan *p, const struct relink_opts *o)
{
    printf("Relink holdings %s and its %zu item(s)\n", p->holdings.mms, p->nitems);
    print_bib_line("from", &p->from);
    print_bib_line("to  ", &p->to);
    printf("  target found by %s\n", p->matched);
    printf("Moving:\n");
    print_holdings_line(&p->holdings, "  ");
    for (size_t i = 0; i < p->nitems; i++)
        print_item_line(&p->items[i], "      ");
    if (p->nkept) {
        printf("%s keeps %zu holdings record(s):\n", p->from.mms, p->nkept);
        for (size_t i = 0; i < p->nkept; i++)
            print_holdings_line(&p->kept[i], "  ");
    }
    printf("After: %s %d holdings, %d items; %s %d holdings, %d items.\n", p->from.mms,
           p->from.holdings_after, p->from.items_after, p->to.mms, p->to.holdings_after,
           p->to.items_after);
    if (!p->source_empty)
        return;
    printf("%s will have no holdings left: it will be found only under All titles, not "
           "Physical titles.\n",
           p->from.mms);
    if (p->delete_refusal[0])
        printf("It can then be kept, not deleted by you: %s.\n", p->delete_refusal);
    else if (o->delete_empty)
        printf("It will then be deleted (--delete-empty-source); its versions are kept.\n");
    else
        printf("It can then be kept or deleted.\n");
}

static void
print_item_plan(const struct core_relink_plan *p)
{
    const struct core_item_info *it = &p->items[0];
    printf("Relink item %s (barcode %s%s%s, %s)\n", it->mms, it->barcode[0] ? it->barcode : "none",
           it->description[0] ? ", " : "", it->description, core_item_status_name(it->status));
    printf("  from holdings ");
    print_holdings_line(&p->holdings, "");
    print_bib_line("     of", &p->from);
    printf("  to   holdings ");
    print_holdings_line(&p->to_holdings, "");
    print_bib_line("     of", &p->to);
    if (p->items_left)
        printf("Holdings %s keeps %d item(s).\n", p->holdings.mms, p->items_left);
    else
        printf("Holdings %s will have no items left.\n", p->holdings.mms);
    if (strcmp(p->from.mms, p->to.mms) != 0)
        printf("After: %s %d items; %s %d items.\n", p->from.mms, p->from.items_after, p->to.mms,
               p->to.items_after);
}

static void
print_candidates(const struct core_relink_plan *p)
{
    printf("Candidates (relink to one of them by its MMS ID):\n");
    for (size_t i = 0; i < p->ncandidates; i++) {
        const struct core_relink_candidate *c = &p->candidates[i];
        printf("  %s  \"%s\"%s%s%s%s  %d holdings  (%s)\n", c->mms, c->title,
               c->author[0] ? " / " : "", c->author, c->date[0] ? ", " : "", c->date, c->holdings,
               c->matched);
    }
}

/* ---- asking ---- */

/* The first word of the answer, lower-cased; "" at end of input. */
static void
ask(const char *question, char *answer, size_t size)
{
    fputs(question, stderr);
    fflush(stderr);
    answer[0] = '\0';
    char line[64];
    if (!fgets(line, sizeof line, stdin))
        return;
    size_t n = 0;
    for (char *c = line; *c && *c != '\n' && *c != '\r' && n + 1 < size; c++)
        if (*c != ' ')
            answer[n++] = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
    answer[n] = '\0';
}

static bool
yes_answer(const char *a)
{
    return strcmp(a, "y") == 0 || strcmp(a, "yes") == 0;
}

/* ---- after the move ---- */

static void
print_result(const struct core_relink_plan *p)
{
    if (p->kind == CORE_RELINK_HOLDINGS) {
        printf("Relinked holdings %s and its %zu item(s) from %s to %s.\n", p->holdings.mms,
               p->nitems, p->from.mms, p->to.mms);
        printf("Versions (reason relink): %s version %d, %s version %d, holdings %s version %d.\n",
               p->from.mms, p->from.version, p->to.mms, p->to.version, p->holdings.mms,
               p->holdings_version);
        return;
    }
    printf("Relinked item %s from holdings %s to holdings %s.\n", p->items[0].mms,
           p->holdings.mms, p->to_holdings.mms);
    printf("Versions (reason relink): holdings %s version %d, holdings %s version %d, %s version "
           "%d",
           p->holdings.mms, p->holdings_version, p->to_holdings.mms, p->to_holdings_version,
           p->from.mms, p->from.version);
    if (strcmp(p->from.mms, p->to.mms) != 0)
        printf(", %s version %d", p->to.mms, p->to.version);
    printf(".\n");
}

static int
delete_source(struct core_repo *repo, const struct core_relink_plan *p)
{
    int rc = core_record_delete(repo, p->from.mms);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_relink, repo, rc);
    printf("Deleted %s; its versions are kept ('colophon versions %s' lists them).\n",
           p->from.mms, p->from.mms);
    return CLI_OK;
}

/* The source bib is left without holdings: keep or delete it. */
static int
empty_source(struct core_repo *repo, const struct core_relink_plan *p,
             const struct relink_opts *o, bool interactive)
{
    printf("%s has no holdings left: it is now found only under All titles, not Physical "
           "titles.\n",
           p->from.mms);
    if (o->delete_empty)
        return delete_source(repo, p);
    if (p->delete_refusal[0]) {
        printf("It is kept (it cannot be deleted by you: %s).\n", p->delete_refusal);
        return CLI_OK;
    }
    if (interactive) {
        char a[16];
        ask("Keep it or delete it? [K/d] ", a, sizeof a);
        if (strcmp(a, "d") == 0 || strcmp(a, "delete") == 0)
            return delete_source(repo, p);
    }
    printf("It is kept; 'colophon delete %s' deletes it.\n", p->from.mms);
    return CLI_OK;
}

static int
relink(struct core_repo *repo, const struct relink_opts *o, const struct cli_globals *g)
{
    const struct cli_verb *v = &cli_verb_relink;
    struct core_relink_plan p;
    int rc = core_relink_preview(repo, o->id, o->to, o->zone, &p);
    bool interactive = !o->yes && !o->dry_run && isatty(STDIN_FILENO);
    int status = CLI_OK;
    if (p.resolved && !(o->yes && g->quiet)) {
        if (p.kind == CORE_RELINK_HOLDINGS)
            print_holdings_plan(&p, o);
        else
            print_item_plan(&p);
    }
    if (p.ncandidates)
        print_candidates(&p);
    if (rc != CORE_OK) {
        status = cli_core_error(v, repo, rc);
    } else if (o->dry_run || (!o->yes && !interactive)) {
        fprintf(stderr, "%s: nothing was relinked%s.\n", o->dry_run ? "Dry run" : "Preview only",
                o->dry_run ? "" : " (standard input is not a terminal: give --yes to relink)");
    } else {
        char a[16] = "y";
        if (interactive)
            ask("Relink? [y/N] ", a, sizeof a);
        if (!yes_answer(a)) {
            fprintf(stderr, "Nothing was relinked.\n");
            status = CLI_USER;
        } else if ((rc = core_relink_apply(repo, &p)) != CORE_OK) {
            status = cli_core_error(v, repo, rc);
        } else {
            print_result(&p);
            if (p.source_empty)
                status = empty_source(repo, &p, o, interactive);
        }
    }
    core_relink_plan_free(&p);
    return status;
}

static int
run_relink(const struct cli_globals *g, int argc, char **argv)
{
    struct relink_opts o;
    int status = parse_args(argc, argv, &o);
    if (status != CLI_OK)
        return status < 0 ? CLI_OK : status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    status = relink(repo, &o, g);
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_relink = {
    .name = "relink",
    .summary = "move holdings (with their items) to another bib, or an item to other holdings",
    .run = run_relink,
    .usage = relink_usage,
};
