/*
 * verb-versions.c - `colophon versions MMSID` and `colophon revert MMSID N`:
 * a record's history (SPEC §3.6).
 *
 * Every save keeps the previous content as a numbered version with who,
 * when and why.  This file lists them, shows one, prints a field-level diff
 * between any two (marc/diff.h, fields as .mrk text), and makes an old
 * version current again -- a revert is itself a new version, so nothing is
 * ever lost by reverting.
 */
#include "cli.h"
#include "record-io.h"

#include "buf.h"
#include "core.h"
#include "diff.h"
#include "mrk.h"
#include "repo.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char versions_usage[] =
    "Usage: colophon versions [OPTIONS] MMSID\n"
    "       colophon versions MMSID --diff A [B]\n"
    "       colophon versions MMSID --show N [--format FORMAT]\n"
    "\n"
    "List the versions of a record: number, when, who and why (create, import,\n"
    "edit, revert, merge, ...); the current version is marked with '*'.\n"
    "\n"
    "With --diff, compare version A with version B (default: the current one)\n"
    "field by field, each field as .mrk text:\n"
    "  - FIELD        only in A (removed)\n"
    "  + FIELD        only in B (added)\n"
    "  ~ FIELD        changed: the field in A, then on the next line\n"
    "     ->  BODY    the same field in B\n"
    "Version numbers may also be given as 'current'.\n"
    "\n"
    "Options:\n"
    "  -d, --diff           compare versions A and B (given after MMSID)\n"
    "  -s, --show N         print version N\n"
    "  -f, --format FORMAT  for --show: " CLI_RECORD_FORMATS " (default text)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 done; 1 no such record or version; 2 usage; 4 database error.\n";

static const char revert_usage[] =
    "Usage: colophon revert MMSID VERSION\n"
    "\n"
    "Make an earlier version of a record current again.  The revert is saved as a\n"
    "new version (reason 'revert'), so the content it replaces stays in the\n"
    "history and can be reverted to in turn.  Needs the role that edits the\n"
    "record (cataloger for bibs, inventory for holdings); refused while someone\n"
    "else holds the lock.  'colophon versions MMSID' lists the versions.\n"
    "\n"
    "Exit status: 0 reverted; 1 no such record or version, or role missing;\n"
    "2 usage; 3 locked by someone else; 4 database error.\n";

/* A version number or "current"; 0 when neither. */
static int
parse_version(const char *s, int current)
{
    if (strcmp(s, "current") == 0)
        return current;
    char *end;
    long n = strtol(s, &end, 10);
    return end != s && !*end && n > 0 && n < 1000000000 ? (int)n : 0;
}

static const struct core_version *
find_version(const struct core_version *v, size_t n, int number)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].number == number)
            return &v[i];
    return NULL;
}

static void
print_list(const char *mms, const struct core_record_info *in, const struct core_version *v,
           size_t n)
{
    printf("Versions of %s%s%s%s:\n", mms, in->title[0] ? " \"" : "", in->title,
           in->title[0] ? "\"" : "");
    printf("  %s %3s  %-16s  %-16s  %s\n", " ", "#", "when", "who", "why");
    for (size_t i = 0; i < n; i++) {
        char when[32];
        core_format_time(v[i].at, when, sizeof when);
        printf("  %s %3d  %-16s  %-16s  %s%s\n", v[i].current ? "*" : " ", v[i].number, when,
               v[i].user, v[i].reason, v[i].current ? "  (current)" : "");
    }
}

/* ---- diff ---- */

/* The buffer's text as a C string. */
static const char *
cstr(struct marc_buf *b)
{
    marc_buf_reserve(b, 1);
    b->data[b->len] = '\0';
    return b->data;
}

static void
leader_mrk(const struct marc_record *r, struct marc_buf *out)
{
    const char *ldr = marc_record_leader(r);
    marc_buf_reset(out);
    marc_buf_puts(out, "LDR  ");
    for (int i = 0; i < MARC_LEADER_LEN; i++)
        marc_buf_putc(out, ldr[i] == ' ' ? '\\' : ldr[i]);
}

