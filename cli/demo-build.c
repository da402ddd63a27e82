/*
 * demo-build.c - the contents of the demo repository (`colophon demo`,
 * SPEC §10): real Library of Congress records from Debian's
 * idzebra-2.0-examples package, put through the same core calls a
 * cataloger's work goes through, so that every tab of the editor and every
 * verb has something to show.
 *
 *   loc-sample/  every bibliographic record of the four LoC files, whole:
 *                the "Library of Congress" that `colophon serve` offers as
 *                a Z39.50 target (verb-demo.c starts it).
 *   NZ 4801      the 43 opera records (collection-opera-43) and the two
 *                serials of sample-marc that carry OCLC numbers: the
 *                consortium's shared records.
 *   IZ 1234      the sample-marc records (three as brief acquisitions
 *                records, for Copy & Merge), ten opera records (eight of
 *                them linked to their NZ records, one with a local 950 that
 *                survives the link), Sandburg's Arithmetic and the two
 *                records of collection-2; holdings and items for all but
 *                two; notes, reminders of several types, statuses and due
 *                dates, an assignment each way, two sets, three users.
 *
 * This file knows what goes where and why; verb-demo.c decides when to
 * build, where, and what to print.  Records are read with the MARC layer's
 * reader; the .gz files through a gzip child (gzip is essential on Debian),
 * which keeps zlib out of the build.
 */
#include "demo.h"

#include "buf.h"
#include "assign.h"
#include "core.h"
#include "link.h"
#include "notes.h"
#include "reader.h"
#include "record.h"
#include "reminder.h"
#include "repo.h"
#include "search.h"
#include "set.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* ---- reading the LoC files ---- */

struct recs {
    struct marc_record **v;
    size_t n, cap;
};

static void
recs_free(struct recs *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        marc_record_free(rs->v[i]);
    free(rs->v);
    memset(rs, 0, sizeof *rs);
}

static void
recs_push(struct recs *rs, struct marc_record *r)
{
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? 2 * rs->cap : 64;
        rs->v = xrealloc(rs->v, rs->cap * sizeof *rs->v);
    }
    rs->v[rs->n++] = r;
}

