/*
 * verb-show.c - `colophon show MMSID...`: a stored record in any format, what
 * the repository knows about it (--info), or its inventory (--holdings).
 *
 * Reading never locks: show is how a cataloger looks at a record someone
 * else is editing, so --info says who holds the lock, the way Alma's editor
 * says "View Only".
 */
#include "cli.h"
#include "record-io.h"

#include "core.h"
#include "mms.h"
#include "nzremote.h"
#include "repo.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char show_usage[] =
    "Usage: colophon show [OPTIONS] MMSID...\n"
    "\n"
    "Print stored records (bibliographic or holdings, any zone) to standard output.\n"
    "\n"
    "Options:\n"
    "  -f, --format FORMAT  text (default: the Alma-like view '245 10 $$a Title'),\n"
    "                       mrk, marcxml, json or iso2709\n"
    "  -i, --info           what the repository knows instead of the record: MMS ID,\n"
    "                       zone, version, who created and last changed it and when,\n"
    "                       who holds the lock, the linked network zone record,\n"
    "                       holdings and items counts\n"
    "  -H, --holdings       the inventory instead of the record: a bib's holdings\n"
    "                       records (22... IDs: library, location, call number) and\n"
    "                       their items (23... IDs: barcode, description, status); a\n"
    "                       holdings record's items.  With a --format other than text,\n"
    "                       the holdings records themselves in that format.\n"
    "  -h, --help           show this help\n"
    "\n"
    "Reading does not lock a record and works while someone edits it.\n"
    "\n"
    "Exit status: 0 shown; 1 no such record or not an MMS ID; 2 usage; 4 database\n"
    "or output error.\n";

struct show_opts {
    bool text;
    enum marc_format format;
    bool format_given;
    bool info;
    bool holdings;
};

static int
parse_args(int argc, char **argv, struct show_opts *o)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"info", no_argument, NULL, 'i'},
        {"holdings", no_argument, NULL, 'H'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_show;
    memset(o, 0, sizeof *o);
    o->text = true;
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "f:iHh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!cli_printer_parse(optarg, &o->text, &o->format))
                return cli_usage_error(v, "unknown format '%s' (%s)", optarg, CLI_RECORD_FORMATS);
            o->format_given = true;
            break;
        case 'i':
            o->info = true;
            break;
        case 'H':
            o->holdings = true;
            break;
        case 'h':
            return cli_print_usage(v) - 1;
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error(v, "expected at least one MMS ID");
    if (o->info && o->format_given && !o->text)
        return cli_usage_error(v, "--info prints text; it takes no --format");
    return CLI_OK;
}

/* ---- --info ---- */

static void
print_lock(struct core_repo *repo, const char *mms)
{
    struct core_lock_info l;
    if (core_record_lock_info(repo, mms, &l) != CORE_OK) {
        printf("Lock:        unknown (%s)\n", core_repo_errmsg(repo));
        return;
    }
    if (!l.locked) {
        printf("Lock:        not locked\n");
        return;
    }
    char since[32], until[32];
    core_format_time(l.since, since, sizeof since);
    core_format_time(l.expires, until, sizeof until);
    bool mine = strcmp(l.user, core_repo_user(repo)) == 0;
    if (l.assigned)
        printf("Lock:        %sassigned to %s since %s\n", mine ? "" : "View Only \xE2\x80\x94 ",
               l.user, since);
    else if (mine)
        printf("Lock:        locked by you (%s) since %s, until %s unless you are active\n", l.user,
               since, until);
    else
        printf("Lock:        View Only \xE2\x80\x94 locked by %s since %s (until %s unless %s is "
               "active)\n",
               l.user, since, until, l.user);
}

static int
show_info(struct core_repo *repo, const char *mms)
{
    struct core_record_info in;
    int rc = core_record_get(repo, mms, NULL, &in);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_show, repo, rc);
    char created[32], updated[32];
    core_format_time(in.created, created, sizeof created);
    core_format_time(in.updated, updated, sizeof updated);
    printf("MMS ID:      %s\n", in.mms);
    printf("Type:        %s\n", core_mms_type_name(in.type));
    printf("Zone:        %s %s\n", core_zone_name(in.zone), core_repo_zone_code(repo, in.zone));
    if (in.title[0])
        printf("Title:       %s\n", in.title);
    if (in.author[0])
        printf("Author:      %s\n", in.author);
    if (in.date[0])
        printf("Date:        %s\n", in.date);
    printf("Version:     %d (%s)\n", in.version, in.reason);
    printf("Created:     %s by %s\n", created, in.created_by);
    printf("Updated:     %s by %s\n", updated, in.updated_by);
    if (in.deleted)
        printf("Deleted:     yes (the versions are kept; the MMS ID is never reused)\n");
    else
        print_lock(repo, mms);
    if (in.type == CORE_MMS_BIB) {
        printf("Linked:      %s\n", in.linked[0] ? in.linked : "no (a local record)");
        printf("Holdings:    %d\n", in.holdings);
        printf("Items:       %d\n", in.items);
    } else {
        printf("Bib:         %s\n", in.bib);
        printf("Items:       %d\n", in.items);
    }
    return CLI_OK;
}

