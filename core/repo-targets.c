/*
 * repo-targets.c - external resources (targets.h): the text format of a
 * target, the user's targets file, the repository's `target` table, and
 * each user's last search of each target (tables external_search and
 * external_record), which `colophon external show` and Copy & Merge read.
 *
 * The text format is the one stored: the repository keeps a target's
 * address and its options as the file would write them, so one parser
 * checks both.  Talking to targets is z3950.c's; this file only calls it
 * (core_external_record) to fetch a record the last search did not bring.
 */
#include "targets.h"

#include "repo-int.h"
#include "z3950.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Names of the indexes a target maps, in enum core_qindex order ("" = never sent). */
static const char *const map_names[CORE_TARGET_NINDEXES] = {
    [CORE_QI_KEYWORD] = "keyword", [CORE_QI_TITLE] = "title", [CORE_QI_AUTHOR] = "author",
    [CORE_QI_SUBJECT] = "subject", [CORE_QI_MMS] = "mms",     [CORE_QI_OCLC] = "oclc",
    [CORE_QI_ISBN] = "isbn",       [CORE_QI_ISSN] = "issn",   [CORE_QI_LINKED] = "",
    [CORE_QI_BARCODE] = "",
};

static char *
fmt_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
fmt_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

static int
fail_with(char **error, char *msg)
{
    if (error)
        *error = msg;
    else
        free(msg);
    return CORE_ERR_USER;
}

void
core_target_init(struct core_target *t)
{
    memset(t, 0, sizeof *t);
    t->proto = CORE_TARGET_Z3950;
    t->syntax = CORE_TARGET_USMARC;
    snprintf(t->charset, sizeof t->charset, "auto");
    t->timeout = CORE_TARGET_TIMEOUT_DEFAULT;
    t->source = CORE_TARGET_REPO;
}

/* ---- checking values ---- */

static bool
name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= CORE_TARGET_NAME_MAX || !isalnum((unsigned char)s[0]))
        return false;
    return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static bool
all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* host[:port][/database] with a host name, an IPv4 or a [bracketed] IPv6 address. */
static bool
z3950_address_ok(const char *a, char *why, size_t size)
{
    if (strncasecmp(a, "tcp:", 4) == 0)
        a += 4;
    const char *p = a;
    if (*p == '[') {
        const char *close = strchr(p, ']');
        if (!close || close == p + 1) {
            snprintf(why, size, "an IPv6 address needs its closing ']'");
            return false;
        }
        p = close + 1;
    } else {
        p += strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");
        if (p == a) {
            snprintf(why, size, "no host name");
            return false;
        }
    }
    if (*p == ':') {
        size_t digits = strspn(p + 1, "0123456789");
        long port = digits && digits <= 5 ? strtol(p + 1, NULL, 10) : 0;
        if (port < 1 || port > 65535) {
            snprintf(why, size, "the port must be a number from 1 to 65535");
            return false;
        }
        p += 1 + digits;
    }
    if (*p == '/') {
        p++;
        if (!*p) {
            snprintf(why, size, "an empty database name after '/'");
            return false;
        }
        for (; *p; p++)
            if ((unsigned char)*p <= ' ' || *p == '"' || *p == '\\') {
                snprintf(why, size, "the database name may not hold blanks, quotes or '\\'");
                return false;
            }
    }
    if (*p) {
        snprintf(why, size, "unexpected '%c' (Z39.50 addresses are host:port/database)", *p);
        return false;
    }
    return true;
}

