/*
 * verb-note.c - `colophon note add|list|delete`: notes on bibliographic
 * records (SPEC §2 Note, §3.8; Alma's "Add Note" and "View Notes").
 *
 * The core checks roles and text; this file reads the arguments (the text
 * may come from standard input for longer notes) and prints notes as a
 * header line per note with its text indented below, so a multi-line note
 * stays readable.
 */
#include "cli.h"

#include "buf.h"
#include "core.h"
#include "notes.h"
#include "repo.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char note_usage[] =
    "Usage: colophon note add MMSID TEXT\n"
    "       colophon note list MMSID\n"
    "       colophon note delete NOTEID\n"
    "\n"
    "Notes are free text attached to a bibliographic record in the IZ or the NZ,\n"
    "with their author and time, to track what needs doing or was done (often with\n"
    "an assignment: 'colophon assign').  They are not part of the MARC record.\n"
    "\n"
    "  add     attach TEXT to the record (roles cataloger, cataloger-extended);\n"
    "          TEXT '-' reads the note from standard input (a trailing line break\n"
    "          is dropped).  At most 4000 bytes of UTF-8; tabs and line breaks are\n"
    "          kept, other control characters refused.\n"
    "  list    the record's notes, oldest first, with their IDs (anyone)\n"
    "  delete  remove a note (its author, or cataloger-extended or admin)\n"
    "\n"
    "Note IDs are numbers in the IZ (17) and carry the zone in the NZ (nz:17).\n"
    "\n"
    "Exit status: 0 done; 1 refused (no such record or note, role, bad text);\n"
    "2 usage; 4 database error.\n";

/* Standard input as note text (at most max bytes + 1 to let the core refuse). */
static char *
read_stdin(size_t max)
{
    struct marc_buf b = MARC_BUF_INIT;
    char chunk[4096];
    size_t got;
    while (b.len <= max && (got = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        marc_buf_append(&b, chunk, got);
    while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r'))
        b.len--;
    /* A NUL would silently cut the note short once it is a C string
     * (found by tests/cli/test_hostile.sh): refuse it like the other
     * control characters. */
    const char *nul = b.len ? memchr(b.data, '\0', b.len) : NULL;
    if (nul) {
        cli_error("the note on standard input holds a NUL byte (byte %zu); notes are text",
                  (size_t)(nul - b.data) + 1);
        marc_buf_free(&b);
        return NULL;
    }
    marc_buf_putc(&b, '\0');
    return marc_buf_steal(&b);
}

/* Text indented under its header line. */
static void
print_indented(const char *text)
{
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        printf("    %.*s\n", (int)len, line);
        line += len + (line[len] == '\n');
    }
}

static int
note_add(struct core_repo *repo, const char *mms, const char *arg)
{
    char *text = strcmp(arg, "-") == 0 ? read_stdin(CORE_NOTE_MAX) : xstrdup(arg);
    if (!text)
        return CLI_USER;
    long id;
    int rc = core_note_add(repo, mms, text, &id);
    free(text);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_note, repo, rc);
    char shown[32];
    core_note_id_format((enum core_zone)core_repo_zone_of(repo, mms), id, shown, sizeof shown);
    printf("Added note %s to %s.\n", shown, mms);
    return CLI_OK;
}

static int
note_list(struct core_repo *repo, const char *mms)
{
    struct core_note *notes;
    size_t n;
    int rc = core_note_list(repo, mms, &notes, &n);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_note, repo, rc);
    if (n == 0)
        printf("No notes on %s.\n", mms);
    for (size_t i = 0; i < n; i++) {
        char shown[32], when[32];
        core_note_id_format(notes[i].zone, notes[i].id, shown, sizeof shown);
        core_format_time(notes[i].at, when, sizeof when);
        printf("%-8s %-16s %s\n", shown, when, notes[i].author);
        print_indented(notes[i].text);
    }
    free(notes);
    return CLI_OK;
}

static int
note_delete(struct core_repo *repo, const char *arg)
{
    enum core_zone zone;
    long id;
    if (core_note_id_parse(arg, &zone, &id) != CORE_OK) {
        cli_error("note delete: '%s' is not a note ID (17, or nz:17 for the NZ)", arg);
        return CLI_USER;
    }
    struct core_note *note = xmalloc(sizeof *note);
    int rc = core_note_get(repo, zone, id, note);
    if (rc == CORE_OK)
        rc = core_note_delete(repo, zone, id);
    if (rc == CORE_OK)
        printf("Deleted note %s (by %s) from %s.\n", arg, note->author, note->mms);
    free(note);
    return rc == CORE_OK ? CLI_OK : cli_core_error(&cli_verb_note, repo, rc);
}

static int
run_note(const struct cli_globals *g, int argc, char **argv)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const struct cli_verb *v = &cli_verb_note;
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    /* '+': a note text may begin with '-'; options end at the action. */
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        if (c == 'h')
            return cli_print_usage(v);
        return cli_usage_error(v, "unknown option");
    }
    if (optind >= argc)
        return cli_usage_error(v, "expected add, list or delete");
    const char *action = argv[optind];
    int npos = argc - optind - 1;
    char **pos = argv + optind + 1;
    if (strcmp(action, "add") == 0) {
        if (npos != 2)
            return cli_usage_error(v, "'note add' takes MMSID and TEXT (quote the text)");
    } else if (strcmp(action, "list") == 0 || strcmp(action, "delete") == 0) {
        if (npos != 1)
            return cli_usage_error(v, "'note %s' takes one %s", action,
                                   action[0] == 'l' ? "MMSID" : "NOTEID");
    } else {
        return cli_usage_error(v, "unknown action '%s' (add, list, delete)", action);
    }
    int status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    if (action[0] == 'a')
        status = note_add(repo, pos[0], pos[1]);
    else if (action[0] == 'l')
        status = note_list(repo, pos[0]);
    else
        status = note_delete(repo, pos[0]);
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_note = {
    .name = "note",
    .summary = "add, list or delete notes on a record",
    .run = run_note,
    .usage = note_usage,
};
