/*
 * outfile.c - all-or-nothing output files.
 *
 * A failed conversion or export must not leave a partial file behind, and
 * must not destroy an existing file of that name.  Output goes to a
 * temporary file in the same directory, renamed over the target only when
 * everything was written.  Standard output cannot be taken back, so in that
 * case the output is spooled to an unlinked temporary file and copied out at
 * the end (unless the caller accepts streaming).
 */
#include "outfile.h"

#include "buf.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
cli_outfile_open(struct cli_outfile *o, const char *path, bool stream_stdout)
{
    memset(o, 0, sizeof *o);
    if (strcmp(path, "-") == 0) {
        o->is_stdout = true;
        if (stream_stdout) {
            o->fp = stdout;
            return 0;
        }
        o->fp = tmpfile();
        if (!o->fp) {
            cli_error("cannot create a temporary file to spool output: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* A device or pipe (/dev/null, a FIFO): nothing to rename over. */
        o->fp = fopen(path, "w");
        if (!o->fp) {
            cli_error("cannot open %s: %s", path, strerror(errno));
            return -1;
        }
        o->is_device = true;
        return 0;
    }
    o->path = xstrdup(path);
    o->tmp = xasprintf("%s.partial-XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        cli_error("cannot create %s: %s", path, strerror(errno));
        free(o->path);
        free(o->tmp);
        return -1;
    }
    /* mkstemp makes 0600; a normal output file follows the umask. */
    mode_t um = umask(0);
    umask(um);
    fchmod(fd, 0666 & ~um);
    o->fp = fdopen(fd, "w");
    setvbuf(o->fp, NULL, _IOFBF, 1 << 20);
    return 0;
}

static int
copy_to_stdout(FILE *from)
{
    char buf[1 << 16];
    size_t n;
    rewind(from);
    while ((n = fread(buf, 1, sizeof buf, from)) > 0)
        if (fwrite(buf, 1, n, stdout) != n)
            return -1;
    return ferror(from) || fflush(stdout) != 0 ? -1 : 0;
}

int
cli_outfile_commit(struct cli_outfile *o)
{
    int rc = 0;
    if (o->is_device) {
        rc = fclose(o->fp);
        o->fp = NULL;
        return rc == 0 ? 0 : -1;
    }
    if (o->is_stdout) {
        if (o->fp != stdout) {
            rc = copy_to_stdout(o->fp);
            fclose(o->fp);
        } else if (fflush(stdout) != 0) {
            rc = -1;
        }
        if (rc < 0)
            cli_error("writing to standard output failed: %s", strerror(errno));
        o->fp = NULL;
        return rc;
    }
    if (fflush(o->fp) != 0 || fsync(fileno(o->fp)) != 0 || ferror(o->fp)) {
        cli_error("writing %s failed: %s", o->path, strerror(errno));
        cli_outfile_abort(o);
        return -1;
    }
    fclose(o->fp);
    o->fp = NULL;
    if (rename(o->tmp, o->path) != 0) {
        cli_error("cannot rename %s to %s: %s", o->tmp, o->path, strerror(errno));
        unlink(o->tmp);
        rc = -1;
    }
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    return rc;
}

void
cli_outfile_abort(struct cli_outfile *o)
{
    if (o->fp && o->fp != stdout)
        fclose(o->fp);
    o->fp = NULL;
    if (o->tmp) {
        unlink(o->tmp);
        free(o->tmp);
        free(o->path);
        o->tmp = o->path = NULL;
    }
}
