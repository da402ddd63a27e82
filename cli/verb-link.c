/*
 * verb-link.c - `colophon link` and `colophon unlink`: linking institution
 * zone records to the network zone (SPEC §3.4, seed 001), one at a time
 * the way Alma's Share with Network does it, and the queue of multi-matches
 * a link-to-nz job leaves for the cataloger.
 *
 * The core finds candidates and links (core/link.h); this verb shows the
 * candidates with how each matched, links to the one OCLC match (asking on
 * a terminal), and otherwise lets the cataloger pick one, or contribute the
 * record when nothing matches.  An explicit choice (--to, --contribute)
 * is the confirmation and acts at once.
 */
#include "cli.h"

#include "core.h"
#include "link.h"
#include "match.h"
#include "nzremote.h"
#include "repo.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char link_usage[] =
    "Usage: colophon link [OPTIONS] MMSID\n"
    "       colophon link --queue\n"
    "       colophon link --refresh [MMSID]\n"
    "\n"
    "Link an institution zone record to the network zone (Alma's Share with\n"
    "Network).  The network records it could be linked to are listed, strongest\n"
    "first, with how each matched: by OCLC number (035 $a (OCoLC), and the\n"
    "cancelled numbers in 035 $z and 019 $a of either record); when none, by\n"
    "ISSN, ISBN or LCCN; when none, by title (word for word, case, diacritics and\n"
    "punctuation aside).  Only an OCLC match is strong:\n"
    "  one OCLC match     Colophon asks, then links (--yes: links at once; without\n"
    "                     a terminal and --yes it only lists)\n"
    "  several, or only   listed; on a terminal you pick one by its number,\n"
    "  weaker matches     otherwise exit 3: link with --to\n"
    "  none               on a terminal Colophon offers to contribute the record\n"
    "                     as a new network record; otherwise exit 1\n"
    "\n"
    "A linked record's shared content is the network record's and its 001 holds\n"
    "the network MMS ID; the institution zone keeps its local fields (9XX and the\n"
    "tags of the configuration key link.local_tags, e.g. '590, 69X') and its\n"
    "inventory.  The content before linking is kept as a version, so 'colophon\n"
    "revert MMSID N' to it undoes the link.  Saving a linked record writes its\n"
    "local fields in the institution zone and its shared fields in the network\n"
    "record.\n"
    "\n"
    "Options:\n"
    "  -c, --candidates     only list the candidates\n"
    "  -t, --to NZMMSID     link to this network record (no question)\n"
    "  -C, --contribute     contribute the record as a new network record (its\n"
    "                       shared fields) and link it to that (no question)\n"
    "  -y, --yes            link to the one OCLC match without asking\n"
    "  -Q, --queue          the multi-matches of link-to-nz jobs still unlinked,\n"
    "                       each with its candidates; resolve one with --to\n"
    "  -R, --refresh        re-synchronise linked records (MMSID, or all) with\n"
    "                       network edits made from other institutions' files\n"
    "                       (a remote network zone: re-fetched from its server),\n"
    "                       so that searches here find them\n"
    "  -h, --help           show this help\n"
    "\n"
    "Linking, contributing and unlinking need the role cataloger or\n"
    "cataloger-extended.\n"
    "\n"
    "Exit status: 0 linked, listed or nothing asked for; 1 refused (role, not an\n"
    "institution zone bib, already linked, the network record already linked to\n"
    "another record, invalid record to contribute), no match, or not confirmed;\n"
    "2 usage; 3 a choice is needed (several or only weaker matches), or the\n"
    "record is locked by someone else; 4 database error.\n";

