/*
 * diag.h - error codes and diagnostics of the MARC layer.
 *
 * Functions of marc/ return 0 on success or a negative enum marc_err.  When a
 * caller asks, they also describe the problem in a struct marc_diag: which
 * record (1-based number, byte offset or line in the input), which field
 * (tag and occurrence), what went wrong.  The MARC layer never prints; the CLI
 * formats diagnostics with marc_diag_format() and the TUI shows them.
 */
#ifndef MARC_DIAG_H
#define MARC_DIAG_H

#include <stdbool.h>
#include <stddef.h>

enum marc_err {
    MARC_OK = 0,
    MARC_ERR_IO = -1,       /* reading or writing failed (errno kept in the message) */
    MARC_ERR_FORMAT = -2,   /* malformed input: structure, syntax */
    MARC_ERR_CHARSET = -3,  /* invalid UTF-8 or MARC-8 */
    MARC_ERR_INVALID = -4,  /* an argument the model refuses (bad tag, delimiter in data) */
    MARC_ERR_TOO_LONG = -5, /* does not fit ISO 2709 limits */
    MARC_ERR_RANGE = -6,    /* index out of range */
    MARC_ERR_USAGE = -7,    /* unsupported option or format combination */
};

enum marc_severity {
    MARC_SEV_NOTE = 0,    /* what a permissive reader did about a problem */
    MARC_SEV_WARNING = 1, /* suspicious, does not stop a save */
    MARC_SEV_ERROR = 2,   /* invalid, stops a save or a strict conversion */
};

/* One problem, located as precisely as the reader could. */
struct marc_diag {
    enum marc_severity severity;
    long record;       /* 1-based record number in the input, 0 when not known */
    long long offset;  /* byte offset in the input of the problem, -1 when not known */
    long line;         /* line in a text input (MARCXML, .mrk, JSON), 0 when none */
    char tag[4];       /* field tag, "" when the problem is not in a field; "LDR" */
    int occurrence;    /* 1-based occurrence of that tag in the record, 0 when none */
    char subfield;     /* subfield code, 0 when none */
    int position;      /* character position (leader/008) or byte in field, -1 when none */
    const char *code;  /* short stable identifier, e.g. "leader-length" (static string) */
    char message[320]; /* human sentence, no location prefix */
};

/* Reset d to "nothing known" and set severity, code and message (printf style). */
void marc_diag_set(struct marc_diag *d, enum marc_severity sev, const char *code,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Name of the severity: "error", "warning", "note". */
const char *marc_severity_name(enum marc_severity sev);

/*
 * Format d as one line without a trailing newline:
 *   FILE: record 3 (byte 1234): 245[1] $a: error: message
 * `source` (a file name) may be NULL.  Returns a heap string the caller frees.
 */
char *marc_diag_format(const struct marc_diag *d, const char *source);

/* Callback through which readers and validators hand over diagnostics. */
typedef void (*marc_diag_fn)(void *ctx, const struct marc_diag *d);

#endif
