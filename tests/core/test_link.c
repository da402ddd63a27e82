/*
 * test_link.c - linking IZ bibs to the network zone (SPEC §2, §3.4; seed
 * 001) on real repositories: the LoC sample records in both zones, with
 * OCLC numbers, cancelled numbers (019, 035 $z), ISBN-10/-13, ISSN, LCCN
 * and title variations this file adds; every match method, multi-matches,
 * linking and what a linked record reads, saves, reverts and unlinks to,
 * contributing, the refusals (role, lock, duplicate, delete), the
 * link-to-nz job with every outcome and its queue, and a job killed with
 * SIGKILL and resumed (no record linked twice, none lost).  The pure rules
 * of match.h come first.
 */
#include "testutil.h"

#include "import.h"
#include "job.h"
#include "link.h"
#include "match.h"
#include "reader.h"
#include "record.h"
#include "repo.h"
#include "search.h"
#include "set.h"
#include "writer.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[128];

/* ---- the LoC records ---- */

static struct marc_record *loc[32];
static char loc_id[32][64];
static size_t nloc;

static void
read_loc(void)
{
    char path[256], cmd[512];
    snprintf(path, sizeof path, "%s/loc.mrc", tmpdir);
    snprintf(cmd, sizeof cmd, "gzip -dc %s/marc21/sample-marc.gz > %s", LOC_EXAMPLES_DIR, path);
    assert_int_equal(system(cmd), 0);
    struct marc_read_opts ro = {.permissive = true, .to_utf8 = true};
    char *cause = NULL;
    struct marc_reader *rd = marc_reader_open(path, &ro, &cause);
    if (!rd)
        fail_msg("cannot read %s: %s", path, cause);
    struct marc_record *r = marc_record_new();
    while (marc_reader_next(rd, r) == 1) {
        size_t len;
        const char *v = marc_record_value(r, "001", 0, &len);
        while (v && len && v[len - 1] == ' ')
            len--;
        while (v && len && *v == ' ')
            v++, len--;
        snprintf(loc_id[nloc], sizeof loc_id[nloc], "%.*s", v ? (int)len : 0, v ? v : "");
        loc[nloc++] = r;
        r = marc_record_new();
    }
    marc_record_free(r);
    marc_reader_close(rd);
    assert_int_equal(nloc, 24);
}

/* A copy of the LoC record whose 001 was `orig` (the caller frees it). */
static struct marc_record *
loc_copy(const char *orig)
{
    for (size_t i = 0; i < nloc; i++)
        if (strcmp(loc_id[i], orig) == 0)
            return marc_record_clone(loc[i]);
    fail_msg("no LoC record %s", orig);
    return NULL;
}

static void
remove_tag(struct marc_record *r, const char *tag)
{
    long i;
    while ((i = marc_record_find(r, tag, 0)) >= 0)
        marc_record_delete_field(r, (size_t)i);
}

/* Drop the record's OCLC numbers (035 $a (OCoLC)...), keep its other 035s. */
static void
remove_oclc(struct marc_record *r)
{
    for (long i = marc_record_find(r, "035", 0); i >= 0;) {
        size_t len;
        const char *a = marc_field_value(marc_record_field(r, (size_t)i), 'a', &len);
        if (a && len > 7 && memcmp(a, "(OCoLC)", 7) == 0) {
            marc_record_delete_field(r, (size_t)i);
            i = marc_record_find(r, "035", (size_t)i);
        } else {
            i = marc_record_find(r, "035", (size_t)i + 1);
        }
    }
}

static void
add_field(struct marc_record *r, const char *tag, char code, const char *value)
{
    long i = marc_record_add_data(r, tag, ' ', ' ');
    assert_true(i >= 0);
    assert_int_equal(marc_record_append_subfield(r, (size_t)i, code, value, strlen(value)), 0);
}

static void
replace_field(struct marc_record *r, const char *tag, char code, const char *value)
{
    remove_tag(r, tag);
    add_field(r, tag, code, value);
}

/* Text of subfield code of the first field tag ("" when none; static storage). */
static const char *
sub(const struct marc_record *r, const char *tag, char code)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    size_t len;
    const char *v = marc_record_value(r, tag, code, &len);
    snprintf(buf[k], sizeof buf[k], "%.*s", v ? (int)len : 0, v ? v : "");
    return buf[k];
}

static size_t
count_tag(const struct marc_record *r, const char *tag)
{
    size_t n = 0;
    for (long i = marc_record_find(r, tag, 0); i >= 0; i = marc_record_find(r, tag, (size_t)i + 1))
        n++;
    return n;
}

/* Is there a field `tag` whose $a is `value`? */
static bool
has_value(const struct marc_record *r, const char *tag, const char *value)
{
    for (long i = marc_record_find(r, tag, 0); i >= 0; i = marc_record_find(r, tag, (size_t)i + 1)) {
        size_t len;
        const char *a = marc_field_value(marc_record_field(r, (size_t)i), 'a', &len);
        if (a && len == strlen(value) && memcmp(a, value, len) == 0)
            return true;
    }
    return false;
}

/* ---- repositories ---- */

struct repo_dir {
    char path[256];
};

static void
make_repo(struct repo_dir *d, const char *name)
{
    snprintf(d->path, sizeof d->path, "%s/%s", tmpdir, name);
    char *cause = NULL;
    if (core_repo_init(d->path, "1234", NULL, "admin", &cause) != CORE_OK)
        fail_msg("init: %s", cause);
}

static struct core_repo *
as(const struct repo_dir *d, const char *user)
{
    char *cause = NULL;
    struct core_repo *r = core_repo_open(d->path, user, &cause);
    if (!r)
        fail_msg("open %s as %s: %s", d->path, user, cause);
    return r;
}

static void
create(struct core_repo *repo, enum core_zone zone, struct marc_record *r, char *mms)
{
    if (core_bib_create(repo, zone, r, "import", true, NULL, NULL, mms) != CORE_OK)
        fail_msg("create: %s", core_repo_errmsg(repo));
    marc_record_free(r);
}

static struct core_record_info
info(struct core_repo *repo, const char *mms)
{
    struct core_record_info in;
    if (core_record_get(repo, mms, NULL, &in) != CORE_OK)
        fail_msg("%s: %s", mms, core_repo_errmsg(repo));
    return in;
}

static struct marc_record *
get(struct core_repo *repo, const char *mms)
{
    struct marc_record *r = marc_record_new();
    if (core_record_get(repo, mms, r, NULL) != CORE_OK)
        fail_msg("%s: %s", mms, core_repo_errmsg(repo));
    return r;
}

/* MMS IDs of the first hits of a search (up to 8), joined by blanks. */
static const char *
search(struct core_repo *repo, enum core_zone zone, const char *query)
{
    static char out[512];
    struct core_search_opts so = {.zone = zone};
    struct core_results res;
    if (core_search(repo, query, &so, &res) != CORE_OK)
        fail_msg("search %s: %s", query, core_repo_errmsg(repo));
    out[0] = '\0';
    for (size_t i = 0; i < res.n && i < 8; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? " " : "",
                 res.hits[i].mms);
    core_results_free(&res);
    return out;
}

static bool
records_equal(const struct marc_record *a, const struct marc_record *b)
{
    if (memcmp(marc_record_leader(a) + 5, marc_record_leader(b) + 5, 7) != 0 ||
        marc_record_field_count(a) != marc_record_field_count(b))
        return false;
    for (size_t i = 0; i < marc_record_field_count(a); i++)
        if (!marc_field_equal(marc_record_field(a, i), marc_record_field(b, i)))
            return false;
    return true;
}

/* ---- the scenario: overlapping records in the IZ and NZ ---- */

struct scen {
    struct repo_dir d;
    char iw[2][CORE_MMS_MAX];       /* Internet world, serial: OCLC 26273275 both; 590/910/950 */
    char canc_iz[2][CORE_MMS_MAX];  /* 77004773: IZ 019 1001 = NZ 035 $a 1001 */
    char canc_nz[2][CORE_MMS_MAX];  /* 77005558: IZ 035 ocn000001002 = NZ 035 $z 1002 */
    char bible_iz[CORE_MMS_MAX];    /* 73209622: OCLC 2001, two NZ records have it */
    char bible_nz[2][CORE_MMS_MAX];
    char psalms[2][CORE_MMS_MAX];   /* 80082329: ISBN-10 in the IZ, ISBN-13 in the NZ */
    char canada[2][CORE_MMS_MAX];   /* ACD-3799 serial: ISSN only */
    char lccn[2][CORE_MMS_MAX];     /* 77616367: LCCN only */
    char prog_iz[CORE_MMS_MAX];     /* 11224466: the title of two NZ records */
    char prog_nz[2][CORE_MMS_MAX];
    char none_iz[CORE_MMS_MAX];     /* 77637075: nothing in the NZ */
    char fed[2][CORE_MMS_MAX];      /* ACD-2376: OCLC 3001, a serial in the IZ, a book in the NZ */
    char relig[2][CORE_MMS_MAX];    /* 72002565: OCLC 4001 */
    char already[2][CORE_MMS_MAX];  /* 77000348: OCLC 5001 */
    char lists[2][CORE_MMS_MAX];    /* ACD-3665: OCLC 6001 */
    char shift_iz[CORE_MMS_MAX];    /* ACD-3792: IZ only, an ISBN, no OCLC number */
};