/* A pipe whose read end gives `gzip -dc path`; *pid is the child. */
static int
gunzip_pipe(const char *path, pid_t *pid, char **cause)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        *cause = xasprintf("cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    char *argv[] = {"gzip", "-dc", "--", (char *)path, NULL};
    int err = posix_spawnp(pid, "gzip", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (err != 0) {
        close(fds[0]);
        *cause = xasprintf("cannot run gzip to read %s: %s", path, strerror(err));
        return -1;
    }
    return fds[0];
}

/* Read every record of `path` (MARC-8 converted to UTF-8) onto rs. */
static int
load(const char *path, struct recs *rs, char **cause)
{
    struct marc_read_opts o = {.to_utf8 = true};
    size_t len = strlen(path);
    bool gz = len > 3 && strcmp(path + len - 3, ".gz") == 0;
    pid_t pid = -1;
    int fd = -1;
    struct marc_reader *rd;
    if (gz) {
        if ((fd = gunzip_pipe(path, &pid, cause)) < 0)
            return -1;
        rd = marc_reader_open_fd(fd, path, &o, cause);
    } else {
        rd = marc_reader_open(path, &o, cause);
    }
    int rc = rd ? 1 : -1;
    while (rc == 1) {
        struct marc_record *r = marc_record_new();
        rc = marc_reader_next(rd, r);
        if (rc == 1)
            recs_push(rs, r);
        else
            marc_record_free(r);
    }
    if (rc < 0 && rd) {
        const struct marc_diag *d = marc_reader_error(rd);
        *cause = xasprintf("%s: record %ld: %s", path, marc_reader_record_number(rd),
                           d ? d->message : "cannot be read");
    }
    marc_reader_close(rd);
    if (fd >= 0)
        close(fd);
    int status = 0;
    if (pid > 0 && (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
                    WEXITSTATUS(status) != 0) && rc == 0) {
        *cause = xasprintf("%s: gzip could not decompress it", path);
        rc = -1;
    }
    return rc < 0 ? -1 : 0;
}

/* The four LoC files: S sample-marc, O opera, C collection-2, B Sandburg. */
struct sources {
    struct recs s, o, c, b;
};

static void
sources_free(struct sources *src)
{
    recs_free(&src->s);
    recs_free(&src->o);
    recs_free(&src->c);
    recs_free(&src->b);
}

static int
sources_load(struct sources *src, char **cause)
{
    if (access(DEMO_EXAMPLES "/marc21/sample-marc.gz", R_OK) != 0) {
        *cause = xstrdup("the Library of Congress sample records are not installed (" DEMO_EXAMPLES
                         "); install them: apt-get install idzebra-2.0-examples");
        return -1;
    }
    if (load(DEMO_EXAMPLES "/marc21/sample-marc.gz", &src->s, cause) < 0 ||
        load(DEMO_EXAMPLES "/marcxml/collection-opera-43.xml.gz", &src->o, cause) < 0 ||
        load(DEMO_EXAMPLES "/marcxml/collection-2.xml.gz", &src->c, cause) < 0 ||
        load(DEMO_EXAMPLES "/marcxml/collection-sandburg-1.xml", &src->b, cause) < 0)
        return -1;
    if (src->s.n < 20 || src->o.n < 10 || src->c.n < 2 || src->b.n < 1) {
        *cause = xstrdup("the LoC sample files in " DEMO_EXAMPLES " hold fewer records than "
                         "idzebra-2.0-examples ships (reinstall the package)");
        return -1;
    }
    return 0;
}

/* ---- small record helpers ---- */

/* The record's first subfield tag $code, blanks trimmed, into out. */
static void
value_of(const struct marc_record *r, const char *tag, char code, char *out, size_t size)
{
    size_t len = 0;
    const char *v = marc_record_value(r, tag, code, &len);
    while (v && len && *v == ' ')
        v++, len--;
    while (v && len && v[len - 1] == ' ')
        len--;
    if (!v || len >= size)
        len = 0;
    memcpy(out, v ? v : "", len);
    out[len] = '\0';
}

static bool
has_lccn(const struct marc_record *r, const char *lccn)
{
    char v[64];
    value_of(r, "010", 'a', v, sizeof v);
    return strncmp(v, lccn, strlen(lccn)) == 0;
}

static bool
has_oclc(const struct marc_record *r)
{
    for (long i = marc_record_find(r, "035", 0); i >= 0; i = marc_record_find(r, "035", i + 1)) {
        const char *a = marc_field_value(marc_record_field(r, (size_t)i), 'a', NULL);
        if (a && strncmp(a, "(OCoLC)", 7) == 0)
            return true;
    }
    return false;
}

/* Add a data field with subfield a (and b when given). */
static void
add_field(struct marc_record *r, const char *tag, const char *a, const char *b)
{
    long i = marc_record_add_data(r, tag, ' ', ' ');
    if (i < 0)
        return;
    marc_record_append_subfield(r, (size_t)i, 'a', a, strlen(a));
    if (b)
        marc_record_append_subfield(r, (size_t)i, 'b', b, strlen(b));
}

/* The record an acquisitions clerk keys: a few fields of the full one. */
static struct marc_record *
make_brief(const struct marc_record *full)
{
    static const char *const keep[] = {"001", "008", "010", "020", "100", "110", "245", "260"};
    struct marc_record *r = marc_record_new();
    marc_record_set_leader(r, marc_record_leader(full), 24);
    marc_record_set_leader_byte(r, 17, '5'); /* encoding level: partial (preliminary) */
    for (size_t i = 0; i < marc_record_field_count(full); i++) {
        const struct marc_field *f = marc_record_field(full, i);
        for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++) {
            if (strcmp(marc_field_tag(f), keep[k]) != 0)
                continue;
            size_t len;
            const char *data = marc_field_data(f, &len);
            marc_record_insert_body(r, marc_record_field_count(r), keep[k], data, len);
        }
    }
    add_field(r, "950", "Brief record keyed at acquisitions", "replace with the LC record");
    return r;
}

/* ---- building ---- */

struct build {
    struct core_repo *repo;     /* the demo, as the admin */
    struct demo_summary *s;
    char **cause;
    long barcode;               /* next item barcode number */
    char (*opera_iz)[CORE_MMS_MAX]; /* IZ MMS IDs of the opera records */
    size_t nopera;
};