int
core_target_set_address(struct core_target *t, const char *address, char **error)
{
    char why[128];
    if (!address || !*address)
        return fail_with(error, fmt_error("no address given"));
    if (strlen(address) >= sizeof t->address)
        return fail_with(error, fmt_error("the address is too long (%zu bytes at most)",
                                          sizeof t->address - 1));
    bool sru = strncasecmp(address, "http://", 7) == 0 || strncasecmp(address, "https://", 8) == 0;
    if (sru) {
        const char *host = strstr(address, "//") + 2;
        if (!*host || *host == '/' || *host == ':')
            return fail_with(error, fmt_error("'%s' names no host", address));
        for (const char *p = address; *p; p++)
            if ((unsigned char)*p <= ' ' || *p == '"' || *p == '\\')
                return fail_with(error,
                                 fmt_error("'%s': a URL may not hold blanks, quotes or '\\'", address));
    } else if (!z3950_address_ok(address, why, sizeof why)) {
        return fail_with(error, fmt_error("'%s' is not a Z39.50 address (host:port/database) "
                                          "or an SRU URL (http://...): %s",
                                          address, why));
    }
    snprintf(t->address, sizeof t->address, "%s", address);
    t->proto = sru ? CORE_TARGET_SRU : CORE_TARGET_Z3950;
    if (sru)
        t->syntax = CORE_TARGET_MARCXML;
    return CORE_OK;
}

/* A Z39.50 mapping: "none", a Use attribute "1211", or "1=1211,4=1". */
static bool
pqf_map_ok(const char *v)
{
    if (strcmp(v, "none") == 0 || all_digits(v, strlen(v)))
        return true;
    bool use = false;
    for (const char *p = v; *p;) {
        size_t t = strspn(p, "0123456789");
        if (t == 0 || p[t] != '=')
            return false;
        use |= t == 1 && p[0] == '1';
        p += t + 1;
        size_t n = strspn(p, "0123456789");
        if (n == 0)
            return false;
        p += n;
        if (*p == ',')
            p++;
        else if (*p)
            return false;
    }
    return use;
}