/* The same LoC record in the IZ and the NZ, each changed by its function. */
static void
pair(struct core_repo *repo, const char *orig, void (*iz)(struct marc_record *),
     void (*nz)(struct marc_record *), char out[2][CORE_MMS_MAX])
{
    struct marc_record *a = loc_copy(orig), *b = loc_copy(orig);
    remove_oclc(a);
    remove_oclc(b);
    if (iz)
        iz(a);
    if (nz)
        nz(b);
    create(repo, CORE_ZONE_IZ, a, out[0]);
    create(repo, CORE_ZONE_NZ, b, out[1]);
}

static void
iw_iz(struct marc_record *r)
{
    add_field(r, "035", 'a', "(OCoLC)26273275");
    add_field(r, "590", 'a', "IZ copy: gift of the Friends");
    add_field(r, "910", 'a', "IZ local 910");
}

static void
iw_nz(struct marc_record *r)
{
    add_field(r, "035", 'a', "(OCoLC)ocm26273275");
    add_field(r, "590", 'a', "NZ note in 590");
    add_field(r, "950", 'a', "NZ local 950");
}

static void
canc_iz_iz(struct marc_record *r)
{
    add_field(r, "019", 'a', "1001");
    add_field(r, "035", 'a', "(OCoLC)9999");
}

static void
canc_iz_nz(struct marc_record *r)
{
    add_field(r, "035", 'a', "(OCoLC)1001");
}

static void
canc_nz_iz(struct marc_record *r)
{
    add_field(r, "035", 'a', "(OCoLC)ocn000001002");
}

static void
canc_nz_nz(struct marc_record *r)
{
    long i = marc_record_add_data(r, "035", ' ', ' ');
    marc_record_append_subfield(r, (size_t)i, 'a', "(OCoLC)1003", 11);
    marc_record_append_subfield(r, (size_t)i, 'z', "(OCoLC)1002", 11);
}

static void
oclc2001(struct marc_record *r)
{
    add_field(r, "035", 'a', "(OCoLC)2001");
}

static void
isbn13(struct marc_record *r)
{
    replace_field(r, "020", 'a', "978-0-87983-235-3");
    remove_tag(r, "010");
}

static void
no_lccn(struct marc_record *r)
{
    remove_tag(r, "010");
}

static void
oclc3001(struct marc_record *r)
{
    add_field(r, "035", 'a', "(OCoLC)3001");
}

static void
oclc3001_book(struct marc_record *r)
{
    add_field(r, "035", 'a', "(OCoLC)3001");
    marc_record_set_leader_byte(r, 7, 'm');
}

static void
oclc4001(struct marc_record *r)
{
    add_field(r, "035", 'a', "(OCoLC)4001");
}

static void
oclc5001(struct marc_record *r)
{
    add_field(r, "035", 'a', "(OCoLC)5001");
}

static void
oclc6001(struct marc_record *r)
{
    add_field(r, "035", 'a', "(OCoLC)6001");
}

static void
scenario(struct scen *s, const char *name)
{
    memset(s, 0, sizeof *s);
    make_repo(&s->d, name);
    struct core_repo *repo = as(&s->d, "admin");
    assert_int_equal(core_user_add(repo, "alice", CORE_ROLE_CATALOGER, NULL), 0);
    assert_int_equal(core_user_add(repo, "bob", CORE_ROLE_CATALOGER, NULL), 0);
    assert_int_equal(core_user_add(repo, "carol", CORE_ROLE_CATALOGER_EXTENDED, NULL), 0);
    assert_int_equal(core_user_add(repo, "ivan", CORE_ROLE_INVENTORY, NULL), 0);
    assert_int_equal(core_config_set(repo, "link.local_tags", "590"), 0);
    pair(repo, "ACD-3837", iw_iz, iw_nz, s->iw);
    pair(repo, "77004773", canc_iz_iz, canc_iz_nz, s->canc_iz);
    pair(repo, "77005558", canc_nz_iz, canc_nz_nz, s->canc_nz);
    char tmp[2][CORE_MMS_MAX];
    pair(repo, "73209622 //r823", oclc2001, oclc2001, tmp);
    snprintf(s->bible_iz, CORE_MMS_MAX, "%s", tmp[0]);
    snprintf(s->bible_nz[0], CORE_MMS_MAX, "%s", tmp[1]);
    struct marc_record *r = loc_copy("73209622 //r823");
    remove_oclc(r);
    oclc2001(r);
    create(repo, CORE_ZONE_NZ, r, s->bible_nz[1]);
    pair(repo, "80082329", NULL, isbn13, s->psalms);
    pair(repo, "ACD-3799", NULL, NULL, s->canada);
    pair(repo, "77616367 //r84", NULL, NULL, s->lccn);
    pair(repo, "11224466", NULL, no_lccn, tmp);
    snprintf(s->prog_iz, CORE_MMS_MAX, "%s", tmp[0]);
    snprintf(s->prog_nz[0], CORE_MMS_MAX, "%s", tmp[1]);
    r = loc_copy("11224467");
    no_lccn(r);
    create(repo, CORE_ZONE_NZ, r, s->prog_nz[1]);
    r = loc_copy("77637075 //r82");
    create(repo, CORE_ZONE_IZ, r, s->none_iz);
    pair(repo, "ACD-2376", oclc3001, oclc3001_book, s->fed);
    pair(repo, "72002565", oclc4001, oclc4001, s->relig);
    pair(repo, "77000348", oclc5001, oclc5001, s->already);
    pair(repo, "ACD-3665", oclc6001, oclc6001, s->lists);
    r = loc_copy("ACD-3792");
    remove_oclc(r);
    create(repo, CORE_ZONE_IZ, r, s->shift_iz);
    core_repo_close(repo);
}

/* The candidates of mms, checked to be n. */
static struct core_link_candidate *
candidates(struct core_repo *repo, const char *mms, size_t n)
{
    struct core_link_candidate *c = NULL;
    size_t got = 0;
    if (core_link_candidates(repo, mms, &c, &got) != CORE_OK)
        fail_msg("candidates of %s: %s", mms, core_repo_errmsg(repo));
    if (got != n)
        fail_msg("%s: %zu candidates, expected %zu (first: %s by %s)", mms, got, n,
                 got ? c[0].mms : "-", got ? c[0].reason : "-");
    return c;
}

static void
link_ok(struct core_repo *repo, const char *mms, const char *nz, struct core_link_result *res)
{
    if (core_link_to(repo, mms, nz, res) != CORE_OK)
        fail_msg("link %s to %s: %s", mms, nz, core_repo_errmsg(repo));
}

/* ---- match.h: the pure rules ---- */

static void
test_local_tags(void **state)
{
    struct core_local_tags t;
    char bad[40];
    assert_true(core_local_tags_parse("590, 69x 852", &t, bad, sizeof bad));
    assert_int_equal(t.n, 3);
    assert_string_equal(t.pattern[1], "69X");
    assert_true(core_local_tag(&t, "590"));
    assert_true(core_local_tag(&t, "695"));
    assert_true(core_local_tag(&t, "852"));
    assert_true(core_local_tag(&t, "949")); /* 9XX always */
    assert_true(core_local_tag(NULL, "910"));
    assert_false(core_local_tag(&t, "591"));
    assert_false(core_local_tag(&t, "245"));
    assert_true(core_local_tags_parse("", &t, bad, sizeof bad));
    assert_int_equal(t.n, 0);
    assert_false(core_local_tags_parse("590,24", &t, bad, sizeof bad));
    assert_string_equal(bad, "24");
    assert_false(core_local_tags_parse("590 00X", &t, bad, sizeof bad)); /* would take 001 */
    assert_string_equal(bad, "00X");
    assert_false(core_local_tags_parse("5a0", &t, bad, sizeof bad));
    assert_string_equal(bad, "5a0");
}

static struct marc_record *
rec(const char *leader, const char *const *fields)
{
    struct marc_record *r = marc_record_new();
    marc_record_set_leader(r, leader, 24);
    for (size_t i = 0; fields[i]; i++) {
        const char *f = fields[i];
        if (strncmp(f, "00", 2) == 0)
            marc_record_insert_control(r, marc_record_field_count(r), (char[4]){f[0], f[1], f[2], 0},
                                       f + 4, strlen(f + 4));
        else
            add_field(r, (char[4]){f[0], f[1], f[2], 0}, 'a', f + 4);
    }
    return r;
}