static void
field_mrk(const struct marc_record *r, long i, struct marc_buf *out)
{
    marc_buf_reset(out);
    marc_mrk_format_field(marc_record_field(r, (size_t)i), marc_record_is_utf8(r), out);
}

/* "~ OLD" then "   ->  NEW-BODY" (the tag is the same). */
static void
print_changed(const char *old_line, const char *new_line)
{
    printf("~ %s\n", old_line);
    const char *body = strlen(new_line) > 5 ? new_line + 5 : "";
    printf("   ->  %s\n", body);
}

static void
print_diff(const struct marc_record *a, const struct marc_record *b)
{
    struct marc_diff d;
    marc_diff_records(a, b, &d);
    struct marc_buf la = MARC_BUF_INIT, lb = MARC_BUF_INIT;
    if (d.leader_changed) {
        leader_mrk(a, &la);
        leader_mrk(b, &lb);
        print_changed(cstr(&la), cstr(&lb));
    }
    for (size_t i = 0; i < d.n; i++) {
        const struct marc_diff_op *op = &d.ops[i];
        switch (op->kind) {
        case MARC_DIFF_SAME:
            break;
        case MARC_DIFF_REMOVED:
            field_mrk(a, op->a, &la);
            printf("- %s\n", cstr(&la));
            break;
        case MARC_DIFF_ADDED:
            field_mrk(b, op->b, &lb);
            printf("+ %s\n", cstr(&lb));
            break;
        case MARC_DIFF_CHANGED:
            field_mrk(a, op->a, &la);
            field_mrk(b, op->b, &lb);
            print_changed(cstr(&la), cstr(&lb));
            break;
        }
    }
    if (d.added + d.removed + d.changed == 0 && !d.leader_changed)
        printf("(no differences)\n");
    else
        printf("%zu field(s) added, %zu removed, %zu changed%s\n", d.added, d.removed, d.changed,
               d.leader_changed ? "; leader changed" : "");
    marc_buf_free(&la);
    marc_buf_free(&lb);
    marc_diff_free(&d);
}

static void
diff_header(const char *sign, const char *mms, const struct core_version *v)
{
    char when[32];
    core_format_time(v->at, when, sizeof when);
    printf("%s %s version %d%s (%s, %s, %s)\n", sign, mms, v->number,
           v->current ? " (current)" : "", when, v->user, v->reason);
}

static int
show_diff(struct core_repo *repo, const char *mms, const struct core_version *v, size_t n,
          const char *sa, const char *sb)
{
    const struct cli_verb *vb = &cli_verb_versions;
    int current = v[n - 1].number;
    int na = parse_version(sa, current), nb = sb ? parse_version(sb, current) : current;
    if (!na || !nb)
        return cli_usage_error(vb, "'%s' is not a version number", !na ? sa : sb);
    const struct core_version *va = find_version(v, n, na), *vbv = find_version(v, n, nb);
    if (!va || !vbv) {
        cli_error("%s has no version %d (versions 1 to %d)", mms, !va ? na : nb, current);
        return CLI_USER;
    }
    struct marc_record *a = marc_record_new(), *b = marc_record_new();
    int rc = core_version_get(repo, mms, na, a);
    if (rc == CORE_OK)
        rc = core_version_get(repo, mms, nb, b);
    int status = CLI_OK;
    if (rc != CORE_OK) {
        status = cli_core_error(vb, repo, rc);
    } else {
        diff_header("---", mms, va);
        diff_header("+++", mms, vbv);
        print_diff(a, b);
    }
    marc_record_free(a);
    marc_record_free(b);
    return status;
}

static int
show_version(struct core_repo *repo, const char *mms, int number, bool text, enum marc_format fmt)
{
    struct marc_record *r = marc_record_new();
    int rc = core_version_get(repo, mms, number, r);
    int status = CLI_OK;
    if (rc != CORE_OK) {
        status = cli_core_error(&cli_verb_versions, repo, rc);
    } else {
        struct cli_printer p;
        status = cli_printer_open(&p, stdout, text, fmt);
        if (status == CLI_OK)
            status = cli_printer_write(&p, r);
        int fin = cli_printer_finish(&p);
        if (status == CLI_OK)
            status = fin;
    }
    marc_record_free(r);
    return status;
}

