/*
 * rules.h - Alma-style rules (SPEC §3.10): normalization rules that change
 * a record, indication rules that test one, merge rules that combine two.
 *
 *   rule "Add local note"            rule "Colophon default merge"
 *   priority 10                       when merge
 *   when                              then
 *   (exists "035.a.(OCoLC)*" AND      replace MARC."LDR"
 *    NOT exists "910")                remove MARC."0"XX excluding "001,035"
 *   then                              add MARC."0"XX excluding "001"
 *   addField "910.a.Checked"          ...
 *   end                               end
 *
 * Conditions: TRUE, exists "SPEC", not exists "SPEC", matches "TAG.SUB"
 * "REGEX" (POSIX extended; beyond Alma), combined with AND, OR, NOT and
 * parentheses.  SPEC is TAG[.SUB[.VALUE]] for data fields (TAG may use X as
 * a wildcard digit, VALUE may use * for any text) and TAG.{POS,LEN}.VALUE
 * for control fields; conditions also test the leader that way
 * ("LDR.{7,1}.s": a serial), actions cannot change it.  Actions: addField "TAG[.{I1,I2}].SUB.VALUE",
 * addControlField "TAG.VALUE", removeField "TAG", removeSubField "TAG.SUB",
 * replaceContents "TAG.SUB.FROM" with "TO", addSubField "TAG.SUB.VALUE",
 * changeSubField "TAG.SUB" to "SUB", changeField "TAG" to "TAG"; an
 * indication rule's action is set indication."true" (or "false").  Keywords
 * are case-insensitive ((TRUE) in any case); # and // start comments.
 * Parse errors name the line and column.
 *
 * Merge rules combine the record being overlaid (primary: the local record)
 * with the incoming one (secondary: the external or network record): the
 * result starts as the primary; `replace MARC."X"` takes X from the
 * secondary when it has it; `remove` drops matching fields from the result;
 * `add` brings the secondary's matching fields in (a field already present
 * byte for byte is not added twice).  What no action touches stays as the
 * local record had it: 9XX and the other local fields.
 *
 * Pure functions on the record model: no repository here.
 */
#ifndef CORE_RULES_H
#define CORE_RULES_H

#include "record.h"

#include <stdbool.h>
#include <stddef.h>

enum core_rule_kind {
    CORE_RULE_NORMALIZATION,
    CORE_RULE_INDICATION,
    CORE_RULE_MERGE,
};

struct core_rules;

/*
 * Parse a rules text (one or more rules, all of the same kind).  Returns
 * NULL with *error ("line 4, column 9: expected a quoted string after
 * exists") when malformed.  The kind is taken from the text (merge rules
 * say "when merge", indication rules "set indication").
 */
struct core_rules *core_rules_parse(const char *text, char **error /* OUT */);
void core_rules_free(struct core_rules *rs);

enum core_rule_kind core_rules_kind(const struct core_rules *rs);
size_t core_rules_count(const struct core_rules *rs);
/* Name of rule i ("" when out of range). */
const char *core_rules_name(const struct core_rules *rs, size_t i);
/* "normalization", "indication", "merge". */
const char *core_rule_kind_name(enum core_rule_kind k);

/*
 * Normalization: apply every rule whose condition holds, highest priority
 * first (then in text order), to r.  *changes (may be NULL) gets the number
 * of actions that changed something.  Returns 0, or a negative enum
 * marc_err when an action would make an invalid record (r is then
 * unchanged).
 */
int core_rules_apply(const struct core_rules *rs, struct marc_record *r, int *changes);

/* Indication: true when some rule's condition holds and sets "true". */
bool core_rules_indicate(const struct core_rules *rs, const struct marc_record *r);

/* Merge: out = primary (local) merged with secondary (incoming) per the first merge rule. */
int core_rules_merge(const struct core_rules *rs, const struct marc_record *primary,
                     const struct marc_record *secondary, struct marc_record *out);

/* The default merge rule's text: keeps 001, the local 035s and 9XX (SPEC §3.10). */
const char *core_rules_default_merge(void);

#endif