static void
test_compose(void **state)
{
    struct core_local_tags t;
    assert_true(core_local_tags_parse("590", &t, NULL, 0));
    const char *nzf[] = {"001 991000000014801", "005 20260101000000.0", "245 Shared title",
                         "500 Shared note", "590 NZ 590", "950 NZ 950", NULL};
    const char *izf[] = {"001 991000000011234", "245 Old title", "590 IZ 590", "910 IZ 910",
                         "949 IZ 949", NULL};
    struct marc_record *nz = rec("00000nam a2200000 a 4500", nzf);
    struct marc_record *iz = rec("00000cam a2200000 a 4500", izf);
    struct marc_record *out = marc_record_new();
    core_match_compose(nz, iz, &t, out);
    /* The network record's leader and shared fields, the IZ's local fields in tag order. */
    assert_memory_equal(marc_record_leader(out), "00000nam", 8);
    const char *want[] = {"001", "005", "245", "500", "590", "910", "949"};
    assert_int_equal(marc_record_field_count(out), 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(marc_field_tag(marc_record_field(out, i)), want[i]);
    assert_string_equal(sub(out, "245", 'a'), "Shared title");
    assert_string_equal(sub(out, "590", 'a'), "IZ 590");
    assert_int_equal(core_match_local_count(out, &t), 3);
    /* The same shared content: 001, 005 and local fields do not count. */
    assert_true(core_match_same_shared(out, nz, &t));
    marc_record_set_leader_byte(out, 17, '7');
    assert_false(core_match_same_shared(out, nz, &t));
    marc_record_set_leader_byte(out, 17, ' ');
    marc_record_set_leader_byte(out, 0, '9'); /* lengths do not count */
    assert_true(core_match_same_shared(out, nz, &t));
    long i = marc_record_find(out, "500", 0);
    marc_record_set_subfield(out, (size_t)i, 0, "Changed", 7);
    assert_false(core_match_same_shared(out, nz, &t));
    /* A contribution: no local field at all. */
    core_match_compose(iz, NULL, &t, out);
    assert_int_equal(marc_record_field_count(out), 2);
    assert_int_equal(core_match_local_count(out, &t), 0);
    marc_record_free(nz);
    marc_record_free(iz);
    marc_record_free(out);
}

static void
test_types(void **state)
{
    assert_true(core_match_type_agrees("00000nam a2200000 a 4500", "00000ctm a2200000 a 4500"));
    assert_true(core_match_type_agrees("00000nas a2200000 a 4500", "00000nab a2200000 a 4500"));
    assert_true(core_match_type_agrees("00000nai a2200000 a 4500", "00000nas a2200000 a 4500"));
    assert_false(core_match_type_agrees("00000nas a2200000 a 4500", "00000nam a2200000 a 4500"));
    assert_false(core_match_type_agrees("00000nam a2200000 a 4500", "00000ngm a2200000 a 4500"));
    assert_true(core_match_type_agrees("00000nem a2200000 a 4500", "00000nfm a2200000 a 4500"));
    assert_string_equal(core_match_type_name("00000nas a2200000 a 4500"), "serial");
    assert_string_equal(core_match_type_name("00000cam a2200000 a 4500"), "book");
    assert_string_equal(core_match_type_name("00000ncm a2200000 a 4500"), "score");
    assert_true(core_match_is_serial("00000nas a2200000 a 4500"));
    assert_false(core_match_is_serial("00000nam a2200000 a 4500"));
}

/* ---- candidates (Share with Network) ---- */

static struct scen cand;
static bool cand_built;

static struct core_repo *
cand_repo(void)
{
    if (!cand_built) {
        cand_built = true;
        scenario(&cand, "cand");
    }
    return as(&cand.d, "alice");
}

static void
test_candidates_oclc(void **state)
{
    struct core_repo *repo = cand_repo();
    struct core_link_candidate *c = candidates(repo, cand.iw[0], 1);
    assert_string_equal(c[0].mms, cand.iw[1]);
    assert_int_equal(c[0].how, CORE_LINK_OCLC);
    assert_true(core_link_how_strong(c[0].how));
    /* (OCoLC)26273275 meets (OCoLC)ocm26273275: prefixes and zeros aside */
    assert_string_equal(c[0].reason, "OCLC number 26273275");
    assert_string_equal(c[0].title, "Internet world");
    assert_true(c[0].type_agrees);
    assert_string_equal(c[0].linked_from, "");
    assert_int_equal(c[0].leader[7], 's');
    free(c);
    core_repo_close(repo);
}

static void
test_candidates_cancelled(void **state)
{
    struct core_repo *repo = cand_repo();
    /* The IZ's 019 $a holds the NZ record's 035 $a. */
    struct core_link_candidate *c = candidates(repo, cand.canc_iz[0], 1);
    assert_string_equal(c[0].mms, cand.canc_iz[1]);
    assert_int_equal(c[0].how, CORE_LINK_OCLC_CANCELLED);
    assert_true(core_link_how_strong(c[0].how));
    assert_non_null(strstr(c[0].reason, "1001, cancelled in this record"));
    free(c);
    /* The NZ's 035 $z holds the IZ's 035 $a (ocn and leading zeros). */
    c = candidates(repo, cand.canc_nz[0], 1);
    assert_string_equal(c[0].mms, cand.canc_nz[1]);
    assert_int_equal(c[0].how, CORE_LINK_OCLC_CANCELLED);
    assert_non_null(strstr(c[0].reason, "1002, cancelled in the network record"));
    free(c);
    core_repo_close(repo);
}

static void
test_candidates_multi(void **state)
{
    struct core_repo *repo = cand_repo();
    struct core_link_candidate *c = candidates(repo, cand.bible_iz, 2);
    assert_string_equal(c[0].mms, cand.bible_nz[0]);
    assert_string_equal(c[1].mms, cand.bible_nz[1]);
    assert_int_equal(c[0].how, CORE_LINK_OCLC);
    assert_int_equal(c[1].how, CORE_LINK_OCLC);
    free(c);
    core_repo_close(repo);
}

static void
test_candidates_identifiers(void **state)
{
    struct core_repo *repo = cand_repo();
    /* ISBN-10 in the IZ, ISBN-13 in the NZ; no OCLC number. */
    struct core_link_candidate *c = candidates(repo, cand.psalms[0], 1);
    assert_string_equal(c[0].mms, cand.psalms[1]);
    assert_int_equal(c[0].how, CORE_LINK_ISBN);
    assert_false(core_link_how_strong(c[0].how));
    assert_string_equal(c[0].reason, "ISBN 9780879832353");
    free(c);
    c = candidates(repo, cand.canada[0], 1);
    assert_string_equal(c[0].mms, cand.canada[1]);
    assert_int_equal(c[0].how, CORE_LINK_ISSN);
    assert_string_equal(c[0].reason, "ISSN 1187-7081");
    free(c);
    c = candidates(repo, cand.lccn[0], 1);
    assert_string_equal(c[0].mms, cand.lccn[1]);
    assert_int_equal(c[0].how, CORE_LINK_LCCN);
    assert_string_equal(c[0].reason, "LCCN 77616367");
    free(c);
    core_repo_close(repo);
}

static void
test_candidates_title_and_none(void **state)
{
    struct core_repo *repo = cand_repo();
    /* No identifier in common: the two NZ records of the same title. */
    struct core_link_candidate *c = candidates(repo, cand.prog_iz, 2);
    assert_string_equal(c[0].mms, cand.prog_nz[0]);
    assert_string_equal(c[1].mms, cand.prog_nz[1]);
    assert_int_equal(c[0].how, CORE_LINK_TITLE);
    assert_string_equal(c[0].reason, "title \"How to program a computer\"");
    free(c);
    c = candidates(repo, cand.none_iz, 0);
    assert_null(c);
    /* Another resource type still shows, marked. */
    c = candidates(repo, cand.fed[0], 1);
    assert_false(c[0].type_agrees);
    assert_string_equal(core_match_type_name(c[0].leader), "book");
    free(c);
    /* Only IZ bibs are linked. */
    struct core_link_candidate *x = NULL;
    size_t n = 9;
    assert_int_equal(core_link_candidates(repo, cand.iw[1], &x, &n), CORE_ERR_USER);
    assert_int_equal(n, 0);
    assert_non_null(strstr(core_repo_errmsg(repo), "not an institution zone bib"));
    assert_int_equal(core_link_candidates(repo, "991999999991234", &x, &n), CORE_ERR_NOTFOUND);
    assert_int_equal(core_link_candidates(repo, "12x", &x, &n), CORE_ERR_USER);
    core_repo_close(repo);
}

/* ---- linking, and what a linked record is ---- */

static void
holdings(struct core_repo *repo, const char *bib_mms, char *out)
{
    struct marc_record *h = marc_record_new();
    marc_record_set_leader(h, "00000nx  a2200000un 4500", 24);
    marc_record_add_control(h, "008", "2611240u    8   4001aaeng0000000", 32);
    long i = marc_record_add_data(h, "852", '0', ' ');
    marc_record_append_subfield(h, (size_t)i, 'b', "MAIN", 4);
    marc_record_append_subfield(h, (size_t)i, 'h', "TK5105.5", 8);
    if (core_holdings_create(repo, bib_mms, h, NULL, NULL, NULL, out) != CORE_OK)
        fail_msg("holdings on %s: %s", bib_mms, core_repo_errmsg(repo));
    marc_record_free(h);
}

static void
test_link_semantics(void **state)
{
    struct scen s;
    scenario(&s, "sem");
    struct core_repo *admin = as(&s.d, "admin");
    char hold[CORE_MMS_MAX];
    holdings(admin, s.iw[0], hold);
    core_repo_close(admin);
    struct core_repo *repo = as(&s.d, "alice");
    struct marc_record *before = get(repo, s.iw[0]);
    assert_string_equal(search(repo, CORE_ZONE_IZ, "linked=network"), "");

    struct core_link_result res;
    link_ok(repo, s.iw[0], s.iw[1], &res);
    assert_string_equal(res.nz_mms, s.iw[1]);
    assert_int_equal(res.kept_version, 1);
    assert_int_equal(res.version, 2);
    assert_int_equal(res.local_fields, 2); /* 590 (link.local_tags) and 910 */

    /* The row keeps its identity; linked holds the NZ MMS ID. */
    struct core_record_info in = info(repo, s.iw[0]);
    assert_string_equal(in.mms, s.iw[0]);
    assert_string_equal(in.linked, s.iw[1]);
    assert_int_equal(in.version, 2);
    assert_string_equal(in.reason, "link");
    assert_string_equal(in.title, "Internet world");
    assert_int_equal(in.holdings, 1); /* the inventory stays with the IZ record */

    /* It reads as the NZ record with the IZ's local fields. */
    struct marc_record *r = get(repo, s.iw[0]);
    struct marc_record *nz = get(repo, s.iw[1]);
    assert_string_equal(sub(r, "001", 0), s.iw[1]);
    assert_string_equal(sub(r, "005", 0), sub(nz, "005", 0));
    assert_true(has_value(r, "035", "(OCoLC)ocm26273275")); /* the NZ's 035 */
    assert_false(has_value(r, "035", "(OCoLC)26273275"));
    assert_true(has_value(r, "590", "IZ copy: gift of the Friends"));
    assert_false(has_value(r, "590", "NZ note in 590")); /* the NZ's own local fields stay there */
    assert_true(has_value(r, "910", "IZ local 910"));
    assert_int_equal(count_tag(r, "950"), 0);
    assert_int_equal(count_tag(r, "590"), 1);

    /* The content before linking is version 1, as it was. */
    struct marc_record *v1 = marc_record_new();
    assert_int_equal(core_version_get(repo, s.iw[0], 1, v1), CORE_OK);
    assert_true(records_equal(v1, before));
    struct core_version *vs;
    size_t nv;
    assert_int_equal(core_versions_list(repo, s.iw[0], &vs, &nv), CORE_OK);
    assert_int_equal(nv, 2);
    assert_string_equal(vs[1].reason, "link");
    free(vs);

    /* IZ searches find it by the network record's title and numbers. */
    assert_string_equal(search(repo, CORE_ZONE_IZ, "title=\"internet world\""), s.iw[0]);
    assert_string_equal(search(repo, CORE_ZONE_IZ, "oclc=26273275"), s.iw[0]);
    assert_string_equal(search(repo, CORE_ZONE_IZ, "linked=network"), s.iw[0]);
    char q[64];
    snprintf(q, sizeof q, "mms=%s", s.iw[1]);
    assert_string_equal(search(repo, CORE_ZONE_IZ, q), s.iw[0]);
    /* Its old local words are still found, its old-only ones not. */
    assert_string_equal(search(repo, CORE_ZONE_IZ, "friends"), s.iw[0]);

    /* Linked already; the NZ record linked already. */
    assert_int_equal(core_link_to(repo, s.iw[0], s.iw[1], NULL), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(repo), "already linked"));
    assert_int_equal(core_link_to(repo, s.lists[0], s.iw[1], NULL), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(repo), "already linked to"));
    assert_string_equal(info(repo, s.lists[0]).linked, "");
    /* Its candidates show the link. */
    struct core_link_candidate *c = candidates(repo, s.iw[0], 1);
    assert_string_equal(c[0].linked_from, s.iw[0]);
    free(c);
    link_ok(repo, s.lists[0], s.lists[1], NULL);
    core_repo_close(repo);

    /* Deleting: a linked IZ record (no holdings), and the NZ record it reads. */
    repo = as(&s.d, "carol");
    assert_int_equal(core_record_delete(repo, s.lists[0]), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(repo), "unlink it first"));
    assert_int_equal(core_record_delete(repo, s.iw[1]), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(repo), "unlink it first"));
    assert_false(info(repo, s.iw[1]).deleted);
    core_repo_close(repo);
    marc_record_free(before);
    marc_record_free(r);
    marc_record_free(nz);
    marc_record_free(v1);
}