struct versions_opts {
    bool diff;
    const char *show;
    bool text;
    enum marc_format fmt;
    bool format_given;
};

static int
parse_versions(int argc, char **argv, struct versions_opts *o)
{
    static const struct option longopts[] = {
        {"diff", no_argument, NULL, 'd'},
        {"show", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_versions;
    memset(o, 0, sizeof *o);
    o->text = true;
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "ds:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            o->diff = true;
            break;
        case 's':
            o->show = optarg;
            break;
        case 'f':
            if (!cli_printer_parse(optarg, &o->text, &o->fmt))
                return cli_usage_error(v, "unknown format '%s' (%s)", optarg, CLI_RECORD_FORMATS);
            o->format_given = true;
            break;
        case 'h':
            return cli_print_usage(v) - 1;
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    int npos = argc - optind;
    if (o->diff && o->show)
        return cli_usage_error(v, "--diff and --show do not go together");
    if (o->format_given && !o->show)
        return cli_usage_error(v, "--format goes with --show");
    if (o->diff && (npos < 2 || npos > 3))
        return cli_usage_error(v, "--diff takes MMSID A [B]");
    if (!o->diff && npos != 1)
        return cli_usage_error(v, "expected one MMS ID, got %d argument(s)", npos);
    return CLI_OK;
}

static int
run_versions(const struct cli_globals *g, int argc, char **argv)
{
    struct versions_opts o;
    int status = parse_versions(argc, argv, &o);
    if (status != CLI_OK)
        return status < 0 ? CLI_OK : status;
    const char *mms = argv[optind];
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    struct core_record_info in;
    struct core_version *v = NULL;
    size_t n = 0;
    int rc = core_record_get(repo, mms, NULL, &in);
    if (rc == CORE_OK)
        rc = core_versions_list(repo, mms, &v, &n);
    if (rc != CORE_OK) {
        status = cli_core_error(&cli_verb_versions, repo, rc);
    } else if (o.diff) {
        status = show_diff(repo, mms, v, n, argv[optind + 1],
                           argc - optind == 3 ? argv[optind + 2] : NULL);
    } else if (o.show) {
        int number = parse_version(o.show, in.version);
        status = number
                     ? show_version(repo, mms, number, o.text, o.fmt)
                     : cli_usage_error(&cli_verb_versions, "'%s' is not a version number", o.show);
    } else {
        print_list(mms, &in, v, n);
    }
    free(v);
    core_repo_close(repo);
    return status;
}

static int
run_revert(const struct cli_globals *g, int argc, char **argv)
{
    const struct cli_verb *v = &cli_verb_revert;
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h')
            return cli_print_usage(v);
        return cli_usage_error(v, "unknown option");
    }
    if (argc - optind != 2)
        return cli_usage_error(v, "expected MMSID and VERSION, got %d argument(s)", argc - optind);
    const char *mms = argv[optind];
    int number = parse_version(argv[optind + 1], 0);
    if (!number)
        return cli_usage_error(v, "'%s' is not a version number", argv[optind + 1]);
    int status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    int newv = 0;
    int rc = core_record_revert(repo, mms, number, &newv);
    if (rc == CORE_OK) {
        printf("Reverted %s to the content of version %d; that is now version %d.\n", mms, number,
               newv);
        status = CLI_OK;
    } else {
        status = cli_core_error(v, repo, rc);
    }
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_versions = {
    .name = "versions",
    .summary = "list a record's versions, diff two, show one",
    .run = run_versions,
    .usage = versions_usage,
};

const struct cli_verb cli_verb_revert = {
    .name = "revert",
    .summary = "make an earlier version of a record current (as a new version)",
    .run = run_revert,
    .usage = revert_usage,
};
