/*
 * source.h - where the external record of a copy-cataloging verb comes
 * from (`merge --from`, `rule test --from/--with`): a file of records in
 * any format, a Z39.50 or SRU target (a record of the user's last search
 * of it, `colophon external search`), or a record of this repository
 * (another zone's, say).
 */
#ifndef CLI_SOURCE_H
#define CLI_SOURCE_H

#include "cli.h"

#include "record.h"

struct core_repo;

/*
 * Read the external record named by `source` into r: a file (record number
 * `number`, 1-based; 0: the file must hold exactly one), else a target
 * (record `number` of the last search; 0: it must have found one), else an
 * MMS ID of the repository.  `label` (at least 256 bytes) receives a
 * description for messages ("new.mrc record 2", "loc record 3 ('isbn=…')",
 * "991000000011234 (IZ)").  Returns a CLI exit code after printing why.
 */
int cli_source_read(struct core_repo *repo, const char *source, long number, struct marc_record *r,
                    char *label, size_t label_size);

#endif