/* Set subfield $a of the first field tag, or add the field. */
static void
set_a(struct marc_record *r, const char *tag, const char *value)
{
    long i = marc_record_find(r, tag, 0);
    if (i < 0)
        add_field(r, tag, 'a', value);
    else
        assert_int_equal(marc_record_set_subfield(r, (size_t)i, 0, value, strlen(value)), 0);
}

static void
test_link_save(void **state)
{
    struct scen s;
    scenario(&s, "save");
    struct core_repo *repo = as(&s.d, "alice");
    link_ok(repo, s.iw[0], s.iw[1], NULL);

    /* A shared and a local change: each goes to its zone. */
    struct marc_record *r = marc_record_new();
    int v = 0;
    assert_int_equal(core_record_open(repo, s.iw[0], r, &v, NULL), CORE_OK);
    assert_int_equal(v, 2);
    set_a(r, "910", "IZ local 910 edited");
    add_field(r, "500", 'a', "Shared note quokka added by alice");
    int nv = 0;
    if (core_record_save(repo, s.iw[0], r, v, "edit", true, NULL, NULL, &nv) != CORE_OK)
        fail_msg("save: %s", core_repo_errmsg(repo));
    assert_int_equal(nv, 3);
    struct marc_record *nz = get(repo, s.iw[1]);
    assert_true(has_value(nz, "500", "Shared note quokka added by alice"));
    assert_true(has_value(nz, "950", "NZ local 950"));   /* the NZ's own local fields */
    assert_true(has_value(nz, "590", "NZ note in 590")); /* stay, */
    assert_int_equal(count_tag(nz, "910"), 0);           /* the IZ's do not go there */
    assert_string_equal(sub(nz, "001", 0), s.iw[1]);
    struct core_record_info ni = info(repo, s.iw[1]);
    assert_int_equal(ni.version, 2);
    assert_string_equal(ni.reason, "edit");
    assert_string_equal(ni.updated_by, "alice");
    struct marc_record *old = marc_record_new();
    assert_int_equal(core_version_get(repo, s.iw[1], 1, old), CORE_OK);
    assert_false(has_value(old, "500", "Shared note quokka added by alice"));
    struct marc_record *iz = get(repo, s.iw[0]);
    assert_true(has_value(iz, "910", "IZ local 910 edited"));
    assert_true(has_value(iz, "500", "Shared note quokka added by alice"));
    assert_true(has_value(iz, "590", "IZ copy: gift of the Friends"));
    assert_int_equal(info(repo, s.iw[0]).version, 3);
    assert_string_equal(search(repo, CORE_ZONE_IZ, "quokka"), s.iw[0]);
    assert_string_equal(search(repo, CORE_ZONE_NZ, "quokka"), s.iw[1]);
    struct core_lock_info lk;
    assert_int_equal(core_record_lock_info(repo, s.iw[0], &lk), CORE_OK);
    assert_false(lk.locked); /* released with the save */

    /* Only a local change: the NZ record is not written. */
    assert_int_equal(core_record_open(repo, s.iw[0], r, &v, NULL), CORE_OK);
    set_a(r, "910", "IZ local 910 again");
    assert_int_equal(core_record_save(repo, s.iw[0], r, v, "edit", true, NULL, NULL, NULL),
                     CORE_OK);
    assert_int_equal(info(repo, s.iw[1]).version, 2);
    assert_int_equal(info(repo, s.iw[0]).version, 4);
    marc_record_free(iz);
    iz = get(repo, s.iw[0]);
    assert_true(has_value(iz, "910", "IZ local 910 again"));
    marc_record_free(nz);
    marc_record_free(old);
    marc_record_free(iz);
    marc_record_free(r);
    core_repo_close(repo);
}

/* ---- a linked save killed between its transactions (the redo log, link.h) ---- */

/* An integer from the IZ file, read with SQLite directly (no recovery runs). */
static long
iz_long(const struct repo_dir *d, const char *sql, const char *mms)
{
    char path[300];
    snprintf(path, sizeof path, "%s/iz.db", d->path);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, mms, -1, SQLITE_STATIC);
    long v = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/*
 * alice opens linked bib mms, changes its title (shared) to `title` and 910 (local)
 * and saves, in a child that COLOPHON_CRASH_POINT kills at `point`.  False
 * when the build has no crash points (NDEBUG): the save then completed.
 */
static bool
save_killed_at(const struct repo_dir *d, const char *mms, const char *point, const char *title)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct core_repo *repo = core_repo_open(d->path, "alice", NULL);
        struct marc_record *r = marc_record_new();
        int v = 0;
        if (!repo || core_record_open(repo, mms, r, &v, NULL) != CORE_OK)
            _exit(2);
        set_a(r, "245", title);
        set_a(r, "910", "IZ local 910 after the crash");
        setenv("COLOPHON_CRASH_POINT", point, 1);
        _exit(core_record_save(repo, mms, r, v, "edit", true, NULL, NULL, NULL) == CORE_OK ? 0
                                                                                           : 3);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return false;
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    return true;
}

#define PENDING_SQL "SELECT count(*) FROM link_pending WHERE mms = ?1"
#define TITLE_VERSION_SQL                                                                          \
    "SELECT version * 1000 + (title = 'Internet world after the crash') FROM bib WHERE mms = ?1"