/* An SRU mapping: "none" or a CQL index name ("dc.title", "alma.isbn"). */
static bool
cql_map_ok(const char *v)
{
    size_t n = strlen(v);
    return n > 0 && isalpha((unsigned char)v[0]) &&
           strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static int
map_index(const char *name)
{
    for (int i = 0; i < CORE_TARGET_NINDEXES; i++)
        if (map_names[i][0] && strcmp(map_names[i], name) == 0)
            return i;
    return -1;
}

static int
set_text(char *dst, size_t size, const char *key, const char *value, char **error)
{
    if (strlen(value) >= size)
        return fail_with(error, fmt_error("%s is too long (%zu bytes at most)", key, size - 1));
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return fail_with(error, fmt_error("%s may not hold control characters", key));
    snprintf(dst, size, "%s", value);
    return CORE_OK;
}

int
core_target_set_option(struct core_target *t, const char *key, const char *value, char **error)
{
    if (strcmp(key, "syntax") == 0) {
        if (strcasecmp(value, "usmarc") == 0 || strcasecmp(value, "marc21") == 0)
            t->syntax = CORE_TARGET_USMARC;
        else if (strcasecmp(value, "marcxml") == 0 || strcasecmp(value, "xml") == 0)
            t->syntax = CORE_TARGET_MARCXML;
        else
            return fail_with(error, fmt_error("syntax is usmarc or marcxml, not '%s'", value));
        if (t->proto == CORE_TARGET_SRU && t->syntax != CORE_TARGET_MARCXML)
            return fail_with(error, fmt_error("an SRU target sends MARCXML: syntax=usmarc does "
                                              "not apply"));
        return CORE_OK;
    }
    if (strcmp(key, "charset") == 0) {
        size_t n = strlen(value);
        if (n == 0 || n >= sizeof t->charset ||
            strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") != n)
            return fail_with(error, fmt_error("charset is auto, marc8, utf-8 or a character set "
                                              "name, not '%s'",
                                              value));
        snprintf(t->charset, sizeof t->charset, "%s", value);
        if (strcasecmp(value, "marc-8") == 0)
            snprintf(t->charset, sizeof t->charset, "marc8");
        else if (strcasecmp(value, "utf8") == 0)
            snprintf(t->charset, sizeof t->charset, "utf-8");
        return CORE_OK;
    }
    if (strcmp(key, "timeout") == 0) {
        size_t n = strlen(value);
        long v = all_digits(value, n) && n <= 4 ? strtol(value, NULL, 10) : 0;
        if (v < 1 || v > 3600)
            return fail_with(error, fmt_error("timeout takes seconds (1-3600), not '%s'", value));
        t->timeout = (int)v;
        return CORE_OK;
    }
    if (strcmp(key, "user") == 0)
        return set_text(t->user, sizeof t->user, "user", value, error);
    if (strcmp(key, "password") == 0)
        return set_text(t->password, sizeof t->password, "password", value, error);
    if (strncmp(key, "map.", 4) == 0) {
        int i = map_index(key + 4);
        if (i < 0)
            return fail_with(error, fmt_error("'%s': map. takes keyword, title, author, subject, "
                                              "mms, oclc, isbn or issn",
                                              key));
        bool ok = t->proto == CORE_TARGET_SRU ? cql_map_ok(value) : pqf_map_ok(value);
        if (!ok || strlen(value) >= sizeof t->map[i])
            return fail_with(error,
                             fmt_error(t->proto == CORE_TARGET_SRU
                                           ? "%s takes a CQL index name (dc.title) or none, not "
                                             "'%s'"
                                           : "%s takes a Bib-1 Use attribute (1211), an attribute "
                                             "list (1=1211,4=1) or none, not '%s'",
                                       key, value));
        snprintf(t->map[i], sizeof t->map[i], "%s", value);
        return CORE_OK;
    }
    return fail_with(error, fmt_error("unknown option '%s' (syntax, charset, timeout, user, "
                                      "password, map.INDEX)",
                                      key));
}

/* ---- the text format ---- */

/*
 * The next blank-separated token of *p into out (quotes removed, \" and \\
 * unescaped); false at the end of the line.  A '#' outside quotes at the
 * start of a token ends the line.
 */
static bool
next_token(const char **p, struct marc_buf *out, char **error)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    marc_buf_reset(out);
    if (!*s || *s == '#') {
        *p = s;
        return false;
    }
    while (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') {
        if (*s != '"') {
            marc_buf_putc(out, *s++);
            continue;
        }
        for (s++; *s != '"'; s++) {
            if (!*s) {
                *error = fmt_error("a quote is not closed");
                *p = s;
                return false;
            }
            if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
                s++;
            marc_buf_putc(out, *s);
        }
        s++;
    }
    marc_buf_putc(out, '\0');
    out->len--;
    *p = s;
    return true;
}

int
core_target_parse_line(const char *line, struct core_target *t, char **error)
{
    struct marc_buf tok = MARC_BUF_INIT;
    char *err = NULL;
    const char *p = line;
    if (!next_token(&p, &tok, &err)) {
        marc_buf_free(&tok);
        return err ? fail_with(error, err) : CORE_ERR_NOTFOUND;
    }
    struct core_target nt;
    core_target_init(&nt);
    int rc = CORE_OK;
    if (!name_ok(tok.data))
        rc = fail_with(error, fmt_error("'%s' is not a target name (letters, digits, '.', '_', "
                                        "'-'; at most %d)",
                                        tok.data, CORE_TARGET_NAME_MAX - 1));
    else
        snprintf(nt.name, sizeof nt.name, "%s", tok.data);
    if (rc == CORE_OK && !next_token(&p, &tok, &err))
        rc = fail_with(error, err ? err : fmt_error("target %s has no address", nt.name));
    if (rc == CORE_OK)
        rc = core_target_set_address(&nt, tok.data, error);
    while (rc == CORE_OK && next_token(&p, &tok, &err)) {
        char *eq = strchr(tok.data, '=');
        if (!eq) {
            rc = fail_with(error, fmt_error("'%s' is not key=value", tok.data));
            break;
        }
        *eq = '\0';
        rc = core_target_set_option(&nt, tok.data, eq + 1, error);
    }
    if (rc == CORE_OK && err)
        rc = fail_with(error, err);
    marc_buf_free(&tok);
    if (rc == CORE_OK) {
        nt.source = t->source;
        memcpy(nt.origin, t->origin, sizeof nt.origin);
        *t = nt;
    }
    return rc;
}

/* Append value, quoted when it would not read back as one token. */
static void
put_value(struct marc_buf *b, const char *v)
{
    if (*v && !strpbrk(v, " \t\"\\#")) {
        marc_buf_puts(b, v);
        return;
    }
    marc_buf_putc(b, '"');
    for (; *v; v++) {
        if (*v == '"' || *v == '\\')
            marc_buf_putc(b, '\\');
        marc_buf_putc(b, *v);
    }
    marc_buf_putc(b, '"');
}

static void
put_option(struct marc_buf *b, const char *key, const char *value)
{
    if (b->len)
        marc_buf_putc(b, ' ');
    marc_buf_printf(b, "%s=", key);
    put_value(b, value);
}

char *
core_target_options_text(const struct core_target *t)
{
    struct marc_buf b = MARC_BUF_INIT;
    if (t->proto == CORE_TARGET_Z3950 && t->syntax == CORE_TARGET_MARCXML)
        put_option(&b, "syntax", "marcxml");
    if (strcmp(t->charset, "auto") != 0)
        put_option(&b, "charset", t->charset);
    if (t->timeout != CORE_TARGET_TIMEOUT_DEFAULT) {
        char n[16];
        snprintf(n, sizeof n, "%d", t->timeout);
        put_option(&b, "timeout", n);
    }
    if (t->user[0])
        put_option(&b, "user", t->user);
    if (t->password[0])
        put_option(&b, "password", t->password);
    for (int i = 0; i < CORE_TARGET_NINDEXES; i++) {
        if (!t->map[i][0])
            continue;
        char key[32];
        snprintf(key, sizeof key, "map.%s", map_names[i]);
        put_option(&b, key, t->map[i]);
    }
    marc_buf_putc(&b, '\0');
    return marc_buf_steal(&b);
}

int
core_targets_parse(const char *text, const char *source, struct core_target **out, size_t *n,
                   char **error)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    long lineno = 0;
    for (const char *p = text; *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char *line = xstrndup(p, len);
        p += len + (end ? 1 : 0);
        lineno++;
        struct core_target t;
        core_target_init(&t);
        t.source = CORE_TARGET_FILE;
        snprintf(t.origin, sizeof t.origin, "%s:%ld", source, lineno);
        char *err = NULL;
        int rc = core_target_parse_line(line, &t, &err);
        free(line);
        if (rc == CORE_ERR_NOTFOUND)
            continue;
        for (size_t k = 0; rc == CORE_OK && k < *n; k++)
            if (strcmp((*out)[k].name, t.name) == 0)
                rc = fail_with(&err, fmt_error("target %s is defined again (first at %s)", t.name,
                                               (*out)[k].origin));
        if (rc != CORE_OK) {
            fail_with(error, fmt_error("%s:%ld: %s", source, lineno, err));
            free(err);
            free(*out);
            *out = NULL;
            *n = 0;
            return CORE_ERR_USER;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        (*out)[(*n)++] = t;
    }
    return CORE_OK;
}

char *
core_targets_file_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    if (xdg && *xdg == '/')
        return xasprintf("%s/colophon/targets", xdg);
    const char *home = getenv("HOME");
    return xasprintf("%s/.config/colophon/targets", home && *home ? home : "/tmp");
}