static int
fail(struct build *b, const char *what)
{
    *b->cause = xasprintf("building the demo: %s: %s", what, core_repo_errmsg(b->repo));
    return -1;
}

/* Create a copy of r in zone; *mms gets its ID.  1: created, 0: refused as invalid. */
static int
create_bib(struct core_repo *repo, enum core_zone zone, const struct marc_record *src,
           char *mms)
{
    struct marc_record *r = marc_record_clone(src);
    int rc = core_bib_create(repo, zone, r, "import", false, NULL, NULL, mms);
    marc_record_free(r);
    if (rc == CORE_ERR_INVALID)
        return 0; /* sample-marc's last record: 00X fields with subfields */
    return rc == CORE_OK ? 1 : rc;
}

/* The LoC repository: every record of the four files. */
static int
build_loc(const char *dir, const char *user, const struct sources *src, struct demo_summary *s,
          char **cause)
{
    char *locdir = xasprintf("%s/%s", dir, DEMO_LOC);
    int rc = core_repo_init(locdir, DEMO_LOC_CODE, NULL, user, cause);
    struct core_repo *loc = rc == CORE_OK ? core_repo_open(locdir, user, cause) : NULL;
    free(locdir);
    if (!loc)
        return -1;
    const struct recs *all[] = {&src->s, &src->o, &src->c, &src->b};
    rc = 1;
    for (size_t k = 0; k < 4 && rc >= 0; k++) {
        for (size_t i = 0; i < all[k]->n && rc >= 0; i++) {
            char mms[CORE_MMS_MAX];
            rc = create_bib(loc, CORE_ZONE_IZ, all[k]->v[i], mms);
            s->loc_bibs += rc == 1;
        }
    }
    if (rc < 0)
        *cause = xasprintf("building the LoC sample repository: %s", core_repo_errmsg(loc));
    core_repo_close(loc);
    return rc < 0 ? -1 : 0;
}

/* 050 $a $b (the LC call number) or a local one. */
static void
call_number(const struct marc_record *r, long n, char *out, size_t size)
{
    char a[64], b[64];
    value_of(r, "050", 'a', a, sizeof a);
    value_of(r, "050", 'b', b, sizeof b);
    if (*a)
        snprintf(out, size, "%s%s%s", a, *b ? " " : "", b);
    else
        snprintf(out, size, "LOCAL %04ld", n);
}

/* A holdings record (852) for bib with `nitems` items. */
static int
add_holdings(struct build *b, const char *bib, const char *library, const char *location,
             const char *callno, int nitems)
{
    struct marc_record *h = marc_record_new();
    marc_record_set_leader(h, "00000nx  a2200000un 4500", 24);
    marc_record_add_control(h, "008", "2611240u    8   4001aaeng0000000", 32);
    long i = marc_record_add_data(h, "852", '0', ' ');
    marc_record_append_subfield(h, (size_t)i, 'b', library, strlen(library));
    marc_record_append_subfield(h, (size_t)i, 'c', location, strlen(location));
    marc_record_append_subfield(h, (size_t)i, 'h', callno, strlen(callno));
    char hmms[CORE_MMS_MAX];
    int rc = core_holdings_create(b->repo, bib, h, "import", NULL, NULL, hmms);
    marc_record_free(h);
    if (rc != CORE_OK)
        return fail(b, "a holdings record");
    b->s->holdings++;
    if (strcmp(bib, b->s->duplicate) == 0)
        memcpy(b->s->dup_holdings, hmms, CORE_MMS_MAX);
    for (int k = 0; k < nitems; k++) {
        struct core_item_info it = {.status = CORE_ITEM_IN_PLACE};
        long n = b->barcode++;
        snprintf(it.barcode, sizeof it.barcode, "3900%04ld", n);
        if (nitems > 1)
            snprintf(it.description, sizeof it.description, "v.%d", k + 1);
        if (n % 9 == 4)
            it.status = CORE_ITEM_MISSING;
        else if (n % 13 == 7)
            it.status = CORE_ITEM_LOST;
        else if (nitems > 1 && k == nitems - 1)
            it.status = CORE_ITEM_PREDICTED; /* the serial's next volume */
        char imms[CORE_MMS_MAX];
        if (core_item_create(b->repo, hmms, &it, imms) != CORE_OK)
            return fail(b, "an item");
        if (!b->s->barcode[0])
            snprintf(b->s->barcode, sizeof b->s->barcode, "%s", it.barcode);
        b->s->items++;
    }
    return 0;
}

