/*
 * cli.h - what the command-line verbs share: exit codes, the verb table,
 * printing of diagnostics, and the progress bar.
 *
 * The CLI is the only place (with the TUI) that prints: the layers below
 * return codes and diagnostics, and a verb turns them into messages on
 * stderr and an exit code from SPEC §6.
 */
#ifndef CLI_H
#define CLI_H

#include "diag.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit codes (SPEC §6). */
enum cli_exit {
    CLI_OK = 0,
    CLI_USER = 1,     /* user error: bad data, invalid record, refused action */
    CLI_USAGE = 2,    /* bad command line */
    CLI_CONFLICT = 3, /* locked, multi-match, changed since opened */
    CLI_IO = 4,       /* I/O or database error */
};

/* Options every verb sees (parsed before the verb). */
struct cli_globals {
    const char *repo;  /* --repo or COLOPHON_REPO, NULL for the default */
    const char *user;  /* --user, NULL for the login name */
    bool quiet;        /* -q: no progress, no summaries */
    bool verbose;      /* -v: notes too */
};

struct cli_verb {
    const char *name;
    const char *summary; /* one line for `colophon --help` */
    int (*run)(const struct cli_globals *g, int argc, char **argv);
    const char *usage;   /* full text for `colophon VERB --help` */
};

extern const struct cli_verb cli_verb_convert;
extern const struct cli_verb cli_verb_lint;
extern const struct cli_verb cli_verb_import;
extern const struct cli_verb cli_verb_export;
extern const struct cli_verb cli_verb_init;
extern const struct cli_verb cli_verb_show;
extern const struct cli_verb cli_verb_search;
extern const struct cli_verb cli_verb_edit;
extern const struct cli_verb cli_verb_versions;
extern const struct cli_verb cli_verb_revert;
extern const struct cli_verb cli_verb_delete;
extern const struct cli_verb cli_verb_relink;
extern const struct cli_verb cli_verb_link;
extern const struct cli_verb cli_verb_unlink;
extern const struct cli_verb cli_verb_release;
extern const struct cli_verb cli_verb_note;
extern const struct cli_verb cli_verb_assign;
extern const struct cli_verb cli_verb_reminder;
extern const struct cli_verb cli_verb_queue;
extern const struct cli_verb cli_verb_user;
extern const struct cli_verb cli_verb_config;
extern const struct cli_verb cli_verb_merge;
extern const struct cli_verb cli_verb_set;
extern const struct cli_verb cli_verb_job;
extern const struct cli_verb cli_verb_rule;
extern const struct cli_verb cli_verb_external;
extern const struct cli_verb cli_verb_serve;
extern const struct cli_verb cli_verb_demo;

/* `colophon user passwd NAME [--clear]` (user-passwd.c). */
int cli_user_passwd(const struct cli_globals *g, const char *name, bool clear);

/* Print "colophon: " + message to stderr (clearing a progress bar first). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a usage error and the hint to run --help; returns CLI_USAGE. */
int cli_usage_error(const struct cli_verb *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* True when argv holds -h or --help before any "--". */
bool cli_wants_help(int argc, char **argv);
/* Print the verb's usage to stdout; returns CLI_OK. */
int cli_print_usage(const struct cli_verb *v);

/* Counts of what cli_print_diag printed. */
struct cli_diag_sink {
    const char *source; /* file name to prefix, may be NULL */
    bool verbose;       /* print notes */
    bool quiet_warnings;
    long errors;
    long warnings;
    long notes;
};
/* A marc_diag_fn printing one line per diagnostic to stderr. */
void cli_print_diag(void *sink, const struct marc_diag *d);

/* ---- the repository ---- */

struct core_repo;

/*
 * Open the repository the globals name (--repo, $COLOPHON_REPO, else the
 * default under $XDG_DATA_HOME, created on first use) as --user or the
 * login name.  Prints why and returns NULL on failure (*status gets the
 * exit code).
 */
struct core_repo *cli_open_repo(const struct cli_globals *g, int *status);
/*
 * `colophon import --match oclc FILE` (import-match.c): the gateway import
 * of one file into zone (enum core_zone) read as format (enum marc_format,
 * 0: detect), a line per record and the counts; returns the exit code
 * (1 when records were refused as bad data, else 3 when some were left out
 * by a conflict: several matches, locked, protected).
 */
int cli_import_match(const struct cli_verb *v, struct core_repo *repo, const char *file, int zone,
                     int format, bool quiet, bool verbose);
/* Exit code for a core error code (SPEC §6). */
int cli_exit_for(int core_rc);
/* Print the repository's last error ("colophon VERB: message") and return its exit code. */
int cli_core_error(const struct cli_verb *v, struct core_repo *repo, int core_rc);

/* ---- progress bar (stderr, only on a terminal) ---- */
struct cli_progress;
/* Start a bar for `total` bytes (-1 when unknown); NULL when not shown. */
struct cli_progress *cli_progress_start(const char *label, long long total, bool quiet);
/* Update with bytes done and records so far; cheap to call for every record. */
void cli_progress_update(struct cli_progress *p, long long done, long records);
/* Erase the bar and free it; NULL is a no-op. */
void cli_progress_end(struct cli_progress *p);
/* Erase the bar line (before printing a message); no-op when no bar. */
void cli_progress_clear(void);

#endif