/* The user's file: CORE_OK with *n 0 when there is none. */
static int
load_file(struct core_repo *repo, struct core_target **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    char *path = core_targets_file_path();
    FILE *fp = fopen(path, "r");
    if (!fp) {
        int rc = errno == ENOENT ? CORE_OK
                                 : repo_fail(repo, CORE_ERR_IO, "cannot read %s: %s", path,
                                             strerror(errno));
        free(path);
        return rc;
    }
    struct marc_buf text = MARC_BUF_INIT;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
        marc_buf_append(&text, chunk, got);
    bool bad = ferror(fp);
    fclose(fp);
    marc_buf_putc(&text, '\0');
    int rc = CORE_OK;
    if (bad) {
        rc = repo_fail(repo, CORE_ERR_IO, "cannot read %s", path);
    } else if (strlen(text.data) != text.len - 1) {
        rc = repo_fail(repo, CORE_ERR_USER, "%s holds a NUL byte: is it a text file?", path);
    } else {
        char *err = NULL;
        rc = core_targets_parse(text.data, path, out, n, &err);
        if (rc != CORE_OK)
            rc = repo_fail(repo, rc, "%s", err);
        free(err);
    }
    marc_buf_free(&text);
    free(path);
    return rc;
}

/* ---- the repository's targets ---- */