/* Holdings and items as a library would have them: serials 2 volumes, music in MUSIC. */
static int
shelve(struct build *b, const char *bib, const struct marc_record *r)
{
    char callno[128];
    call_number(r, b->barcode, callno, sizeof callno);
    const char *lead = marc_record_leader(r);
    if (lead[7] == 's')
        return add_holdings(b, bib, "MAIN", "PERIODICALS", callno, 2);
    if (strchr("cdij", lead[6]))
        return add_holdings(b, bib, "MUSIC", "STACKS", callno, 1);
    return add_holdings(b, bib, "MAIN", "STACKS", callno, 1);
}

/* The network zone: the opera records and the serials with OCLC numbers. */
static int
build_nz(struct build *b, const struct sources *src, char (*opera_nz)[CORE_MMS_MAX],
         char *serial_nz)
{
    for (size_t i = 0; i < src->o.n; i++) {
        int rc = create_bib(b->repo, CORE_ZONE_NZ, src->o.v[i], opera_nz[i]);
        if (rc < 0)
            return fail(b, "a network zone record");
        b->s->nz_bibs += rc;
    }
    for (size_t i = 0; i < src->s.n; i++) {
        if (!has_oclc(src->s.v[i]))
            continue;
        char mms[CORE_MMS_MAX];
        int rc = create_bib(b->repo, CORE_ZONE_NZ, src->s.v[i], mms);
        if (rc < 0)
            return fail(b, "a network zone record");
        b->s->nz_bibs += rc;
        if (rc == 1 && has_lccn(src->s.v[i], "92646062")) /* Internet world */
            memcpy(serial_nz, mms, CORE_MMS_MAX);
    }
    return 0;
}

/* The sample-marc records in the IZ: three brief, one linked serial, one to share. */
static int
build_iz_sample(struct build *b, const struct sources *src, const char *serial_nz)
{
    for (size_t i = 0; i < src->s.n; i++) {
        const struct marc_record *full = src->s.v[i];
        bool brief = has_lccn(full, "93047992"); /* The late shift (Bill Carter) */
        struct marc_record *r = brief ? make_brief(full) : marc_record_clone(full);
        char mms[CORE_MMS_MAX];
        int rc = create_bib(b->repo, CORE_ZONE_IZ, r, mms);
        marc_record_free(r);
        if (rc < 0)
            return fail(b, "an institution zone record");
        if (rc == 0)
            continue;
        b->s->iz_bibs++;
        if (brief) {
            memcpy(b->s->brief, mms, CORE_MMS_MAX);
            snprintf(b->s->brief_isbn, sizeof b->s->brief_isbn, "1562827545");
        }
        if (has_lccn(full, "11224466"))
            memcpy(b->s->keeper, mms, CORE_MMS_MAX);
        if (has_lccn(full, "11224467"))
            memcpy(b->s->duplicate, mms, CORE_MMS_MAX);
        if (has_lccn(full, "cn 92031641")) /* Info Canada: its OCLC number is in the NZ */
            memcpy(b->s->share, mms, CORE_MMS_MAX);
        if (has_lccn(full, "92646062") && serial_nz[0]) { /* Internet world */
            if (core_link_to(b->repo, mms, serial_nz, NULL) != CORE_OK)
                return fail(b, "linking a serial to the network zone");
            b->s->linked++;
        }
        if (shelve(b, mms, full) < 0)
            return -1;
        if (has_lccn(full, "11224466") &&
            add_holdings(b, mms, "MAIN", "REFERENCE", "QA76.6 .C58 ref.", 1) < 0)
            return -1;
    }
    return 0;
}

