/*
 * fuzz-repo.h - a small real repository for the fuzz targets that reach
 * core/ (query, serve): made once per process in a temporary folder (under
 * /dev/shm when there is one, so SQLite's writes cost little), filled with a
 * few bibliographic records in both zones, removed at exit.
 *
 * Knows nothing of libFuzzer, like the rest of fuzz-util: the targets are
 * also built with replay.c.
 */
#ifndef FUZZ_REPO_H
#define FUZZ_REPO_H

#include "core.h"
#include "repo.h"

/*
 * The repository, opened as the login name (its first user: every role).
 * Created on the first call; aborts with a message when it cannot be.
 */
struct core_repo *fuzz_repo(void);

/* MMS ID of the i-th bib created in zone z (i < 3), for inputs to refer to. */
const char *fuzz_repo_mms(enum core_zone z, int i);

#endif
