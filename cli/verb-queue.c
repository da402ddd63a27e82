/*
 * verb-queue.c - `colophon queue`: the acting user's work list (SPEC §3.8,
 * §5 Queue tab): records assigned to me, records I assigned, and the
 * reminders that are due.  Alma shows assigned records in the editor's
 * record list and never alerts on reminders; Colophon gathers both here.
 */
#include "cli.h"

#include "assign.h"
#include "core.h"
#include "notes.h"
#include "reminder.h"
#include "repo.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char queue_usage[] =
    "Usage: colophon queue\n"
    "\n"
    "Your queue, in three parts, one brief line per record (MMS ID and title):\n"
    "  Assigned to me    records assigned to you, marked Assigned, with who\n"
    "                    assigned them, when, and their note; they are locked\n"
    "                    for you until you release the assignment\n"
    "  Assigned by me    records you assigned, with the assignee and whether the\n"
    "                    assignee has the record open (once they have released\n"
    "                    it you may release the assignment: 'colophon assign\n"
    "                    --release MMSID')\n"
    "  Reminders due     reminders of the IZ and NZ due today or overdue whose\n"
    "                    status is open ('colophon reminder list' shows all)\n"
    "\n"
    "Exit status: 0 shown; 2 usage; 4 database error.\n";

/* At most `max` characters of s (UTF-8 aware), "..." when cut: queue lines stay brief. */
static const char *
brief(const char *s, size_t max, char *out, size_t size)
{
    size_t chars = 0, i = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max)
            break;
    }
    if (!s[i] || i + 4 > size)
        snprintf(out, size, "%.*s", (int)(i < size ? i : size - 1), s);
    else
        snprintf(out, size, "%.*s...", (int)i, s);
    return out;
}

static void
print_note(const char *label, const char *text)
{
    /* One line: the queue is a summary; the full text is in 'note list' / 'reminder list'. */
    size_t len = strcspn(text, "\n");
    printf("      %s%.*s%s\n", label, (int)(len > 100 ? 100 : len), text,
           len > 100 || text[len] ? " ..." : "");
}

static void
print_queue(const struct core_queue *q)
{
    char when[32], title[256];
    printf("Assigned to me (%zu)\n", q->nto_me);
    for (size_t i = 0; i < q->nto_me; i++) {
        const struct core_assignment *a = &q->to_me[i];
        core_format_time(a->at, when, sizeof when);
        printf("  Assigned  %-18s %s  (from %s, %s)\n", a->mms,
               brief(a->title, 50, title, sizeof title), a->assigner, when);
        if (a->note[0])
            print_note("note: ", a->note);
    }
    printf("\nAssigned by me (%zu)\n", q->nby_me);
    for (size_t i = 0; i < q->nby_me; i++) {
        const struct core_assignment *a = &q->by_me[i];
        core_format_time(a->at, when, sizeof when);
        printf("  %-18s %s  (to %s, %s; %s)\n", a->mms, brief(a->title, 50, title, sizeof title),
               a->assignee, when,
               a->open ? "open in their editor" : "not open: you may release it");
    }
    printf("\nReminders due (%zu, today %s)\n", q->ndue, q->today);
    for (size_t i = 0; i < q->ndue; i++) {
        const struct core_reminder *r = &q->due[i];
        char id[32];
        core_note_id_format(r->zone, r->id, id, sizeof id);
        printf("  %-7s %-18s %s  (reminder %s, due %s, %s/%s)\n",
               strcmp(r->due, q->today) < 0 ? "Overdue" : "Due", r->mms,
               brief(r->title, 50, title, sizeof title), id, r->due, r->type, r->status);
        print_note("", r->text);
    }
}

static int
run_queue(const struct cli_globals *g, int argc, char **argv)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const struct cli_verb *v = &cli_verb_queue;
    int c;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h')
            return cli_print_usage(v);
        return cli_usage_error(v, "unknown option");
    }
    if (optind < argc)
        return cli_usage_error(v, "'queue' takes no arguments");
    int status;
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    struct core_queue q;
    int rc = core_queue_get(repo, &q);
    if (rc == CORE_OK) {
        print_queue(&q);
        core_queue_free(&q);
        status = CLI_OK;
    } else {
        status = cli_core_error(v, repo, rc);
    }
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_queue = {
    .name = "queue",
    .summary = "records assigned to me and by me, reminders due",
    .run = run_queue,
    .usage = queue_usage,
};