/* Rebuild a stored target from its row. */
static int
row_target(struct core_repo *repo, sqlite3_stmt *st, struct core_target *t)
{
    char *line = xasprintf("%s %s %s", repo_col_text(st, 0), repo_col_text(st, 1),
                           repo_col_text(st, 2));
    char *err = NULL;
    core_target_init(t);
    snprintf(t->origin, sizeof t->origin, "repository");
    int rc = core_target_parse_line(line, t, &err);
    free(line);
    if (rc != CORE_OK)
        rc = repo_fail(repo, CORE_ERR_DB, "the repository's target %s is damaged: %s",
                       repo_col_text(st, 0), err ? err : "empty");
    free(err);
    return rc;
}

static int
load_repo(struct core_repo *repo, struct core_target **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "SELECT name, address, options FROM {Z}.target ORDER BY name");
    if (!st)
        return CORE_ERR_DB;
    size_t cap = 0;
    int step, rc = CORE_OK;
    while (rc == CORE_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        rc = row_target(repo, st, &(*out)[*n]);
        if (rc == CORE_OK)
            (*n)++;
    }
    if (rc == CORE_OK && step != SQLITE_DONE)
        rc = repo_db_fail(repo, "reading the targets");
    sqlite3_reset(st);
    return rc;
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(((const struct core_target *)a)->name, ((const struct core_target *)b)->name);
}

int
core_targets_list(struct core_repo *repo, struct core_target **out, size_t *n)
{
    struct core_target *mine, *shared;
    size_t nmine, nshared;
    *out = NULL;
    *n = 0;
    int rc = load_repo(repo, &shared, &nshared);
    if (rc != CORE_OK)
        return rc;
    rc = load_file(repo, &mine, &nmine);
    if (rc != CORE_OK) {
        free(shared);
        return rc;
    }
    *out = xcalloc(nmine + nshared + 1, sizeof **out);
    for (size_t i = 0; i < nmine; i++)
        (*out)[(*n)++] = mine[i];
    for (size_t i = 0; i < nshared; i++) {
        bool overridden = false;
        for (size_t k = 0; k < nmine; k++)
            overridden = overridden || strcmp(mine[k].name, shared[i].name) == 0;
        if (!overridden)
            (*out)[(*n)++] = shared[i];
    }
    free(mine);
    free(shared);
    qsort(*out, *n, sizeof **out, by_name);
    return CORE_OK;
}

int
core_target_get(struct core_repo *repo, const char *name, struct core_target *t)
{
    struct core_target *all;
    size_t n;
    int rc = core_targets_list(repo, &all, &n);
    if (rc != CORE_OK)
        return rc;
    rc = repo_fail(repo, CORE_ERR_NOTFOUND,
                   "no target %s (colophon external list shows the targets; colophon external add "
                   "defines one)",
                   name);
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].name, name) == 0) {
            *t = all[i];
            rc = CORE_OK;
            break;
        }
    free(all);
    return rc;
}

