/*
 * draft.c - autosave drafts on disk (see draft.h).
 */
#include "draft.h"

#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t
fnv(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void
mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    }
    mkdir(path, 0700);
}

bool
tui_draft_path(const char *repo_dir, const char *mms, char *out, size_t size)
{
    char real[4096];
    if (!realpath(repo_dir, real))
        snprintf(real, sizeof real, "%s", repo_dir);
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char dir[4096];
    if (state && *state == '/')
        snprintf(dir, sizeof dir, "%s/colophon/drafts/%016llx", state,
                 (unsigned long long)fnv(real));
    else if (home && *home)
        snprintf(dir, sizeof dir, "%s/.local/state/colophon/drafts/%016llx", home,
                 (unsigned long long)fnv(real));
    else
        return false;
    mkdirs(dir);
    snprintf(out, size, "%s/%s.draft", dir, mms);
    return true;
}

/* Write all of b at offset 0 of fd and cut the file there. */
static int
overwrite(int fd, const struct marc_buf *b)
{
    size_t done = 0;
    while (done < b->len) {
        ssize_t w = pwrite(fd, b->data + done, b->len - done, (off_t)done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    return ftruncate(fd, (off_t)b->len);
}

/*
 * The draft is written into a spare file, PATH.new, which is then swapped
 * with PATH in one step (renameat2 RENAME_EXCHANGE): PATH is always a whole
 * draft, the old or the new one, and the old one becomes the next spare.
 * Both files are rewritten in place from then on, so no file is created per
 * keystroke: creating one (the new file of a plain rename) cost 1-2 ms on
 * ext4 under load, most of the keystroke budget (SPEC §9); the in-place
 * write and the exchange cost about 0.03 ms (docs/PERFORMANCE.md).  Where
 * the file system cannot exchange (EINVAL) or at the first write (no PATH
 * yet), a plain rename does.
 */
int
tui_draft_write(const char *path, int base_version, const char *const *lines, const size_t *lens,
                size_t n)
{
    struct marc_buf b = MARC_BUF_INIT;
    marc_buf_printf(&b, "# colophon draft\n# base-version %d\n# saved %lld\n", base_version,
                    (long long)time(NULL));
    for (size_t i = 0; i < n; i++) {
        marc_buf_append(&b, lines[i], lens[i]);
        marc_buf_putc(&b, '\n');
    }
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.new", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    int rc = -1;
    if (fd >= 0) {
        /* No fsync: the page cache survives the death of this process, which
         * is what a dropped connection is; a per-keystroke fsync would cost
         * more than the keystroke budget. */
        int w = overwrite(fd, &b);
        if (close(fd) == 0 && w == 0 &&
            (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) == 0 ||
             rename(tmp, path) == 0))
            rc = 0;
        else
            unlink(tmp);
    }
    marc_buf_free(&b);
    return rc;
}

bool
tui_draft_read(const char *path, struct tui_draft_info *info, char ***lines, size_t *n)
{
    *lines = NULL;
    *n = 0;
    FILE *fp = fopen(path, "r");
    if (!fp)
        return false;
    memset(info, 0, sizeof *info);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    size_t have = 0;
    while ((len = getline(&line, &cap, fp)) >= 0) {
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (strncmp(line, "# base-version ", 15) == 0) {
            info->base_version = atoi(line + 15);
            continue;
        }
        if (strncmp(line, "# saved ", 8) == 0) {
            info->saved = (time_t)atoll(line + 8);
            continue;
        }
        if (line[0] == '#' && line[1] == ' ' && *n == 0)
            continue;
        if (*n == have) {
            have = have ? have * 2 : 32;
            *lines = xrealloc(*lines, have * sizeof **lines);
        }
        (*lines)[(*n)++] = xstrndup(line, (size_t)len);
    }
    free(line);
    fclose(fp);
    return *n > 0;
}

void
tui_draft_free_lines(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

void
tui_draft_remove(const char *path)
{
    unlink(path);
    char spare[4200];
    snprintf(spare, sizeof spare, "%s.new", path);
    unlink(spare);
}
