/*
 * fuzz-repo.c - the fuzz targets' repository (see fuzz-repo.h): a real
 * SQLite repository made with core_repo_init, three bibs in the IZ and three
 * in the NZ, written by the repository's own create path so that search,
 * identifier lookups and updates find what a cataloger's would.
 */
#include "fuzz-repo.h"
#include "fuzz-util.h"

#include "mrk.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const bibs[] = {
    "=LDR  00000nam a2200000 a 4500\n"
    "=008  850101s1985    fr            000 1 fre d\n"
    "=020  \\\\$a0-306-40615-2\n"
    "=035  \\\\$a(OCoLC)ocm00012345\n"
    "=100  1\\$aG\xc3\xa9nin, J\xc3\xa9r\xc3\xb4me.\n"
    "=245  14$aLes mis\xc3\xa9rables de l'\xc3\xa9t\xc3\xa9 /$cNo.\n"
    "=650  \\0$aSummer$vFiction.\n",
    "=LDR  00000nas a2200000 a 4500\n"
    "=008  850101c19859999nyumr p       0   a0eng d\n"
    "=022  \\\\$a0317-8471\n"
    "=035  \\\\$a(OCoLC)987654321\n"
    "=245  00$aJournal of drop table studies.\n"
    "=650  \\0$aDatabases$xSecurity.\n",
    "=LDR  00000nam a2200000 a 4500\n"
    "=008  990101s1999    xxu           000 0 eng d\n"
    "=020  \\\\$a9780306406157\n"
    "=100  1\\$aO'Brien, Flann.\n"
    "=245  10$aAt Swim-Two-Birds \"NEAR\" 100% _under_ /$cFlann O'Brien.\n"
    "=500  \\\\$aKeyword: x*y^z title:abc.\n",
};
#define NBIBS (sizeof bibs / sizeof *bibs)

static char dir[256];
static struct core_repo *repo;
static char ids[2][NBIBS][CORE_MMS_MAX];

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void
cleanup(void)
{
    if (repo)
        core_repo_close(repo);
    repo = NULL;
    if (dir[0])
        nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
add_bib(enum core_zone z, size_t i)
{
    struct marc_record *r = marc_record_new();
    struct marc_decode_ctx ctx = {.record = 1, .line = 1};
    if (marc_mrk_decode(r, bibs[i], strlen(bibs[i]), &ctx) != MARC_OK)
        fuzz_fail("fuzz-repo: seed record %zu does not decode", i);
    if (core_bib_create(repo, z, r, "import", true, NULL, NULL, ids[z][i]) != CORE_OK)
        fuzz_fail("fuzz-repo: cannot create record %zu: %s", i, core_repo_errmsg(repo));
    marc_record_free(r);
}

struct core_repo *
fuzz_repo(void)
{
    if (repo)
        return repo;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/colophon-fuzz-XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(dir))
        fuzz_fail("fuzz-repo: cannot create %s", dir);
    atexit(cleanup);
    char path[300], *cause = NULL;
    snprintf(path, sizeof path, "%s/repo", dir);
    if (core_repo_init(path, "1234", NULL, NULL, &cause) != CORE_OK)
        fuzz_fail("fuzz-repo: init: %s", cause ? cause : "?");
    repo = core_repo_open(path, NULL, &cause);
    if (!repo)
        fuzz_fail("fuzz-repo: open: %s", cause ? cause : "?");
    for (size_t i = 0; i < NBIBS; i++) {
        add_bib(CORE_ZONE_IZ, i);
        add_bib(CORE_ZONE_NZ, i);
    }
    return repo;
}

const char *
fuzz_repo_mms(enum core_zone z, int i)
{
    fuzz_repo();
    return ids[z][i];
}
