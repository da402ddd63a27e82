/*
 * auth.h - passwords of the repository's users, for logins over Z39.50
 * and SRU (`colophon serve`, serve.h).
 *
 * On the host a user is a login name and nothing more (SPEC §6): the Unix
 * account is the proof.  A network client has no Unix account here, so a
 * user who contributes to a network zone through `colophon serve
 * --allow-update` proves who they are with a password sent in the Z39.50
 * Init (or SRU's x-username/x-password).  Passwords are kept as salted
 * crypt(3) hashes (yescrypt, libxcrypt's preferred method) in the user
 * table's `password` column; '' means "no password: no network login".
 * The clear text is never stored and never leaves these functions.
 */
#ifndef CORE_AUTH_H
#define CORE_AUTH_H

#include "repo.h"

#include <stdbool.h>

/* Shortest password accepted (characters). */
#define CORE_PASSWORD_MIN 8
/* Longest password accepted (bytes). */
#define CORE_PASSWORD_MAX 256

/*
 * Set (or, with password NULL or "", remove) the network password of user
 * `name`.  The acting user may set their own; setting anyone else's needs
 * role admin.  A password shorter than CORE_PASSWORD_MIN characters, longer
 * than CORE_PASSWORD_MAX bytes or holding control characters is refused
 * (CORE_ERR_USER); CORE_ERR_NOTFOUND when there is no such user.
 */
int core_user_set_password(struct core_repo *repo, const char *name, const char *password);

/* True when user `name` has a network password. */
bool core_user_has_password(struct core_repo *repo, const char *name);

/*
 * Check a network login: `name` must be a user of the repository with a
 * password, and `password` that password.  On success the acting user of
 * `repo` becomes `name` (roles are checked against it from then on).  Every
 * failure is CORE_ERR_ROLE with a message that says which check failed
 * ("no user NAME", "NAME has no network password", "wrong password for
 * NAME"): the server logs it and answers the client with the Bib-1 Init
 * diagnostic; it does not repeat the detail to the client.
 */
int core_user_login(struct core_repo *repo, const char *name, const char *password);

#endif