static void
test_link_save_crash(void **state)
{
    struct scen s;
    scenario(&s, "crash");
    struct core_repo *alice = as(&s.d, "alice");
    link_ok(alice, s.iw[0], s.iw[1], NULL);
    core_repo_close(alice);
    /* bob's session was open before the crash: it recovers when it opens
     * the record for editing, not only a process opening the repository. */
    struct core_repo *bob = as(&s.d, "bob");

    /* Killed after the network record's commit: rolled forward. */
    if (!save_killed_at(&s.d, s.iw[0], "link-network", "Internet world after the crash"))
        skip();
    assert_int_equal(iz_long(&s.d, PENDING_SQL, s.iw[0]), 1);
    assert_int_equal(iz_long(&s.d, TITLE_VERSION_SQL, s.iw[0]), 2000); /* the IZ row stale */
    struct marc_record *r = marc_record_new();
    int v = 0;
    struct core_lock_info lk;
    /* alice's save released her lock: bob may open it, and it is saved. */
    assert_int_equal(core_record_open(bob, s.iw[0], r, &v, &lk), CORE_OK);
    assert_int_equal(v, 3);
    assert_int_equal(iz_long(&s.d, PENDING_SQL, s.iw[0]), 0);
    assert_int_equal(iz_long(&s.d, TITLE_VERSION_SQL, s.iw[0]), 3001);
    struct core_record_info in = info(bob, s.iw[0]);
    assert_string_equal(in.updated_by, "alice"); /* the saver's version, not bob's */
    assert_string_equal(in.reason, "edit");
    assert_string_equal(in.title, "Internet world after the crash");
    assert_true(has_value(r, "910", "IZ local 910 after the crash"));
    assert_true(has_value(r, "590", "IZ copy: gift of the Friends"));
    assert_string_equal(search(bob, CORE_ZONE_IZ, "title=\"internet world after the crash\""),
                        s.iw[0]);
    struct core_record_info ni = info(bob, s.iw[1]);
    assert_int_equal(ni.version, 2); /* written once */
    assert_string_equal(ni.updated_by, "alice");
    struct core_version *vs;
    size_t nv;
    assert_int_equal(core_versions_list(bob, s.iw[0], &vs, &nv), CORE_OK);
    assert_int_equal(nv, 3); /* import, link, edit: as an uninterrupted save */
    assert_string_equal(vs[2].user, "alice");
    free(vs);
    assert_int_equal(core_record_release(bob, s.iw[0]), CORE_OK);

    /* Killed after the intent's commit, before the network's: dropped. */
    assert_true(save_killed_at(&s.d, s.iw[0], "link-intent", "Internet world, second crash"));
    assert_int_equal(iz_long(&s.d, PENDING_SQL, s.iw[0]), 1);
    /* ivan (inventory only) opens the repository: the recovery acts for
     * alice, whose roles were checked when she saved. */
    struct core_repo *ivan = as(&s.d, "ivan");
    assert_int_equal(iz_long(&s.d, PENDING_SQL, s.iw[0]), 0);
    assert_int_equal(iz_long(&s.d, TITLE_VERSION_SQL, s.iw[0]), 3001); /* as before */
    assert_int_equal(info(ivan, s.iw[1]).version, 2);
    core_repo_close(ivan);

    /* Killed once more after the network commit; a process opening the
     * repository rolls it forward as ivan: alice's version, her lock gone. */
    assert_int_equal(core_record_release(bob, s.iw[0]), CORE_OK);
    assert_true(save_killed_at(&s.d, s.iw[0], "link-network", "Internet world, third crash"));
    ivan = as(&s.d, "ivan");
    assert_int_equal(iz_long(&s.d, PENDING_SQL, s.iw[0]), 0);
    in = info(ivan, s.iw[0]);
    assert_int_equal(in.version, 4);
    assert_string_equal(in.updated_by, "alice");
    assert_string_equal(in.title, "Internet world, third crash");
    assert_int_equal(info(ivan, s.iw[1]).version, 3);
    assert_int_equal(core_record_lock_info(ivan, s.iw[0], &lk), CORE_OK);
    assert_false(lk.locked);
    core_repo_close(ivan);
    marc_record_free(r);
    core_repo_close(bob);
}

static void
test_link_save_conflicts(void **state)
{
    struct scen s;
    scenario(&s, "conflict");
    struct core_repo *alice = as(&s.d, "alice"), *bob = as(&s.d, "bob");
    link_ok(alice, s.iw[0], s.iw[1], NULL);
    struct marc_record *r = marc_record_new(), *b = marc_record_new();
    int v = 0, bv = 0;

    /* Bob has the NZ record open: a shared change is refused, a local one is not. */
    assert_int_equal(core_record_open(bob, s.iw[1], b, &bv, NULL), CORE_OK);
    assert_int_equal(core_record_open(alice, s.iw[0], r, &v, NULL), CORE_OK);
    add_field(r, "500", 'a', "Alice's shared note");
    assert_int_equal(core_record_save(alice, s.iw[0], r, v, "edit", false, NULL, NULL, NULL),
                     CORE_ERR_CONFLICT);
    assert_non_null(strstr(core_repo_errmsg(alice), "locked by bob"));
    assert_int_equal(info(alice, s.iw[0]).version, 2);
    assert_int_equal(info(alice, s.iw[1]).version, 1);
    assert_int_equal(core_record_open(alice, s.iw[0], r, &v, NULL), CORE_OK);
    set_a(r, "910", "local while bob edits");
    assert_int_equal(core_record_save(alice, s.iw[0], r, v, "edit", false, NULL, NULL, &v),
                     CORE_OK);

    /* Bob saves the NZ record while Alice has the IZ record open: the IZ
     * record gets his change as a new version (his name, his reason), so
     * her save, from the version before, is refused; the IZ's index has
     * his change at once. */
    assert_int_equal(core_record_open(alice, s.iw[0], r, &v, NULL), CORE_OK);
    add_field(b, "500", 'a', "Bob's wombat note");
    assert_int_equal(core_record_save(bob, s.iw[1], b, bv, "edit", true, NULL, NULL, NULL),
                     CORE_OK);
    assert_string_equal(search(alice, CORE_ZONE_IZ, "wombat"), s.iw[0]);
    struct core_record_info in = info(alice, s.iw[0]);
    assert_int_equal(in.version, v + 1);
    assert_string_equal(in.updated_by, "bob");
    assert_string_equal(in.reason, "edit");
    struct marc_record *now = get(alice, s.iw[0]);
    assert_true(has_value(now, "500", "Bob's wombat note"));
    assert_true(has_value(now, "910", "local while bob edits"));
    add_field(r, "500", 'a', "Alice's shared note");
    assert_int_equal(core_record_save(alice, s.iw[0], r, v, "edit", false, NULL, NULL, NULL),
                     CORE_ERR_CONFLICT);
    assert_non_null(strstr(core_repo_errmsg(alice), "saved by bob"));
    marc_record_free(now);
    now = get(alice, s.iw[1]);
    assert_false(has_value(now, "500", "Alice's shared note"));
    /* Opened again, her change goes through and keeps his. */
    assert_int_equal(core_record_open(alice, s.iw[0], r, &v, NULL), CORE_OK);
    add_field(r, "500", 'a', "Alice's shared note");
    assert_int_equal(core_record_save(alice, s.iw[0], r, v, "edit", true, NULL, NULL, NULL),
                     CORE_OK);
    marc_record_free(now);
    now = get(bob, s.iw[1]);
    assert_true(has_value(now, "500", "Alice's shared note"));
    assert_true(has_value(now, "500", "Bob's wombat note"));
    assert_int_equal(info(bob, s.iw[1]).version, 3);

    /* A user without the role cannot save it. */
    struct core_repo *ivan = as(&s.d, "ivan");
    assert_int_equal(core_record_save(ivan, s.iw[0], now, 0, "edit", false, NULL, NULL, NULL),
                     CORE_ERR_ROLE);
    core_repo_close(ivan);
    marc_record_free(now);
    marc_record_free(r);
    marc_record_free(b);
    core_repo_close(alice);
    core_repo_close(bob);
}

/* Another institution shares the NZ file and edits the network record from its own IZ. */
static void
test_link_shared_nz(void **state)
{
    struct scen s;
    scenario(&s, "shared");
    struct repo_dir other;
    snprintf(other.path, sizeof other.path, "%s/other", tmpdir);
    char nzpath[300], *cause = NULL;
    snprintf(nzpath, sizeof nzpath, "%s/nz.db", s.d.path);
    if (core_repo_init(other.path, "5678", nzpath, "dora", &cause) != CORE_OK)
        fail_msg("init other: %s", cause);
    struct core_repo *alice = as(&s.d, "alice"), *dora = as(&other, "dora");
    link_ok(alice, s.iw[0], s.iw[1], NULL);
    struct marc_record *r = marc_record_new(), *d = marc_record_new();
    int v = 0, dv = 0;
    assert_int_equal(core_record_open(alice, s.iw[0], r, &v, NULL), CORE_OK);
    sleep(1); /* the network record's 005 tells its saves apart by the second */
    assert_int_equal(core_record_open(dora, s.iw[1], d, &dv, NULL), CORE_OK);
    add_field(d, "500", 'a', "Dora's platypus note");
    assert_int_equal(core_record_save(dora, s.iw[1], d, dv, "edit", true, NULL, NULL, NULL),
                     CORE_OK);
    /* Read here at once, not yet indexed here. */
    struct marc_record *now = get(alice, s.iw[0]);
    assert_true(has_value(now, "500", "Dora's platypus note"));
    assert_string_equal(search(alice, CORE_ZONE_IZ, "platypus"), "");
    /* Alice's shared change from before is refused by the 005 she read. */
    add_field(r, "500", 'a', "Alice's note");
    assert_int_equal(core_record_save(alice, s.iw[0], r, v, "edit", false, NULL, NULL, NULL),
                     CORE_ERR_CONFLICT);
    assert_non_null(strstr(core_repo_errmsg(alice), "network zone record"));
    assert_non_null(strstr(core_repo_errmsg(alice), "changed since you opened it"));
    /* The refresh stores and indexes it: one record changed, a version by dora. */
    long count = -1;
    assert_int_equal(core_link_refresh(alice, NULL, &count), CORE_OK);
    assert_int_equal(count, 1);
    assert_string_equal(search(alice, CORE_ZONE_IZ, "platypus"), s.iw[0]);
    assert_string_equal(info(alice, s.iw[0]).updated_by, "dora");
    assert_int_equal(core_link_refresh(alice, NULL, &count), CORE_OK);
    assert_int_equal(count, 0);
    assert_int_equal(core_link_refresh(alice, s.iw[0], &count), CORE_OK);
    assert_int_equal(count, 0);
    assert_int_equal(core_link_refresh(alice, s.lists[0], &count), CORE_ERR_USER);
    struct core_repo *ivan = as(&s.d, "ivan");
    assert_int_equal(core_link_refresh(ivan, NULL, &count), CORE_ERR_ROLE);
    core_repo_close(ivan);
    marc_record_free(now);
    marc_record_free(r);
    marc_record_free(d);
    core_repo_close(alice);
    core_repo_close(dora);
}

