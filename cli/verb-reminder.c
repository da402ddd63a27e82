/*
 * verb-reminder.c - `colophon reminder`: add, list, edit and delete
 * reminders on records, and manage the reminder types and statuses (SPEC
 * §2 Reminder, §3.8; Alma's "Add Reminder", "Manage Reminders" and the
 * Reminder Types / Reminder Statuses configuration tables).
 */
#include "cli.h"

#include "core.h"
#include "notes.h"
#include "reminder.h"
#include "repo.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char reminder_usage[] =
    "Usage: colophon reminder add MMSID --text TEXT [--due DATE] [--type CODE]\n"
    "                                [--status CODE]\n"
    "       colophon reminder list [MMSID] [--from DATE] [--to DATE] [--type CODE]\n"
    "                              [--status CODE] [--due-before DATE]\n"
    "                              [--overdue] [--open] [--zone iz|nz]\n"
    "       colophon reminder edit ID [--text TEXT] [--due DATE] [--type CODE]\n"
    "                                 [--status CODE]\n"
    "       colophon reminder delete ID\n"
    "       colophon reminder types|statuses list [--zone iz|nz]\n"
    "       colophon reminder types|statuses add CODE DESCRIPTION [--default]\n"
    "                                            [--closed] [--zone iz|nz]\n"
    "       colophon reminder types|statuses default CODE [--zone iz|nz]\n"
    "       colophon reminder types|statuses remove CODE [--zone iz|nz]\n"
    "\n"
    "A reminder asks catalogers to do something to a bibliographic record at a\n"
    "date: a text, a due date, a type and a status, with the date it was\n"
    "submitted and its author.  It is kept in the record's zone (IZ or NZ) and\n"
    "uses that zone's types and statuses.  Dates are YYYY-MM-DD in local time.\n"
    "Reminder IDs are numbers in the IZ (17) and nz:17 in the NZ.\n"
    "\n"
    "  add      (cataloger, cataloger-extended) --text is required; without\n"
    "           --due the reminder has no date and is never due; without --type\n"
    "           or --status the defaults are used\n"
    "  list     (anyone) reminders of the IZ and NZ, or of one record, by due\n"
    "           date (undated last), with their state: overdue (due before\n"
    "           today), due (today), open, or closed\n"
    "  edit     change the fields given (the author, or cataloger-extended or\n"
    "           admin); --due '' removes the date\n"
    "  delete   remove a reminder once done (same rights as edit)\n"
    "\n"
    "List filters (all combine):\n"
    "  --from DATE, --to DATE   submitted on or after / on or before\n"
    "  --type CODE, --status CODE\n"
    "  --due-before DATE        due date before DATE\n"
    "  --overdue                due before today, open status\n"
    "  --open                   open status only\n"
    "  --zone iz|nz             one zone only\n"
    "\n"
    "Types and statuses (admin changes them; anyone lists): each list has codes\n"
    "(letters, digits, '_', '-'; upper case) with a description, and exactly one\n"
    "default; out of the box type GENERAL \"General\" and status NEW \"New\".\n"
    "'add --default' or 'default CODE' makes a code the default.  A status added\n"
    "with --closed (e.g. DONE \"Done\") finishes a reminder: it is never due or\n"
    "overdue and leaves the queue; every other status is open.  A code still used\n"
    "by a reminder, or the default, cannot be removed.  --zone nz manages the\n"
    "network zone's lists (default: the IZ).\n"
    "\n"
    "Exit status: 0 done; 1 refused (bad date or code, no such record or\n"
    "reminder, role); 2 usage; 3 the code is still in use; 4 database error.\n";

struct reminder_opts {
    struct core_reminder_fields fields;
    struct core_reminder_filter filter;
    bool make_default, closed;
    int zone; /* -1 unless --zone */
};