int
core_target_add(struct core_repo *repo, const struct core_target *t, bool replace)
{
    int rc = core_require_role(repo, CORE_ROLE_ADMIN, "defining a target");
    if (rc != CORE_OK)
        return rc;
    /* what is stored must read back: check it the way it will be read */
    char *opts = core_target_options_text(t);
    char *line = xasprintf("%s %s %s", t->name, t->address, opts);
    struct core_target check;
    core_target_init(&check);
    char *err = NULL;
    rc = core_target_parse_line(line, &check, &err);
    free(line);
    if (rc != CORE_OK) {
        rc = repo_fail(repo, CORE_ERR_USER, "%s", err ? err : "no target name");
        free(err);
        free(opts);
        return rc;
    }
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 replace ? "INSERT OR REPLACE INTO {Z}.target (name, address, "
                                           "options, created_at, created_by) VALUES (?1, ?2, ?3, "
                                           "?4, ?5)"
                                         : "INSERT INTO {Z}.target (name, address, options, "
                                           "created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) {
        free(opts);
        return CORE_ERR_DB;
    }
    repo_bind_text(st, 1, t->name);
    repo_bind_text(st, 2, t->address);
    repo_bind_text(st, 3, opts);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)core_now());
    repo_bind_text(st, 5, core_repo_user(repo));
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    free(opts);
    if (step == SQLITE_CONSTRAINT)
        return repo_fail(repo, CORE_ERR_USER,
                         "the repository already has a target %s (add --replace to redefine it)",
                         t->name);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "adding a target");
}

int
core_target_remove(struct core_repo *repo, const char *name)
{
    int rc = core_require_role(repo, CORE_ROLE_ADMIN, "removing a target");
    if (rc != CORE_OK)
        return rc;
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, "DELETE FROM {Z}.target WHERE name = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, name);
    int step = sqlite3_step(st);
    int changes = sqlite3_changes(repo->db);
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return repo_db_fail(repo, "removing a target");
    if (changes == 0)
        return repo_fail(repo, CORE_ERR_NOTFOUND,
                         "the repository has no target %s (a target of your own file is removed "
                         "by editing the file)",
                         name);
    return CORE_OK;
}

/* ---- the last search ---- */

static int
exec_bound(struct core_repo *repo, const char *sql, const char *target, const char *what)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ, sql);
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, core_repo_user(repo));
    repo_bind_text(st, 2, target);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, what);
}

int
core_external_begin(struct core_repo *repo, const char *target, const char *query, long hits)
{
    int rc = repo_begin(repo);
    if (rc == CORE_OK)
        rc = exec_bound(repo, "DELETE FROM {Z}.external_record WHERE user = ?1 AND target = ?2",
                        target, "forgetting the last search");
    sqlite3_stmt *st = NULL;
    if (rc == CORE_OK) {
        st = repo_stmt(repo, CORE_ZONE_IZ,
                       "INSERT OR REPLACE INTO {Z}.external_search (user, target, query, hits, at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)");
        rc = st ? CORE_OK : CORE_ERR_DB;
    }
    if (rc == CORE_OK) {
        repo_bind_text(st, 1, core_repo_user(repo));
        repo_bind_text(st, 2, target);
        repo_bind_text(st, 3, query);
        sqlite3_bind_int64(st, 4, hits);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)core_now());
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        rc = step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "remembering the search");
    }
    if (rc == CORE_OK)
        return repo_commit(repo);
    repo_rollback(repo);
    return rc;
}

int
core_external_put(struct core_repo *repo, const char *target, long position,
                  const struct marc_record *r)
{
    int fmt;
    struct marc_buf blob = MARC_BUF_INIT;
    int rc = repo_encode(repo, r, &blob, &fmt);
    sqlite3_stmt *st = NULL;
    if (rc == CORE_OK) {
        st = repo_stmt(repo, CORE_ZONE_IZ,
                       "INSERT OR REPLACE INTO {Z}.external_record (user, target, position, marc, "
                       "fmt) VALUES (?1, ?2, ?3, ?4, ?5)");
        rc = st ? CORE_OK : CORE_ERR_DB;
    }
    if (rc == CORE_OK) {
        repo_bind_text(st, 1, core_repo_user(repo));
        repo_bind_text(st, 2, target);
        sqlite3_bind_int64(st, 3, position);
        sqlite3_bind_blob(st, 4, blob.data, (int)blob.len, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 5, fmt);
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        rc = step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "keeping a record of the search");
    }
    marc_buf_free(&blob);
    return rc;
}