/* Ten opera records in the IZ: eight linked to the NZ (one with a local 950). */
static int
build_iz_opera(struct build *b, const struct sources *src, char (*opera_nz)[CORE_MMS_MAX])
{
    b->nopera = src->o.n < 10 ? src->o.n : 10;
    b->opera_iz = xcalloc(b->nopera, CORE_MMS_MAX);
    for (size_t i = 0; i < b->nopera; i++) {
        struct marc_record *r = marc_record_clone(src->o.v[i]);
        if (i == 0)
            add_field(r, "950", "Opera collection", "gift of the Friends of the Library, 1998");
        int rc = create_bib(b->repo, CORE_ZONE_IZ, r, b->opera_iz[i]);
        marc_record_free(r);
        if (rc < 0)
            return fail(b, "an institution zone record");
        if (rc == 0)
            continue;
        b->s->iz_bibs++;
        if (i < 8 && opera_nz[i][0]) {
            if (core_link_to(b->repo, b->opera_iz[i], opera_nz[i], NULL) != CORE_OK)
                return fail(b, "linking an opera record to the network zone");
            b->s->linked++;
            if (i == 0)
                memcpy(b->s->linked_bib, b->opera_iz[i], CORE_MMS_MAX);
        }
        if (i != 9 && shelve(b, b->opera_iz[i], src->o.v[i]) < 0) /* 9: no holdings */
            return -1;
    }
    return 0;
}

/* Sandburg's Arithmetic and collection-2 (the White House CD-ROM has no holdings). */
static int
build_iz_other(struct build *b, const struct sources *src)
{
    const struct marc_record *rs[] = {src->b.v[0], src->c.v[0], src->c.v[1]};
    for (size_t i = 0; i < 3; i++) {
        char mms[CORE_MMS_MAX];
        int rc = create_bib(b->repo, CORE_ZONE_IZ, rs[i], mms);
        if (rc < 0)
            return fail(b, "an institution zone record");
        if (rc == 0)
            continue;
        b->s->iz_bibs++;
        if (i == 2)
            memcpy(b->s->no_holdings, mms, CORE_MMS_MAX);
        else if (shelve(b, mms, rs[i]) < 0)
            return -1;
    }
    return 0;
}

/* ---- the cataloger's work: users, notes, reminders, assignments, sets ---- */

/* A user name for the demo colleagues that is not the acting user's. */
static const char *
colleague(const char *user, const char *name, const char *other)
{
    return strcmp(user, name) == 0 ? other : name;
}

static int
add_users(struct build *b, const char *alice, const char *bob)
{
    if (core_user_add(b->repo, alice, CORE_ROLE_CATALOGER, NULL) != CORE_OK ||
        core_user_add(b->repo, bob, CORE_ROLE_CATALOGER_EXTENDED, NULL) != CORE_OK)
        return fail(b, "adding the users");
    b->s->users = 3;
    snprintf(b->s->alice, sizeof b->s->alice, "%s", alice);
    snprintf(b->s->bob, sizeof b->s->bob, "%s", bob);
    return 0;
}

static int
add_note(struct build *b, struct core_repo *as, const char *mms, const char *text)
{
    if (!mms[0])
        return 0;
    if (core_note_add(as, mms, text, NULL) != CORE_OK)
        return fail(b, "adding a note");
    b->s->notes++;
    return 0;
}

static int
add_notes(struct build *b, struct core_repo *alice)
{
    struct demo_summary *s = b->s;
    char dup[300];
    snprintf(dup, sizeof dup, "Duplicate of %s: relink its holdings there, then delete it.",
             s->keeper);
    if (add_note(b, b->repo, s->brief,
                 "Brief record keyed at acquisitions: replace it with the LC record "
                 "(External tab, loc-sample, Copy & Merge).") < 0 ||
        add_note(b, b->repo, s->duplicate, dup) < 0 ||
        add_note(b, alice, s->share,
                 "The consortium has this serial: link it to the network zone record "
                 "with the same OCLC number.") < 0)
        return -1;
    return 0;
}

/* "YYYY-MM-DD" `days` from today. */
static void
day_from_today(int days, char *out, size_t size)
{
    time_t t = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, size, "%Y-%m-%d", &tm);
}

/* due_days for a reminder without a due date */
#define NO_DUE 0x7fff

