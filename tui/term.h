/*
 * term.h - running the editor on a real terminal (the only curses user).
 */
#ifndef TUI_TERM_H
#define TUI_TERM_H

#include "app.h"

#include "repo.h"

/*
 * Run the editor until the user quits.  Returns 0, or 1 with a message on
 * stderr when there is no usable terminal.
 */
int tui_run(struct core_repo *repo, const struct tui_app_opts *opts);

#endif
