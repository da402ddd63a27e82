/*
 * core-fixture.h - what the workflow tests of core/ share: a repository in a
 * scratch directory, opened as any of its users, holding the Library of
 * Congress sample records (found again by their original 001), and reads of
 * its IZ file with SQL for checks the API does not expose.
 */
#ifndef TESTS_CORE_FIXTURE_H
#define TESTS_CORE_FIXTURE_H

#include "repo.h"

extern char cf_dir[128]; /* the repository: /tmp/colophon-test-NAME-XXXXXX/repo */

/* A new repository (institution 1234, admin "admin") in a scratch directory. */
void cf_make_repo(const char *name);
/* Remove the scratch directory.  0 or -1. */
int cf_remove(void);
/* The repository opened as user (a cmocka failure when it cannot be). */
struct core_repo *cf_as(const char *user);
/* Create the 24 LoC sample records as bibs of the IZ through repo. */
void cf_load_loc(struct core_repo *repo);
/* The MMS ID of the LoC record whose 001 was orig. */
const char *cf_bib(const char *orig);
/* Run SQL on the IZ file; one integer from a query on it. */
void cf_sql(const char *text);
long cf_sql_int(const char *text);

#endif
