/*
 * rulestore.h - rules kept in the repository (SPEC §3.10): listed, shown,
 * edited, tested on one record, run on a set.  Writing a rule needs the
 * admin role and a rule that parses.
 */
#ifndef CORE_RULESTORE_H
#define CORE_RULESTORE_H

#include "repo.h"
#include "rules.h"

#include <stddef.h>
#include <time.h>

struct core_rule_info {
    char name[128];
    enum core_rule_kind kind;
    time_t updated;
    char updated_by[64];
};

/* Store (create or replace) rules text under name; parse errors (line, column) refuse it. */
int core_rule_save(struct core_repo *repo, const char *name, const char *text);
/* The text of a stored rule (heap string in *text). */
int core_rule_get(struct core_repo *repo, const char *name, char **text);
/* Parsed rules of a stored name (free with core_rules_free). */
int core_rule_load(struct core_repo *repo, const char *name, struct core_rules **rs);
int core_rule_delete(struct core_repo *repo, const char *name);
int core_rule_list(struct core_repo *repo, struct core_rule_info **out, size_t *n);

#endif