/* ---- unlink and revert ---- */

/* r without its 005 (a record's time stamp changes with every write). */
static struct marc_record *
no_005(const struct marc_record *r)
{
    struct marc_record *c = marc_record_clone(r);
    remove_tag(c, "005");
    return c;
}

static void
test_unlink_and_revert(void **state)
{
    struct scen s;
    scenario(&s, "revert");
    struct core_repo *repo = as(&s.d, "alice");
    struct marc_record *orig = get(repo, s.iw[0]);
    link_ok(repo, s.iw[0], s.iw[1], NULL); /* version 2 */
    struct marc_record *r = get(repo, s.iw[0]);
    set_a(r, "910", "changed while linked");
    assert_int_equal(core_record_save(repo, s.iw[0], r, 2, "edit", false, NULL, NULL, NULL),
                     CORE_OK); /* version 3 */

    /* Back to version 2, written while linked: its local fields, still linked. */
    int nv = 0;
    assert_int_equal(core_record_revert(repo, s.iw[0], 2, &nv), CORE_OK);
    assert_int_equal(nv, 4);
    struct core_record_info in = info(repo, s.iw[0]);
    assert_string_equal(in.linked, s.iw[1]);
    assert_string_equal(in.reason, "revert");
    marc_record_free(r);
    r = get(repo, s.iw[0]);
    assert_true(has_value(r, "910", "IZ local 910"));
    assert_string_equal(sub(r, "001", 0), s.iw[1]);
    assert_int_equal(info(repo, s.iw[1]).version, 1); /* the NZ record untouched */

    /* Back to version 1, from before the link: the link is undone. */
    assert_int_equal(core_record_revert(repo, s.iw[0], 1, &nv), CORE_OK);
    assert_int_equal(nv, 5);
    in = info(repo, s.iw[0]);
    assert_string_equal(in.linked, "");
    marc_record_free(r);
    r = get(repo, s.iw[0]);
    struct marc_record *a = no_005(r), *b = no_005(orig);
    assert_true(records_equal(a, b));
    marc_record_free(a);
    marc_record_free(b);
    assert_string_equal(search(repo, CORE_ZONE_IZ, "linked=network"), "");
    assert_string_equal(search(repo, CORE_ZONE_IZ, "oclc=26273275"), s.iw[0]);

    /* Linked again, then unlinked: a full local copy of the NZ content with its local fields. */
    struct core_link_result res;
    link_ok(repo, s.iw[0], s.iw[1], &res);
    assert_int_equal(res.version, 6);
    assert_int_equal(core_unlink(repo, s.iw[0], &res), CORE_OK);
    assert_string_equal(res.nz_mms, s.iw[1]);
    assert_int_equal(res.kept_version, 6);
    assert_int_equal(res.version, 7);
    in = info(repo, s.iw[0]);
    assert_string_equal(in.linked, "");
    assert_string_equal(in.reason, "unlink");
    marc_record_free(r);
    r = get(repo, s.iw[0]);
    assert_string_equal(sub(r, "001", 0), s.iw[0]);
    assert_true(has_value(r, "035", "(OCoLC)ocm26273275"));
    assert_true(has_value(r, "590", "IZ copy: gift of the Friends"));
    assert_true(has_value(r, "910", "IZ local 910"));
    assert_int_equal(count_tag(r, "950"), 0);
    assert_false(has_value(r, "590", "NZ note in 590"));
    /* A local record now: a save stays in the IZ. */
    add_field(r, "500", 'a', "Local only now");
    assert_int_equal(core_record_save(repo, s.iw[0], r, 7, "edit", false, NULL, NULL, NULL),
                     CORE_OK);
    struct marc_record *nz = get(repo, s.iw[1]);
    assert_false(has_value(nz, "500", "Local only now"));
    assert_string_equal(search(repo, CORE_ZONE_IZ, "linked=network"), "");
    assert_int_equal(core_unlink(repo, s.iw[0], NULL), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(repo), "not linked"));
    marc_record_free(nz);
    marc_record_free(r);
    marc_record_free(orig);
    core_repo_close(repo);
}

/* ---- contribute ---- */

static void
test_contribute(void **state)
{
    struct scen s;
    scenario(&s, "contrib");
    struct core_repo *repo = as(&s.d, "alice");
    /* Local fields first, which stay in the IZ. */
    struct marc_record *r = get(repo, s.none_iz);
    add_field(r, "910", 'a', "IZ only 910");
    add_field(r, "590", 'a', "IZ only 590");
    assert_int_equal(core_record_save(repo, s.none_iz, r, 1, "edit", false, NULL, NULL, NULL),
                     CORE_OK);
    struct core_link_result res;
    if (core_link_contribute(repo, s.none_iz, &res) != CORE_OK)
        fail_msg("contribute: %s", core_repo_errmsg(repo));
    assert_int_equal(strlen(res.nz_mms), 15);
    assert_string_equal(res.nz_mms + 11, "4801");
    assert_int_equal(res.kept_version, 2);
    assert_int_equal(res.local_fields, 2);
    struct marc_record *nz = get(repo, res.nz_mms);
    struct core_record_info ni = info(repo, res.nz_mms);
    assert_string_equal(ni.reason, "contribute");
    assert_string_equal(ni.created_by, "alice");
    assert_string_equal(sub(nz, "001", 0), res.nz_mms);
    assert_string_equal(sub(nz, "245", 'a'), sub(r, "245", 'a'));
    assert_int_equal(count_tag(nz, "910"), 0);
    assert_int_equal(count_tag(nz, "590"), 0);
    assert_int_equal(count_tag(nz, "003"), 0);
    assert_false(has_value(nz, "035", s.none_iz)); /* no trace of the IZ's own ID */
    struct core_record_info in = info(repo, s.none_iz);
    assert_string_equal(in.linked, res.nz_mms);
    marc_record_free(r);
    r = get(repo, s.none_iz);
    assert_true(has_value(r, "910", "IZ only 910"));
    assert_true(has_value(r, "590", "IZ only 590"));
    assert_string_equal(sub(r, "001", 0), res.nz_mms);
    assert_int_equal(core_link_contribute(repo, s.none_iz, NULL), CORE_ERR_USER);

    /* A record with validation errors does not go to the shared zone. */
    struct marc_record *bad = loc_copy("77637075 //r82");
    remove_tag(bad, "245");
    char bad_mms[CORE_MMS_MAX];
    create(repo, CORE_ZONE_IZ, bad, bad_mms);
    char probe[CORE_MMS_MAX];
    struct marc_record *p = loc_copy("77637075 //r82");
    create(repo, CORE_ZONE_NZ, p, probe); /* the NZ's next ID before */
    assert_int_equal(core_link_contribute(repo, bad_mms, NULL), CORE_ERR_INVALID);
    assert_non_null(strstr(core_repo_errmsg(repo), "validation errors"));
    assert_string_equal(info(repo, bad_mms).linked, "");
    assert_int_equal(info(repo, bad_mms).version, 1);
    /* ... and used no NZ MMS ID: the next one follows the probe's. */
    char probe2[CORE_MMS_MAX];
    p = loc_copy("77637075 //r82");
    create(repo, CORE_ZONE_NZ, p, probe2);
    long long s1 = 0, s2 = 0;
    core_mms_parse(probe, &s1, NULL);
    core_mms_parse(probe2, &s2, NULL);
    assert_int_equal(s2, s1 + 1);
    marc_record_free(nz);
    marc_record_free(r);
    core_repo_close(repo);
    repo = as(&s.d, "ivan");
    assert_int_equal(core_link_contribute(repo, s.shift_iz, NULL), CORE_ERR_ROLE);
    core_repo_close(repo);
}

/* ---- refusals ---- */

