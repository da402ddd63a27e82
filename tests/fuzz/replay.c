/*
 * replay.c - runs a fuzz target without libFuzzer, on every input kept in
 * the repository, so that `meson test` (any compiler) proves that the seeds
 * still pass and that every bug a fuzzer found stays fixed.
 *
 *   replay_TARGET NAME ROOT...
 *
 * Each directory under each ROOT that holds inputs (files not starting with
 * '.', and not README files) is one TAP test point; its files are fed to
 * LLVMFuzzerTestOneInput one by one, in name order.  A failed oracle or a
 * sanitizer report aborts the program, after "# input: FILE" has named the
 * input on standard output.
 */
#include "fuzz-util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct names {
    char **v;
    size_t n, cap;
};

static void
names_add(struct names *s, const char *name)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v)
            abort();
    }
    s->v[s->n++] = strdup(name);
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
names_free(struct names *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

static bool
is_input(const char *name)
{
    return name[0] != '.' && strncmp(name, "README", 6) != 0;
}

/* Files and subdirectories of dir, each sorted by name. */
static void
list_dir(const char *dir, struct names *files, struct names *dirs)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            names_add(dirs, path);
        else if (S_ISREG(st.st_mode) && is_input(e->d_name))
            names_add(files, path);
    }
    closedir(d);
    if (files->n > 1)
        qsort(files->v, files->n, sizeof *files->v, cmp_names);
    if (dirs->n > 1)
        qsort(dirs->v, dirs->n, sizeof *dirs->v, cmp_names);
}

static unsigned char *
read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, n = 0;
    unsigned char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(fp);
    *len = n;
    return buf;
}

static int test_number;
static int failures;

/* Replay the inputs of dir (one test point when it has any), then its subdirectories. */
static void
replay_dir(const char *target, const char *root, const char *dir)
{
    struct names files = {0}, dirs = {0};
    list_dir(dir, &files, &dirs);
    if (files.n > 0) {
        int unreadable = 0;
        for (size_t i = 0; i < files.n; i++) {
            size_t len = 0;
            unsigned char *data = read_file(files.v[i], &len);
            if (!data) {
                printf("# cannot read %s\n", files.v[i]);
                unreadable++;
                continue;
            }
            printf("# input: %s\n", files.v[i]);
            fflush(stdout);
            fuzz_current_input = files.v[i];
            LLVMFuzzerTestOneInput(data, len);
            free(data);
        }
        const char *rel = dir + strlen(root);
        test_number++;
        if (unreadable)
            failures++;
        printf("%s %d - %s: %s%s (%zu inputs)\n", unreadable ? "not ok" : "ok", test_number, target,
               strrchr(root, '/') ? strrchr(root, '/') + 1 : root, rel, files.n);
        fflush(stdout);
    }
    for (size_t i = 0; i < dirs.n; i++)
        replay_dir(target, root, dirs.v[i]);
    names_free(&files);
    names_free(&dirs);
}

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s TARGET ROOT...\n", argv[0]);
        return 2;
    }
    for (int i = 2; i < argc; i++)
        replay_dir(argv[1], argv[i], argv[i]);
    if (test_number == 0)
        printf("1..0 # SKIP no inputs under the given folders\n");
    else
        printf("1..%d\n", test_number);
    return failures ? 1 : 0;
}