/* ---- --holdings ---- */

static int
print_items(struct core_repo *repo, const char *holdings, const char *indent)
{
    struct core_item_info *it;
    size_t n;
    int rc = core_items_list(repo, holdings, &it, &n);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_show, repo, rc);
    for (size_t i = 0; i < n; i++)
        printf("%s%s  barcode %s  %s%s%s\n", indent, it[i].mms,
               it[i].barcode[0] ? it[i].barcode : "(none)", it[i].description,
               it[i].description[0] ? "  " : "", core_item_status_name(it[i].status));
    free(it);
    return CLI_OK;
}

static int
list_holdings(struct core_repo *repo, const char *mms)
{
    struct core_record_info in;
    int rc = core_record_get(repo, mms, NULL, &in);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_show, repo, rc);
    if (in.type == CORE_MMS_HOLDINGS) {
        printf("Items of holdings %s (bib %s): %d\n", mms, in.bib, in.items);
        return print_items(repo, mms, "  ");
    }
    struct core_holdings_info *h;
    size_t n;
    rc = core_holdings_list(repo, mms, &h, &n);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_show, repo, rc);
    if (n == 0)
        printf("%s has no holdings (found under All titles only, not Physical titles)\n", mms);
    else
        printf("Holdings of %s: %zu, with %d item(s)\n", mms, n, in.items);
    int status = CLI_OK;
    for (size_t i = 0; i < n && status == CLI_OK; i++) {
        printf("  %s  %s%s%s  %s  %d item(s)\n", h[i].mms, h[i].library[0] ? h[i].library : "-",
               h[i].location[0] ? " / " : "", h[i].location,
               h[i].call_number[0] ? h[i].call_number : "(no call number)", h[i].items);
        status = print_items(repo, h[i].mms, "      ");
    }
    free(h);
    return status;
}

/* The holdings records of a bib in a record format. */
static int
write_holdings(struct core_repo *repo, const char *mms, struct cli_printer *p,
               struct marc_record *r)
{
    struct core_holdings_info *h;
    size_t n;
    int rc = core_holdings_list(repo, mms, &h, &n);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_show, repo, rc);
    int status = CLI_OK;
    for (size_t i = 0; i < n && status == CLI_OK; i++) {
        rc = core_record_get(repo, h[i].mms, r, NULL);
        status = rc != CORE_OK ? cli_core_error(&cli_verb_show, repo, rc) : cli_printer_write(p, r);
    }
    free(h);
    return status;
}

static int
show_record(struct core_repo *repo, const char *mms, struct cli_printer *p, struct marc_record *r)
{
    struct core_record_info in;
    int rc = core_record_get(repo, mms, r, &in);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_show, repo, rc);
    if (in.deleted)
        cli_error("note: %s is deleted; this is its last content", mms);
    return cli_printer_write(p, r);
}

static int
show_one(struct core_repo *repo, const struct show_opts *o, const char *mms, struct cli_printer *p,
         struct marc_record *r)
{
    int status = CLI_OK;
    if (o->info)
        status = show_info(repo, mms);
    if (status == CLI_OK && o->holdings) {
        if (o->info)
            putchar('\n');
        status = o->text ? list_holdings(repo, mms) : write_holdings(repo, mms, p, r);
    }
    if (status == CLI_OK && !o->info && !o->holdings)
        status = show_record(repo, mms, p, r);
    return status;
}

/*
 * A remote network zone (core/nzremote.h): a network record, or the one a
 * linked bib shows, is fetched from its server first.  When the server
 * cannot be reached the record is shown as last fetched, with a warning.
 */
static void
freshen(struct core_repo *repo, const char *mms)
{
    int rc = core_nz_freshen(repo, mms);
    if (rc == CORE_ERR_IO)
        fprintf(stderr, "colophon show: warning: %s; showing %s with the network zone content "
                        "as last fetched\n",
                core_repo_errmsg(repo), mms);
    else if (rc == CORE_ERR_NOTFOUND)
        fprintf(stderr, "colophon show: warning: %s (deleted there)\n", core_repo_errmsg(repo));
    else if (rc != CORE_OK)
        fprintf(stderr, "colophon show: warning: %s\n", core_repo_errmsg(repo));
}

static int
run_show(const struct cli_globals *g, int argc, char **argv)
{
    struct show_opts o;
    int status = parse_args(argc, argv, &o);
    if (status != CLI_OK)
        return status < 0 ? CLI_OK : status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    struct cli_printer p;
    status = cli_printer_open(&p, stdout, o.text, o.format);
    struct marc_record *r = marc_record_new();
    for (int i = optind; i < argc && status == CLI_OK; i++) {
        if (i > optind && (o.info || (o.holdings && o.text)))
            putchar('\n');
        freshen(repo, argv[i]);
        status = show_one(repo, &o, argv[i], &p, r);
    }
    int fin = cli_printer_finish(&p);
    if (status == CLI_OK)
        status = fin;
    marc_record_free(r);
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_show = {
    .name = "show",
    .summary = "print a stored record, its information (--info) or its inventory",
    .run = run_show,
    .usage = show_usage,
};