static const char unlink_usage[] =
    "Usage: colophon unlink MMSID\n"
    "\n"
    "Unlink an institution zone record from the network zone: it becomes a full\n"
    "local record again, with the network record's current content and its own\n"
    "local fields, and its own MMS ID back in 001.  The linked state is kept as\n"
    "a version (the new one's reason is 'unlink').\n"
    "\n"
    "Needs the role cataloger or cataloger-extended.\n"
    "\n"
    "Exit status: 0 unlinked; 1 refused (role, not linked, no such record);\n"
    "2 usage; 3 locked by someone else; 4 database error.\n";

struct link_opts {
    const char *mms;
    const char *to;
    bool candidates, contribute, yes, queue, refresh;
};

static int
parse_args(int argc, char **argv, struct link_opts *o)
{
    static const struct option longopts[] = {
        {"candidates", no_argument, NULL, 'c'}, {"to", required_argument, NULL, 't'},
        {"contribute", no_argument, NULL, 'C'}, {"yes", no_argument, NULL, 'y'},
        {"queue", no_argument, NULL, 'Q'},      {"refresh", no_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_link;
    memset(o, 0, sizeof *o);
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "ct:CyQRh", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            o->candidates = true;
            break;
        case 't':
            o->to = optarg;
            break;
        case 'C':
            o->contribute = true;
            break;
        case 'y':
            o->yes = true;
            break;
        case 'Q':
            o->queue = true;
            break;
        case 'R':
            o->refresh = true;
            break;
        case 'h':
            return cli_print_usage(v) - 1;
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    if (argc - optind > 1)
        return cli_usage_error(v, "one MMS ID at a time (got '%s' and '%s')", argv[optind],
                               argv[optind + 1]);
    o->mms = optind < argc ? argv[optind] : NULL;
    int modes = o->candidates + (o->to != NULL) + o->contribute + o->queue + o->refresh;
    if (modes > 1)
        return cli_usage_error(v, "--candidates, --to, --contribute, --queue and --refresh "
                                  "exclude each other");
    if (o->queue && o->mms)
        return cli_usage_error(v, "--queue takes no MMS ID");
    if (!o->queue && !o->refresh && !o->mms)
        return cli_usage_error(v, "expected the MMS ID of an institution zone record");
    if (o->yes && modes)
        return cli_usage_error(v, "--yes goes with a plain 'link MMSID' (--to and --contribute "
                                  "need no confirmation)");
    if (o->to && !*o->to)
        return cli_usage_error(v, "--to needs the MMS ID of a network zone record");
    return CLI_OK;
}

/* ---- listing ---- */

static void
print_candidate(size_t k, const struct core_link_candidate *c, const char *mms)
{
    printf("  %2zu  %s  \"%s\"%s%s%s%s  [%s]\n", k, c->mms, c->title, c->author[0] ? " / " : "",
           c->author, c->date[0] ? ", " : "", c->date, core_match_type_name(c->leader));
    printf("      by %s%s%s", c->reason, core_link_how_strong(c->how) ? "" : " (a weaker match)",
           c->type_agrees ? "" : "; another resource type");
    if (c->linked_from[0] && strcmp(c->linked_from, mms) == 0)
        printf("; this record is linked to it");
    else if (c->linked_from[0])
        printf("; already linked to %s", c->linked_from);
    putchar('\n');
}

static size_t
strong_count(const struct core_link_candidate *c, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += core_link_how_strong(c[i].how);
    return k;
}

/* The record's heading and its candidates. */
static void
print_candidates(const char *mms, const struct core_record_info *info,
                 const struct marc_record *r, const struct core_link_candidate *c, size_t n)
{
    printf("%s  \"%s\"%s%s  [%s]%s%s\n", mms, info->title, info->author[0] ? " / " : "",
           info->author, core_match_type_name(marc_record_leader(r)),
           info->linked[0] ? "  linked to " : "", info->linked);
    if (n == 0) {
        printf("  no network zone record matches it by OCLC number, ISSN, ISBN, LCCN or title\n");
        return;
    }
    printf("Network zone candidates (%zu):\n", n);
    for (size_t i = 0; i < n; i++)
        print_candidate(i + 1, &c[i], mms);
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
    for (char *p = line; *p && *p != '\n' && *p != '\r' && n + 1 < size; p++)
        if (*p != ' ')
            answer[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    answer[n] = '\0';
}

/* ---- doing ---- */

static void
print_linked(const char *mms, const struct core_link_result *res, bool contributed)
{
    if (contributed)
        printf("Contributed %s as network zone record %s and linked it.\n", mms, res->nz_mms);
    else
        printf("Linked %s to network zone record %s.\n", mms, res->nz_mms);
    printf("It keeps %zu local field(s); its content before linking is version %d "
           "('colophon revert %s %d' undoes the link).\n",
           res->local_fields, res->kept_version, mms, res->kept_version);
}

static int
do_link(struct core_repo *repo, const char *mms, const char *to)
{
    struct core_link_result res;
    int rc = to ? core_link_to(repo, mms, to, &res) : core_link_contribute(repo, mms, &res);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_link, repo, rc);
    print_linked(mms, &res, to == NULL);
    return CLI_OK;
}

/* A choice among candidates on a terminal: a number links, 'c' contributes. */
static int
choose(struct core_repo *repo, const char *mms, const struct core_link_candidate *c, size_t n)
{
    char a[16], q[96];
    snprintf(q, sizeof q, "Link to which? [1-%zu], c to contribute instead, Enter for none: ", n);
    ask(q, a, sizeof a);
    if (strcmp(a, "c") == 0)
        return do_link(repo, mms, NULL);
    char *end;
    long k = strtol(a, &end, 10);
    if (a[0] && !*end && k >= 1 && (size_t)k <= n)
        return do_link(repo, mms, c[k - 1].mms);
    fprintf(stderr, "Nothing was linked.\n");
    return CLI_USER;
}

/* Share with Network: the decision table of the usage text. */
static int
share(struct core_repo *repo, const struct link_opts *o, const struct core_record_info *info,
      const struct core_link_candidate *c, size_t n)
{
    bool tty = isatty(STDIN_FILENO);
    if (info->linked[0]) {
        fprintf(stderr, "colophon link: %s is already linked to %s ('colophon unlink %s' first)\n",
                o->mms, info->linked, o->mms);
        return CLI_USER;
    }
    size_t strong = strong_count(c, n);
    if (n == 0) {
        char a[16] = "";
        if (tty && !o->yes)
            ask("Contribute it as a new network zone record? [y/N] ", a, sizeof a);
        if (strcmp(a, "y") == 0 || strcmp(a, "yes") == 0)
            return do_link(repo, o->mms, NULL);
        fprintf(stderr, "colophon link: nothing was linked; 'colophon link %s --contribute' "
                        "contributes it\n",
                o->mms);
        return CLI_USER;
    }
    if (strong == 1) {
        char a[16] = "y", q[96];
        if (!o->yes && !tty) {
            fprintf(stderr, "Nothing was linked (standard input is not a terminal: give --yes "
                            "to link to %s).\n",
                    c[0].mms);
            return CLI_OK;
        }
        snprintf(q, sizeof q, "Link %s to %s? [y/N] ", o->mms, c[0].mms);
        if (!o->yes)
            ask(q, a, sizeof a);
        if (strcmp(a, "y") == 0 || strcmp(a, "yes") == 0)
            return do_link(repo, o->mms, c[0].mms);
        fprintf(stderr, "Nothing was linked.\n");
        return CLI_USER;
    }
    if (tty && !o->yes)
        return choose(repo, o->mms, c, n);
    fprintf(stderr, "colophon link: %s; link one with 'colophon link %s --to NZMMSID'\n",
            strong ? "several network zone records match by OCLC number (multi-match)"
                   : "only weaker matches (no OCLC number in common): a cataloger chooses",
            o->mms);
    return CLI_CONFLICT;
}

static int
link_record(struct core_repo *repo, const struct link_opts *o)
{
    const struct cli_verb *v = &cli_verb_link;
    if (o->to || o->contribute)
        return do_link(repo, o->mms, o->to);
    struct marc_record *r = marc_record_new();
    struct core_record_info info;
    struct core_link_candidate *c = NULL;
    size_t n = 0;
    int status = CLI_OK;
    int rc = core_record_get(repo, o->mms, r, &info);
    if (rc == CORE_OK)
        rc = core_link_candidates(repo, o->mms, &c, &n);
    if (rc != CORE_OK)
        status = cli_core_error(v, repo, rc);
    else
        print_candidates(o->mms, &info, r, c, n);
    if (status == CLI_OK && !o->candidates)
        status = share(repo, o, &info, c, n);
    free(c);
    marc_record_free(r);
    return status;
}

static int
show_queue(struct core_repo *repo)
{
    struct core_link_queued *q;
    size_t n;
    int rc = core_link_queue(repo, &q, &n);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_link, repo, rc);
    if (n == 0)
        printf("No multi-match waits for a choice.\n");
    for (size_t i = 0; i < n; i++) {
        printf("%s%s  \"%s\"  (job %ld: %s)\n", i ? "\n" : "", q[i].mms, q[i].title, q[i].job,
               q[i].detail);
        struct core_link_candidate *c;
        size_t nc;
        if (core_link_candidates(repo, q[i].mms, &c, &nc) != CORE_OK) {
            printf("  %s\n", core_repo_errmsg(repo));
            continue;
        }
        for (size_t k = 0; k < nc; k++)
            print_candidate(k + 1, &c[k], q[i].mms);
        printf("  resolve: colophon link %s --to NZMMSID\n", q[i].mms);
        free(c);
    }
    free(q);
    return CLI_OK;
}

static int
refresh(struct core_repo *repo, const char *mms)
{
    long count = 0, missing = 0;
    /* A remote network zone: its server's current records first (nzremote.h). */
    int rc = core_nz_refresh(repo, mms, &missing);
    if (rc == CORE_OK)
        rc = core_link_refresh(repo, mms, &count);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_link, repo, rc);
    printf("%ld linked record(s) re-synchronised with the network zone.\n", count);
    if (missing)
        fprintf(stderr, "colophon link: warning: %ld linked network record(s) no longer exist on "
                        "the network zone's server; their records keep the content last fetched "
                        "('colophon unlink' makes them local)\n",
                missing);
    return CLI_OK;
}