int
core_external_last(struct core_repo *repo, const char *target, char *query, size_t size,
                   long *hits)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "SELECT query, hits FROM {Z}.external_search WHERE user = ?1 AND "
                                 "target = ?2");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, core_repo_user(repo));
    repo_bind_text(st, 2, target);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        if (query)
            snprintf(query, size, "%s", repo_col_text(st, 0));
        if (hits)
            *hits = (long)sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (step == SQLITE_ROW)
        return CORE_OK;
    if (step != SQLITE_DONE)
        return repo_db_fail(repo, "reading the last search");
    return repo_fail(repo, CORE_ERR_NOTFOUND,
                     "%s has not searched %s yet (colophon external search %s QUERY)",
                     core_repo_user(repo), target, target);
}

/* The kept copy of a record: CORE_OK, or CORE_ERR_NOTFOUND (no message) when none. */
static int
kept_record(struct core_repo *repo, const char *target, long position, struct marc_record *r)
{
    sqlite3_stmt *st = repo_stmt(repo, CORE_ZONE_IZ,
                                 "SELECT marc, fmt FROM {Z}.external_record WHERE user = ?1 AND "
                                 "target = ?2 AND position = ?3");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, core_repo_user(repo));
    repo_bind_text(st, 2, target);
    sqlite3_bind_int64(st, 3, position);
    int step = sqlite3_step(st);
    int rc = CORE_ERR_NOTFOUND;
    if (step == SQLITE_ROW)
        rc = repo_decode(repo, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                         sqlite3_column_int(st, 1), r);
    else if (step != SQLITE_DONE)
        rc = repo_db_fail(repo, "reading a record of the search");
    sqlite3_reset(st);
    return rc;
}

/* Run the last search again and fetch one record (blocking within the target's timeout). */
static int
fetch_again(struct core_repo *repo, const struct core_target *t, const char *query, long position,
            struct marc_record *r)
{
    char *err = NULL;
    struct core_zsearch *s = core_zsearch_start(t, query, 0, &err);
    if (!s) {
        int rc = repo_fail(repo, CORE_ERR_USER, "%s", err);
        free(err);
        return rc;
    }
    int rc = core_zsearch_wait(s);
    if (rc == CORE_OK && core_zsearch_hits(s) < position)
        rc = repo_fail(repo, CORE_ERR_NOTFOUND,
                       "%s now finds %ld records for '%s': record %ld is gone (search again)",
                       t->name, core_zsearch_hits(s), query, position);
    else if (rc == CORE_OK && (rc = core_zsearch_fetch(s, (size_t)position - 1, 1)) == CORE_OK)
        rc = core_zsearch_wait(s);
    if (rc == CORE_OK)
        rc = core_zsearch_record(s, (size_t)position - 1, r, &err);
    if (rc != CORE_OK && !err && core_zsearch_state(s) == CORE_ZS_FAILED)
        err = xstrdup(core_zsearch_error(s));
    if (err)
        rc = repo_fail(repo, rc, "%s", err);
    free(err);
    core_zsearch_free(s);
    return rc;
}

int
core_external_record(struct core_repo *repo, const char *target, long position,
                     struct marc_record *r)
{
    char query[4096];
    long hits;
    struct core_target t;
    int rc = core_target_get(repo, target, &t);
    if (rc == CORE_OK)
        rc = core_external_last(repo, target, query, sizeof query, &hits);
    if (rc != CORE_OK)
        return rc;
    if (position < 1 || position > hits)
        return repo_fail(repo, CORE_ERR_NOTFOUND,
                         "the last search of %s ('%s') found %ld record%s: there is no record %ld",
                         target, query, hits, hits == 1 ? "" : "s", position);
    rc = kept_record(repo, target, position, r);
    if (rc != CORE_ERR_NOTFOUND)
        return rc;
    rc = fetch_again(repo, &t, query, position, r);
    if (rc == CORE_OK)
        rc = core_external_put(repo, target, position, r);
    return rc;
}
