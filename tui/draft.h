/*
 * draft.h - the autosave draft of the record being edited (SPEC §5).
 *
 * Every edit writes the editor's lines to a per-user file at once (a spare
 * file swapped with it in one step, so a draft is always whole), under
 * $XDG_STATE_HOME/colophon/drafts/ (~/.local/state/colophon/drafts/), one
 * file per repository and record.  Nothing waits for a timer: SIGHUP, a
 * dropped SSH connection, kill -9 or a crash lose nothing that was on the
 * screen.  A successful save or an explicit discard removes the draft; the
 * next open of the record offers it otherwise.
 */
#ifndef TUI_DRAFT_H
#define TUI_DRAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct tui_draft_info {
    int base_version; /* the version the edits were made on */
    time_t saved;
};

/*
 * Path of the draft for (repository dir, mms) into out; false when no state
 * directory can be made.
 */
bool tui_draft_path(const char *repo_dir, const char *mms, char *out, size_t size);
/* Write lines as the draft.  Returns 0 or -1 (errno set). */
int tui_draft_write(const char *path, int base_version, const char *const *lines,
                    const size_t *lens, size_t n);
/*
 * Read a draft: *lines is a heap array of heap strings (free with
 * tui_draft_free_lines).  Returns false when there is none.
 */
bool tui_draft_read(const char *path, struct tui_draft_info *info, char ***lines, size_t *n);
void tui_draft_free_lines(char **lines, size_t n);
void tui_draft_remove(const char *path);

#endif