static void
test_refusals(void **state)
{
    struct scen s;
    scenario(&s, "refuse");
    struct core_repo *ivan = as(&s.d, "ivan"), *alice = as(&s.d, "alice"), *bob = as(&s.d, "bob");
    assert_int_equal(core_link_to(ivan, s.iw[0], s.iw[1], NULL), CORE_ERR_ROLE);
    assert_non_null(strstr(core_repo_errmsg(ivan), "cataloger"));
    assert_int_equal(core_link_contribute(ivan, s.none_iz, NULL), CORE_ERR_ROLE);
    link_ok(alice, s.lists[0], s.lists[1], NULL);
    assert_int_equal(core_unlink(ivan, s.lists[0], NULL), CORE_ERR_ROLE);
    assert_string_equal(info(alice, s.lists[0]).linked, s.lists[1]);

    /* Locked by someone else: link, unlink, contribute refused, nothing written. */
    struct marc_record *r = marc_record_new();
    int v;
    assert_int_equal(core_record_open(bob, s.relig[0], r, &v, NULL), CORE_OK);
    assert_int_equal(core_link_to(alice, s.relig[0], s.relig[1], NULL), CORE_ERR_CONFLICT);
    assert_non_null(strstr(core_repo_errmsg(alice), "locked by bob"));
    assert_int_equal(core_link_contribute(alice, s.relig[0], NULL), CORE_ERR_CONFLICT);
    struct core_record_info in = info(alice, s.relig[0]);
    assert_string_equal(in.linked, "");
    assert_int_equal(in.version, 1);
    assert_int_equal(core_record_open(bob, s.lists[0], r, &v, NULL), CORE_OK);
    assert_int_equal(core_unlink(alice, s.lists[0], NULL), CORE_ERR_CONFLICT);
    assert_string_equal(info(alice, s.lists[0]).linked, s.lists[1]);
    /* Bob himself may. */
    assert_int_equal(core_link_to(bob, s.relig[0], s.relig[1], NULL), CORE_OK);

    /* Wrong kinds of records. */
    assert_int_equal(core_link_to(alice, s.iw[0], s.lccn[0], NULL), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(alice), "not a network zone bib"));
    assert_int_equal(core_link_to(alice, s.iw[1], s.iw[1], NULL), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(alice), "only institution zone records"));
    assert_int_equal(core_link_to(alice, s.iw[0], "991999999994801", NULL), CORE_ERR_NOTFOUND);
    struct core_repo *carol = as(&s.d, "carol");
    assert_int_equal(core_record_delete(carol, s.bible_nz[1]), CORE_OK);
    core_repo_close(carol);
    assert_int_equal(core_link_to(alice, s.bible_iz, s.bible_nz[1], NULL), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(alice), "has been deleted"));

    /* One IZ record per network record. */
    assert_int_equal(core_link_to(alice, s.already[0], s.lists[1], NULL), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(alice), "already linked to"));
    assert_string_equal(info(alice, s.already[0]).linked, "");

    /* A malformed link.local_tags is refused; one stored anyway (by an
     * older Colophon, by hand) stops linking until an admin fixes it. */
    struct core_repo *admin = as(&s.d, "admin");
    assert_int_equal(core_config_set(admin, "link.local_tags", "590, 24"), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(admin), "not '24'"));
    char path[300];
    snprintf(path, sizeof path, "%s/iz.db", s.d.path);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db, "UPDATE config SET value = '590, 24' WHERE key = "
                                      "'link.local_tags'", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(core_link_to(alice, s.iw[0], s.iw[1], NULL), CORE_ERR_USER);
    assert_non_null(strstr(core_repo_errmsg(alice), "link.local_tags has '24'"));
    assert_int_equal(core_config_set(admin, "link.local_tags", "590"), CORE_OK);
    link_ok(alice, s.iw[0], s.iw[1], NULL);
    core_repo_close(admin);
    marc_record_free(r);
    core_repo_close(ivan);
    core_repo_close(alice);
    core_repo_close(bob);
}

/* ---- the link-to-nz job ---- */

static long
run_job(struct core_repo *repo, const char *set, const char *const *params, size_t np)
{
    struct core_job_params p;
    assert_int_equal(core_job_params_parse(repo, (int)np, (char **)params, &p), CORE_OK);
    long id = 0;
    int rc = core_job_run(repo, "link-to-nz", set, &p, NULL, NULL, &id);
    core_job_params_free(&p);
    if (rc != CORE_OK)
        fail_msg("job on %s: %s", set, core_repo_errmsg(repo));
    return id;
}

static const struct core_job_result *
result_of(const struct core_job_result *res, size_t n, const char *mms)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(res[i].mms, mms) == 0)
            return &res[i];
    fail_msg("no result for %s", mms);
    return NULL;
}

static long
count_of(const struct core_job_count *c, size_t n, const char *outcome)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].outcome, outcome) == 0)
            return c[i].n;
    return 0;
}

static void
expect(const struct core_job_result *res, size_t n, const char *mms, const char *outcome,
       const char *detail_part)
{
    const struct core_job_result *r = result_of(res, n, mms);
    if (strcmp(r->outcome, outcome) != 0 || !strstr(r->detail, detail_part))
        fail_msg("%s: %s \"%s\", expected %s with \"%s\"", mms, r->outcome, r->detail, outcome,
                 detail_part);
}

static void
test_job_outcomes(void **state)
{
    struct scen s;
    scenario(&s, "job");
    struct core_repo *alice = as(&s.d, "alice"), *bob = as(&s.d, "bob");
    link_ok(alice, s.already[0], s.already[1], NULL);
    struct marc_record *r = marc_record_new();
    int v;
    assert_int_equal(core_record_open(bob, s.relig[0], r, &v, NULL), CORE_OK);
    char gone[CORE_MMS_MAX];
    create(alice, CORE_ZONE_IZ, loc_copy("77637075 //r82"), gone);
    struct core_repo *carol = as(&s.d, "carol");
    assert_int_equal(core_record_delete(carol, gone), CORE_OK);
    core_repo_close(carol);
    const char *members[] = {s.iw[0],  s.canc_iz[0], s.canc_nz[0], s.bible_iz, s.psalms[0],
                             s.none_iz, s.fed[0],    s.relig[0],   s.already[0], s.lists[0],
                             s.shift_iz, s.iw[1],    gone};
    size_t nm = sizeof members / sizeof *members;
    assert_int_equal(core_set_create_ids(alice, "batch", members, nm), CORE_OK);

    /* Alma's defaults: Unique OCLC Identifier for both, no contribution. */
    long id = run_job(alice, "batch", NULL, 0);
    struct core_job_count *counts;
    struct core_job_result *res;
    size_t nc, nr;
    assert_int_equal(core_job_report(alice, id, &counts, &nc, &res, &nr), CORE_OK);
    assert_int_equal(nr, nm);
    assert_int_equal(count_of(counts, nc, "linked"), 4);
    assert_int_equal(count_of(counts, nc, "multi-match"), 1);
    assert_int_equal(count_of(counts, nc, "skipped"), 4);
    assert_int_equal(count_of(counts, nc, "already linked"), 1);
    assert_int_equal(count_of(counts, nc, "failed"), 3);
    assert_int_equal(count_of(counts, nc, "pending"), 0);
    char want[128];
    snprintf(want, sizeof want, "to %s (OCLC number 26273275)", s.iw[1]);
    expect(res, nr, s.iw[0], "linked", want);
    expect(res, nr, s.canc_iz[0], "linked", s.canc_iz[1]);
    expect(res, nr, s.canc_nz[0], "linked", s.canc_nz[1]);
    expect(res, nr, s.lists[0], "linked", s.lists[1]);
    expect(res, nr, s.bible_iz, "multi-match", s.bible_nz[0]);
    expect(res, nr, s.bible_iz, "multi-match", s.bible_nz[1]);
    expect(res, nr, s.bible_iz, "multi-match", "2 candidates by OCLC number");
    expect(res, nr, s.psalms[0], "skipped", "no OCLC number");
    expect(res, nr, s.none_iz, "skipped", "no match");
    expect(res, nr, s.shift_iz, "skipped", "no OCLC number");
    expect(res, nr, s.fed[0], "skipped", s.fed[1]);
    expect(res, nr, s.fed[0], "skipped", "of another type");
    expect(res, nr, s.relig[0], "failed", "locked by bob");
    expect(res, nr, s.already[0], "already linked", s.already[1]);
    expect(res, nr, s.iw[1], "failed", "not an institution zone bib");
    expect(res, nr, gone, "failed", "has been deleted");
    free(counts);
    free(res);
    assert_string_equal(info(alice, s.iw[0]).linked, s.iw[1]);
    assert_string_equal(info(alice, s.iw[0]).reason, "link");
    assert_string_equal(info(alice, s.relig[0]).linked, "");
    assert_string_equal(info(alice, s.bible_iz).linked, "");
    assert_string_equal(info(alice, s.fed[0]).linked, "");

    /* The multi-match waits in the queue until a cataloger picks one. */
    struct core_link_queued *q;
    size_t nq;
    assert_int_equal(core_link_queue(alice, &q, &nq), CORE_OK);
    assert_int_equal(nq, 1);
    assert_string_equal(q[0].mms, s.bible_iz);
    assert_int_equal(q[0].job, id);
    assert_non_null(strstr(q[0].detail, s.bible_nz[1]));
    free(q);
    link_ok(alice, s.bible_iz, s.bible_nz[1], NULL);
    assert_int_equal(core_link_queue(alice, &q, &nq), CORE_OK);
    assert_int_equal(nq, 0);
    free(q);

    /* Non-serials multi-step (ISBN), serials by OCLC only; resource types must agree. */
    const char *m2[] = {s.psalms[0], s.canada[0], s.fed[0]};
    assert_int_equal(core_set_create_ids(alice, "second", m2, 3), CORE_OK);
    const char *p2[] = {"serial=oclc-unique", "nonserial=multi-step", "ignore_resource_type=no"};
    id = run_job(alice, "second", p2, 3);
    assert_int_equal(core_job_report(alice, id, &counts, &nc, &res, &nr), CORE_OK);
    expect(res, nr, s.psalms[0], "linked", "ISBN 9780879832353");
    expect(res, nr, s.canada[0], "skipped", "no OCLC number");
    expect(res, nr, s.fed[0], "skipped", "of another type");
    free(counts);
    free(res);

    /* Serials multi-step (ISSN), types ignored, the unmatched contributed. */
    assert_int_equal(core_record_release(bob, s.relig[0]), CORE_OK);
    const char *m3[] = {s.canada[0], s.fed[0], s.none_iz, s.shift_iz, s.relig[0], s.psalms[0]};
    assert_int_equal(core_set_create_ids(alice, "third", m3, 6), CORE_OK);
    const char *p3[] = {"serial=multi-step", "ignore_resource_type=yes",
                        "contribute_unmatched=yes"};
    id = run_job(alice, "third", p3, 3);
    assert_int_equal(core_job_report(alice, id, &counts, &nc, &res, &nr), CORE_OK);
    assert_int_equal(count_of(counts, nc, "linked"), 3);
    assert_int_equal(count_of(counts, nc, "contributed"), 2);
    assert_int_equal(count_of(counts, nc, "already linked"), 1);
    expect(res, nr, s.canada[0], "linked", "ISSN 1187-7081");
    expect(res, nr, s.fed[0], "linked", s.fed[1]);
    expect(res, nr, s.relig[0], "linked", s.relig[1]);
    expect(res, nr, s.none_iz, "contributed", "as 99");
    expect(res, nr, s.shift_iz, "contributed", "4801");
    expect(res, nr, s.psalms[0], "already linked", s.psalms[1]);
    char contributed[CORE_MMS_MAX];
    snprintf(contributed, sizeof contributed, "%s", result_of(res, nr, s.shift_iz)->detail + 3);
    assert_string_equal(info(alice, s.shift_iz).linked, contributed);
    assert_string_equal(info(alice, contributed).reason, "contribute");
    free(counts);
    free(res);

    /* Parameters and role are checked before the job exists. */
    size_t njobs;
    struct core_job_info *jobs;
    assert_int_equal(core_job_list(alice, &jobs, &njobs), CORE_OK);
    free(jobs);
    struct core_job_params p;
    const char *bad1[] = {"nonserial=fuzzy"};
    const char *bad2[] = {"contribute=yes"};
    const char *bad3[] = {"ignore_resource_type=maybe"};
    const char *const *bads[] = {bad1, bad2, bad3};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(core_job_params_parse(alice, 1, (char **)bads[i], &p), CORE_OK);
        assert_int_equal(core_job_run(alice, "link-to-nz", "batch", &p, NULL, NULL, NULL),
                         CORE_ERR_USER);
        core_job_params_free(&p);
    }
    assert_non_null(strstr(core_repo_errmsg(alice), "yes or no"));
    struct core_repo *ivan = as(&s.d, "ivan");
    assert_int_equal(core_job_run(ivan, "link-to-nz", "batch", NULL, NULL, NULL, NULL),
                     CORE_ERR_ROLE);
    core_repo_close(ivan);
    size_t njobs2;
    assert_int_equal(core_job_list(alice, &jobs, &njobs2), CORE_OK);
    assert_int_equal(njobs2, njobs);
    free(jobs);
    marc_record_free(r);
    core_repo_close(alice);
    core_repo_close(bob);
}

