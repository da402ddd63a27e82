/*
 * repo-auth.c - network passwords of the repository's users (auth.h).
 *
 * Hashing is libxcrypt's: crypt_gensalt_rn picks the preferred method
 * (yescrypt, "$y$") with fresh random salt, crypt_r hashes.  A check hashes
 * the offered password with the stored setting and compares every byte,
 * so the time taken does not depend on where the strings differ.
 */
#include "auth.h"

#include "repo-int.h"

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Characters (not bytes) of UTF-8 text. */
static size_t
utf8_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            n++;
    return n;
}

static int
check_password_text(struct core_repo *repo, const char *password)
{
    if (strlen(password) > CORE_PASSWORD_MAX)
        return repo_fail(repo, CORE_ERR_USER, "a password may have at most %d bytes",
                         CORE_PASSWORD_MAX);
    for (const unsigned char *p = (const unsigned char *)password; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return repo_fail(repo, CORE_ERR_USER,
                             "a password may not hold control characters (tab, newline ...)");
    if (utf8_chars(password) < CORE_PASSWORD_MIN)
        return repo_fail(repo, CORE_ERR_USER, "a password needs at least %d characters",
                         CORE_PASSWORD_MIN);
    return CORE_OK;
}

/* The crypt(3) hash of password with fresh salt into out; false when libxcrypt fails. */
static bool
hash_password(const char *password, char out[CRYPT_OUTPUT_SIZE])
{
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn(NULL, 0, NULL, 0, setting, sizeof setting))
        return false;
    struct crypt_data *cd = xcalloc(1, sizeof *cd);
    const char *h = crypt_r(password, setting, cd);
    bool ok = h && h[0] != '*';
    if (ok)
        snprintf(out, CRYPT_OUTPUT_SIZE, "%s", h);
    explicit_bzero(cd, sizeof *cd);
    free(cd);
    return ok;
}

/* Stored hash of `name` into out (CRYPT_OUTPUT_SIZE); CORE_ERR_NOTFOUND when no such user. */
static int
stored_hash(struct core_repo *repo, const char *name, char *out)
{
    sqlite3_stmt *st =
        repo_stmt(repo, CORE_ZONE_IZ, "SELECT password FROM {Z}.user WHERE name = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, name);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        snprintf(out, CRYPT_OUTPUT_SIZE, "%s", repo_col_text(st, 0));
    sqlite3_reset(st);
    if (step == SQLITE_ROW)
        return CORE_OK;
    if (step == SQLITE_DONE)
        return repo_fail(repo, CORE_ERR_NOTFOUND, "no user %s", name);
    return repo_db_fail(repo, "reading a password");
}

int
core_user_set_password(struct core_repo *repo, const char *name, const char *password)
{
    if (!name || !*name)
        return repo_fail(repo, CORE_ERR_USER, "no user name given");
    int rc = strcmp(name, core_repo_user(repo)) == 0
                 ? CORE_OK
                 : core_require_role(repo, CORE_ROLE_ADMIN, "setting another user's password");
    char old[CRYPT_OUTPUT_SIZE];
    if (rc == CORE_OK)
        rc = stored_hash(repo, name, old);
    if (rc != CORE_OK)
        return rc;
    char hash[CRYPT_OUTPUT_SIZE] = "";
    if (password && *password) {
        rc = check_password_text(repo, password);
        if (rc != CORE_OK)
            return rc;
        if (!hash_password(password, hash))
            return repo_fail(repo, CORE_ERR_IO, "cannot hash the password (libxcrypt failed)");
    }
    sqlite3_stmt *st =
        repo_stmt(repo, CORE_ZONE_IZ, "UPDATE {Z}.user SET password = ?2 WHERE name = ?1");
    if (!st)
        return CORE_ERR_DB;
    repo_bind_text(st, 1, name);
    repo_bind_text(st, 2, hash);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    explicit_bzero(hash, sizeof hash);
    return step == SQLITE_DONE ? CORE_OK : repo_db_fail(repo, "setting a password");
}

bool
core_user_has_password(struct core_repo *repo, const char *name)
{
    char h[CRYPT_OUTPUT_SIZE];
    return stored_hash(repo, name, h) == CORE_OK && h[0] != '\0';
}

/* Equal strings, compared in time that depends only on the length of a. */
static bool
same_hash(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = la != lb;
    for (size_t i = 0; i < la; i++)
        diff |= (unsigned char)(a[i] ^ (i < lb ? b[i] : 0));
    return diff == 0;
}

int
core_user_login(struct core_repo *repo, const char *name, const char *password)
{
    char stored[CRYPT_OUTPUT_SIZE];
    if (!name || !*name)
        return repo_fail(repo, CORE_ERR_ROLE, "no user name given");
    int rc = stored_hash(repo, name, stored);
    if (rc == CORE_ERR_NOTFOUND)
        return repo_fail(repo, CORE_ERR_ROLE, "no user %s in this repository", name);
    if (rc != CORE_OK)
        return rc;
    if (!stored[0])
        return repo_fail(repo, CORE_ERR_ROLE,
                         "%s has no network password (colophon user passwd %s)", name, name);
    struct crypt_data *cd = xcalloc(1, sizeof *cd);
    const char *h = crypt_r(password ? password : "", stored, cd);
    bool ok = h && h[0] != '*' && same_hash(h, stored);
    explicit_bzero(cd, sizeof *cd);
    free(cd);
    if (!ok)
        return repo_fail(repo, CORE_ERR_ROLE, "wrong password for %s", name);
    free(repo->user);
    repo->user = xstrdup(name);
    return CORE_OK;
}