static int
parse_args(int argc, char **argv, struct reminder_opts *o)
{
    enum {
        OPT_FROM = 256,
        OPT_TO,
        OPT_DUE_BEFORE,
        OPT_DUE,
        OPT_OVERDUE,
        OPT_OPEN,
        OPT_DEFAULT,
        OPT_CLOSED,
        OPT_ZONE,
        OPT_TYPE,
        OPT_STATUS
    };
    static const struct option longopts[] = {
        {"text", required_argument, NULL, 'x'},
        {"due", required_argument, NULL, OPT_DUE},
        {"type", required_argument, NULL, OPT_TYPE},
        {"status", required_argument, NULL, OPT_STATUS},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"due-before", required_argument, NULL, OPT_DUE_BEFORE},
        {"overdue", no_argument, NULL, OPT_OVERDUE},
        {"open", no_argument, NULL, OPT_OPEN},
        {"default", no_argument, NULL, OPT_DEFAULT},
        {"closed", no_argument, NULL, OPT_CLOSED},
        {"zone", required_argument, NULL, OPT_ZONE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_verb *v = &cli_verb_reminder;
    int c, z;
    optind = 0; /* 0: re-initialise GNU getopt (main stopped at the verb with "+") */
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'x':
            o->fields.text = optarg;
            break;
        case OPT_DUE:
            o->fields.due = optarg;
            break;
        case OPT_TYPE:
            o->fields.type = o->filter.type = optarg;
            break;
        case OPT_STATUS:
            o->fields.status = o->filter.status = optarg;
            break;
        case OPT_FROM:
            o->filter.from = optarg;
            break;
        case OPT_TO:
            o->filter.to = optarg;
            break;
        case OPT_DUE_BEFORE:
            o->filter.due_before = optarg;
            break;
        case OPT_OVERDUE:
            o->filter.overdue = true;
            break;
        case OPT_OPEN:
            o->filter.open = true;
            break;
        case OPT_DEFAULT:
            o->make_default = true;
            break;
        case OPT_CLOSED:
            o->closed = true;
            break;
        case OPT_ZONE:
            z = core_zone_parse(optarg);
            if (z != CORE_ZONE_IZ && z != CORE_ZONE_NZ)
                return cli_usage_error(v, "--zone is iz or nz, not '%s'", optarg);
            o->zone = z;
            break;
        case 'h':
            return cli_print_usage(v);
        default:
            return cli_usage_error(v, "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error(v, "expected add, list, edit, delete, types or statuses");
    return -1;
}

/* ---- reminders ---- */

static int
parse_id(const char *s, enum core_zone *zone, long *id)
{
    if (core_note_id_parse(s, zone, id) == CORE_OK)
        return CLI_OK;
    cli_error("reminder: '%s' is not a reminder ID (17, or nz:17 for the NZ)", s);
    return CLI_USER;
}

static const char *
state_of(const struct core_reminder *r, const char *today)
{
    if (!r->open)
        return "closed";
    if (!r->due[0] || strcmp(r->due, today) > 0)
        return "open";
    return strcmp(r->due, today) < 0 ? "overdue" : "due";
}

static void
print_reminders(const struct core_reminder *r, size_t n)
{
    char today[16];
    core_reminder_today(today, sizeof today);
    printf("%-8s %-10s %-7s %-10s %-10s %-10s %-10s %-18s %s\n", "ID", "DUE", "STATE", "TYPE",
           "STATUS", "SUBMITTED", "BY", "MMS ID", "TITLE");
    for (size_t i = 0; i < n; i++) {
        char id[32], when[32];
        core_note_id_format(r[i].zone, r[i].id, id, sizeof id);
        core_format_time(r[i].submitted, when, sizeof when);
        when[10] = '\0';
        printf("%-8s %-10s %-7s %-10s %-10s %-10s %-10s %-18s %s\n", id,
               r[i].due[0] ? r[i].due : "-", state_of(&r[i], today), r[i].type, r[i].status, when,
               r[i].author, r[i].mms, r[i].title);
        for (const char *line = r[i].text; *line;) {
            size_t len = strcspn(line, "\n");
            printf("    %.*s\n", (int)len, line);
            line += len + (line[len] == '\n');
        }
    }
}

static int
reminder_add(struct core_repo *repo, int npos, char **pos, const struct reminder_opts *o)
{
    const struct cli_verb *v = &cli_verb_reminder;
    if (npos != 1)
        return cli_usage_error(v, "'reminder add' takes one MMSID");
    if (!o->fields.text)
        return cli_usage_error(v, "'reminder add' needs --text");
    long id;
    int rc = core_reminder_add(repo, pos[0], &o->fields, &id);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    struct core_reminder r;
    enum core_zone zone = (enum core_zone)core_repo_zone_of(repo, pos[0]);
    rc = core_reminder_get(repo, zone, id, &r);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    char shown[32];
    core_note_id_format(zone, id, shown, sizeof shown);
    printf("Added reminder %s to %s (%s, %s, %s).\n", shown, pos[0],
           r.due[0] ? r.due : "no due date", r.type, r.status);
    return CLI_OK;
}

static int
reminder_list(struct core_repo *repo, int npos, char **pos, struct reminder_opts *o)
{
    const struct cli_verb *v = &cli_verb_reminder;
    if (npos > 1)
        return cli_usage_error(v, "'reminder list' takes at most one MMSID");
    if (o->fields.text || o->fields.due)
        return cli_usage_error(v, "'reminder list' filters with --due-before DATE or "
                                  "--overdue, not --due or --text");
    o->filter.mms = npos ? pos[0] : NULL;
    o->filter.zone = o->zone;
    struct core_reminder *r;
    size_t n;
    int rc = core_reminder_list(repo, &o->filter, &r, &n);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    if (n == 0)
        printf("No reminders.\n");
    else
        print_reminders(r, n);
    free(r);
    return CLI_OK;
}

static int
reminder_change(struct core_repo *repo, const char *action, int npos, char **pos,
                const struct reminder_opts *o)
{
    const struct cli_verb *v = &cli_verb_reminder;
    if (npos != 1)
        return cli_usage_error(v, "'reminder %s' takes one reminder ID", action);
    enum core_zone zone;
    long id;
    int status = parse_id(pos[0], &zone, &id);
    if (status != CLI_OK)
        return status;
    bool edit = strcmp(action, "edit") == 0;
    if (!edit && (o->fields.text || o->fields.due || o->fields.type || o->fields.status))
        return cli_usage_error(v, "'reminder delete' takes no --text, --due, --type or --status");
    struct core_reminder r;
    int rc = edit ? core_reminder_edit(repo, zone, id, &o->fields)
                  : core_reminder_get(repo, zone, id, &r);
    if (rc == CORE_OK && edit)
        rc = core_reminder_get(repo, zone, id, &r);
    else if (rc == CORE_OK)
        rc = core_reminder_delete(repo, zone, id);
    if (rc != CORE_OK)
        return cli_core_error(v, repo, rc);
    if (edit)
        printf("Reminder %s on %s: %s, %s, %s.\n", pos[0], r.mms, r.due[0] ? r.due : "no due date",
               r.type, r.status);
    else
        printf("Deleted reminder %s (by %s) from %s.\n", pos[0], r.author, r.mms);
    return CLI_OK;
}

/* ---- types and statuses ---- */

static int
codes_list(struct core_repo *repo, enum core_zone zone, enum core_reminder_list which)
{
    struct core_reminder_code *c;
    size_t n;
    int rc = core_reminder_codes(repo, zone, which, &c, &n);
    if (rc != CORE_OK)
        return cli_core_error(&cli_verb_reminder, repo, rc);
    bool statuses = which == CORE_REMINDER_STATUSES;
    printf("%-16s %-7s %s%-6s %s\n", "CODE", "DEFAULT", statuses ? "CLOSED " : "", "USED",
           "DESCRIPTION");
    for (size_t i = 0; i < n; i++)
        printf("%-16s %-7s %s%-6ld %s\n", c[i].code, c[i].is_default ? "yes" : "",
               statuses ? (c[i].closed ? "yes    " : "       ") : "", c[i].used, c[i].description);
    free(c);
    return CLI_OK;
}

static int
codes_run(struct core_repo *repo, const char *listname, int npos, char **pos,
          const struct reminder_opts *o)
{
    const struct cli_verb *v = &cli_verb_reminder;
    enum core_reminder_list which =
        strcmp(listname, "types") == 0 ? CORE_REMINDER_TYPES : CORE_REMINDER_STATUSES;
    const char *kind = which == CORE_REMINDER_TYPES ? "type" : "status";
    enum core_zone zone = o->zone < 0 ? CORE_ZONE_IZ : (enum core_zone)o->zone;
    if (npos < 1)
        return cli_usage_error(v, "'reminder %s' expects list, add, default or remove", listname);
    const char *action = pos[0];
    int want = strcmp(action, "list") == 0      ? 1
               : strcmp(action, "add") == 0     ? 3
               : strcmp(action, "default") == 0 ? 2
               : strcmp(action, "remove") == 0  ? 2
                                                : 0;
    if (!want)
        return cli_usage_error(v, "unknown action '%s' (list, add, default, remove)", action);
    if (npos != want)
        return cli_usage_error(v, "'reminder %s %s' takes %s", listname, action,
                               want == 1   ? "no arguments"
                               : want == 3 ? "CODE and DESCRIPTION"
                                           : "one CODE");
    if ((o->make_default || o->closed) && want != 3)
        return cli_usage_error(v, "--default and --closed go with 'add'");
    if (action[0] == 'l')
        return codes_list(repo, zone, which);
    char code[CORE_REMINDER_CODE_MAX]; /* as stored, for the messages */
    snprintf(code, sizeof code, "%s", pos[1]);
    for (char *p = code; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    int rc;
    switch (action[0]) {
    case 'a':
        rc = core_reminder_code_add(repo, zone, which, pos[1], pos[2], o->make_default, o->closed);
        if (rc == CORE_OK)
            printf("Added reminder %s %s to the %s%s.\n", kind, code, core_zone_name(zone),
                   o->make_default ? " as the default" : "");
        break;
    case 'd':
        rc = core_reminder_code_default(repo, zone, which, pos[1]);
        if (rc == CORE_OK)
            printf("Reminder %s %s is now the default in the %s.\n", kind, code,
                   core_zone_name(zone));
        break;
    default:
        rc = core_reminder_code_remove(repo, zone, which, pos[1]);
        if (rc == CORE_OK)
            printf("Removed reminder %s %s from the %s.\n", kind, code, core_zone_name(zone));
        break;
    }
    return rc == CORE_OK ? CLI_OK : cli_core_error(v, repo, rc);
}

static int
run_reminder(const struct cli_globals *g, int argc, char **argv)
{
    struct reminder_opts o = {.zone = -1};
    o.filter.zone = -1;
    int status = parse_args(argc, argv, &o);
    if (status >= 0)
        return status;
    const struct cli_verb *v = &cli_verb_reminder;
    const char *action = argv[optind];
    int npos = argc - optind - 1;
    char **pos = argv + optind + 1;
    bool codes = strcmp(action, "types") == 0 || strcmp(action, "statuses") == 0;
    if (!codes && strcmp(action, "add") && strcmp(action, "list") && strcmp(action, "edit") &&
        strcmp(action, "delete"))
        return cli_usage_error(v, "unknown action '%s' (add, list, edit, delete, types, statuses)",
                               action);
    if (o.zone >= 0 && !codes && strcmp(action, "list") != 0)
        return cli_usage_error(v, "--zone goes with list, types and statuses");
    bool filters =
        o.filter.from || o.filter.to || o.filter.due_before || o.filter.overdue || o.filter.open;
    if (filters && strcmp(action, "list") != 0)
        return cli_usage_error(v, "--from, --to, --due-before, --overdue and --open filter "
                                  "'reminder list'");
    if ((o.make_default || o.closed) && !codes)
        return cli_usage_error(v, "--default and --closed go with 'types add' and 'statuses add'");
    if (codes && (o.fields.text || o.fields.due || o.fields.type || o.fields.status))
        return cli_usage_error(v, "'reminder %s' takes no --text, --due, --type or --status",
                               action);
    struct core_repo *repo = cli_open_repo(g, &status);
    if (!repo)
        return status;
    if (codes)
        status = codes_run(repo, action, npos, pos, &o);
    else if (strcmp(action, "add") == 0)
        status = reminder_add(repo, npos, pos, &o);
    else if (strcmp(action, "list") == 0)
        status = reminder_list(repo, npos, pos, &o);
    else
        status = reminder_change(repo, action, npos, pos, &o);
    core_repo_close(repo);
    return status;
}

const struct cli_verb cli_verb_reminder = {
    .name = "reminder",
    .summary = "add, list, edit or delete reminders; reminder types and statuses",
    .run = run_reminder,
    .usage = reminder_usage,
};