static int
add_reminder(struct build *b, const char *mms, const char *text, int due_days, const char *type,
             const char *status)
{
    char due[16] = "";
    if (due_days != NO_DUE)
        day_from_today(due_days, due, sizeof due);
    struct core_reminder_fields f = {.text = text, .due = due[0] ? due : NULL, .type = type,
                                     .status = status};
    if (!mms[0])
        return 0;
    if (core_reminder_add(b->repo, mms, &f, NULL) != CORE_OK)
        return fail(b, "adding a reminder");
    b->s->reminders++;
    return 0;
}

static int
add_reminders(struct build *b, const char *nz_opera)
{
    struct core_repo *repo = b->repo;
    if (core_reminder_code_add(repo, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "REVIEW",
                               "Review cataloging", false, false) != CORE_OK ||
        core_reminder_code_add(repo, CORE_ZONE_IZ, CORE_REMINDER_TYPES, "BINDING",
                               "Send to the bindery", false, false) != CORE_OK ||
        core_reminder_code_add(repo, CORE_ZONE_IZ, CORE_REMINDER_STATUSES, "IN_PROGRESS",
                               "In progress", false, false) != CORE_OK ||
        core_reminder_code_add(repo, CORE_ZONE_IZ, CORE_REMINDER_STATUSES, "DONE", "Done", false,
                               true) != CORE_OK)
        return fail(b, "adding reminder types and statuses");
    struct demo_summary *s = b->s;
    const char *opera = b->nopera > 1 ? b->opera_iz[1] : "";
    if (add_reminder(b, s->duplicate, "Resolve the duplicate before the stock check", -7,
                     "GENERAL", "NEW") < 0 ||
        add_reminder(b, s->brief, "Upgrade to the full LC record", 0, "REVIEW", "IN_PROGRESS") <
            0 ||
        add_reminder(b, s->linked_bib[0] ? s->linked_bib : opera,
                     "Bind the libretto and the score together", 14, "BINDING", "NEW") < 0 ||
        add_reminder(b, s->share, "Check the subscription with the consortium", NO_DUE,
                     "GENERAL", "NEW") < 0 ||
        add_reminder(b, opera, "Check the Italian subject headings", -30, "REVIEW", "DONE") < 0 ||
        add_reminder(b, nz_opera, "Consortium: verify the uniform title", 30, "GENERAL", "NEW") <
            0)
        return -1;
    return 0;
}

static int
add_assignments(struct build *b, struct core_repo *alice, const char *bob)
{
    struct demo_summary *s = b->s;
    const char *user = core_repo_user(b->repo);
    if (s->brief[0] && core_assign(alice, s->brief, user,
                                   "Please Copy & Merge the LC record onto this brief one.", NULL,
                                   0) != CORE_OK)
        return fail(b, "assigning a record to you");
    memcpy(s->assigned, s->brief, CORE_MMS_MAX);
    const char *opera = b->nopera > 8 ? b->opera_iz[8] : "";
    if (opera[0] && core_assign(b->repo, opera, bob,
                                "Link this one to the network zone (it matches by LCCN).", NULL,
                                0) != CORE_OK)
        return fail(b, "assigning a record to a colleague");
    s->assignments = 2;
    return 0;
}

static int
add_sets(struct build *b)
{
    const char **ids = xcalloc(b->nopera ? b->nopera : 1, sizeof *ids);
    for (size_t i = 0; i < b->nopera; i++)
        ids[i] = b->opera_iz[i];
    int rc = core_set_create_ids(b->repo, "opera", (const char *const *)ids, b->nopera);
    free(ids);
    struct core_search_opts so = {.zone = CORE_ZONE_IZ};
    if (rc == CORE_OK)
        rc = core_set_create_query(b->repo, "not-linked", "linked!=network", &so, true, NULL);
    if (rc != CORE_OK)
        return fail(b, "creating the sets");
    b->s->sets = 2;
    return 0;
}