static int
run_link(const struct cli_globals *g, int argc, char **argv)
{
    struct link_opts o;
    int status = parse_args(argc, argv, &o);
    if (status != CLI_OK)
        return status < 0 ? CLI_OK : status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    if (o.queue)
        status = show_queue(repo);
    else if (o.refresh)
        status = refresh(repo, o.mms);
    else
        status = link_record(repo, &o);
    core_repo_close(repo);
    return status;
}

static int
run_unlink(const struct cli_globals *g, int argc, char **argv)
{
    const struct cli_verb *v = &cli_verb_unlink;
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage_error(v, "expected one MMS ID");
    int status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    struct core_link_result res;
    int rc = core_unlink(repo, argv[1], &res);
    if (rc != CORE_OK) {
        status = cli_core_error(v, repo, rc);
    } else {
        printf("Unlinked %s from network zone record %s: it is a full local record again "
               "(version %d; version %d holds it linked).\n",
               argv[1], res.nz_mms, res.version, res.kept_version);
        status = CLI_OK;
    }
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_link = {
    .name = "link",
    .summary = "link a record to the network zone (Share with Network), the multi-match queue",
    .run = run_link,
    .usage = link_usage,
};

const struct cli_verb cli_verb_unlink = {
    .name = "unlink",
    .summary = "make a linked record a full local record again",
    .run = run_unlink,
    .usage = unlink_usage,
};