/* ---- a job killed and resumed ---- */

#define KILL_RECORDS 400

/* KILL_RECORDS copies of the LoC records, copy i with OCLC number 800000 + i. */
static void
write_copies(const char *path)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    struct marc_write_opts wo = {.format = MARC_FMT_ISO2709};
    struct marc_writer *w = marc_writer_new(fp, &wo, NULL);
    for (int i = 0; i < KILL_RECORDS; i++) {
        struct marc_record *r = marc_record_clone(loc[(size_t)i % 23]); /* not the 24th: not MARC 21 */
        remove_oclc(r);
        remove_tag(r, "019");
        char v[32];
        snprintf(v, sizeof v, "(OCoLC)%d", 800000 + i);
        add_field(r, "035", 'a', v);
        snprintf(v, sizeof v, "k%05d", i);
        long at = marc_record_find(r, "001", 0);
        marc_record_set_control(r, (size_t)at, v, strlen(v));
        struct marc_decode_ctx ctx = {.record = i + 1};
        assert_int_equal(marc_writer_write(w, r, &ctx), 0);
        marc_record_free(r);
    }
    assert_int_equal(marc_writer_finish(w), 0);
    marc_writer_free(w);
    fclose(fp);
}

static void
kill_at(void *ctx, long done, long total)
{
    if (done >= *(long *)ctx)
        raise(SIGKILL); /* after `done` records were committed */
}

/* Run the job in a child that dies: at record `at` (progress), or after `usec` of work. */
static void
killed_child(const struct repo_dir *d, long job, long at, long usec)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct core_repo *repo = core_repo_open(d->path, "alice", NULL);
        if (!repo)
            _exit(2);
        if (job)
            core_job_resume(repo, job, NULL, NULL);
        else
            core_job_run(repo, "link-to-nz", "all", NULL, kill_at, &at, NULL);
        _exit(0);
    }
    if (usec) {
        usleep((useconds_t)usec);
        kill(pid, SIGKILL);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!usec)
        assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static void
test_job_killed_and_resumed(void **state)
{
    struct repo_dir d;
    make_repo(&d, "kill");
    char path[300];
    snprintf(path, sizeof path, "%s/copies.mrc", tmpdir);
    write_copies(path);
    struct core_repo *repo = as(&d, "admin");
    assert_int_equal(core_user_add(repo, "alice", CORE_ROLE_CATALOGER, NULL), 0);
    for (int z = CORE_ZONE_IZ; z <= CORE_ZONE_NZ; z++) {
        struct core_import_opts o = {.zone = (enum core_zone)z, .again = true};
        struct core_import_report rep;
        if (core_import_file(repo, path, &o, &rep) != CORE_OK)
            fail_msg("import: %s", core_repo_errmsg(repo));
        assert_int_equal(rep.bibs, KILL_RECORDS);
    }
    /* The n-th bib of each zone: sequences from 100000001, in file order. */
    static char iz[KILL_RECORDS][CORE_MMS_MAX], nz[KILL_RECORDS][CORE_MMS_MAX];
    const char *ids[KILL_RECORDS];
    for (int i = 0; i < KILL_RECORDS; i++) {
        core_mms_format(CORE_MMS_BIB, CORE_MMS_SEQ_START + 1 + i, "1234", iz[i]);
        core_mms_format(CORE_MMS_BIB, CORE_MMS_SEQ_START + 1 + i, "4801", nz[i]);
        ids[i] = iz[i];
    }
    assert_int_equal(core_set_create_ids(repo, "all", ids, KILL_RECORDS), CORE_OK);
    core_repo_close(repo);

    /* Killed after 150 records were committed (with the rest of their batch). */
    killed_child(&d, 0, 150, 0);
    repo = as(&d, "alice");
    struct core_job_info *jobs;
    size_t nj;
    assert_int_equal(core_job_list(repo, &jobs, &nj), CORE_OK);
    assert_int_equal(nj, 1);
    long job = jobs[0].id;
    assert_string_equal(jobs[0].state, "interrupted"); /* its process is gone */
    assert_true(jobs[0].done >= 150 && jobs[0].done < KILL_RECORDS);
    free(jobs);
    core_repo_close(repo);

    /* Resumed, and killed again at some moment, maybe inside a record's transaction. */
    killed_child(&d, job, 0, 30000);
    repo = as(&d, "alice");
    struct core_job_info ji;
    assert_int_equal(core_job_get(repo, job, &ji), CORE_OK);
    if (strcmp(ji.state, "done") != 0 &&
        core_job_resume(repo, job, NULL, NULL) != CORE_OK)
        fail_msg("resume: %s", core_repo_errmsg(repo));
    assert_int_equal(core_job_get(repo, job, &ji), CORE_OK);
    assert_string_equal(ji.state, "done");
    assert_int_equal(ji.done, KILL_RECORDS);

    /* Every record linked once, to its own network record; none lost. */
    struct core_job_count *counts;
    struct core_job_result *res;
    size_t nc, nr;
    assert_int_equal(core_job_report(repo, job, &counts, &nc, &res, &nr), CORE_OK);
    assert_int_equal(nc, 1);
    assert_string_equal(counts[0].outcome, "linked");
    assert_int_equal(counts[0].n, KILL_RECORDS);
    for (int i = 0; i < KILL_RECORDS; i++) {
        struct core_record_info in = info(repo, iz[i]);
        if (strcmp(in.linked, nz[i]) != 0 || in.version != 2)
            fail_msg("%s: linked '%s' at version %d", iz[i], in.linked, in.version);
        struct core_version *vs;
        size_t nv;
        assert_int_equal(core_versions_list(repo, iz[i], &vs, &nv), CORE_OK);
        assert_int_equal(nv, 2);
        assert_string_equal(vs[1].reason, "link");
        free(vs);
    }
    assert_int_equal(core_job_resume(repo, job, NULL, NULL), CORE_ERR_USER);
    free(counts);
    free(res);
    core_repo_close(repo);
}

/* ---- running ---- */

static int
setup(void **state)
{
    char tmpl[] = "/tmp/colophon-test-link-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    snprintf(tmpdir, sizeof tmpdir, "%s", tmpl);
    read_loc();
    return 0;
}

static int
teardown(void **state)
{
    for (size_t i = 0; i < nloc; i++)
        marc_record_free(loc[i]);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_local_tags),
        cmocka_unit_test(test_compose),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_candidates_oclc),
        cmocka_unit_test(test_candidates_cancelled),
        cmocka_unit_test(test_candidates_multi),
        cmocka_unit_test(test_candidates_identifiers),
        cmocka_unit_test(test_candidates_title_and_none),
        cmocka_unit_test(test_link_semantics),
        cmocka_unit_test(test_link_save),
        cmocka_unit_test(test_link_save_crash),
        cmocka_unit_test(test_link_save_conflicts),
        cmocka_unit_test(test_link_shared_nz),
        cmocka_unit_test(test_unlink_and_revert),
        cmocka_unit_test(test_contribute),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_job_outcomes),
        cmocka_unit_test(test_job_killed_and_resumed),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, setup, teardown);
}