static int
build_work(struct build *b, const char *dir, const char *nz_opera)
{
    const char *user = core_repo_user(b->repo);
    const char *alice = colleague(user, "alice", "carol");
    const char *bob = colleague(user, "bob", "dave");
    if (add_users(b, alice, bob) < 0)
        return -1;
    char *cause = NULL;
    struct core_repo *as_alice = core_repo_open(dir, alice, &cause);
    if (!as_alice) {
        *b->cause = xasprintf("building the demo: opening it as %s: %s", alice, cause);
        free(cause);
        return -1;
    }
    int rc = add_notes(b, as_alice);
    if (rc == 0)
        rc = add_reminders(b, nz_opera);
    if (rc == 0)
        rc = add_assignments(b, as_alice, bob);
    if (rc == 0)
        rc = add_sets(b);
    core_repo_close(as_alice);
    return rc;
}

static int
build_demo(const char *dir, const char *user, const struct sources *src, struct demo_summary *s,
           char **cause)
{
    int rc = core_repo_init(dir, DEMO_IZ_CODE, NULL, user, cause);
    struct core_repo *repo = rc == CORE_OK ? core_repo_open(dir, user, cause) : NULL;
    if (!repo)
        return -1;
    struct build b = {.repo = repo, .s = s, .cause = cause, .barcode = 1};
    char (*opera_nz)[CORE_MMS_MAX] = xcalloc(src->o.n, CORE_MMS_MAX);
    char serial_nz[CORE_MMS_MAX] = "";
    rc = build_nz(&b, src, opera_nz, serial_nz);
    if (rc == 0)
        rc = build_iz_sample(&b, src, serial_nz);
    if (rc == 0)
        rc = build_iz_opera(&b, src, opera_nz);
    if (rc == 0)
        rc = build_iz_other(&b, src);
    if (rc == 0)
        rc = build_work(&b, dir, src->o.n > 20 ? opera_nz[20] : "");
    free(opera_nz);
    free(b.opera_iz);
    core_repo_close(repo);
    return rc;
}

int
demo_build(const char *dir, const char *user, struct demo_summary *s, char **cause)
{
    memset(s, 0, sizeof *s);
    *cause = NULL;
    struct sources src = {0};
    int rc = sources_load(&src, cause);
    if (rc == 0)
        rc = build_demo(dir, user, &src, s, cause);
    if (rc == 0)
        rc = build_loc(dir, user, &src, s, cause);
    sources_free(&src);
    if (rc == 0) {
        char *mark = xasprintf("%s/%s", dir, DEMO_MARK);
        if (demo_summary_write(mark, s) < 0) {
            *cause = xasprintf("cannot write %s: %s", mark, strerror(errno));
            rc = -1;
        }
        free(mark);
    }
    return rc;
}

/* ---- the summary file ---- */

#define LONGS(X)                                                                                   \
    X(iz_bibs) X(nz_bibs) X(loc_bibs) X(holdings) X(items) X(linked) X(notes) X(reminders)      \
        X(assignments) X(sets) X(users)
#define STRINGS(X)                                                                                 \
    X(brief) X(brief_isbn) X(dup_holdings) X(linked_bib) X(share) X(duplicate) X(keeper) X(no_holdings)          \
        X(assigned) X(alice) X(bob) X(barcode)

int
demo_summary_write(const char *path, const struct demo_summary *s)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        return -1;
    fputs("# Colophon demo repository, made by 'colophon demo' from the Library of Congress\n"
          "# records of Debian's idzebra-2.0-examples.  'colophon demo --reset' rebuilds it.\n",
          fp);
#define W_LONG(f) fprintf(fp, "%s %ld\n", #f, s->f);
#define W_STR(f) fprintf(fp, "%s %s\n", #f, s->f);
    LONGS(W_LONG)
    STRINGS(W_STR)
    return fclose(fp) == 0 ? 0 : -1;
}

int
demo_summary_read(const char *path, struct demo_summary *s)
{
    memset(s, 0, sizeof *s);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    char line[512];
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        char *sp = strchr(line, ' ');
        if (line[0] == '#' || !sp)
            continue;
        *sp++ = '\0';
#define R_LONG(f)                                                                                  \
    if (strcmp(line, #f) == 0)                                                                     \
        s->f = strtol(sp, NULL, 10);
#define R_STR(f)                                                                                   \
    if (strcmp(line, #f) == 0)                                                                     \
        snprintf(s->f, sizeof s->f, "%s", sp);
        LONGS(R_LONG)
        STRINGS(R_STR)
    }
    fclose(fp);
    return 0;
}
